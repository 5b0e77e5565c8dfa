import type { SmtpReply } from '../net/smtp-session.ts';
import type { Preset } from '../types.ts';
import { failureData, stopped } from './common.ts';
import { refreshesToken } from './oauth-token.ts';
import { encryptionOf, usesAuth } from '../config/profile-facts.ts';
import type { Check, CheckOutcome } from './types.ts';

/**
 * The hint for a refused login, from the reply code and the enhanced status code (RFC 3463),
 * and what the provider's preset says about app passwords and OAuth2.
 */
export function authHintId(reply: SmtpReply, provider: Preset | undefined, method?: string): string {
  const enhanced = reply.enhanced ?? '';
  const microsoft = provider?.oauth2?.smtpScope.startsWith('https://outlook.office.com/') ?? false;
  // Exchange Online: 535 5.7.3 "Authentication unsuccessful" is SMTP AUTH off or a token without SMTP.Send
  if (microsoft && enhanced === '5.7.3' && method === 'xoauth2') return 'm365-xoauth2-refused';
  if (method === 'xoauth2' && reply.code === 535 && enhanced !== '5.7.139') return 'xoauth2-refused';
  const retiring = provider?.policies.some((p) => p.topic === 'basic-auth') ?? false;
  if (enhanced === '5.7.139') return 'smtp-auth-disabled';
  if (enhanced === '5.7.30' || (reply.code === 550 && /basic auth/i.test(reply.text))) return 'basic-auth-retired';
  if (reply.code === 534) return provider?.auth.appPassword ? 'app-password' : 'web-login';
  if (reply.code === 530) return /starttls/i.test(reply.text) ? 'must-starttls' : 'auth-required';
  if (reply.code === 454 || reply.code === 421) return 'temporary';
  if (reply.code === 535) {
    if (provider?.auth.appPassword) return 'app-password';
    if (retiring || provider?.auth.oauth2) return 'oauth2';
    return 'wrong-credentials';
  }
  return 'wrong-credentials';
}

