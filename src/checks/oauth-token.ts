import { oauthSettingsOf, isHttpsUrl } from '../oauth/config.ts';
import { OAUTH_HINTS } from '../oauth/tokens.ts';
import type { Profile } from '../types.ts';
import type { Check, CheckOutcome } from './types.ts';

/** Profiles whose access token comes from a refresh token (a static access token has nothing to refresh). */
export function refreshesToken(p: Profile): boolean {
  return p.transport === 'smtp' && p.auth?.method === 'xoauth2' && !(p.auth.accessToken && !p.auth.refreshToken);
}

/** Seconds under which a fresh access token's lifetime is a warning (it would expire mid-run). */
const SHORT_LIFETIME_S = 120;

/**
 * `oauth.token` (SPEC §9): the token endpoint answers over verified TLS, the refresh succeeds, the
 * token carries the SMTP scope where the provider names one, and how long it lives. Its access
 * token is the one `smtp.auth` then proves on the wire (one refresh per run).
 */
export const oauthToken: Check = {
  meta: {
    id: 'oauth.token',
    title: 'OAuth2 token',
    description: 'for xoauth2 profiles: the token endpoint answers over verified TLS, the refresh token is accepted, the access token carries the SMTP scope, and its lifetime',
    outcomes: {
      pass: 'the refresh token was accepted over verified TLS and the access token carries the SMTP scope (a rotated refresh token is reported, and saved with `--save-refresh-token`)',
      warn: 'the access token lives under 2 minutes, or a rotated refresh token could not be saved',
      fail: '`http:` token URL, provider errors (`invalid_grant`, `invalid_client`, `AADSTS…` such as consent required, user/tenant mismatch, expired or revoked token) with their fix, SMTP scope missing, TLS or network failure',
      skip: 'secret missing (the variable or file is named)',
    },
    needs: ['http'],
    groups: ['oauth', 'auth'],
    messages: {
      ok: 'the token endpoint {{endpoint}} issued an access token for {{scope}}, valid {{expiresIn}} s',
      'ok-rotated': 'the token endpoint {{endpoint}} issued an access token for {{scope}}, valid {{expiresIn}} s, and a new refresh token',
      'ok-saved': 'the token endpoint {{endpoint}} issued an access token for {{scope}}, valid {{expiresIn}} s, and a new refresh token (saved)',
      'save-failed': 'the token endpoint issued a new refresh token that could not be saved: {{problem}}',
      'short-lived': 'the access token from {{endpoint}} is valid only {{expiresIn}} s',
      'missing-scope': 'the access token from {{endpoint}} lacks the SMTP scope {{required}} (granted: {{scope}})',
      'not-https': 'the token endpoint {{endpoint}} is not https: the refresh token would cross in cleartext',
      refused: '{{reason}}',
      'no-secret': 'not refreshing: {{problem}}',
    },
    hints: {
      ...OAUTH_HINTS,
      rotated: 'the provider rotated the refresh token: save the new one with `mailcheck check --save-refresh-token` (or `mailcheck oauth login --refresh`), as the old one may stop working',
      'save-failed': 'fix the destination of auth.refreshToken (a writable { file: } secret, or --env-file), or run `mailcheck oauth login` again',
      'missing-scope': 'run `mailcheck oauth login` again with the SMTP scope ({{required}}), and add that permission to the app registration',
      'short-lived': 'the provider issued a nearly expired token: check the clock of this machine and the token lifetime policy',
      'no-secret': 'pass --env-file, or export the variable; no refresh token yet: run `mailcheck oauth login`',
    },
  },
  appliesTo: refreshesToken,
  requires: () => [],
  async run(ctx): Promise<CheckOutcome> {
    if (ctx.secretProblem) return { status: 'skip', messageId: 'no-secret', hintId: 'no-secret', data: { problem: ctx.secretProblem } };
    const settings = oauthSettingsOf(ctx.profile);
    const endpoint = settings.tokenUrl.replace(/[?#].*$/, '');
    if (!isHttpsUrl(settings.tokenUrl)) return { status: 'fail', messageId: 'not-https', hintId: 'not-https', data: { endpoint } };
    const r = await ctx.probe.oauth();
    const details: Record<string, unknown> = { tokenUrl: endpoint, tokenUrlFrom: settings.tokenUrlFrom };
    if (!r.ok) {
      Object.assign(details, { error: r.error.error ?? r.error.id, aadsts: r.error.aadsts ?? null });
      return {
        status: 'fail',
        messageId: 'refused',
        hintId: r.error.id,
        data: { endpoint, reason: r.error.message, error: r.error.error ?? r.error.id, ...(r.error.aadsts ? { aadsts: `AADSTS${r.error.aadsts}` } : {}) },
        details,
        durationMs: r.durationMs,
      };
    }
    const granted = r.token.scope ?? settings.scopes.join(' ');
    const expiresIn = r.token.expiresIn ?? 0;
    const data: Record<string, string | number> = { endpoint, scope: granted || 'unknown', expiresIn };
    Object.assign(details, { scope: granted.split(' ').filter(Boolean), expiresIn: r.token.expiresIn ?? null, rotated: r.rotated, saved: r.saved === true });
    const required = settings.smtpScope;
    // a server that does not echo the scope granted the one asked (RFC 6749 §5.1)
    if (required && r.token.scope !== undefined && !r.token.scope.split(' ').includes(required)) {
      return { status: 'fail', messageId: 'missing-scope', hintId: 'missing-scope', data: { ...data, required }, details, durationMs: r.durationMs };
    }
    if (typeof r.saved === 'string') {
      return { status: 'warn', messageId: 'save-failed', hintId: 'save-failed', data: { ...data, problem: r.saved }, details, durationMs: r.durationMs };
    }
    if (r.token.expiresIn !== undefined && r.token.expiresIn < SHORT_LIFETIME_S) {
      return { status: 'warn', messageId: 'short-lived', hintId: 'short-lived', data, details, durationMs: r.durationMs };
    }
    if (r.rotated) {
      return r.saved === true
        ? { status: 'pass', messageId: 'ok-saved', data, details, durationMs: r.durationMs }
        : { status: 'pass', messageId: 'ok-rotated', hintId: 'rotated', data, details, durationMs: r.durationMs };
    }
    return { status: 'pass', messageId: 'ok', data, details, durationMs: r.durationMs };
  },
};
