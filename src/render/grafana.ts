import { dotenvFile, dotenvStyle, raw, type Line } from './formats.ts';
import { banner, defineRenderer } from './model.ts';

// grafana pkg/services/notifications/smtp.go: implicit TLS is chosen by port 465 alone;
// startTLS_policy is exactly OpportunisticStartTLS | MandatoryStartTLS | NoStartTLS.
export const renderer = defineRenderer({
  id: 'grafana',
  title: 'Grafana',
  writes: '`.env` lines GF_SMTP_ENABLED, GF_SMTP_HOST (host:port), GF_SMTP_USER, GF_SMTP_PASSWORD, GF_SMTP_STARTTLS_POLICY, GF_SMTP_FROM_*…',
  status: 'verified',
  cannot: {
    'tls.ca': 'no [smtp] key; Grafana uses the system trust store',
    'tls.servername': 'no [smtp] key',
    'tls.minVersion': 'no [smtp] key',
    'auth.xoauth2': 'Grafana logs in with a password only',
    'auth.method': 'no [smtp] key; Go net/smtp picks PLAIN',
    replyTo: 'no [smtp] key',
    bcc: 'no [smtp] key',
    charset: 'Grafana writes UTF-8',
    timeouts: 'no [smtp] key',
  },
  limits: ['encryption: ssl on a port other than 465, and starttls/none on port 465 (the port alone picks implicit TLS)'],
  build(ctx) {
    const { m } = ctx;
    if (m.encryption === 'ssl' && m.port !== 465) {
      ctx.warn('encryption', `Grafana uses implicit TLS only on port 465: encryption: ssl on port ${m.port} cannot be expressed (Grafana would speak plain SMTP, with STARTTLS if offered)`);
    }
    if (m.encryption !== 'ssl' && m.port === 465) {
      ctx.warn('encryption', `Grafana always uses implicit TLS on port 465: encryption: ${m.encryption} cannot be expressed there`);
    }
    const style = dotenvStyle('compose');
    const host = m.host.includes(':') ? `[${m.host}]` : m.host;
    const lines: Line[] = [
      banner('Grafana', m),
      ['GF_SMTP_ENABLED', true],
      ['GF_SMTP_HOST', `${host}:${m.port}`],
    ];
    if (m.auth === 'password') {
      lines.push(['GF_SMTP_USER', m.username], ['GF_SMTP_PASSWORD', raw(ctx.secret('password', style))]);
    }
    lines.push(
      ['GF_SMTP_STARTTLS_POLICY', m.encryption === 'starttls' ? 'MandatoryStartTLS' : m.encryption === 'none' ? 'NoStartTLS' : undefined],
      ['GF_SMTP_SKIP_VERIFY', m.encryption !== 'none' ? !m.verify : undefined],
      ['GF_SMTP_FROM_ADDRESS', m.from?.address],
      ['GF_SMTP_FROM_NAME', m.from?.name],
      ['GF_SMTP_EHLO_IDENTITY', m.ehlo],
    );
    return [{ name: '.env', content: dotenvFile(lines, 'compose') }];
  },
});
