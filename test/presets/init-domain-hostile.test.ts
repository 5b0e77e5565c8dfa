import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lintSource } from '../../src/engine.ts';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts';
import { runCli } from '../helpers/cli.ts';

// Issue 8, class 10: `init --domain` against the sandbox DNS responder serving hostile SRV
// targets. The written mail.yaml lints clean (the bad target is skipped with a note), or init
// refuses with a clear message; never a file that lint refuses.

const HOSTILE: Array<[string, string]> = [
  ['crlf', 'mail.crlf.example\r\nevil: x'],
  ['port', 'evil:25'],
  ['label', `${'a'.repeat(300)}.label.example`], // cannot travel in DNS: the reply is malformed
  ['long', Array(5).fill('b'.repeat(60)).join('.')], // 304 characters: longer than a name may be
  ['space', 'mail server.space.example'],
  ['dot', '.'],
  ['control', 'mail\u001b[31m.ctl.example'],
  ['reference', '${HOME}'],
];

describe('init --domain with hostile SRV targets (sandbox DNS)', () => {
  let sb: Sandbox;
  let dir: string;
  beforeAll(async () => {
    sb = await startSandbox();
    for (const [name, target] of HOSTILE) {
      sb.addRecords([
        { name: `_submissions._tcp.${name}.example`, type: 'SRV', priority: 0, weight: 1, port: 465, target },
        { name: `_submission._tcp.${name}.example`, type: 'SRV', priority: 0, weight: 1, port: 587, target },
      ]);
    }
    dir = mkdtempSync(join(tmpdir(), 'mailcheck-init-hostile-'));
  });
  afterAll(async () => {
    await sb.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(HOSTILE.map(([name]) => name))('%s: a clean file without that host, or a refusal', async (name) => {
    const out = `mail-${name}.yaml`;
    const server = sb.dns.host.includes(':') ? `[${sb.dns.host}]:${sb.dns.port}` : `${sb.dns.host}:${sb.dns.port}`;
    const r = await runCli(['init', '--resolver', server, '--out', out, '--domain', `${name}.example`], { cwd: dir });
    const path = join(dir, out);
    // no line of the output starts with text from DNS, and no control character passes
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(`${r.stdout}${r.stderr}`.split('\n').some((l) => l.startsWith('evil'))).toBe(false);
    if (r.code !== 0) {
      expect(r.code).toBe(2);
      expect(existsSync(path)).toBe(false);
      return;
    }
    const text = readFileSync(path, 'utf8');
    const errors = lintSource(out, text).diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => `${d.ruleId}: ${d.message}`)).toEqual([]);
    expect(text).not.toContain('evil');
    // the target was skipped with a note, or never decoded (a name DNS cannot carry)
    if (name !== 'dot') expect(r.stdout).toMatch(/skipped: not a usable host name|malformed/);
    expect(text).not.toMatch(/host: .*(:25|\s\S+\s|\$\{HOME\})/);
  });
});
