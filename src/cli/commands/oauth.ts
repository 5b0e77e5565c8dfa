import { revealSecret } from '../../config/secret.ts';
import { loadEnv } from '../../config/env.ts';
import { interpolateProfile } from '../../config/interpolate.ts';
import { MailcheckError } from '../../errors.ts';
import { RULE_IDS } from '../../rules/index.ts';
import { redact } from '../../safety/redact.ts';
import { outsideText } from '../../safety/sanitize.ts';
import type { CommandContext, CommandModule } from '../context.ts';
import { CA_FILE_HELP, addOutputOptions, collect, durationFlag, httpsLookupOptions, parseRuleFlags, type OutputFlags } from '../options.ts';
import { lintGate } from '../output.ts';
import { pickProfiles } from './check.ts';

interface LoginFlags extends OutputFlags {
  profile?: string;
  flow?: string;
  refresh?: boolean;
  envFile?: string[];
  timeout?: string;
  deadline?: string;
  caFile?: string;
}

/** One line of outside text (a URL or a code from the provider), safe for a terminal. */
const shown = (text: string): string => outsideText(redact(text));

async function runLogin(ctx: CommandContext, path: string | undefined, flags: LoginFlags): Promise<void> {
  const io = ctx.io;
  const ruleOverrides = parseRuleFlags(flags.rule, RULE_IDS);
  const timeoutMs = durationFlag('--timeout', flags.timeout, 10_000);
  const deadlineMs = durationFlag('--deadline', flags.deadline, 15 * 60_000);
  if (flags.flow !== undefined && flags.flow !== 'device' && flags.flow !== 'browser') {
    throw new MailcheckError('E_USAGE', `--flow takes device or browser, got "${flags.flow}"`);
  }
  const env = loadEnv(flags.envFile, io.env, io.cwd);
  const files = await lintGate(ctx, [path ?? 'mail.yaml'], flags, ruleOverrides);
  if (!files) return;
  if (files.length !== 1) throw new MailcheckError('E_USAGE', `oauth login takes one mail.yaml, found ${files.length}`, 'name the file');
  const file = files[0]!;
  const profiles = pickProfiles(files, flags.profile ? [flags.profile] : []).get(file) ?? [];
  const xo = profiles.filter((p) => p.auth?.method === 'xoauth2');
  if (!flags.profile && xo.length !== 1) {
    throw new MailcheckError('E_USAGE', 'oauth login needs --profile', `xoauth2 profiles: ${xo.map((p) => p.name).join(', ') || 'none'}`);
  }
  const raw = flags.profile ? profiles[0] : xo[0];
  if (!raw) throw new MailcheckError('E_USAGE', 'the file has no xoauth2 profile');
  if (raw.auth?.method !== 'xoauth2') {
    throw new MailcheckError('E_USAGE', `profile ${raw.name} does not use auth.method: xoauth2`, 'set auth.method: xoauth2, auth.clientId and auth.refreshToken (a reference) first');
  }
  const profile = interpolateProfile(raw, env);
  const auth = profile.auth!;
  if (!auth.clientId) throw new MailcheckError('E_USAGE', `profile ${profile.name} has no auth.clientId`, 'register an app with the provider and set auth.clientId');

  const { oauthSettingsOf, isHttpsUrl } = await import('../../oauth/config.ts');
  const { OAuthError } = await import('../../oauth/tokens.ts');
  const store = await import('../../oauth/store.ts');
  const settings = oauthSettingsOf(profile);
  // where the token goes is settled before anyone signs in
  const dest = store.destinationOf(auth.refreshToken, file.baseDir, flags.envFile, io.cwd);
  const secrets = { env, baseDir: file.baseDir };
  const client = { clientId: auth.clientId, ...(auth.clientSecret ? { clientSecret: revealSecret(auth.clientSecret, secrets) } : {}) };
  const { caPem } = httpsLookupOptions({ ...(flags.caFile ? { caFile: flags.caFile } : {}) }, io.cwd);
  const http = { timeoutMs, ...(caPem ? { caPem } : {}) };
  if (!isHttpsUrl(settings.tokenUrl)) {
    throw new MailcheckError('E_OAUTH', `the token endpoint ${shown(settings.tokenUrl)} is not https`, 'OAuth2 endpoints must be https:// (SPEC §7)');
  }
  const out = (line: string): void => {
    io.stdout.write(`${line}\n`);
  };

  try {
    let token;
    if (flags.refresh) {
      if (!auth.refreshToken) throw new MailcheckError('E_USAGE', 'no auth.refreshToken to refresh');
      const { refreshAccessToken } = await import('../../oauth/tokens.ts');
      token = await refreshAccessToken(settings.tokenUrl, client, revealSecret(auth.refreshToken, secrets), http);
      if (!token.refreshToken) {
        out(`the provider kept the refresh token of profile ${profile.name} (nothing to write)`);
        return;
      }
    } else {
      const flow = (flags.flow as 'device' | 'browser' | undefined) ?? settings.flows[0];
      if (!flow) {
        throw new MailcheckError('E_USAGE', `no OAuth2 flow is known for profile ${profile.name}`, 'use preset office365, outlook, gmail or google-workspace, or set auth.deviceAuthorizationUrl / auth.authorizationUrl');
      }
      if (!settings.flows.includes(flow)) {
        const why = flow === 'device' && settings.provider?.oauth2 && !settings.provider.oauth2.deviceAuthorizationUrl
          ? `${settings.provider.name} does not allow the device flow for its SMTP scope`
          : `no ${flow === 'device' ? 'auth.deviceAuthorizationUrl' : 'auth.authorizationUrl'} is known`;
        throw new MailcheckError('E_USAGE', `--flow ${flow}: ${why}`, `use --flow ${settings.flows[0] ?? 'browser'}`);
      }
      if (settings.scopes.length === 0) throw new MailcheckError('E_USAGE', `profile ${profile.name} names no scopes`, 'set auth.scopes');
      if (flow === 'device') {
        const { deviceFlow } = await import('../../oauth/device.ts');
        token = await deviceFlow({
          ...http,
          deviceAuthorizationUrl: settings.deviceAuthorizationUrl!,
          tokenUrl: settings.tokenUrl,
          client,
          scopes: settings.scopes,
          deadlineMs,
          onPrompt: (p) => {
            out(`To sign in, open ${shown(p.verificationUri)} and enter the code ${shown(p.userCode)}`);
            if (p.verificationUriComplete) out(`  (or open ${shown(p.verificationUriComplete)})`);
            out(`  waiting up to ${Math.min(p.expiresIn, Math.round(deadlineMs / 1000))} s for the sign-in…`);
          },
        });
      } else {
        const { browserFlow } = await import('../../oauth/browser.ts');
        const browser = io.env.BROWSER?.split(':')[0];
        token = await browserFlow({
          ...http,
          authorizationUrl: settings.authorizationUrl!,
          tokenUrl: settings.tokenUrl,
          client,
          scopes: settings.scopes,
          params: settings.authorizationParams,
          ...(auth.user ?? auth.username ? { loginHint: (auth.user ?? auth.username)! } : {}),
          ...(browser ? { browser } : {}),
          deadlineMs,
          onAuthorizationUrl: (url) => {
            out(browser ? 'Opening the browser to sign in; if it does not open, visit:' : 'To sign in, open this URL in a browser on this machine:');
            out(`  ${shown(url)}`);
            out(`  waiting up to ${Math.round(deadlineMs / 1000)} s for the sign-in…`);
          },
        });
      }
    }
    if (!token.refreshToken) {
      throw new MailcheckError('E_OAUTH', 'the provider issued no refresh token', settings.scopes.includes('offline_access') || settings.authorizationParams.access_type ? 'check that the app registration allows refresh tokens' : 'add offline_access to auth.scopes');
    }
    const granted = token.scope?.split(' ').filter(Boolean);
    if (settings.smtpScope && granted && !granted.includes(settings.smtpScope)) {
      throw new MailcheckError('E_OAUTH', `the provider did not grant the SMTP scope ${settings.smtpScope}`, 'add that permission to the app registration and consent to it');
    }
    const written = await store.storeRefreshToken(dest, token.refreshToken);
    out(
      written.kind === 'file'
        ? `refresh token of profile ${profile.name} written to ${shown(written.path)} (mode 0600)`
        : `refresh token of profile ${profile.name} written to ${shown(written.path)} as ${written.variable} (mode 0600)`,
    );
    if (granted) out(`  scope: ${shown(granted.join(' '))}`);
    out(`  next: mailcheck check${path ? ` ${shown(path)}` : ''} --profile ${profile.name}${flags.envFile?.length ? flags.envFile.map((f) => ` --env-file ${shown(f)}`).join('') : ''}`);
  } catch (err) {
    if (err instanceof OAuthError) throw new MailcheckError('E_OAUTH', redact(outsideText(err.message)), err.hint);
    throw err;
  }
}

