import { readBoundedText } from '../safety/fs.ts';
import { resolve as resolvePath } from 'node:path';
import { Option, type Command } from 'commander';
import { addressProblem } from '../config/address.ts';
import { readDuration } from '../config/duration.ts';
import { MailcheckError } from '../errors.ts';
import { FORMATS, type FormatId } from '../report/index.ts';
import { outsideText } from '../safety/sanitize.ts';
import type { SeveritySetting } from '../types.ts';
import { parseServer, type DnsServerAddress } from '../net/resolv-conf.ts';
import { reportFileArg, type ReportFile } from './report-files.ts';

/** Flags shared by every command that prints a report. */
export interface OutputFlags {
  format: FormatId;
  json?: boolean;
  maxWarnings?: number;
  quiet?: boolean;
  rule: string[];
  color?: boolean;
  debug?: boolean;
  /** the clock of date-based rules (ISO date or date-time); MAILCHECK_NOW when not given */
  now?: string;
  /** `--report FORMAT=FILE`: the same report in more formats, written to files */
  report?: ReportFile[];
}

/** Flags shared by every command that touches the network or secrets. */
export interface NetworkFlags {
  envFile?: string[];
  timeout?: string;
  deadline?: string;
  resolver?: string;
  concurrency?: number;
  caFile?: string;
  mtaStsPort?: number;
}

function intArg(name: string, min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) {
      throw new MailcheckError('E_USAGE', `${name} takes a whole number ≥ ${min}, got "${value}"`);
    }
    return n;
  };
}

/** Commander's accumulator for repeatable flags. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function addOutputOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('-f, --format <format>', 'output format').choices([...FORMATS]).default('stylish'))
    .option('--json', 'short for --format json')
    .option('--report <format=file>', 'also write the report in another format to a file (repeatable), e.g. markdown=summary.md sarif=mailcheck.sarif', reportFileArg)
    .option('--max-warnings <n>', 'exit 1 when there are more warnings than this', intArg('--max-warnings', 0))
    .option('-q, --quiet', 'report errors only')
    .option('--rule <id=severity>', 'override a rule: ID=off|warn|error (repeatable)', collect, [])
    .option('--no-color', 'no colours (NO_COLOR is honoured too)')
    .option('--debug', 'print stack traces of internal errors')
    .option('--now <date>', 'the date rules judge provider policies by (ISO date or date-time; default MAILCHECK_NOW, else the clock)');
}

/**
 * The clock of date-based rules: `--now`, else the MAILCHECK_NOW environment variable (CI pins it
 * for reproducible reports), else undefined (the real clock).
 */
export function nowOf(flags: { now?: string | undefined }, env: Record<string, string | undefined>): Date | undefined {
  const raw = flags.now ?? (env.MAILCHECK_NOW || undefined);
  if (raw === undefined) return undefined;
  const from = flags.now !== undefined ? '--now' : 'MAILCHECK_NOW';
  const ok = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(raw);
  const d = ok ? new Date(/T/.test(raw) ? raw : `${raw}T00:00:00Z`) : undefined;
  if (!d || Number.isNaN(d.getTime())) {
    throw new MailcheckError('E_USAGE', `${from} takes an ISO date such as 2026-12-31 or 2026-12-31T12:00:00Z`, 'e.g. --now 2027-01-15');
  }
  return d;
}

export function addNetworkOptions(cmd: Command): Command {
  return cmd
    .option('--env-file <path>', 'read secrets from a dotenv file (repeatable)', collect)
    .option('--timeout <duration>', 'per-step timeout, e.g. 10s, 500ms', '10s')
    .option('--deadline <duration>', 'whole-run deadline, e.g. 60s, 2m', '60s')
    .option('--resolver <host[:port]>', "DNS server to ask (default: the system's)")
    .option('--concurrency <n>', 'profiles checked at once', intArg('--concurrency', 1), 8)
    .addOption(new Option('--ca-file <pem>', CA_FILE_HELP))
    .addOption(new Option('--mta-sts-port <n>', MTA_STS_PORT_HELP).argParser(intArg('--mta-sts-port', 1)));
}

export const CA_FILE_HELP = "an extra CA trusted for HTTPS lookups (MTA-STS policies, OAuth2 token endpoints), e.g. a local sandbox's";
const MTA_STS_PORT_HELP = 'fetch MTA-STS policies from this port instead of 443 (local sandboxes only)';

