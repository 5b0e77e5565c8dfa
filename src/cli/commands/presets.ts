import { MailcheckError } from '../../errors.ts';
import { allPresets, findPreset } from '../../presets/index.ts';
import type { Preset } from '../../types.ts';
import type { CommandModule } from '../context.ts';

/** Edit distance, for "did you mean". */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/** The closest preset id or alias to a name that matched none, if any is close. */
export function suggestPreset(name: string): string | undefined {
  const key = name.toLowerCase();
  let best: string | undefined;
  let bestD = Infinity;
  for (const p of allPresets()) {
    for (const n of [p.id, ...p.aliases]) {
      const d = n.toLowerCase().includes(key) || key.includes(n.toLowerCase()) ? 1 : distance(key, n.toLowerCase());
      if (d < bestD) {
        best = p.id;
        bestD = d;
      }
    }
  }
  return bestD <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

/** Short login requirements: `app password`, `OAuth2`, `API key`, or the first method. */
export function authSummary(p: Preset): string {
  const parts: string[] = [];
  if (p.auth.oauth2) parts.push('OAuth2');
  if (p.auth.appPassword) parts.push('app password');
  if (p.auth.apiKey) parts.push('API key');
  if (parts.length === 0) parts.push(p.auth.methods[0] === 'none' ? 'none' : 'password');
  return parts.join(', ');
}

function where(p: Preset): string {
  if (p.transport === 'http') return p.http?.url ?? 'http';
  const e = p.endpoints[0];
  return e ? `${e.host}:${e.port} ${e.encryption}` : '';
}

/** `mailcheck presets`: one line per preset. */
export function presetTable(presets: readonly Preset[]): string {
  const rows = presets.map((p) => [p.id, p.name, where(p), authSummary(p)]);
  const head = ['ID', 'NAME', 'PREFERRED ENDPOINT', 'LOGIN'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => `  ${cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')}`.trimEnd();
  return [
    `${presets.length} provider presets:`,
    '',
    line(head),
    ...rows.map(line),
    '',
    'Run `mailcheck presets <id>` for every endpoint, limits, policy dates and sources.',
    'Use one in mail.yaml with `preset: <id>`, or start a file with `mailcheck init --preset <id> --from ADDR`.',
    '',
  ].join('\n');
}

/** `mailcheck presets ID`: everything known about one preset, with where each fact came from. */
export function explainPreset(p: Preset): string {
  const out: string[] = [];
  out.push(`${p.id}  ${p.name}${p.public ? '' : '  (private relay)'}`);
  if (p.aliases.length) out.push(`  aliases:    ${p.aliases.join(', ')}`);
  if (p.domains.length) {
    const shown = p.domains.slice(0, 12).join(', ');
    out.push(`  domains:    ${shown}${p.domains.length > 12 ? `, … (${p.domains.length} in all)` : ''}`);
  }
  if (p.mx.length) out.push(`  MX:         ${p.mx.join(', ')}`);
  out.push('');
  if (p.transport === 'http') {
    out.push(`  transport:  http  ${p.http?.url ?? ''}`);
  } else {
    out.push('  endpoints (preferred first):');
    p.endpoints.forEach((e, i) => {
      const refs = p.provenance.filter((s) => s.fact === `endpoints/${i}`).map((s) => s.ref);
      out.push(`    ${`${e.host}:${e.port}`.padEnd(40)} ${e.encryption.padEnd(8)} ${e.note ?? ''}`.trimEnd());
      out.push(`      source: ${refs.join(', ') || 'unverified'}`);
    });
    if (p.variables) {
      for (const [name, values] of Object.entries(p.variables)) out.push(`    {${name}}: ${values.join(', ')}`);
    }
  }
  out.push('');
  const a = p.auth;
  out.push(`  login:      ${a.methods.join(', ')}${a.username ? `; username: ${a.username}` : ''}`);
  const flags = [a.appPassword && 'app password required', a.apiKey && 'API key / token as password', a.oauth2 && 'OAuth2 required'].filter(Boolean);
  if (flags.length) out.push(`              ${flags.join('; ')}`);
  if (a.note) out.push(`              ${a.note}`);
  if (p.limits) {
    const l = [p.limits.perDay !== undefined && `${p.limits.perDay} a day`, p.limits.perMessageRecipients !== undefined && `${p.limits.perMessageRecipients} recipients per message`].filter(Boolean);
    out.push(`  limits:     ${l.join(', ')}`);
  }
  if (p.spfInclude) out.push(`  SPF:        include:${p.spfInclude}`);
  if (p.enforcesSenderDomain) out.push('  sender:     From must be the login or a verified address');
  for (const pol of p.policies) {
    out.push(`  policy:     ${pol.date ?? pol.expected ?? 'no date'} ${pol.topic} ${pol.kind}: ${pol.summary}`);
    out.push(`              ${pol.source}${pol.read ? ` (read ${pol.read})` : ''}`);
  }
  if (p.docs.length) {
    out.push('  docs:');
    for (const d of p.docs) out.push(`    ${d}`);
  }
  out.push('');
  out.push('  sources:');
  for (const s of p.provenance.filter((x) => !x.fact.startsWith('endpoints/'))) {
    out.push(`    ${s.fact.padEnd(22)} ${s.ref}${s.read ? ` (read ${s.read})` : ''}${s.note ? `  (${s.note})` : ''}`);
  }
  if (p.disagreements.length) {
    out.push('');
    out.push('  differs from the corpus:');
    for (const d of p.disagreements) {
      const e = p.endpoints[d.endpoint];
      out.push(`    ${e ? `${e.host}:${e.port} ${e.encryption}` : `endpoint ${d.endpoint}`} vs ${d.source} (${(d.theirs ?? []).join(', ')})`);
      out.push(`      follows ${d.follows}: ${d.reason}`);
    }
  }
  out.push('');
  return out.join('\n');
}

export const presetsCommand: CommandModule = {
  name: 'presets',
  register(program, ctx) {
    program
      .command('presets')
      .summary('list the provider presets, or show one with its sources')
      .description(
        'List the built-in provider presets (endpoints, login, limits, policy dates), or show one in full with the source of each fact and where it differs from the corpus.',
      )
      .argument('[name]', 'a preset id or alias, e.g. gmail, office365, amazon-ses')
      .option('--json', 'print as JSON')
      .addHelpText('after', '\nExamples:\n  $ mailcheck presets                 every provider, its endpoints and policy dates\n  $ mailcheck presets office365       one in full, each fact with its source\n  $ mailcheck presets gmail --json')
      .action((name: string | undefined, flags: { json?: boolean }) => {
        if (name !== undefined) {
          const preset = findPreset(name);
          if (!preset) {
            const guess = suggestPreset(name);
            throw new MailcheckError('E_USAGE', `unknown preset "${name}"${guess ? ` (did you mean ${guess}?)` : ''}`, 'run `mailcheck presets` to list them');
          }
          ctx.io.stdout.write(flags.json ? `${JSON.stringify(preset, null, 2)}\n` : explainPreset(preset));
          return;
        }
        const presets = allPresets();
        ctx.io.stdout.write(flags.json ? `${JSON.stringify(presets, null, 2)}\n` : presetTable(presets));
      });
  },
};
