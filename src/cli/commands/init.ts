import { existsSync } from 'node:fs';
import { assertWritable } from '../../safety/fs.ts';
import { isAbsolute, relative, resolve } from 'node:path';
import { addressProblem } from '../../config/address.ts';
import { hostProblem } from '../../config/host.ts';
import { MailcheckError } from '../../errors.ts';
import { detectByDomain, findPreset } from '../../presets/index.ts';
import { outsideText } from '../../safety/sanitize.ts';
import { PASSWORD_ENV, starterYaml, type StarterInput } from '../../presets/starter.ts';
import type { Preset } from '../../types.ts';
import type { CommandContext, CommandModule } from '../context.ts';
import { durationFlag } from '../options.ts';
import { suggestPreset } from './presets.ts';
import { parseResolverFlag } from '../options.ts';

interface InitFlags {
  preset?: string;
  domain?: string;
  from?: string;
  out: string;
  force?: boolean;
  profile: string;
  resolver?: string;
  timeout: string;
  deadline: string;
  json?: boolean;
}


function presetFlag(name: string): Preset {
  const preset = findPreset(name);
  if (preset) return preset;
  const guess = suggestPreset(name);
  throw new MailcheckError('E_USAGE', `unknown preset "${name}"${guess ? ` (did you mean ${guess}?)` : ''}`, 'run `mailcheck presets` to list them');
}

function nextSteps(preset: Preset | undefined): string {
  if (preset?.transport === 'http') return 'Next: `mailcheck lint`, then `mailcheck check`.';
  const secret = preset?.auth.oauth2 ? 'OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET and OAUTH_REFRESH_TOKEN' : PASSWORD_ENV;
  return `Next: set ${secret} (or pass --env-file), then \`mailcheck lint\` and \`mailcheck check\`.`;
}

