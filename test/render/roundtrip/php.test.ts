/**
 * Round trips through PHP: the rendered .env read by Symfony's Dotenv, its MAILER_DSN by Symfony
 * Mailer's own factory (Transport::fromDsn → EsmtpTransport and its socket stream).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { percentEncode } from '../../../src/render/escape.ts';
import { render } from '../../../src/render.ts';
import { BASE_DIR, hardProfile, HARD_PASSWORD } from './profiles.ts';
import { folder, requireTool, run } from './tools.ts';

const PHP = '/usr/bin/php';
const LOAD = `require '/usr/share/php/Symfony/Component/Dotenv/autoload.php'; require '/usr/share/php/Symfony/Component/Mailer/autoload.php';`;

beforeAll(() => requireTool('PHP with Symfony Mailer and Dotenv (php-cli, php-symfony-mailer, php-symfony-dotenv)', PHP, ['-r', LOAD]));

interface Read {
  scheme: string;
  host: string;
  port: number;
  tls: boolean;
  user: string;
  password: string;
  verify_peer: boolean | null;
  require_tls: string | null;
}

function read(dir: string, env: Record<string, string> = {}): Read {
  const script = `${LOAD}
use Symfony\\Component\\Dotenv\\Dotenv; use Symfony\\Component\\Mailer\\Transport; use Symfony\\Component\\Mailer\\Transport\\Dsn;
$v = (new Dotenv())->parse(file_get_contents($argv[1]));
$dsn = Dsn::fromString($v['MAILER_DSN']);
$t = Transport::fromDsn($v['MAILER_DSN']);
$s = $t->getStream();
$o = $s->getStreamOptions();
echo json_encode(['scheme' => $dsn->getScheme(), 'host' => $s->getHost(), 'port' => $s->getPort(), 'tls' => $s->isTLS(),
  'user' => $t->getUsername(), 'password' => $t->getPassword(), 'verify_peer' => $o['ssl']['verify_peer'] ?? null,
  'require_tls' => $dsn->getOption('require_tls')]);`;
  return JSON.parse(run(PHP, ['-r', script, `${dir}/.env`], { env })) as Read;
}

describe('symfony MAILER_DSN through Symfony Dotenv and Transport::fromDsn', () => {
  it.each(['ssl', 'starttls'] as const)('%s, --secrets inline: host, port, implicit TLS or not, user, hard password', (enc) => {
    const { profile, meant } = hardProfile(enc);
    const out = render(profile, 'symfony', { secrets: 'inline', reveal: () => HARD_PASSWORD, baseDir: BASE_DIR });
    const r = read(folder({ '.env': out.files[0]!.content }));
    expect({ host: r.host, port: r.port, tls: r.tls, user: r.user, password: r.password }).toEqual({
      host: meant.host,
      port: meant.port,
      tls: enc === 'ssl',
      user: meant.user,
      password: meant.password,
    });
    expect(r.scheme).toBe(enc === 'ssl' ? 'smtps' : 'smtp');
    if (enc === 'starttls') expect(r.require_tls).toBe('true');
  });

  it('tls.verify: false becomes verify_peer off in the stream options', () => {
    const { profile } = hardProfile('ssl');
    const out = render({ ...profile, tls: { verify: false } }, 'symfony', { secrets: 'inline', reveal: () => HARD_PASSWORD });
    expect(read(folder({ '.env': out.files[0]!.content })).verify_peer).toBe(false);
  });

  it('--secrets ref: ${SMTP_PASSWORD} holding the percent-encoded password (as the rendered note says)', () => {
    const { profile } = hardProfile('starttls');
    const out = render(profile, 'symfony', { secrets: 'ref', baseDir: BASE_DIR });
    expect(read(folder({ '.env': out.files[0]!.content }), { SMTP_PASSWORD: percentEncode(HARD_PASSWORD) }).password).toBe(HARD_PASSWORD);
  });
});

describe('laravel .env through vlucas/phpdotenv (what Laravel loads .env with), then the DSN Laravel 11.36+ builds', () => {
  const LARAVEL = `require '/usr/share/php/Dotenv/autoload.php'; ${LOAD}`;
  it.each(['ssl', 'starttls'] as const)('%s: values, and Symfony Mailer reading MAIL_SCHEME', (enc) => {
    requireTool('PHP with vlucas/phpdotenv (php-vlucas-phpdotenv)', PHP, ['-r', LARAVEL]);
    const { profile, meant } = hardProfile(enc);
    const out = render(profile, 'laravel', { secrets: 'inline', reveal: () => HARD_PASSWORD, baseDir: BASE_DIR });
    const dir = folder({ '.env': out.files[0]!.content });
    const script = `${LARAVEL}
use Symfony\\Component\\Mailer\\Transport\\Dsn; use Symfony\\Component\\Mailer\\Transport\\Smtp\\EsmtpTransportFactory;
$v = Dotenv\\Dotenv::parse(file_get_contents($argv[1]));
$t = (new EsmtpTransportFactory())->create(new Dsn($v['MAIL_SCHEME'], $v['MAIL_HOST'], $v['MAIL_USERNAME'], $v['MAIL_PASSWORD'], (int) $v['MAIL_PORT']));
echo json_encode(['v' => $v, 'tls' => $t->getStream()->isTLS(), 'user' => $t->getUsername(), 'password' => $t->getPassword()]);`;
    const r = JSON.parse(run(PHP, ['-r', script, `${dir}/.env`])) as { v: Record<string, string>; tls: boolean; user: string; password: string };
    expect({ host: r.v.MAIL_HOST, port: Number(r.v.MAIL_PORT), user: r.user, password: r.password, fromAddress: r.v.MAIL_FROM_ADDRESS, fromName: r.v.MAIL_FROM_NAME }).toEqual({
      host: meant.host,
      port: meant.port,
      user: meant.user,
      password: meant.password,
      fromAddress: meant.fromAddress,
      fromName: meant.fromName,
    });
    expect(r.tls).toBe(enc === 'ssl');
    // never `tls`: Laravel 9.0.0–9.0.2 and 11.35.0 would read it as implicit TLS
    expect(r.v.MAIL_ENCRYPTION).toBe(enc === 'ssl' ? 'ssl' : 'null');
  });
});
