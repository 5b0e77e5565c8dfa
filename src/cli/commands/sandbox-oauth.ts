/**
 * `mailcheck sandbox --oauth`: the sandbox's OAuth2 authorization server beside its SMTP, the
 * `oauth` profile added to the printed mail.yaml, and the lines that tell the user what to run.
 */
import type { Sandbox } from '../../sandbox/types.ts';
import type { SandboxOAuthServer } from '../../sandbox/oauth-server.ts';

/** where the `oauth` profile's refresh token goes, relative to the mail.yaml */
export const REFRESH_TOKEN_FILE = './sandbox-oauth.refresh-token';

const q = (v: string): string => JSON.stringify(v);

/** The `oauth` profile: XOAUTH2 against the sandbox's implicit-TLS listener, endpoints of `as`. */
export function oauthProfileYaml(sandbox: Sandbox, as: SandboxOAuthServer): string[] {
  const user = sandbox.users[0]!.username;
  return [
    '  oauth:',
    `    host: ${q(sandbox.smtp.ssl.host)}`,
    `    port: ${sandbox.smtp.ssl.port}`,
    '    encryption: ssl',
    '    auth:',
    '      method: xoauth2',
    `      user: ${q(user)}`,
    `      clientId: ${as.clientId}`,
    `      refreshToken: { file: ${REFRESH_TOKEN_FILE} }`,
    `      tokenUrl: ${as.tokenUrl}`,
    `      deviceAuthorizationUrl: ${as.deviceAuthorizationUrl}`,
    `      authorizationUrl: ${as.authorizationUrl}`,
    `      scopes: [${as.scopes.join(', ')}]`,
    `    from: { address: ${q(user)}, name: mailcheck sandbox }`,
    `    tls: { ca: ${q(sandbox.caPath)}, servername: smtp.${sandbox.domain} }`,
  ];
}

/** The mail.yaml with the `oauth` profile added after the others. */
export function withOAuthProfile(yaml: string, sandbox: Sandbox, as: SandboxOAuthServer): string {
  const at = yaml.indexOf('\nrules:');
  const lines = oauthProfileYaml(sandbox, as).join('\n');
  return at < 0 ? `${yaml.trimEnd()}\n${lines}\n` : `${yaml.slice(0, at)}\n${lines}${yaml.slice(at)}`;
}

/** What the sandbox prints about its authorization server (no secret: the client is public). */
export function oauthLines(sandbox: Sandbox, as: SandboxOAuthServer, file: string, checkFlags: string): string[] {
  const user = sandbox.users[0]!.username;
  return [
    `  OAuth2 issuer   ${as.issuer} (oidc-provider, HTTPS with the sandbox CA)`,
    `    token         ${as.tokenUrl}`,
    `    device        ${as.deviceAuthorizationUrl}   sign in as ${user}, any password`,
    `    authorize     ${as.authorizationUrl}`,
    `    client id     ${as.clientId} (public client: no secret), scopes ${as.scopes.join(' ')}`,
    '  XOAUTH2 on the SMTP listeners takes only access tokens this server issued (scope smtp, for that user).',
    '',
    'OAuth2 walk-through (profile `oauth` below; the CLI trusts the sandbox CA through NODE_EXTRA_CA_CERTS):',
    `  export NODE_EXTRA_CA_CERTS=${sandbox.caPath}`,
    `  mailcheck oauth login ${file} --profile oauth --flow device`,
    `  mailcheck check ${file} --profile oauth ${checkFlags}`,
  ];
}
