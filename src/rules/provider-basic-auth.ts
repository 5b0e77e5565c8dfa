import type { Finding, PresetPolicy, Rule } from '../types.ts';
import { logsInWithPassword, passwordPointer } from './provider-app-password.ts';

/** The policy topic this rule reads: password login (Basic auth) over SMTP AUTH. */
export const BASIC_AUTH_TOPIC = 'basic-auth';

const startOf = (date: string): number => Date.parse(`${date}T00:00:00Z`);

/** Whether a JSON pointer names a value present in the document. */
function present(data: unknown, pointer: string): boolean {
  let node = data;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (typeof node !== 'object' || node === null || !Object.prototype.hasOwnProperty.call(node, key)) return false;
    node = (node as Record<string, unknown>)[key];
  }
  return true;
}

/** When an event happens, in words: its date, or what the provider said about when. */
const whenOf = (p: PresetPolicy | undefined): string => (p ? (p.date ?? p.expected ?? 'date not announced') : 'no date announced');

/** Where password login stands at `now`, from a provider's basic-auth events. */
export interface BasicAuthPhase {
  /** `before-default-off` | `default-off` | `before-removal` | `removed` */
  messageId: 'before-default-off' | 'default-off' | 'before-removal' | 'removed';
  /** the event that decides the message */
  event: PresetPolicy;
  /** the removal event, when one is listed (dated or not) */
  removal?: PresetPolicy;
}

/**
 * The phase at `now`: removed (a dated removal has passed: password login cannot work), default-off
 * (it works only where an administrator turned it back on), or ahead of the next dated change.
 * Undefined when nothing is dated ahead or behind (announced only).
 */
export function basicAuthPhase(policies: readonly PresetPolicy[], now: number): BasicAuthPhase | undefined {
  const events = policies.filter((p) => p.topic === BASIC_AUTH_TOPIC);
  const removal = events.find((p) => p.kind === 'removed');
  const defaultOff = events.find((p) => p.kind === 'default-off' && p.date);
  const withRemoval = (x: Omit<BasicAuthPhase, 'removal'>): BasicAuthPhase => (removal ? { ...x, removal } : x);
  if (removal?.date && startOf(removal.date) <= now) return withRemoval({ messageId: 'removed', event: removal });
  if (defaultOff?.date && startOf(defaultOff.date) <= now) return withRemoval({ messageId: 'default-off', event: defaultOff });
  if (defaultOff) return withRemoval({ messageId: 'before-default-off', event: defaultOff });
  if (removal) return withRemoval({ messageId: 'before-removal', event: removal });
  return undefined;
}

export const rule: Rule = {
  meta: {
    id: 'provider-basic-auth',
    severity: 'warning',
    description: 'Password login where the provider is retiring it (a warning: ahead of the change, and while it is off by default) or has removed it (an error): Microsoft 365, Outlook.com.',
    rationale:
      'Microsoft retires SMTP AUTH with a password (Basic authentication) in phases read from the preset: first off by default (an administrator can turn it back on), then removed; once removed every login fails (535 5.7.139 or 550 5.7.30) and no mail leaves. Before removal this is a warning that says what happens on which date; only once password login cannot work is it an error. The clock is `--now` / MAILCHECK_NOW when given.',
    fix: 'Switch the profile to OAuth2 (`auth.method: xoauth2` with clientId, clientSecret and refreshToken references, the refresh token from `mailcheck oauth login`), or send through the provider\'s relay or another sending service.',
    example: {
      bad: 'preset: office365\nauth: { method: login, username: app@acme.example, password: ${SMTP_PASSWORD} }',
      good: 'preset: office365\nauth:\n  method: xoauth2\n  user: app@acme.example\n  clientId: ${OAUTH_CLIENT_ID}\n  clientSecret: ${OAUTH_CLIENT_SECRET}\n  refreshToken: ${OAUTH_REFRESH_TOKEN}',
    },
    messages: {
      'before-default-off':
        '{{provider}} turns password login (Basic auth) off by default on {{date}}; from then it works only where an administrator turns it back on, until it is removed ({{removal}}). {{summary}}',
      'default-off':
        '{{provider}} has turned password login (Basic auth) off by default since {{date}}: it works only where an administrator turned it back on, and only until it is removed ({{removal}})',
      'before-removal': '{{provider}} removes password login (Basic auth) on {{date}}; from then every login fails. {{summary}}',
      removed: '{{provider}} has refused password logins since {{date}}: {{summary}}',
    },
    hints: {
      'before-default-off':
        'before {{date}}: set auth.method: xoauth2 for profile "{{profile}}" and get a refresh token with `mailcheck oauth login --profile {{profile}}`, or send through the provider\'s relay or another sending service',
      'default-off':
        'set auth.method: xoauth2 for profile "{{profile}}" and get a refresh token with `mailcheck oauth login --profile {{profile}}`, or send through the provider\'s relay or another sending service',
      'before-removal':
        'before {{date}}: set auth.method: xoauth2 for profile "{{profile}}" and get a refresh token with `mailcheck oauth login --profile {{profile}}`, or send through another sending service',
      removed: 'set auth.method: xoauth2 for profile "{{profile}}" and get a refresh token with `mailcheck oauth login --profile {{profile}}`',
    },
  },
  check(ctx) {
    const out: Finding[] = [];
    const now = ctx.now.getTime();
    for (const view of ctx.profiles) {
      const preset = view.provider?.preset;
      if (!preset || !logsInWithPassword(view)) continue;
      const phase = basicAuthPhase(preset.policies, now);
      if (!phase) continue;
      const p = view.profile;
      // point at `method: login` when it is written, else at the password the login would send
      const methodAt = view.pointerOf('auth/method');
      const pointer = view.isUserSet('auth/method') && present(ctx.data, methodAt) ? methodAt : passwordPointer(view);
      const f: Finding = {
        messageId: phase.messageId,
        data: {
          profile: p.name,
          provider: preset.name,
          date: whenOf(phase.event),
          removal: whenOf(phase.removal),
          summary: phase.event.summary,
          source: phase.event.source,
        },
        pointer,
        profile: p.name,
      };
      if (phase.messageId === 'removed') f.severity = 'error';
      out.push(f);
    }
    return out;
  },
};
