/**
 * Round trips through Python: Django's own SMTP backend built from the rendered mail_settings.py,
 * and python-dotenv reading the generic .env the way Python apps load it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { render } from '../../../src/render.ts';
import { BASE_DIR, hardProfile, HARD_PASSWORD } from './profiles.ts';
import { folder, requireTool, run } from './tools.ts';

const PY = '/usr/bin/python3';

beforeAll(() => requireTool('Python 3 with Django and python-dotenv (python3-django, python3-dotenv)', PY, ['-c', 'import django, dotenv']));

describe('django mail_settings.py through Django settings and get_connection()', () => {
  const read = (dir: string, env: Record<string, string> = {}) =>
    JSON.parse(
      run(
        PY,
        [
          '-c',
          `import json, sys
from email.utils import parseaddr
ns = {}
exec(open(sys.argv[1], encoding='utf-8').read(), ns)
from django.conf import settings
settings.configure(**{k: v for k, v in ns.items() if k.isupper()})
from django.core.mail import get_connection
c = get_connection()
name, addr = parseaddr(settings.DEFAULT_FROM_EMAIL)
print(json.dumps(dict(host=c.host, port=c.port, use_tls=c.use_tls, use_ssl=c.use_ssl, user=c.username, password=c.password, from_name=name, from_address=addr)))`,
          `${dir}/mail_settings.py`,
        ],
        { env },
      ),
    ) as Record<string, unknown>;

  it.each(['ssl', 'starttls'] as const)('%s, --secrets inline: host, port, TLS mode, user, hard password, From name', (enc) => {
    const { profile, meant } = hardProfile(enc);
    const out = render(profile, 'django', { secrets: 'inline', reveal: () => HARD_PASSWORD, baseDir: BASE_DIR });
    expect(read(folder({ 'mail_settings.py': out.files[0]!.content }))).toEqual({
      host: meant.host,
      port: meant.port,
      use_tls: enc === 'starttls',
      use_ssl: enc === 'ssl',
      user: meant.user,
      password: meant.password,
      from_name: meant.fromName,
      from_address: meant.fromAddress,
    });
  });

  it('--secrets ref reads the password from the environment', () => {
    const { profile } = hardProfile('starttls');
    const out = render(profile, 'django', { secrets: 'ref', baseDir: BASE_DIR });
    expect(read(folder({ 'mail_settings.py': out.files[0]!.content }), { SMTP_PASSWORD: HARD_PASSWORD }).password).toBe(HARD_PASSWORD);
  });
});

describe('generic .env (env target) through python-dotenv', () => {
  it('a password holding both quote kinds is written for Node only, with a warning', () => {
    const out = render(hardProfile('ssl').profile, 'env', { secrets: 'inline', reveal: () => HARD_PASSWORD, baseDir: BASE_DIR });
    expect(out.warnings.map((w) => w.setting)).toContain('auth.password');
  });

  // every hard character but one quote kind (python-dotenv has no form for both that Node shares)
  const PASSWORD = `p@ss$w"o r%d #1\\x`;
  it.each(['ssl', 'starttls'] as const)('%s: every value reads back', (enc) => {
    const { profile, meant: m } = hardProfile(enc);
    const meant = { ...m, password: PASSWORD };
    const out = render(profile, 'env', { secrets: 'inline', reveal: () => PASSWORD, baseDir: BASE_DIR });
    const dir = folder({ '.env': out.files[0]!.content });
    const v = JSON.parse(run(PY, ['-c', `import json, sys\nfrom dotenv import dotenv_values\nprint(json.dumps(dotenv_values(sys.argv[1], interpolate=False)))`, `${dir}/.env`])) as Record<string, string>;
    expect({
      host: v.SMTP_HOST,
      port: Number(v.SMTP_PORT),
      encryption: v.SMTP_ENCRYPTION,
      user: v.SMTP_USERNAME,
      password: v.SMTP_PASSWORD,
      ca: v.SMTP_TLS_CA,
      fromAddress: v.SMTP_FROM_ADDRESS,
      fromName: v.SMTP_FROM_NAME,
    }).toEqual({ host: meant.host, port: meant.port, encryption: enc, user: meant.user, password: meant.password, ca: meant.ca, fromAddress: meant.fromAddress, fromName: meant.fromName });
  });
});
