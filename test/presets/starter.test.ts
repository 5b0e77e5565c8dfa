import { describe, expect, it } from 'vitest';
import { lintSource } from '../../src/engine.ts';
import { allPresets, findPreset } from '../../src/presets/index.ts';
import { SCHEMA_COMMENT, starterUsername, starterYaml } from '../../src/presets/starter.ts';

const NOW = new Date('2026-11-22T00:00:00Z');

describe('starter files (mailcheck init)', () => {
  it.each(allPresets().map((p) => [p.id]))('the starter for %s is lint-clean', (id) => {
    const text = starterYaml({ preset: findPreset(id)!, from: 'app@acme.example' });
    const problems = lintSource('mail.yaml', text, { now: NOW }).diagnostics.filter((d) => d.severity !== 'info');
    expect(problems.map((d) => `${d.ruleId}@${d.line}: ${d.message}`)).toEqual([]);
    expect(text.startsWith(`${SCHEMA_COMMENT}\n`)).toBe(true);
  });

  it('references the password, never a value', () => {
    const text = starterYaml({ preset: findPreset('gmail')!, from: 'me@gmail.com' });
    expect(text).toContain('password: ${SMTP_PASSWORD}');
    expect(text).toContain('host: smtp.gmail.com');
  });

  it('writes OAuth2 references where password logins are retired', () => {
    const text = starterYaml({ preset: findPreset('office365')!, from: 'app@acme.example' });
    expect(text).toContain('method: xoauth2');
    expect(text).toContain('clientSecret: ${OAUTH_CLIENT_SECRET}');
    expect(text).not.toContain('password:');
  });

  it.each([
    ['gmail', 'me@gmail.com', 'me@gmail.com'],
    ['web-de', 'max@web.de', 'max'],
    ['iijmio', 'taro@miomio.jp', 'taro.miomio.jp'],
    ['sendgrid', 'app@acme.example', 'apikey'],
    ['mailgun', 'app@acme.example', '${SMTP_USERNAME}'],
  ])('username for %s', (id, from, username) => {
    expect(starterUsername(findPreset(id), from)).toBe(username);
  });
});