/** `smtp.auth`: the configured mechanism is offered and the login is accepted. */
export const smtpAuth: Check = {
  meta: {
    id: 'smtp.auth',
    title: 'login',
    description: 'the configured mechanism is offered and the login is accepted; refusals (535, 534, 530, 550 5.7.30, 5.7.139) get a provider-specific hint',
    outcomes: {
      pass: 'the configured mechanism is offered and the login accepted',
      fail: 'mechanism not offered, refused (`535`, `534`, `530`, `550 5.7.30`, `5.7.139`… with the provider\'s fix: app password, SMTP AUTH disabled for the tenant, OAuth2), token endpoint refused',
      skip: 'secret missing (the variable is named), cleartext without `cleartext-auth: off`, TLS not trusted',
    },
    needs: ['session'],
    groups: ['smtp', 'auth'],
    messages: {
      ok: '{{mechanism}} login as {{username}} accepted',
      rejected: 'the server refused the {{mechanism}} login as {{username}}: {{reply}}',
      'not-offered': 'the server does not offer {{mechanism}}; it offers {{offered}}',
      'no-auth': 'the server does not offer AUTH on this connection',
      cleartext: 'not logging in: the connection is not encrypted and cleartext-auth is not off',
      'no-secret': 'not logging in: {{problem}}',
      token: 'no OAuth2 access token: {{problem}}',
      failed: 'the login did not complete: {{reason}}',
    },
    hints: {
      'app-password': '{{provider}} refuses the account password here: turn on 2-step verification and create an app password for SMTP ({{docs}})',
      'web-login': 'the provider wants an interactive sign-in or an app-specific password before it accepts SMTP logins ({{docs}})',
      'smtp-auth-disabled': 'SMTP AUTH is disabled for this tenant or mailbox: enable "Authenticated SMTP" for the mailbox (Set-CASMailbox -SmtpClientAuthenticationDisabled $false) or switch to auth.method: xoauth2 ({{docs}})',
      'basic-auth-retired': 'the provider no longer accepts passwords for SMTP: switch to auth.method: xoauth2 (OAuth2) or a relay service ({{docs}})',
      oauth2: '{{provider}} is retiring or has retired password logins for SMTP: check the password, then plan the move to auth.method: xoauth2 ({{docs}})',
      'must-starttls': 'the server wants STARTTLS before AUTH: use encryption: starttls',
      'auth-required': 'the server requires a login before this command: check auth',
      temporary: 'a temporary refusal (rate limit, too many attempts): wait and retry',
      'wrong-credentials': 'check auth.username and the password (the value of the variable it references)',
      'not-offered': 'set auth.method to one of the offered mechanisms',
      cleartext: 'use encryption: starttls or ssl; for a trusted local relay only, turn the cleartext-auth rule off',
      'no-secret': 'pass --env-file, or export the variable',
      'xoauth2-refused': 'the server refused the access token (expired, revoked, for another user, or without the SMTP scope): check auth.user is the mailbox the token was issued for; with a refresh token mailcheck gets a fresh one (run `mailcheck oauth login` if oauth.token fails)',
      'm365-xoauth2-refused': 'Exchange Online refused the token: SMTP AUTH is disabled for the mailbox or tenant (Set-CASMailbox -SmtpClientAuthenticationDisabled $false), the token lacks https://outlook.office.com/SMTP.Send (add the permission, run `mailcheck oauth login`), or auth.user is not the mailbox the token is for ({{docs}})',
    },
  },
  appliesTo: (p) => p.transport === 'smtp' && usesAuth(p),
  requires: (p) => {
    const enc = encryptionOf(p);
    return [
      'smtp.greeting',
      ...(enc === 'starttls' ? ['smtp.starttls'] : []),
      ...(enc !== 'none' ? ['tls.handshake'] : []),
      ...(refreshesToken(p) ? ['oauth.token'] : []),
    ];
  },
  async run(ctx): Promise<CheckOutcome> {
    const username = (ctx.profile.auth?.method === 'xoauth2' ? ctx.profile.auth.user : undefined) ?? ctx.profile.auth?.username ?? '';
    if (ctx.secretProblem) return { status: 'skip', messageId: 'no-secret', hintId: 'no-secret', data: { problem: ctx.secretProblem } };
    const t = await ctx.probe.smtp('auth');
    const a = t.auth;
    if (!a) return stopped(t);
    const data = { mechanism: a.mechanism, username, offered: a.offered.join(' ') || 'none' };
    const details = { mechanism: a.mechanism, offered: a.offered, reply: a.reply?.text ?? null, code: a.reply?.code ?? null, enhanced: a.reply?.enhanced ?? null };
    const provider = ctx.provider;
    const hintData = { provider: provider?.name ?? 'the provider', docs: provider?.docs[0] ?? "the provider's SMTP documentation" };
    switch (a.skipped) {
      case 'cleartext':
        return { status: 'skip', messageId: 'cleartext', hintId: 'cleartext', data, details };
      case 'untrusted-tls':
        return { status: 'skip', messageId: 'prerequisite', data: { requirement: 'tls.handshake', requirementStatus: 'failed' }, details };
      case 'no-auth':
        return { status: 'fail', messageId: 'no-auth', data, details };
      case 'not-offered':
        return { status: 'fail', messageId: 'not-offered', hintId: 'not-offered', data, details };
      case 'secret':
        return { status: 'skip', messageId: 'no-secret', hintId: 'no-secret', data: { ...data, problem: a.skipMessage ?? 'secret missing' }, details };
      case 'token':
        return { status: 'fail', messageId: 'token', data: { ...data, problem: a.skipMessage ?? 'token request failed' }, details };
      default:
        break;
    }
    if (a.ok) return { status: 'pass', messageId: 'ok', data, details, durationMs: a.durationMs };
    if (a.reply) {
      return {
        status: 'fail',
        messageId: 'rejected',
        hintId: authHintId(a.reply, provider, ctx.profile.auth?.method),
        data: { ...data, ...hintData, reply: a.reply.text },
        details,
        durationMs: a.durationMs,
      };
    }
    return { status: 'fail', messageId: 'failed', data: { ...data, ...failureData(a.failure) }, details, durationMs: a.durationMs };
  },
};
