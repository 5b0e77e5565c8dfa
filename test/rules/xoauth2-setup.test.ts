import { describe, expect, it } from 'vitest';
import { lintText, profile } from '../helpers/lint.ts';

const ID = 'xoauth2-setup';
const ids = (auth: string, base: Record<string, string> = {}) =>
  lintText(profile([`auth: ${auth}`], base)).filter((d) => d.ruleId === ID).map((d) => d.messageId);

describe(ID, () => {
  it('accepts a preset with OAuth2 data, a client id and a refresh token reference', () => {
    expect(ids('{ method: xoauth2, user: app@acme.example, clientId: cid, refreshToken: "${RT}" }', { preset: 'office365', host: 'smtp.office365.com' })).toEqual([]);
  });

  it('accepts an access token used as given', () => {
    expect(ids('{ method: xoauth2, user: app@acme.example, accessToken: "${AT}" }')).toEqual([]);
  });

  it('reports a profile without any token reference', () => {
    expect(ids('{ method: xoauth2, user: app@acme.example }')).toEqual(['noToken']);
  });

  it('reports a refresh without client id, and without endpoints (no preset, no tokenUrl)', () => {
    expect(ids('{ method: xoauth2, user: app@acme.example, refreshToken: "${RT}" }')).toEqual(['noClient', 'noEndpoint']);
    expect(ids('{ method: xoauth2, user: app@acme.example, clientId: cid, refreshToken: "${RT}", tokenUrl: "https://auth.acme.example/token" }')).toEqual([]);
  });
});
