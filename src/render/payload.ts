/**
 * The generic SMTP settings payload, for apps whose own field names are not verified
 * (shipturtle, share-info): one documented shape that maps onto any "SMTP settings" form.
 */
import { compact, jsonFile } from './formats.ts';
import { defineRenderer, type RenderContext } from './model.ts';
import type { Renderer } from '../types.ts';

export const PAYLOAD_FORMAT = 'mailcheck-smtp-settings/1';

function build(ctx: RenderContext, title: string) {
  const { m } = ctx;
  ctx.warn('target', `${title}'s own setting names are not verified: this is mailcheck's generic SMTP settings payload (${PAYLOAD_FORMAT}); map each field onto ${title}'s form by hand`);
  const literal = { literal: (v: string) => v };
  const a = m.profile.auth;
  const smtp = compact({
    host: m.host,
    port: m.port,
    encryption: m.encryption,
    authMethod: m.method,
    username: m.username,
    password: m.auth === 'password' ? ctx.secret('password', literal) : undefined,
    oauth2:
      m.auth === 'xoauth2'
        ? compact({
            clientId: a?.clientId,
            clientSecret: ctx.secret('clientSecret', literal),
            refreshToken: ctx.secret('refreshToken', literal),
            accessToken: ctx.secret('accessToken', literal),
            tokenUrl: a?.tokenUrl,
          })
        : undefined,
    fromAddress: m.from?.address,
    fromName: m.from?.name,
    replyTo: m.replyTo,
    bcc: m.bcc.length > 0 ? m.bcc : undefined,
    verifyCertificate: m.encryption !== 'none' ? m.verify : undefined,
    caFile: m.ca,
    servername: m.servername,
    minTlsVersion: m.minVersion,
    charset: m.charset,
    ehlo: m.ehlo,
    connectTimeoutMs: m.timeouts.connect,
    greetingTimeoutMs: m.timeouts.greeting,
    commandTimeoutMs: m.timeouts.command,
  });
  return jsonFile({
    $comment: `Generic SMTP settings for ${title}, rendered by mailcheck from profile "${m.name}". encryption: ssl = TLS from the first byte (usually 465), starttls = STARTTLS required (usually 587), none = no TLS.`,
    format: PAYLOAD_FORMAT,
    smtp,
  });
}

export function payloadRenderer(id: string, title: string): Renderer {
  return defineRenderer({
    id,
    title,
    writes: `generic SMTP settings JSON (${PAYLOAD_FORMAT}): host, port, encryption, username, password, fromAddress, fromName, replyTo, bcc, verifyCertificate…`,
    status: 'unverified',
    xoauth2: { support: 'partial', note: `the generic payload carries the oauth2 fields; whether ${title} uses them is not verified` },
    cannot: {},
    limits: [`${title}'s own field names (unverified: generic payload)`],
    build: (ctx) => [{ name: `${id}-smtp.json`, content: build(ctx, title) }],
  });
}
