import { compact, jsonFile } from './formats.ts';
import { defineRenderer } from './model.ts';

const CERT_LABEL = 'Accept self-signed server certificate';

// Manager.io's Email settings form (https://www.manager.io/guides/email-settings-form): the keys
// are the form's labels, because its machine field names are not public. There is no encryption
// field; the TLS mode appears to follow the port (unverified).
export const renderer = defineRenderer({
  id: 'manager-io',
  title: 'Manager.io',
  writes: 'JSON keyed by the Email settings form labels: Protocol, SMTP Server, Port, Username, Email address, Password, copy and reply-to addresses (or HTTP Server)',
  status: 'derived',
  transports: ['smtp', 'http'],
  cannot: {
    'tls.ca': 'no field',
    'tls.servername': 'no field',
    'tls.minVersion': 'no field',
    'auth.xoauth2': 'the form takes a password only',
    'from.name': 'no From name field',
    charset: 'no field',
    ehlo: 'no field',
    timeouts: 'no field',
  },
  limits: ['encryption: no field (mode appears to follow the port: unverified)', 'bcc: one address'],
  build(ctx) {
    const { m } = ctx;
    const p = m.profile;
    if (m.transport === 'http') {
      const form = compact({
        Protocol: 'HTTP',
        'HTTP Server': p.http?.url,
        'Reply to': p.http?.replyTo ?? m.replyTo,
      });
      return [{ name: 'manager-io-email.json', content: jsonFile(form) }];
    }
    const usual = (m.encryption === 'ssl' && m.port === 465) || (m.encryption === 'starttls' && m.port !== 465);
    if (!usual) {
      ctx.warn('encryption', `Manager.io has no encryption field and appears to pick the TLS mode from the port (unverified): encryption: ${m.encryption} on port ${m.port} may not be honoured`);
    }
    if (m.bcc.length > 1) ctx.warn('bcc', `Manager.io sends a copy to one address: ${m.bcc.length - 1} more cannot be expressed`);
    if (!m.verify) ctx.warn('tls.verify', `the self-signed certificate checkbox exists but its exact label is unverified; written as "${CERT_LABEL}"`);
    const password = m.auth === 'password' ? ctx.secret('password', { literal: (v) => v }) : undefined;
    const username = m.auth === 'password' ? m.username : undefined;
    // "Email address" is shown only when the username is not the sending address
    const emailAddress = m.from && m.from.address !== username ? m.from.address : undefined;
    const form = compact({
      Protocol: 'SMTP',
      'SMTP Server': m.host,
      Port: m.port,
      Username: username,
      'Email address': emailAddress,
      Password: password,
      'Send a copy of every email to this address': m.bcc[0],
      'Receive email replies at a different address than you send from': m.replyTo,
      [CERT_LABEL]: m.verify ? undefined : true,
    });
    return [{ name: 'manager-io-email.json', content: jsonFile(form) }];
  },
});
