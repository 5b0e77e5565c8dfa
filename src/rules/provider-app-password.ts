import type { Finding, ProfileView, Rule } from '../types.ts';

const PASSWORD_METHODS = new Set(['login', 'plain', 'cram-md5']);

/** Where a password login is written: the password, else the username, else the auth block. */
export function passwordPointer(view: ProfileView): string {
  const auth = view.profile.auth;
  if (auth?.password) return view.pointerOf('auth/password');
  if (auth?.username) return view.pointerOf('auth/username');
  return view.pointerOf('auth');
}

/** Whether the profile logs in with a password (LOGIN, PLAIN, CRAM-MD5) rather than OAuth2 or not at all. */
export function logsInWithPassword(view: ProfileView): boolean {
  const auth = view.profile.auth;
  return view.profile.transport === 'smtp' && auth !== undefined && PASSWORD_METHODS.has(auth.method) && Boolean(auth.password ?? auth.username);
}

export const rule: Rule = {
  meta: {
    id: 'provider-app-password',
    severity: 'info',
    description: 'Password login at a provider that accepts only an app password (with 2-step verification on).',
    rationale:
      'Gmail, Yahoo, iCloud, Fastmail and others refuse the account password from mail apps (535 or 534 at AUTH); the password in the environment must be an app password generated in the account settings.',
    fix: 'Turn on 2-step verification, generate an app password, and put it in the environment variable the profile references.',
    example: {
      bad: 'preset: gmail\nauth: { username: me@gmail.com, password: ${GMAIL_PASSWORD} }',
      good: 'preset: gmail\nauth: { username: me@gmail.com, password: ${GMAIL_APP_PASSWORD} }  # an app password',
    },
    messages: {
      appPassword: 'profile "{{profile}}" logs in to {{provider}} with a password: {{provider}} accepts only an app password',
    },
    hints: { appPassword: 'generate an app password in the {{provider}} account settings (2-step verification must be on)' },
  },
  check(ctx) {
    const out: Finding[] = [];
    for (const view of ctx.profiles) {
      const preset = view.provider?.preset;
      if (!preset?.auth.appPassword || !logsInWithPassword(view)) continue;
      const p = view.profile;
      const f: Finding = { messageId: 'appPassword', data: { profile: p.name, provider: preset.name }, pointer: passwordPointer(view), profile: p.name };
      if (preset.auth.note) f.hint = preset.auth.note;
      out.push(f);
    }
    return out;
  },
};
