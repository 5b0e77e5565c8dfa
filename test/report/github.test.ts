import { describe, expect, it } from 'vitest';
import { escapeData, escapeProperty, github } from '../../src/report/github.ts';
import type { Report } from '../../src/types.ts';
import { options, report } from './fixture.ts';

describe('github', () => {
  it('prints one workflow command per diagnostic and per failed or warned check', () => {
    expect(github(report, options()).split('\n')).toEqual([
      "::warning file=mail.yaml,line=6,col=5,endLine=8,endColumn=25,title=preset-mismatch::host/port/encryption is not one of gmail's endpoints%0Aknown: smtp.gmail.com:465 ssl, smtp.gmail.com:587 starttls",
      '::error file=mail.yaml,line=7,col=11,endLine=7,endColumn=14,title=port-encryption-mismatch::port 465 expects encryption: ssl, got starttls%0Ahint: set `encryption: ssl` (implicit TLS on 465), or use port 587 with starttls',
      '::notice file=mail.yaml,line=10,col=17,endLine=10,endColumn=37,title=provider-app-password::Gmail needs an app password and 2-Step Verification%0Ahint: create one at https://myaccount.google.com/apppasswords',
      '::error file=mail.yaml,line=11,col=17,endLine=11,endColumn=32,title=plaintext-secret::auth.password is written literally: [redacted]%0Ahint: reference it: password: ${SMTP_PASSWORD}',
      '::error file=mail.yaml,line=13,col=14,endLine=13,endColumn=35,title=invalid-address::"support@@acme.example" is not a valid mailbox',
      '::warning file=mail.yaml,line=14,col=20,endLine=14,endColumn=25,title=tls-verify-disabled::tls.verify: false turns certificate checks off%0Ahint: remove it, or point tls.ca at your CA bundle',
      '::error file=mail.yaml,line=18,col=311,endLine=18,endColumn=332,title=invalid-address::"archive@@acme.example" is not a valid mailbox',
      '::warning file=mail.yaml,line=4,title=dns.mx::production: acme.example has no MX record%0Ahint: add an MX record, or replies to @acme.example bounce',
      `::error file=mail.yaml,line=4,title=smtp.auth::production: 535 5.7.8 Username and Password not accepted <x@y> & "q" 'a' ␛[31mred␇%0Ahint: Gmail wants an app password: https://myaccount.google.com/apppasswords`,
      '::error file=sites/eu%2Cwest%3A 100%25/empty.mail.yaml,line=1,col=1,endLine=1,endColumn=1,title=schema::expected a mapping with `version` and `profiles`, got an empty document%0Ahint: start from `mailcheck init`',
      '',
    ]);
  });

  it('quiet keeps errors and failed checks only', () => {
    const lines = github(report, options({ quiet: true })).trimEnd().split('\n');
    expect(lines.every((l) => l.startsWith('::error '))).toBe(true);
    expect(lines).toHaveLength(6);
  });

  it('escapes %, CR and LF in data, and also : and , in properties', () => {
    expect(escapeData('100% done\r\nnext: a, b')).toBe('100%25 done%0D%0Anext: a, b');
    expect(escapeProperty('100% done\r\nnext: a, b')).toBe('100%25 done%0D%0Anext%3A a%2C b');
  });

  it('cannot be made to issue a second command by a message or a rule id', () => {
    const r: Report = {
      ...report,
      files: [
        {
          path: 'a,b:c.yaml',
          diagnostics: [
            {
              ruleId: 'x,y:z',
              messageId: 'fixture',
              severity: 'warning',
              message: 'bad\n::add-mask::oops\r\n%0A\u001b[2J',
              line: 2,
              column: 3,
              endLine: 2,
              endColumn: 4,
              pointer: '/x',
            },
          ],
          checks: [],
        },
      ],
    };
    expect(github(r, options())).toBe(
      '::warning file=a%2Cb%3Ac.yaml,line=2,col=3,endLine=2,endColumn=4,title=x%2Cy%3Az::bad%0A::add-mask::oops%0D%0A%250A␛[2J\n',
    );
  });

  it('prints nothing when there is nothing to annotate', () => {
    expect(github({ ...report, files: [{ path: 'm.yaml', diagnostics: [], checks: [] }] }, options())).toBe('');
  });
});
