import { describe, expect, it } from 'vitest';
import { render } from '../../src/render.ts';
import type { Profile } from '../../src/types.ts';

const base: Profile = { name: 'p', transport: 'smtp', host: 'smtp.example.org', port: 587, encryption: 'starttls', bcc: [], from: { address: 'app@example.org' } };

describe('render warnings are data (messageId + data), not only prose', () => {
  it('a setting the target cannot express: cannot-express, naming the setting', () => {
    const out = render({ ...base, tls: { verify: false } }, 'django');
    expect(out.warnings).toContainEqual(expect.objectContaining({ target: 'django', setting: 'tls.verify', messageId: 'cannot-express', data: { setting: 'tls.verify' } }));
  });

  it('a relative path is made absolute from the mail.yaml folder: path-absolute, with the path', () => {
    const out = render({ ...base, tls: { ca: './certs/ca.pem' } }, 'msmtp', { secrets: 'ref', baseDir: '/srv/app' });
    expect(out.warnings).toContainEqual(expect.objectContaining({ setting: 'tls.ca', messageId: 'path-absolute', data: { path: '/srv/app/certs/ca.pem' } }));
  });

  it('every warning has an id', () => {
    const out = render({ ...base, tls: { verify: false, ca: 'x.pem' }, replyTo: 'r@example.org', bcc: ['b@example.org'] }, 'laravel', { secrets: 'ref', baseDir: '/srv' });
    expect(out.warnings.length).toBeGreaterThan(1);
    for (const w of out.warnings) expect(w.messageId).toMatch(/^[a-z][a-z0-9-]*$/);
  });
});