export const oauthCommand: CommandModule = {
  name: 'oauth',
  register(program, ctx) {
    const oauth = program.command('oauth').summary('OAuth2 for SMTP (XOAUTH2): get a refresh token').description('OAuth2 for SMTP (XOAUTH2).');
    const cmd = oauth
      .command('login')
      .summary('sign in with the provider and save the refresh token of an xoauth2 profile')
      .description(
        "Sign in with the provider's OAuth2 flow (RFC 8628 device code, or a browser with PKCE and a\n" +
          "loopback redirect) and write the refresh token where the profile's auth.refreshToken points:\n" +
          'a { file: } secret, or the variable in the --env-file given (mode 0600). The token is never printed.',
      )
      .argument('[path]', 'the mail.yaml (default ./mail.yaml)')
      .option('-p, --profile <name>', 'the xoauth2 profile (needed when there are several)')
      .option('--flow <flow>', 'device or browser (default: the first the provider allows)')
      .option('--refresh', 'no sign-in: refresh once and save the new refresh token (providers that rotate them)')
      .option('--env-file <path>', 'read secrets from a dotenv file; the last one given receives the refresh token (repeatable)', collect)
      .option('--timeout <duration>', 'per-request timeout, e.g. 10s', '10s')
      .option('--deadline <duration>', 'how long to wait for the sign-in, e.g. 5m', '15m')
      .option('--ca-file <pem>', CA_FILE_HELP);
    addOutputOptions(cmd)
      .addHelpText(
        'after',
        '\nExamples:\n  $ mailcheck oauth login --profile m365 --env-file .env\n  $ mailcheck oauth login --profile gmail --flow browser\n  $ mailcheck oauth login --profile m365 --refresh --env-file .env',
      )
      .action(async (path: string | undefined, flags: LoginFlags) => {
        await runLogin(ctx, path, flags);
      });
  },
};
