import { compact, jsonFile } from './formats.ts';
import { defineRenderer } from './model.ts';

// keycloak DefaultEmailSenderProvider: smtpServer is a Map<String,String>; every value is a JSON
// string and flags are compared with the exact string "true". `starttls` is JavaMail's
// starttls.enable (opportunistic). The password is written as a plain ${ENV} placeholder, which
// Keycloak's realm import (--import-realm) resolves from the environment; ${vault.key} would only
// work with a vault provider configured, and is sent as literal text otherwise.
export const renderer = defineRenderer({
  id: 'keycloak',
  title: 'Keycloak',
  writes: 'realm JSON `{ "smtpServer": { host, port, ssl, starttls, auth, user, password, from, fromDisplayName, replyTo… } }` (all strings)',
  status: 'verified',
  cannot: {
    'tls.verify': 'no per-realm setting; trust comes from the global truststore SPI',
    'tls.ca': 'no per-realm setting; add the CA to the truststore SPI',
    'tls.servername': 'no per-realm setting',
    'tls.minVersion': 'no per-realm setting',
    // keycloak services/.../email/TokenAuthEmailAuthenticator.java: grant_type=client_credentials with
    // authTokenUrl, authTokenClientId, authTokenClientSecret, authTokenScope; no refresh token
    'auth.xoauth2': "token auth (TokenAuthEmailAuthenticator) takes an app token by the client_credentials grant (authTokenUrl, authTokenClientId, authTokenClientSecret, authTokenScope), not a user's refresh token",
    'auth.method': 'no smtpServer key; JavaMail tries the mechanisms the server offers',
    bcc: 'no smtpServer key',
    charset: 'Keycloak writes UTF-8',
    ehlo: 'no smtpServer key',
  },
  limits: ['encryption: starttls is opportunistic (starttls.enable)'],
  build(ctx) {
    const { m } = ctx;
    if (m.encryption === 'starttls') {
      ctx.warn('encryption', 'Keycloak enables STARTTLS when offered (JavaMail starttls.enable) but cannot require it');
    }
    const password =
      m.auth === 'password'
        ? ctx.secret('password', {
            literal: (v) => v,
            env: (name) => `\${${name}}`,
          })
        : undefined;
    const str = (n: number | undefined) => (n === undefined ? undefined : String(n));
    const smtpServer = compact({
      host: m.host,
      port: String(m.port),
      ssl: String(m.encryption === 'ssl'),
      starttls: String(m.encryption === 'starttls'),
      auth: String(m.auth === 'password'),
      user: m.auth === 'password' ? m.username : undefined,
      password,
      from: m.from?.address,
      fromDisplayName: m.from?.name,
      replyTo: m.replyTo,
      connectionTimeout: str(m.timeouts.connect),
      timeout: str(m.timeouts.command),
      writeTimeout: str(m.timeouts.command),
    });
    return [{ name: 'smtp-server.json', content: jsonFile({ smtpServer }) }];
  },
});
