import { setMaxListeners } from 'node:events';
import { addressProblem } from '../config/address.ts';
import { clampDuration } from '../config/duration.ts';
import { interpolateProfile } from '../config/interpolate.ts';
import { MailcheckError } from '../errors.ts';
import type { CheckResult, Profile } from '../types.ts';
import { COMMON_MESSAGES, format } from './common.ts';
import { CHECKS } from './index.ts';
import { planFor, resolveOnly } from './plan.ts';
import { createProbe, secretProblemOf, type OAuthRunOptions } from './probe.ts';
import { fromDomainOf, providerOf } from '../config/profile-facts.ts';
import { recordDns } from './resolver-dns.ts';
import { httpsGet } from '../net/https-get.ts';
import { redactDeep } from '../safety/redact.ts';
import { outsideText } from '../safety/sanitize.ts';
import type { Check, CheckContext, CheckOutcome, DnsLookup } from './types.ts';

export type { Check, CheckMeta, CheckOutcome } from './types.ts';
export { planFor, resolveOnly } from './plan.ts';

/** What each check establishes, for reports that describe their checks (SARIF). */
export function checkDescriptions(): { id: string; description: string }[] {
  return CHECKS.map((c) => ({ id: c.meta.id, description: c.meta.description }));
}

/** Whether a check evaluates the SMTP session (its meta says so). */
const onSession = (c: Check): boolean => c.meta.needs.includes('session');

/** Progress of a run, for the task list. Results arrive in completion order. */
export type CheckEvent =
  /** the checks a profile will report, in order (sent for every profile before any check starts) */
  | { type: 'plan'; profile: string; checks: { id: string; title: string }[] }
  | { type: 'start'; profile: string; id: string }
  | { type: 'result'; profile: string; result: CheckResult }
  | { type: 'done'; profile: string };

export interface CheckRunOptions {
  /** where secrets and `${VAR}` resolve from (process env merged with --env-file) */
  env: Record<string, string | undefined>;
  /** folder of the mail.yaml: `tls.ca` and `{ file: }` secrets are relative to it */
  baseDir: string;
  /** per-step timeout when the profile sets none */
  timeoutMs: number;
  /** the whole run; every planned check not finished by then is reported `skip`, reason `deadline` */
  deadlineMs: number;
  /** DNS server `HOST[:PORT]`; @default the system's resolvers */
  resolver?: string;
  /** profiles checked at once */
  concurrency: number;
  /** RCPT TO for `smtp.envelope` */
  rcpt?: string;
  /** check ids or groups (`dns`, `mx`, `spf`, `tls`, `auth`…); prerequisites are added */
  only?: string[];
  /** whether a profile may log in over an unencrypted link (`encryption: none` and the `cleartext-auth` rule off) */
  allowCleartextAuth?: (profile: Profile) => boolean;
  onEvent?: (e: CheckEvent) => void;
  signal?: AbortSignal;
  /** the clock for certificate expiry */
  now?: Date;
  /** OAuth2: an extra CA for token endpoints, and where rotated refresh tokens go */
  oauth?: OAuthRunOptions;
  /** an extra CA (PEM) trusted for HTTPS lookups such as MTA-STS policies (the sandbox's) */
  caPem?: string;
  /** the port MTA-STS policies are fetched from instead of 443 (local sandboxes only) */
  mtaStsPort?: number;
}

function toResult(check: Check, profile: string, outcome: CheckOutcome, wallMs: number): CheckResult {
  const meta = check.meta;
  const template = meta.messages[outcome.messageId] ?? COMMON_MESSAGES[outcome.messageId] ?? outcome.messageId;
  const hintTemplate = outcome.hintId ? meta.hints?.[outcome.hintId] : undefined;
  // values come from outside (server replies, DNS records): one line each, no controls (SPEC §7)
  const data = outcome.data && Object.fromEntries(Object.entries(outcome.data).map(([k, v]) => [k, typeof v === 'string' ? outsideText(v) : v]));
  // the one place a result is made: what a server echoed (an AUTH line, a token) never leaves
  // in its message, hint, data or details, for every consumer (reports, events, the exporter)
  return redactDeep({
    id: meta.id,
    profile,
    status: outcome.status,
    messageId: outcome.messageId,
    ...(data ? { data } : {}),
    message: format(template, data),
    durationMs: Math.max(0, Math.round(outcome.durationMs ?? wallMs)),
    ...(hintTemplate ? { hint: format(hintTemplate, data) } : {}),
    details: { reason: outcome.messageId, ...(outcome.details ?? {}) },
  });
}

