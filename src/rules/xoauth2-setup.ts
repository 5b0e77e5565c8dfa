import type { Finding, Rule } from '../types.ts';

export const rule: Rule = {
  meta: {
    id: 'xoauth2-setup',
    severity: 'error',
    description: 'An `xoauth2` profile lacks what a login needs: a token reference, a client id, or token endpoints.',
    rationale:
      'XOAUTH2 logs in with an access token, usually refreshed from a refresh token at the provider\'s token endpoint with a client id; without them `check` and the app can only fail at run time (SPEC §9).',
    fix: 'Reference a refresh token (`refreshToken: { file: ./secrets/refresh-token }` or `${OAUTH_REFRESH_TOKEN}`), set `clientId`, use a preset with OAuth2 data (office365, outlook, gmail, google-workspace) or set `tokenUrl`, then run `mailcheck oauth login --profile P`.',
    example: {
      bad: 'auth: { method: xoauth2, user: app@acme.example }',
      good: 'preset: office365\nauth: { method: xoauth2, user: app@acme.example, clientId: 0000-client-id, refreshToken: { file: ./secrets/refresh-token } }',
    },
    messages: {
      noToken: 'profile "{{profile}}" logs in with XOAUTH2 but references no refresh token or access token',
      noClient: 'profile "{{profile}}" refreshes an OAuth2 token but sets no auth.clientId',
      noEndpoint: 'profile "{{profile}}" refreshes an OAuth2 token but has no token endpoint: its preset has no OAuth2 data and auth.tokenUrl is not set',
    },
    hints: {
      noToken: 'add refreshToken: { file: ./secrets/refresh-token } and run `mailcheck oauth login --profile {{profile}}` to fill it',
      noClient: 'set auth.clientId to the id of the app registered with the provider',
      noEndpoint: 'use a preset with OAuth2 data (office365, outlook, gmail, google-workspace), or set auth.tokenUrl (https)',
    },
  },
  check(ctx) {
    const out: Finding[] = [];
    for (const view of ctx.profiles) {
      const p = view.profile;
      const a = p.auth;
      if (a?.method !== 'xoauth2') continue;
      const at = (path: string) => ({ pointer: view.pointerOf(path), profile: p.name, data: { profile: p.name } });
      if (!a.refreshToken && !a.accessToken) {
        out.push({ messageId: 'noToken', ...at('auth/method') });
        continue;
      }
      if (!a.refreshToken) continue; // an access token is used as given
      if (!a.clientId) out.push({ messageId: 'noClient', ...at('auth/refreshToken') });
      if (!a.tokenUrl && !view.provider?.preset.oauth2) out.push({ messageId: 'noEndpoint', ...at('auth/refreshToken') });
    }
    return out;
  },
};
