import { Secret, SecretError, revealSecret } from '../../config/secret.ts';
import { isErrorCode, MailcheckError } from '../../errors.ts';
import { RULE_IDS } from '../../rules/index.ts';
import type { CommandContext, CommandModule } from '../context.ts';
import type { CliIO } from '../io.ts';
import { addHttpsLookupOptions, collect, durationFlag, httpsLookupOptions, parseResolverFlag, parseRuleFlags } from '../options.ts';
import { printReport } from '../output.ts';

export interface ExporterFlags {
  listen: string;
  envFile?: string[];
  timeout?: string;
  deadline?: string;
  timeoutOffset?: string;
  resolver?: string;
  caFile?: string;
  mtaStsPort?: number;
  rule: string[];
  authTokenEnv?: string;
  authTokenFile?: string;
  authUser?: string;
}

/** What stops the exporter and what reloads it: the process' signals, or a test's own. */
export interface ExporterSignals {
  /** settles when the exporter should stop */
  stop: Promise<void>;
  /** registers the reload trigger */
  onReload(reload: () => void): void;
  /** removes the handlers */
  dispose(): void;
}

/** SIGTERM / SIGINT stop, SIGHUP reloads. */
export function processSignals(): ExporterSignals {
  let done!: () => void;
  const stop = new Promise<void>((r) => (done = r));
  const reloaders: (() => void)[] = [];
  const onStop = (): void => done();
  const onHup = (): void => reloaders.forEach((r) => r());
  process.on('SIGTERM', onStop);
  process.on('SIGINT', onStop);
  process.on('SIGHUP', onHup);
  return {
    stop,
    onReload: (r) => reloaders.push(r),
    dispose() {
      process.off('SIGTERM', onStop);
      process.off('SIGINT', onStop);
      process.off('SIGHUP', onHup);
    },
  };
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function tokenSecret(flags: ExporterFlags): Secret | undefined {
  if (flags.authTokenEnv !== undefined && flags.authTokenFile !== undefined) {
    throw new MailcheckError('E_USAGE', 'give --auth-token-env or --auth-token-file, not both');
  }
  if (flags.authTokenEnv !== undefined) {
    if (!ENV_NAME.test(flags.authTokenEnv)) throw new MailcheckError('E_USAGE', '--auth-token-env takes an environment variable name', 'e.g. --auth-token-env MAILCHECK_EXPORTER_TOKEN');
    return new Secret({ kind: 'env', name: flags.authTokenEnv });
  }
  if (flags.authTokenFile !== undefined) return new Secret({ kind: 'file', path: flags.authTokenFile });
  if (flags.authUser !== undefined) throw new MailcheckError('E_USAGE', '--auth-user needs the password as --auth-token-env or --auth-token-file');
  return undefined;
}

/**
 * `mailcheck exporter`: loads the configuration (it must lint clean), serves until `signals.stop`
 * settles, then lets running probes answer and closes. Returns the exit code.
 */
export async function runExporter(ctx: CommandContext, path: string | undefined, flags: ExporterFlags, signals: ExporterSignals = processSignals()): Promise<number> {
  const io: CliIO = ctx.io;
  try {
    const ruleOverrides = parseRuleFlags(flags.rule, RULE_IDS);
    const timeoutMs = durationFlag('--timeout', flags.timeout, 10_000);
    const maxDeadlineMs = durationFlag('--deadline', flags.deadline, 30_000);
    const timeoutOffsetMs = durationFlag('--timeout-offset', flags.timeoutOffset, 500);
    const [{ ConfigStore, ConfigLoadError }, { startExporter, parseListen }] = await Promise.all([
      import('../../exporter/config-store.ts'),
      import('../../exporter/server.ts'),
    ]);
    const listen = parseListen(flags.listen);
    if (flags.resolver) parseResolverFlag(flags.resolver);
    const secret = tokenSecret(flags);
    const store = new ConfigStore({ paths: [path ?? 'mail.yaml'], ...(flags.envFile ? { envFiles: flags.envFile } : {}), processEnv: io.env, cwd: io.cwd, ruleOverrides });
    try {
      await store.init();
    } catch (err) {
      if (err instanceof ConfigLoadError && err.files) {
        printReport(ctx, err.files, { format: 'stylish', rule: [] });
        if (err.reason.startsWith('E_')) io.stderr.write(`mailcheck: ${err.message}\n`);
        return err.reason.startsWith('E_') ? 2 : 1;
      }
      if (err instanceof ConfigLoadError) throw new MailcheckError(isErrorCode(err.reason) ? err.reason : 'E_CONFIG', err.message);
      throw err;
    }
    const auth = secret
      ? () => {
          try {
            return { token: revealSecret(secret, { env: store.config.env, baseDir: io.cwd }), ...(flags.authUser !== undefined ? { username: flags.authUser } : {}) };
          } catch (err) {
            if (err instanceof SecretError) throw new MailcheckError('E_SECRET', `scrape token: ${err.message}`, err.hint);
            throw err;
          }
        }
      : undefined;
    const exporter = await startExporter({
      store,
      listen,
      timeoutMs,
      maxDeadlineMs,
      timeoutOffsetMs,
      ...(flags.resolver ? { resolver: flags.resolver } : {}),
      ...httpsLookupOptions(flags, io.cwd),
      ...(auth ? { auth } : {}),
      log: (line) => io.stderr.write(`${line}\n`),
    });
    signals.onReload(() => void exporter.reload());
    const files = store.config.files.map((f) => f.path).join(', ');
    io.stderr.write(`mailcheck exporter: listening on ${exporter.url} (${store.config.profiles.size} profiles from ${files}${auth ? '; scrapes must authenticate' : ''})\n`);
    await signals.stop;
    io.stderr.write('mailcheck exporter: stopping after the probes in progress\n');
    await exporter.close();
    return 0;
  } finally {
    signals.dispose();
  }
}

export const exporterCommand: CommandModule = {
  name: 'exporter',
  register(program, ctx) {
    const cmd = program
      .command('exporter')
      .summary('a Prometheus exporter: every profile probed on scrape')
      .description(
        'Serve the checks of every profile to Prometheus, in the blackbox exporter style:\n' +
          'GET /probe?profile=NAME[&only=…] runs the profile\'s checks and answers with probe_success,\n' +
          'probe_ssl_earliest_cert_expiry, mailcheck_check_success{check} and more; GET /metrics has the\n' +
          "exporter's own metrics; GET / lists the profiles. SIGHUP or POST /-/reload re-reads the files\n" +
          '(a file that no longer lints keeps the last good configuration); SIGTERM stops after the\n' +
          'probes in progress.',
      )
      .argument('[path]', 'the mail.yaml (default ./mail.yaml) or a folder of them')
      .option('-l, --listen <host:port>', 'address to listen on; [::1]:9465 for IPv6', '127.0.0.1:9465')
      .option('--env-file <path>', 'read secrets from a dotenv file (repeatable; re-read on reload)', collect)
      .option('--timeout <duration>', 'per-step timeout of a probe', '10s')
      .option('--deadline <duration>', "longest a probe may take (Prometheus' scrape timeout, minus the offset, when shorter)", '30s')
      .option('--timeout-offset <duration>', "how much of Prometheus' scrape timeout a probe leaves unused", '500ms')
      .option('--resolver <host[:port]>', "DNS server to ask (default: the system's)");
    addHttpsLookupOptions(cmd)
      .option('--rule <id=severity>', 'override a rule: ID=off|warn|error (repeatable)', collect, [])
      .option('--auth-token-env <name>', 'scrapes must send this environment variable\'s value as a bearer token (or basic-auth password)')
      .option('--auth-token-file <path>', 'as --auth-token-env, with the token read from a file (a mounted secret)')
      .option('--auth-user <name>', 'accept basic auth with this user name and the token as password')
      .option('--debug', 'print stack traces of internal errors')
      .addHelpText(
        'after',
        '\nExamples:\n  $ mailcheck exporter\n  $ mailcheck exporter deploy/mail.yaml --listen [::]:9465 --env-file /run/secrets/mail.env\n' +
          '  $ MAILCHECK_EXPORTER_TOKEN=… mailcheck exporter --auth-token-env MAILCHECK_EXPORTER_TOKEN\n' +
          '  $ curl -s "http://127.0.0.1:9465/probe?profile=production"',
      )
      .action(async (path: string | undefined, flags: ExporterFlags) => {
        ctx.exit(await runExporter(ctx, path, flags));
      });
  },
};
