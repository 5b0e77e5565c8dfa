// The four seed apps (issue 15): golden renders and form guides per app, and every field label of
// each seed help page (test/fixtures/seeds, copied from ../shared/seeds) present in the guide.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isMailcheckError } from '../../src/errors.ts';
import { render } from '../../src/render.ts';
import { GUIDE_LANGS, GUIDES, renderGuide, type GuideLang } from '../../src/render/guide/index.ts';
import { needsEmailAddress, httpServerValue } from '../../src/render/manager-io.ts';
import { RENDERERS } from '../../src/render/index.ts';
import { SEED_PROFILES } from './seed-profiles.ts';

const SEEDS = join(import.meta.dirname, '..', 'fixtures', 'seeds');
const seed = (file: string): string => readFileSync(join(SEEDS, file), 'utf8');
const APPS = ['manager-io', 'perfex', 'shipturtle', 'share-info'] as const;
const SPECIAL = `p@ss$w'o"r%d #1`;

function goldenText(target: string): string {
  const out: string[] = [`# golden renders and guides of target "${target}" (test/render/seed-profiles.ts)`];
  for (const [name, profile] of Object.entries(SEED_PROFILES)) {
    out.push('', `## ${name}`);
    try {
      const r = render(profile, target, { secrets: 'ref', reveal: () => SPECIAL });
      for (const f of r.files) out.push(`### file ${f.name}`, f.content.replace(/\n$/, ''));
      out.push('### warnings', ...(r.warnings.length ? r.warnings.map((w) => `- [${w.setting}] ${w.message}`) : ['(none)']));
      for (const lang of GUIDE_LANGS) out.push(`### guide ${lang}`, renderGuide(profile, target, lang).text.replace(/\n$/, ''));
    } catch (err) {
      if (!isMailcheckError(err)) throw err;
      out.push(`### error ${err.code}: ${err.message}`);
    }
  }
  return `${out.join('\n')}\n`;
}

describe('seed apps: golden renders and guides', () => {
  it.each(APPS.map((a) => [a]))('%s', async (app) => {
    await expect(goldenText(app)).toMatchFileSnapshot(`./__golden__/seeds/${app}.txt`);
  });

  it.each(APPS.map((a) => [a]))('%s is verified, or derived with its reason', (app) => {
    const meta = RENDERERS[app]!.meta;
    expect(['verified', 'derived']).toContain(meta.status);
    expect(meta.statusNote?.length ?? 0).toBeGreaterThan(20);
  });

  it('a guide never contains a secret value, even when one is revealable', () => {
    for (const app of APPS) {
      for (const profile of Object.values(SEED_PROFILES)) {
        for (const lang of GUIDE_LANGS) {
          try {
            const text = renderGuide(profile, app, lang).text;
            expect(text).not.toContain(SPECIAL);
            if (profile.auth?.password) expect(text).toMatch(/\$\{(SMTP_PASSWORD|GMAIL_APP_PASSWORD|M365_PASSWORD)\}/);
          } catch (err) {
            expect(isMailcheckError(err) && err.code).toBe('E_RENDER_TRANSPORT');
          }
        }
      }
    }
  });

  it('only the four seed apps have guides', () => {
    expect(Object.keys(GUIDES).sort()).toEqual([...APPS].sort());
  });
});

/**
 * Every field label of each seed page, as the page writes it (each is checked to be in the seed
 * file, so the list cannot drift from the pages), with the guide language it belongs to.
 */
