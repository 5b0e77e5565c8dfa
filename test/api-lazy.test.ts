import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

describe('package root', () => {
  it('loads no network code until an online function is called', () => {
    // the built library, as a user's `import('mailcheck-cli')` gets it
    const script = `
      const api = await import(${JSON.stringify(pathToFileURL(join(root, 'dist', 'index.js')).href)});
      const files = await api.lint([${JSON.stringify(join(root, 'examples', 'gmail', 'mail.yaml'))}]);
      const { createRequire } = await import('node:module');
      const cache = Object.keys(createRequire(import.meta.url).cache);
      const builtins = process.moduleLoadList.filter((m) => /^NativeModule (dgram|tls|dns|_tls_wrap)$/.test(m));
      console.log(JSON.stringify({ diagnostics: files[0].diagnostics.length, heavy: cache.filter((p) => /node_modules\\/(dns-packet|nodemailer|smtp-server|listr2)\\//.test(p)), builtins }));
      await api.check([], { env: {}, baseDir: '.', timeoutMs: 1000, deadlineMs: 1000, concurrency: 1 });
      const after = Object.keys(createRequire(import.meta.url).cache).filter((p) => /node_modules\\/dns-packet\\//.test(p));
      console.log(JSON.stringify({ after: after.length > 0 }));
    `;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', timeout: 20_000 });
    expect(r.stderr).toBe('');
    const [first, second] = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(first).toEqual({ diagnostics: 0, heavy: [], builtins: [] });
    // the probe that proves the test can see a load: calling check loads the DNS client
    expect(second).toEqual({ after: true });
  });
});