function dnsFor(options: CheckRunOptions, signal: AbortSignal): DnsLookup {
  // made on the first question: the SMTP connections go out before any DNS client is set up
  let inner: DnsLookup | undefined;
  const get = (): DnsLookup => (inner ??= recordDns(options.resolver, options.timeoutMs, signal));
  return {
    a: (n) => get().a(n),
    aaaa: (n) => get().aaaa(n),
    mx: (n) => get().mx(n),
    txt: (n) => get().txt(n),
    srv: (n) => get().srv(n),
    tlsa: (n) => get().tlsa(n),
    ptr: (n) => get().ptr(n),
    cname: (n) => get().cname(n),
  };
}

/**
 * Runs the online checks (SPEC §4) of every profile: DNS lookups and exactly one SMTP session
 * (or HTTP request) per profile, which each check then evaluates. Profiles run concurrently
 * (up to `concurrency`); the run never outlives `deadlineMs`. Results come back in profile
 * order, then registry order. Never prints; never throws for a network problem.
 */
export async function runChecks(profiles: Profile[], given: CheckRunOptions): Promise<CheckResult[]> {
  // durations of API callers are brought within 1 ms … 24 h (Node's timers overflow at ~24.8 days)
  const options: CheckRunOptions = { ...given, timeoutMs: clampDuration(given.timeoutMs), deadlineMs: clampDuration(given.deadlineMs) };
  const selected = resolveOnly(options.only);
  // SPEC §7: the recipient becomes `RCPT TO:<…>`; a line break would add commands
  if (options.rcpt !== undefined && (/[\r\n\0]/.test(options.rcpt) || addressProblem(options.rcpt))) {
    throw new MailcheckError('E_USAGE', 'rcpt is not one bare email address', 'give one address, e.g. postmaster@example.org');
  }
  const controller = new AbortController();
  // every socket, DNS query and check of the run listens for its end
  setMaxListeners(0, controller.signal);
  let why: 'deadline' | 'aborted' = 'deadline';
  const deadline = setTimeout(() => controller.abort(), options.deadlineMs);
  const onOuterAbort = (): void => {
    why = 'aborted';
    controller.abort();
  };
  if (options.signal?.aborted) onOuterAbort();
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const signal = controller.signal;
  const aborted = new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  const emit = (e: CheckEvent): void => {
    try {
      options.onEvent?.(e);
    } catch {
      // a progress display must not break the run
    }
  };
  const now = options.now ?? new Date();
  const dns = dnsFor(options, signal);
  const oauthCa = options.oauth?.caPem ?? options.caPem;
  const secrets = { env: options.env, baseDir: options.baseDir };
  // outcomes of checks that depend only on a domain, shared by the profiles of this run
  const shared = new Map<string, Promise<CheckOutcome>>();
  const evaluate = (check: Check, ctx: CheckContext): Promise<CheckOutcome> => {
    const key = check.shareKey?.(ctx);
    if (key === undefined) return check.run(ctx);
    const k = `${check.meta.id}\u0000${key}`;
    let p = shared.get(k);
    if (!p) {
      p = check.run(ctx);
      shared.set(k, p);
    }
    return p;
  };
  const plans = profiles.map((p) => planFor(p, selected, options.rcpt));
  profiles.forEach((p, i) => emit({ type: 'plan', profile: p.name, checks: plans[i]!.map((c) => ({ id: c.meta.id, title: c.meta.title })) }));

  // a check cut off by the deadline (or an abort) did not fail: it did not get to finish
  const endedEarly = (check: Check, profile: string): CheckResult =>
    toResult(check, profile, { status: 'skip', messageId: why }, 0);

  const caFiles = new Map<string, string | Error>();
  const runProfile = async (raw: Profile, plan: Check[]): Promise<CheckResult[]> => {
    if (signal.aborted) {
      const results = plan.map((c) => endedEarly(c, raw.name));
      for (const r of results) emit({ type: 'result', profile: raw.name, result: r });
      emit({ type: 'done', profile: raw.name });
      return results;
    }
    let profile: Profile;
    try {
      profile = interpolateProfile(raw, options.env);
    } catch (err) {
      // a missing variable, or a value from the environment that may not go on the wire (SPEC §7)
      const message = err instanceof Error ? err.message : String(err);
      const messageId = err instanceof MailcheckError && err.code === 'E_UNSAFE_VALUE' ? 'unsafeValue' : 'internal';
      const results = plan.map((c) => toResult(c, raw.name, { status: 'fail', messageId, data: { message } }, 0));
      for (const r of results) emit({ type: 'result', profile: raw.name, result: r });
      emit({ type: 'done', profile: raw.name });
      return results;
    }
    const planned = new Set(plan.map((c) => c.meta.id));
    const secretProblem = secretProblemOf(profile, secrets);
    const probe = createProbe(profile, {
      dns,
      caFiles,
      useResolverForHost: Boolean(options.resolver),
      secrets,
      timeoutMs: options.timeoutMs,
      auth: planned.has('smtp.auth') && !secretProblem,
      allowCleartextAuth: options.allowCleartextAuth?.(profile) ?? false,
      ...(options.rcpt && planned.has('smtp.envelope') ? { rcpt: options.rcpt } : {}),
      signal,
      now,
      // one extra CA for every HTTPS endpoint of the run (MTA-STS policies, OAuth2 token endpoints)
      ...(options.oauth || oauthCa ? { oauth: { ...options.oauth, ...(oauthCa ? { caPem: oauthCa } : {}) } } : {}),
    });
    // the SMTP session is the long pole: connect first, and ask the DNS questions while the
    // server takes its time to greet (their work then never delays the connection)
    const usesSession = plan.some(onSession);
    const connected = usesSession ? probe.smtp('connect').then(() => undefined, () => undefined) : Promise.resolve();
    const provider = providerOf(profile);
    const fromDomain = fromDomainOf(profile);
    const ctx: CheckContext = {
      profile,
      ...(provider ? { provider } : {}),
      ...(fromDomain ? { fromDomain } : {}),
      probe,
      ...(options.rcpt ? { rcpt: options.rcpt } : {}),
      ...(secretProblem ? { secretProblem } : {}),
      now,
      https: (url, maxBytes) =>
        httpsGet(url, {
          timeoutMs: options.timeoutMs,
          maxBytes,
          signal,
          ...(options.caPem ? { caPem: options.caPem } : {}),
          ...(options.mtaStsPort ? { port: options.mtaStsPort } : {}),
          ...(options.resolver ? { resolve: async (h: string) => [...(await dns.a(h)).records, ...(await dns.aaaa(h)).records] } : {}),
        }),
    };
    const pending = new Map<string, Promise<CheckResult>>();
    for (const check of plan) {
      const id = check.meta.id;
      pending.set(
        id,
        (async (): Promise<CheckResult> => {
          if (usesSession && !onSession(check)) await Promise.race([connected, aborted]);
          const reqs = check.requires(profile).filter((r) => pending.has(r));
          const before = await Promise.all(reqs.map((r) => pending.get(r)!));
          let result: CheckResult;
          const blocked = before.find((r) => r.status === 'fail' || r.status === 'skip');
          if (signal.aborted) result = endedEarly(check, profile.name);
          else if (blocked) {
            result = toResult(check, profile.name, {
              status: 'skip',
              messageId: 'prerequisite',
              data: { requirement: blocked.id, requirementStatus: blocked.status === 'fail' ? 'failed' : 'was skipped' },
            }, 0);
          } else {
            emit({ type: 'start', profile: profile.name, id });
            const started = performance.now();
            const outcome = await Promise.race([
              evaluate(check, ctx).catch(
                (err: unknown): CheckOutcome => ({ status: 'fail', messageId: 'internal', data: { message: err instanceof Error ? err.message : String(err) } }),
              ),
              aborted.then((): CheckOutcome => ({ status: 'skip', messageId: why })),
            ]);
            const late = signal.aborted && outcome.status !== 'pass' && outcome.status !== 'warn';
            result = late ? endedEarly(check, profile.name) : toResult(check, profile.name, outcome, performance.now() - started);
          }
          emit({ type: 'result', profile: profile.name, result });
          return result;
        })(),
      );
    }
    const results = await Promise.all(plan.map((c) => pending.get(c.meta.id)!));
    emit({ type: 'done', profile: profile.name });
    return results;
  };

  try {
    const out: CheckResult[][] = new Array(profiles.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      for (;;) {
        const i = next++;
        if (i >= profiles.length) return;
        out[i] = await runProfile(profiles[i]!, plans[i]!).catch((err: unknown) => {
          const message = err instanceof Error ? err.message : String(err);
          return plans[i]!.map((c) => toResult(c, profiles[i]!.name, { status: 'fail', messageId: 'internal', data: { message } }, 0));
        });
      }
    };
    const width = Math.max(1, Math.min(options.concurrency || 1, profiles.length));
    await Promise.all(Array.from({ length: width }, worker));
    // every planned check is in the report, whatever happened to its profile (SPEC §7)
    return profiles.flatMap((p, i) => {
      const got = out[i] ?? [];
      const have = new Set(got.map((r) => r.id));
      return [...got, ...plans[i]!.filter((c) => !have.has(c.meta.id)).map((c) => endedEarly(c, p.name))];
    });
  } finally {
    clearTimeout(deadline);
    options.signal?.removeEventListener('abort', onOuterAbort);
    // sockets still closing see the abort and are destroyed at once
    if (!signal.aborted) controller.abort();
  }
}