async function run(ctx: CommandContext, flags: InitFlags): Promise<void> {
  const preset = flags.preset !== undefined ? presetFlag(flags.preset) : undefined;
  const domain = flags.domain?.trim().toLowerCase().replace(/\.$/, '');
  if (domain !== undefined && !/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/.test(domain)) {
    throw new MailcheckError('E_USAGE', `--domain "${flags.domain}" is not a domain name`, 'e.g. --domain acme.example');
  }
  if (flags.from !== undefined) {
    const problem = addressProblem(flags.from);
    if (problem) throw new MailcheckError('E_USAGE', `--from "${flags.from}" ${problem}`);
  }
  const fromDomainPreset = !preset && !domain && flags.from ? detectByDomain(flags.from.slice(flags.from.lastIndexOf('@') + 1)) : undefined;
  if (!preset && !domain && !fromDomainPreset) {
    throw new MailcheckError(
      'E_USAGE',
      flags.from ? `no preset knows ${flags.from.slice(flags.from.lastIndexOf('@') + 1)}: pass --preset P or --domain D` : 'init needs --preset P or --domain D (with --from ADDR)',
      'e.g. mailcheck init --preset gmail --from you@gmail.com, or mailcheck init --domain acme.example',
    );
  }
  if (!flags.from && !domain) throw new MailcheckError('E_USAGE', 'init --preset needs --from ADDR (the address mail is sent from)');
  const timeoutMs = durationFlag('--timeout', flags.timeout, 2000);
  const deadlineMs = durationFlag('--deadline', flags.deadline, 10_000);

  const out = isAbsolute(flags.out) ? flags.out : resolve(ctx.io.cwd, flags.out);
  const shown = relative(ctx.io.cwd, out) || flags.out;
  if (existsSync(out) && !flags.force) throw new MailcheckError('E_EXISTS', `${shown} already exists; pass --force to overwrite it`);
  // SPEC §7: even with --force, never a device, FIFO, directory or symbolic link
  assertWritable({ shown, path: out });

  const from = flags.from ?? `noreply@${domain}`;
  const input: StarterInput = { from, profile: flags.profile };
  const report: Record<string, unknown> = { file: shown };
  const lines: string[] = [];

  if (domain !== undefined) {
    if (flags.resolver !== undefined) parseResolverFlag(flags.resolver);
    const { discover } = await import('../../presets/discover.ts');
    const found = await discover(domain, {
      ...(flags.resolver !== undefined ? { resolver: flags.resolver } : {}),
      timeoutMs,
      deadlineMs,
    });
    if (found.dnsFailed && found.basis !== 'domain') {
      const why = found.steps.find((s) => s.message)?.message ?? 'no answer';
      throw new MailcheckError('E_DNS', `no DNS answer for ${domain} from ${found.resolver} by the deadline (${why}); nothing written`, 'check --resolver, or raise --timeout/--deadline');
    }
    const width = Math.max(...found.steps.map((s) => s.what.length));
    lines.push(`Discovered ${domain} (resolver ${found.resolver}):`);
    for (const s of found.steps) lines.push(`  ${s.what.padEnd(width)}  ${s.found ?? s.status}${s.message ? ` — ${s.message}` : ''}`);
    const chosen = preset ?? found.settings.preset;
    let endpoint = preset ? undefined : found.settings.endpoint;
    if (endpoint && hostProblem(endpoint.host) !== undefined) {
      // never write a host that lint refuses (the discovery skips bad SRV targets already)
      lines.push(`Warning: skipped the discovered host ${outsideText(endpoint.host.slice(0, 80))}: not a host name.`);
      endpoint = undefined;
    }
    const where = chosen?.transport === 'http' ? chosen.http?.url : endpoint ? `${endpoint.host}:${endpoint.port} ${endpoint.encryption}` : 'its preferred endpoint';
    lines.push(
      preset
        ? `Using --preset ${preset.id} (${where}); discovery: ${found.reason}.`
        : `Settings: ${chosen ? `preset ${chosen.id}, ` : ''}${where} — confidence ${found.confidence}: ${found.reason}.`,
    );
    if (chosen) input.preset = chosen;
    if (endpoint) input.endpoint = endpoint;
    // the reason quotes DNS data: one line each, whatever the records hold (YAML ends a comment at CR too)
    input.comments = [`Written by \`mailcheck init --domain ${domain}\`: ${preset ? `--preset ${preset.id}` : `confidence ${found.confidence}`}.`, `${found.reason}.`].map((c) => outsideText(c));
    if (found.basis === 'guess' && !preset) input.connectionComments = ['not found in DNS: a guess, replace with your provider\'s settings'];
    report.discovery = {
      domain: found.domain,
      resolver: found.resolver,
      steps: found.steps,
      basis: found.basis,
      confidence: found.confidence,
      reason: found.reason,
    };
  } else {
    const chosen = (preset ?? fromDomainPreset) as Preset;
    input.preset = chosen;
    input.comments = [preset ? `Written by \`mailcheck init --preset ${chosen.id}\`.` : `Written by \`mailcheck init --from ${from}\`: preset ${chosen.id}.`];
    if (!preset) lines.push(`${from} is a ${chosen.name} address: using preset ${chosen.id}.`);
  }

  const text = starterYaml(input);
  if (domain !== undefined) {
    // what DNS said must still make a file that lints: refuse rather than write a broken one
    const { lintSource } = await import('../../engine.ts');
    const broken = lintSource(shown, text).diagnostics.find((d) => d.severity === 'error' && (d.ruleId === 'schema' || d.ruleId === 'yaml-syntax'));
    if (broken) {
      throw new MailcheckError('E_DISCOVERY', `the settings discovered for ${outsideText(domain)} do not make a valid mail.yaml (${outsideText(broken.message)}); nothing written`, 'pass --preset ID, or write the connection settings by hand');
    }
  }
  const { writeAllAtomic } = await import('../../deploy/atomic.ts');
  await writeAllAtomic([{ path: out, content: text, mode: 0o644 }]);
  report.preset = input.preset?.id ?? null;
  report.written = true;
  if (flags.json) {
    ctx.io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  lines.push(`Wrote ${shown}. ${nextSteps(input.preset)}`);
  ctx.io.stdout.write(`${lines.join('\n')}\n`);
}

export const initCommand: CommandModule = {
  name: 'init',
  register(program, ctx) {
    program
      .command('init')
      .summary('write a starting mail.yaml from a preset or from DNS')
      .description(
        'Write a starting mail.yaml: from a provider preset (--preset), or discovered from DNS (--domain: RFC 6186/8314 SRV records, the MX host of a known provider, or a provider\'s own mail domain). Secrets are written as ${SMTP_PASSWORD}-style references.',
      )
      .option('--preset <id>', 'provider preset, see `mailcheck presets`')
      .option('--domain <domain>', 'discover the settings of this mail domain from DNS')
      .option('--from <address>', 'the address mail is sent from (with --domain: default noreply@DOMAIN)')
      .option('-o, --out <path>', 'file to write', 'mail.yaml')
      .option('--force', 'overwrite the file if it exists')
      .option('--profile <name>', 'name of the profile to write', 'production')
      .option('--resolver <host[:port]>', "DNS server to ask (default: the system's)")
      .option('--timeout <duration>', 'per DNS query attempt, e.g. 2s', '2s')
      .option('--deadline <duration>', 'the whole discovery, e.g. 10s', '10s')
      .option('--json', 'print what was found and written as JSON')
      .addHelpText(
        'after',
        '\nExamples:\n  $ mailcheck init --preset gmail --from you@gmail.com\n  $ mailcheck init --from billing@outlook.com        the preset follows from the address\n  $ mailcheck init --domain acme.example --from billing@acme.example\n',
      )
      .action((flags: InitFlags) => run(ctx, flags));
  },
};
