/**
 * A fixed report for the reporter tests: two files, diagnostics of every severity (with and
 * without hints, one spanning lines, one with a two-line message), checks of every status, a
 * literal secret in the source, a tab before a value, CRLF line endings, a very long line, an
 * untrusted server reply with markup and an ESC sequence, and an empty file with a diagnostic at
 * 1:1 whose path holds `,` `:` `%` and a space.
 */
import type { Report, ReporterOptions, RuleMeta } from '../../src/types.ts';

const bcc = Array.from({ length: 12 }, (_, i) => `archive-${String(i + 1).padStart(2, '0')}@acme.example`);

/** The secret written literally on line 11: no reporter may print it. */
export const LITERAL_SECRET = 'hunter2-hunter2';

export const SOURCE_LINES = [
  '# yaml-language-server: $schema=./node_modules/mailcheck-cli/schema/mail.schema.json', // 1
  'version: 1', // 2
  'profiles:', // 3
  '  production:', // 4
  '    preset: gmail', // 5
  '    host: smtp.gmail.com', // 6
  '    port: 465', // 7
  '    encryption: starttls', // 8
  '    auth:', // 9
  '      username: billing@acme.example', // 10
  `      password: ${LITERAL_SECRET}`, // 11
  '    from: { address: billing@acme.example, name: Acme Billing }', // 12
  '    replyTo:\tsupport@@acme.example', // 13
  '    tls: { verify: false }', // 14
  '  staging:', // 15
  '    transport: http', // 16
  '    http: { url: "https://mail.example.net/send", apiKey: ${MAIL_API_KEY} }', // 17
  `    bcc: [${bcc.join(', ')}, archive@@acme.example]`, // 18
];

/** Column where `archive@@acme.example` starts on line 18. */
export const LONG_COLUMN = SOURCE_LINES[17]!.indexOf('archive@@') + 1;

export const MAIN_PATH = 'mail.yaml';
export const EMPTY_PATH = 'sites/eu,west: 100%/empty.mail.yaml';
export const SERVER_REPLY = `535 5.7.8 Username and Password not accepted <x@y> & "q" 'a' \u001b[31mred\u0007`;

