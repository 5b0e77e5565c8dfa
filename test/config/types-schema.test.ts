// The TypeScript types of the config and schema/mail.schema.json cannot drift: each key list
// below must name every key of its type (the compiler checks, `satisfies`), and must equal the
// properties the schema allows (this test checks).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AuthConfig, HttpConfig, Limits, Mailbox, MessageConfig, Profile, SendmailConfig, TargetEntry, Timeouts, TlsConfig } from '../../src/types.ts';

type Keys<T> = Record<keyof T, true>;
const profile = { name: true, preset: true, transport: true, host: true, port: true, encryption: true, auth: true, from: true, replyTo: true, bcc: true, tls: true, charset: true, ehlo: true, limits: true, timeouts: true, http: true, sendmail: true, dkim: true, message: true } satisfies Keys<Profile>;
const auth = { method: true, username: true, password: true, user: true, clientId: true, clientSecret: true, refreshToken: true, accessToken: true, tokenUrl: true, authorizationUrl: true, deviceAuthorizationUrl: true, scopes: true, tenant: true } satisfies Keys<AuthConfig>;
const tls = { verify: true, ca: true, servername: true, minVersion: true } satisfies Keys<TlsConfig>;
const http = { url: true, replyTo: true, apiKey: true, headers: true } satisfies Keys<HttpConfig>;
const sendmail = { path: true, args: true, interface: true } satisfies Keys<SendmailConfig>;
const message = { signature: true, header: true, footer: true } satisfies Keys<MessageConfig>;
const limits = { perDay: true, perMessage: true } satisfies Keys<Limits>;
const timeouts = { connect: true, greeting: true, command: true } satisfies Keys<Timeouts>;
const mailbox = { address: true, name: true } satisfies Keys<Mailbox>;
const target = { target: true, profile: true, out: true, secrets: true, version: true } satisfies Keys<TargetEntry>;

interface Node {
  properties?: Record<string, Node>;
  items?: Node;
  $ref?: string;
  enum?: unknown[];
}
const schema = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'schema', 'mail.schema.json'), 'utf8')) as Node & { definitions: Record<string, Node> };
const def = (name: string): Node => schema.definitions[name]!;
const fields = def('profileFields').properties!;
const props = (n: Node | undefined): string[] => Object.keys(n?.properties ?? {}).sort();
const keys = (o: object, except: string[] = []): string[] => Object.keys(o).filter((k) => !except.includes(k)).sort();

describe('config types match the schema', () => {
  it.each([
    ['profile', keys(profile, ['name']), props(def('profileFields'))],
    ['auth', keys(auth), props(fields.auth)],
    ['tls', keys(tls), props(fields.tls)],
    ['http', keys(http), props(fields.http)],
    ['sendmail', keys(sendmail), props(fields.sendmail)],
    ['message', keys(message), props(fields.message)],
    ['limits', keys(limits), props(fields.limits)],
    ['timeouts', keys(timeouts), props(fields.timeouts)],
    ['mailbox', keys(mailbox), props(def('mailbox'))],
    ['targets[]', keys(target), props(schema.properties!.targets!.items)],
  ])('%s', (_, fromTypes, fromSchema) => {
    expect(fromTypes).toEqual(fromSchema);
  });

  it('enumerations match the union types', () => {
    const encryption: Record<NonNullable<Profile['encryption']>, true> = { ssl: true, starttls: true, none: true };
    const transport: Record<Profile['transport'], true> = { smtp: true, http: true, sendmail: true };
    const method: Record<AuthConfig['method'], true> = { login: true, plain: true, 'cram-md5': true, xoauth2: true, none: true };
    const minVersion: Record<NonNullable<TlsConfig['minVersion']>, true> = { TLSv1: true, 'TLSv1.1': true, 'TLSv1.2': true, 'TLSv1.3': true };
    expect(Object.keys(encryption).sort()).toEqual([...fields.encryption!.enum!].sort());
    expect(Object.keys(transport).sort()).toEqual([...fields.transport!.enum!].sort());
    expect(Object.keys(method).sort()).toEqual([...fields.auth!.properties!.method!.enum!].sort());
    expect(Object.keys(minVersion).sort()).toEqual([...fields.tls!.properties!.minVersion!.enum!].sort());
  });

  it('every property of the schema has a description (editors show it)', () => {
    const missing: string[] = [];
    const walk = (n: unknown, path: string): void => {
      if (typeof n !== 'object' || n === null) return;
      const node = n as Record<string, unknown>;
      if (node.properties) {
        for (const [k, v] of Object.entries(node.properties as Record<string, Record<string, unknown>>)) {
          if (!v.description) missing.push(`${path}/${k}`);
          walk(v, `${path}/${k}`);
        }
      }
      for (const key of ['items', 'additionalProperties']) if (node[key]) walk(node[key], `${path}/${key}`);
      for (const key of ['anyOf', 'oneOf']) if (Array.isArray(node[key])) (node[key] as unknown[]).forEach((b, i) => walk(b, `${path}/${key}/${i}`));
      if (node.definitions) for (const [k, v] of Object.entries(node.definitions as Record<string, unknown>)) walk(v, `#/definitions/${k}`);
    };
    walk(schema, '#');
    expect(missing).toEqual([]);
  });
});
