/**
 * The exporter's configuration and its reload (issue 14): the mail.yaml (or every mail.yaml of a
 * folder) and the `--env-file`s, re-read on SIGHUP and `POST /-/reload`. A reload whose files do
 * not lint clean at error level keeps the last good configuration and records why, as a stable
 * code (a rule id or a MailcheckError code), never as free text.
 */
import { loadEnv } from '../config/env.ts';
import { lintPaths, type LintedFile } from '../engine.ts';
import { isMailcheckError } from '../errors.ts';
import type { Profile, SeveritySetting } from '../types.ts';

/** One probe-able profile and the file it came from. */
export interface ProfileEntry {
  profile: Profile;
  file: LintedFile;
}

/** A configuration that linted clean: what probes run against. */
export interface ExporterConfig {
  /** increases with every successful load; shared probe runs never cross generations */
  generation: number;
  profiles: ReadonlyMap<string, ProfileEntry>;
  env: Record<string, string | undefined>;
  files: readonly LintedFile[];
}

/** The outcome of the last load attempt. */
export interface ReloadStatus {
  ok: boolean;
  /** when the last attempt ended */
  at: Date;
  /** when a configuration last loaded */
  lastSuccess?: Date;
  /** on failure: a rule id (`schema`, `yaml-syntax`…) or an error code (`E_READ`, `E_DUPLICATE_PROFILE`…) */
  reason?: string;
  /** on failure: one line for the log (file, line, column, rule id); may name paths, never values */
  detail?: string;
}

export interface ConfigStoreOptions {
  paths: string[];
  envFiles?: string[];
  processEnv: Record<string, string | undefined>;
  cwd: string;
  ruleOverrides?: Record<string, SeveritySetting>;
}

/** A failed load: a stable reason code and a one-line detail. */
export class ConfigLoadError extends Error {
  constructor(
    readonly reason: string,
    message: string,
    readonly files?: readonly LintedFile[],
  ) {
    super(message);
    this.name = 'ConfigLoadError';
  }
}

const REASON = /^[A-Za-z0-9_.-]{1,64}$/;

async function load(options: ConfigStoreOptions, generation: number): Promise<ExporterConfig> {
  let files: LintedFile[];
  let env: Record<string, string | undefined>;
  try {
    env = loadEnv(options.envFiles, options.processEnv, options.cwd);
    files = await lintPaths(options.paths, { cwd: options.cwd, ...(options.ruleOverrides ? { ruleOverrides: options.ruleOverrides } : {}) });
  } catch (err) {
    if (isMailcheckError(err)) throw new ConfigLoadError(err.code, err.message);
    throw err;
  }
  for (const f of files) {
    const first = f.diagnostics.find((d) => d.severity === 'error');
    if (first) {
      throw new ConfigLoadError(REASON.test(first.ruleId) ? first.ruleId : 'lint', `${f.path}:${first.line}:${first.column}: ${first.ruleId}`, files);
    }
  }
  const profiles = new Map<string, ProfileEntry>();
  for (const file of files) {
    for (const profile of file.profiles) {
      const before = profiles.get(profile.name);
      if (before) {
        throw new ConfigLoadError('E_DUPLICATE_PROFILE', `profile ${profile.name} is in both ${before.file.path} and ${file.path}`, files);
      }
      profiles.set(profile.name, { profile, file });
    }
  }
  if (profiles.size === 0) throw new ConfigLoadError('E_NO_PROFILES', `no profiles in ${options.paths.join(', ')}`, files);
  return { generation, profiles, env, files };
}

/** Holds the current configuration; `reload()` replaces it only with one that lints clean. */
export class ConfigStore {
  private current: ExporterConfig | undefined;
  private generation = 0;
  private running: Promise<ReloadStatus> | undefined;
  status: ReloadStatus = { ok: false, at: new Date(0) };

  constructor(private readonly options: ConfigStoreOptions) {}

  /** The configuration in force. Throws before the first successful load. */
  get config(): ExporterConfig {
    if (!this.current) throw new Error('the exporter configuration is not loaded');
    return this.current;
  }

  /** Loads the first configuration; throws {@link ConfigLoadError} when it does not lint clean. */
  async init(): Promise<ExporterConfig> {
    const status = await this.reload();
    if (!status.ok || !this.current) throw this.lastError ?? new ConfigLoadError('E_CONFIG', status.detail ?? 'configuration not loaded');
    return this.current;
  }

  private lastError: ConfigLoadError | undefined;

  /** Re-reads the files and the env files. Concurrent calls share one reload. Never throws. */
  reload(): Promise<ReloadStatus> {
    this.running ??= (async (): Promise<ReloadStatus> => {
      try {
        const next = await load(this.options, this.generation + 1);
        this.generation = next.generation;
        this.current = next;
        this.lastError = undefined;
        const at = new Date();
        this.status = { ok: true, at, lastSuccess: at };
      } catch (err) {
        const e = err instanceof ConfigLoadError ? err : new ConfigLoadError('internal', err instanceof Error ? err.message : String(err));
        this.lastError = e;
        this.status = { ok: false, at: new Date(), reason: e.reason, detail: e.message, ...(this.status.lastSuccess ? { lastSuccess: this.status.lastSuccess } : {}) };
      }
      return this.status;
    })().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }
}