const SEED_LABELS: ReadonlyArray<{ app: (typeof APPS)[number]; file: string; lang: GuideLang; profile: string; labels: string[] }> = [
  {
    app: 'manager-io',
    file: '000_ba66151023d1eb15.txt',
    lang: 'ja',
    profile: 'starttls-587',
    labels: ['プロトコル', 'SMTPサーバー', 'ポート', 'ユーザーネーム', 'EmailAddress', 'パスワード', 'コピーを送信', '送信元のメールアドレスとは異なるアドレスで返信を受け取る', 'TLS証明書を確認しない', 'テストメール設定', '更新'],
  },
  { app: 'manager-io', file: '000_ba66151023d1eb15.txt', lang: 'ja', profile: 'http', labels: ['プロトコル', 'HttpServer', '返信先', 'email.manager.io'] },
  {
    app: 'manager-io',
    file: '003_da24dc36e669a874.txt',
    lang: 'it',
    profile: 'starttls-587',
    labels: [
      'Protocollo',
      'Server SMTP',
      'Nome utente',
      'Indirizzo Email',
      'Password',
      'Invia una copia di ciascuna email a questo indirizzo',
      'Ricevi risposte e-mail a un indirizzo diverso da quello da cui invii',
      'Non verificare il certificato TLS',
      'Testare le impostazioni email',
    ],
  },
  { app: 'manager-io', file: '003_da24dc36e669a874.txt', lang: 'it', profile: 'http', labels: ['Protocollo', 'Server HTTP', 'email.manager.io'] },
  {
    app: 'manager-io',
    file: '000_ba66151023d1eb15.txt',
    lang: 'en',
    profile: 'starttls-587',
    // the English headings the Japanese copy kept from the original
    labels: ['Username', 'Password', 'Do Not Verify TLS Certificate'],
  },
  {
    app: 'perfex',
    file: '001_53630fd77de206bd.txt',
    lang: 'ja',
    profile: 'starttls-587',
    labels: [
      'メッセージング エンジン',
      'メッセージングプロトコル',
      '電子メールの暗号化',
      'SMTPホスト',
      'ポートSMTP',
      '電子メール',
      'SMTP ユーザー名',
      'SMTP パスワード',
      '電子メールの文字セット',
      'すべてのメールを BCC に送信',
      '電子メールの署名',
      '定義済みヘッダー',
      '事前定義されたフッター',
      'PHPMailer',
      'SMTP',
      'TLS',
    ],
  },
  { app: 'shipturtle', file: '002_1d1d40629913fc92.txt', lang: 'ja', profile: 'gmail', labels: ['ドライバー', 'パスワード', '送信サーバー', 'ポート', '暗号化タイプ', 'SMTP', 'SSL', 'smtp.gmail.com'] },
  { app: 'shipturtle', file: '002_1d1d40629913fc92.txt', lang: 'ja', profile: 'm365', labels: ['ドライバー', 'パスワード', '送信サーバー', 'ポート', '暗号化タイプ', 'TLS'] },
  {
    app: 'share-info',
    file: '004_b71683267da261f5.txt',
    lang: 'ja',
    profile: 'starttls-587',
    labels: ['サーバーの種類', 'カスタムサーバー', 'ホスト名', 'サイトが送信するメールの送信元アドレス', '送信元の名前', 'サーバーのポート', 'ユーザー名', 'パスワード', '暗号化', 'tls', 'SMTP認証', 'する', '送信サーバー認証', '変更を保存'],
  },
  { app: 'share-info', file: '004_b71683267da261f5.txt', lang: 'ja', profile: 'gmail', labels: ['GMailサーバー', 'ssl'] },
  { app: 'share-info', file: '004_b71683267da261f5.txt', lang: 'ja', profile: 'none-25', labels: ['なし', 'しない'] },
];

describe('guides contain every field label of the seed pages', () => {
  it.each(SEED_LABELS.map((c) => [`${c.app} ${c.lang} (${c.profile}, seed:${c.file})`, c] as const))('%s', (_, c) => {
    const page = seed(c.file);
    const guide = renderGuide(SEED_PROFILES[c.profile]!, c.app, c.lang).text;
    for (const label of c.labels) {
      expect(page, `label "${label}" is on the seed page`).toContain(label);
      expect(guide, `label "${label}" is in the guide`).toContain(label);
    }
  });
});

describe('Manager.io rules from the seeds', () => {
  it('shows Email address only when the username is not an address', () => {
    expect(needsEmailAddress('billing@acme.example')).toBe(false);
    expect(needsEmailAddress('ACME\\billing')).toBe(true);
    expect(needsEmailAddress(undefined)).toBe(false);
    const json = (p: string) => JSON.parse(render(SEED_PROFILES[p]!, 'manager-io', { secrets: 'ref' }).files[0]!.content) as Record<string, unknown>;
    expect(json('starttls-587')['Email address']).toBe('billing@acme.example');
    expect(json('ssl-465')['Email address']).toBeUndefined();
  });

  it('writes email.manager.io (the free HTTP service) as the seed says to type it', () => {
    expect(httpServerValue('https://email.manager.io')).toBe('email.manager.io');
    expect(httpServerValue('https://mail.acme.example/send')).toBe('https://mail.acme.example/send');
    const out = JSON.parse(render(SEED_PROFILES.http!, 'manager-io', { secrets: 'ref' }).files[0]!.content) as Record<string, unknown>;
    expect(out).toEqual({ Protocol: 'HTTP', 'HTTP Server': 'email.manager.io', 'Reply to': 'billing@acme.example' });
  });
});