/** Just the HTTPS lookup flags (`--ca-file`, `--mta-sts-port`), for commands with their own network flags. */
export function addHttpsLookupOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--ca-file <pem>', CA_FILE_HELP))
    .addOption(new Option('--mta-sts-port <n>', MTA_STS_PORT_HELP).argParser(intArg('--mta-sts-port', 1)));
}

/** Parses `--rule id=severity` flags into overrides. */
export function parseRuleFlags(flags: string[], known: ReadonlySet<string>): Record<string, SeveritySetting> {
  const out: Record<string, SeveritySetting> = {};
  for (const flag of flags) {
    const m = /^([a-z0-9.-]+)=(off|warn|warning|error|info)$/.exec(flag.trim());
    if (!m) throw new MailcheckError('E_USAGE', `--rule takes ID=off|warn|error, got "${flag}"`);
    const [, id, sev] = m as unknown as [string, string, string];
    if (!known.has(id)) {
      throw new MailcheckError('E_USAGE', `unknown rule "${id}"`, 'run `mailcheck rules` to list them');
    }
    out[id] = sev === 'warning' ? 'warn' : (sev as SeveritySetting);
  }
  return out;
}

export function formatOf(flags: OutputFlags): FormatId {
  return flags.json ? 'json' : flags.format;
}

/**
 * Validates a recipient flag (`--to`, `--rcpt`): one mailbox, no display form, no line breaks
 * (SPEC §7: it becomes `RCPT TO:<…>`; a CRLF in it would add commands). The value is shown
 * with its control characters made visible, never raw.
 */
export function recipientFlag(flag: string, value: string): string {
  const hint = 'give one bare address, e.g. you@example.org';
  // a value with a line break is not repeated at all: what follows the break is not an address
  if (/[\r\n\0]/.test(value)) throw new MailcheckError('E_USAGE', `${flag} is not an email address: it contains a line break or NUL`, hint);
  const problem = addressProblem(value);
  if (problem) throw new MailcheckError('E_USAGE', `${flag} "${outsideText(value)}" is not an email address: it ${outsideText(problem)}`, hint);
  return value;
}

/** Validates a header flag (`--subject`): one line, no CR, LF or NUL (they would add headers). */
export function subjectFlag(flag: string, value: string | undefined): string | undefined {
  if (value !== undefined && /[\r\n\0]/.test(value)) throw new MailcheckError('E_USAGE', `${flag} must be one line: it contains a line break or NUL`);
  return value;
}

/** A duration flag in milliseconds, 1 ms … 24 h (SPEC §7); E_USAGE when malformed or out of range. */
export function durationFlag(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  // a bare number is milliseconds in a mail.yaml, but on a command line `--timeout 20` reads as
  // seconds to most people (swaks, curl): a flag's duration says its unit
  if (/^\s*[0-9]+(?:\.[0-9]+)?\s*$/.test(value)) {
    throw new MailcheckError('E_USAGE', `${name} ${outsideText(value.trim())}: give the unit`, `e.g. ${name} ${value.trim()}s for seconds, or ${value.trim()}ms for milliseconds`);
  }
  const r = readDuration(value);
  if (r.ok) return r.ms;
  if (r.reason === 'range') throw new MailcheckError('E_USAGE', `${name} must be between 1ms and 24h, got "${outsideText(value)}"`);
  throw new MailcheckError('E_USAGE', `${name} takes a duration such as 500ms, 10s, 2m or 1h, got "${outsideText(value)}"`);
}

/** `--resolver HOST[:PORT]`: an IP address with an optional port; a usage error otherwise. */
export function parseResolverFlag(spec: string): DnsServerAddress {
  const parsed = parseServer(spec);
  if (typeof parsed === 'string') {
    throw new MailcheckError('E_USAGE', `--resolver "${spec}": ${parsed}`, 'give an IP address, optionally with a port: 1.1.1.1, 127.0.0.1:5353, [::1]:53');
  }
  return parsed;
}

/** `--ca-file` and `--mta-sts-port` as check run options; the CA file is a regular file of at most 1 MiB holding PEM. */
export function httpsLookupOptions(flags: NetworkFlags, cwd: string): { caPem?: string; mtaStsPort?: number } {
  const out: { caPem?: string; mtaStsPort?: number } = {};
  if (flags.mtaStsPort) out.mtaStsPort = flags.mtaStsPort;
  if (flags.caFile) {
    const text = readBoundedText(resolvePath(cwd, flags.caFile), { label: '--ca-file' });
    if (!text.includes('-----BEGIN CERTIFICATE-----')) throw new MailcheckError('E_READ', `--ca-file ${flags.caFile} holds no PEM certificate`);
    out.caPem = text;
  }
  return out;
}