export const report: Report = {
  version: 1,
  tool: { name: 'mailcheck', version: '0.1.0' },
  files: [
    {
      path: MAIN_PATH,
      source: `${SOURCE_LINES.join('\r\n')}\r\n`,
      diagnostics: [
        {
          ruleId: 'port-encryption-mismatch',
          messageId: 'fixture',
          severity: 'error',
          message: 'port 465 expects encryption: ssl, got starttls',
          line: 7,
          column: 11,
          endLine: 7,
          endColumn: 14,
          pointer: '/profiles/production/port',
          profile: 'production',
          hint: 'set `encryption: ssl` (implicit TLS on 465), or use port 587 with starttls',
        },
        {
          ruleId: 'tls-verify-disabled',
          messageId: 'fixture',
          severity: 'warning',
          message: 'tls.verify: false turns certificate checks off',
          line: 14,
          column: 20,
          endLine: 14,
          endColumn: 25,
          pointer: '/profiles/production/tls/verify',
          profile: 'production',
          hint: 'remove it, or point tls.ca at your CA bundle',
        },
        {
          ruleId: 'plaintext-secret',
          messageId: 'fixture',
          severity: 'error',
          message: 'auth.password is written literally: [redacted]',
          line: 11,
          column: 17,
          endLine: 11,
          endColumn: 17 + LITERAL_SECRET.length,
          pointer: '/profiles/production/auth/password',
          profile: 'production',
          hint: 'reference it: password: ${SMTP_PASSWORD}',
        },
        {
          ruleId: 'preset-mismatch',
          messageId: 'fixture',
          severity: 'warning',
          message: "host/port/encryption is not one of gmail's endpoints\nknown: smtp.gmail.com:465 ssl, smtp.gmail.com:587 starttls",
          line: 6,
          column: 5,
          endLine: 8,
          endColumn: 25,
          pointer: '/profiles/production',
          profile: 'production',
        },
        {
          ruleId: 'provider-app-password',
          messageId: 'fixture',
          severity: 'info',
          message: 'Gmail needs an app password and 2-Step Verification',
          line: 10,
          column: 17,
          endLine: 10,
          endColumn: 37,
          pointer: '/profiles/production/auth/username',
          profile: 'production',
          hint: 'create one at https://myaccount.google.com/apppasswords',
        },
        {
          ruleId: 'invalid-address',
          messageId: 'fixture',
          severity: 'error',
          message: '"support@@acme.example" is not a valid mailbox',
          line: 13,
          column: 14,
          endLine: 13,
          endColumn: 35,
          pointer: '/profiles/production/replyTo',
          profile: 'production',
        },
        {
          ruleId: 'invalid-address',
          messageId: 'fixture',
          severity: 'error',
          message: '"archive@@acme.example" is not a valid mailbox',
          line: 18,
          column: LONG_COLUMN,
          endLine: 18,
          endColumn: LONG_COLUMN + 'archive@@acme.example'.length,
          pointer: '/profiles/staging/bcc/12',
          profile: 'staging',
        },
      ],
      checks: [
        {
          id: 'dns.host',
          profile: 'production',
          status: 'pass',
          messageId: 'fixture',
          message: 'smtp.gmail.com resolves to 142.250.102.108, 2a00:1450:4013:c00::6c',
          durationMs: 12,
        },
        {
          id: 'dns.mx',
          profile: 'production',
          status: 'warn',
          messageId: 'fixture',
          message: 'acme.example has no MX record',
          durationMs: 8,
          hint: 'add an MX record, or replies to @acme.example bounce',
        },
        {
          id: 'tls.handshake',
          profile: 'production',
          status: 'pass',
          messageId: 'fixture',
          message: 'TLSv1.3 TLS_AES_256_GCM_SHA384, chain trusted, expires in 63 days',
          durationMs: 41,
          details: { protocol: 'TLSv1.3' },
        },
        {
          id: 'smtp.auth',
          profile: 'production',
          status: 'fail',
          messageId: 'fixture',
          message: SERVER_REPLY,
          durationMs: 230,
          hint: 'Gmail wants an app password: https://myaccount.google.com/apppasswords',
        },
        { id: 'smtp.envelope', profile: 'production', status: 'skip', messageId: 'fixture', message: 'no --rcpt given', durationMs: 0 },
        { id: 'dns.host', profile: 'staging', status: 'pass', messageId: 'fixture', message: 'mail.example.net resolves to 192.0.2.7', durationMs: 5 },
        {
          id: 'http.endpoint',
          profile: 'staging',
          status: 'skip',
          messageId: 'fixture',
          message: 'environment variable MAIL_API_KEY is not set',
          durationMs: 0,
        },
      ],
    },
    {
      path: EMPTY_PATH,
      source: '',
      diagnostics: [
        {
          ruleId: 'schema',
          messageId: 'fixture',
          severity: 'error',
          message: 'expected a mapping with `version` and `profiles`, got an empty document',
          line: 1,
          column: 1,
          endLine: 1,
          endColumn: 1,
          pointer: '',
          hint: 'start from `mailcheck init`',
        },
      ],
      checks: [],
    },
  ],
  summary: { errors: 5, warnings: 2, infos: 1, checks: { pass: 3, warn: 1, fail: 1, skip: 2 } },
};

function rule(id: string, severity: RuleMeta['severity'], description: string): RuleMeta {
  return {
    id,
    severity,
    description,
    rationale: `Why ${id} matters.`,
    fix: `How to fix ${id}.`,
    example: { bad: `# bad\n${id}: 1\n`, good: `# good\n${id}: 2\n` },
    messages: { default: description },
  };
}

/** Rule metadata as the registry would give it (a subset; `yaml-syntax` is never reported here). */
export const rules: RuleMeta[] = [
  rule('yaml-syntax', 'error', 'The file is valid YAML'),
  rule('schema', 'error', 'The file matches the mail.yaml schema'),
  rule('port-encryption-mismatch', 'error', 'Port and encryption agree'),
  rule('cleartext-auth', 'error', 'Credentials never cross an unencrypted connection'),
  rule('plaintext-secret', 'error', 'Secrets are references, not literals'),
  rule('tls-verify-disabled', 'warning', 'TLS certificates are verified'),
  rule('invalid-address', 'error', 'Addresses are valid mailboxes'),
  rule('preset-mismatch', 'warning', "Endpoints are the preset's"),
  rule('provider-app-password', 'info', 'Providers that need app passwords are flagged'),
];

export function options(overrides: Partial<ReporterOptions> = {}): ReporterOptions {
  return { color: false, rules, ...overrides };
}
