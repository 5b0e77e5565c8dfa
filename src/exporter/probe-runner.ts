/**
 * Runs probes with the same check runner as `mailcheck check` (src/checks/run.ts). Concurrent
 * probes of one profile (same `only`, same configuration generation) share one run: Prometheus
 * servers in an HA pair, or a dashboard refresh, never multiply logins at the mail server. A probe
 * that joins a run waits at most until its own deadline.
 */
import { runChecks } from '../checks/run.ts';
import type { CheckResult } from '../types.ts';
import type { ExporterConfig, ProfileEntry } from './config-store.ts';

export interface ProbeRunnerOptions {
  /** per-step timeout (connect, greeting, each command, each DNS question); capped by the probe's deadline */
  timeoutMs: number;
  /** DNS server `HOST[:PORT]`; @default the system's */
  resolver?: string;
  /** extra CA for HTTPS lookups and the MTA-STS policy port (local sandboxes) */
  caPem?: string;
  mtaStsPort?: number;
  /** called once per run actually started (not per joined probe) */
  onRun?: () => void;
}

export interface ProbeOutcome {
  results: CheckResult[];
  /** wall time from this probe's start to its answer */
  durationMs: number;
  /** whether this probe joined a run another probe had started */
  shared: boolean;
  /** whether this probe gave up waiting for a shared run at its own deadline */
  deadlineReached: boolean;
}

interface Running {
  promise: Promise<CheckResult[]>;
  /** when the run will have ended at the latest (performance.now() clock) */
  endsBy: number;
}

export class ProbeRunner {
  private readonly running = new Map<string, Running>();
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly options: ProbeRunnerOptions) {}

  /** Probes in progress (for a graceful shutdown). */
  get active(): number {
    return this.inFlight.size;
  }

  /** Resolves when every probe in progress has answered. */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  /** Runs (or joins the run of) `entry`'s checks, answering within `deadlineMs`. */
  probe(config: ExporterConfig, entry: ProfileEntry, only: readonly string[] | undefined, deadlineMs: number): Promise<ProbeOutcome> {
    const started = performance.now();
    const key = [config.generation, entry.profile.name, ...(only ? [...only].sort() : ['*'])].join('\u0000');
    let run = this.running.get(key);
    const shared = run !== undefined;
    if (!run) {
      this.options.onRun?.();
      const promise = runChecks([entry.profile], {
        env: config.env,
        baseDir: entry.file.baseDir,
        timeoutMs: Math.max(1, Math.min(this.options.timeoutMs, deadlineMs)),
        deadlineMs,
        ...(this.options.resolver ? { resolver: this.options.resolver } : {}),
        ...(this.options.caPem ? { caPem: this.options.caPem } : {}),
        ...(this.options.mtaStsPort ? { mtaStsPort: this.options.mtaStsPort } : {}),
        concurrency: 1,
        ...(only?.length ? { only: [...only] } : {}),
        allowCleartextAuth: () => entry.file.ruleSeverity('cleartext-auth') === 'off',
      }).finally(() => {
        if (this.running.get(key) === created) this.running.delete(key);
      });
      const created: Running = { promise, endsBy: started + deadlineMs };
      run = created;
      this.running.set(key, created);
    }
    const joined = run;
    const outcome = (async (): Promise<ProbeOutcome> => {
      // a joiner whose deadline comes first stops waiting then (the run goes on for the others)
      const mine = started + deadlineMs;
      if (joined.endsBy <= mine) {
        const results = await joined.promise;
        return { results, durationMs: performance.now() - started, shared, deadlineReached: false };
      }
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), Math.max(0, mine - performance.now()));
      });
      try {
        const results = await Promise.race([joined.promise, late]);
        return { results: results ?? [], durationMs: performance.now() - started, shared, deadlineReached: results === undefined };
      } finally {
        clearTimeout(timer);
      }
    })();
    this.inFlight.add(outcome);
    void outcome.finally(() => this.inFlight.delete(outcome)).catch(() => undefined);
    return outcome;
  }
}
