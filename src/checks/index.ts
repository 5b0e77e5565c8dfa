import { dnsAlignment } from './dns-alignment.ts';
import { dnsBimi } from './dns-bimi.ts';
import { dnsDkim } from './dns-dkim.ts';
import { dnsDmarc } from './dns-dmarc.ts';
import { dnsMtaSts } from './dns-mta-sts.ts';
import { dnsPtr } from './dns-ptr.ts';
import { dnsTlsRpt } from './dns-tls-rpt.ts';
import { dnsHost } from './dns-host.ts';
import { dnsMx } from './dns-mx.ts';
import { dnsSpf } from './dns-spf.ts';
import { dnsSrv } from './dns-srv.ts';
import { httpEndpoint } from './http-endpoint.ts';
import { oauthToken } from './oauth-token.ts';
import { smtpAuth } from './smtp-auth.ts';
import { smtpConnect } from './smtp-connect.ts';
import { smtpEnvelope } from './smtp-envelope.ts';
import { smtpGreeting } from './smtp-greeting.ts';
import { smtpStarttls } from './smtp-starttls.ts';
import { tlsDane } from './tls-dane.ts';
import { tlsHandshake } from './tls-handshake.ts';
import type { Check } from './types.ts';

/**
 * Every online check (SPEC §4, §8), declared once, in the order they are reported. `--only`, the
 * task list, the docs table and the tests derive from this list.
 */
export const CHECKS: readonly Check[] = [
  dnsHost,
  dnsMx,
  dnsSpf,
  dnsDmarc,
  dnsDkim,
  dnsAlignment,
  dnsMtaSts,
  dnsTlsRpt,
  dnsBimi,
  dnsSrv,
  dnsPtr,
  smtpConnect,
  smtpGreeting,
  smtpStarttls,
  tlsHandshake,
  tlsDane,
  oauthToken,
  smtpAuth,
  smtpEnvelope,
  httpEndpoint,
];

export const CHECK_IDS: readonly string[] = CHECKS.map((c) => c.meta.id);

/** A check by id. */
export function findCheck(id: string): Check | undefined {
  return CHECKS.find((c) => c.meta.id === id);
}

/** Every name `--only` accepts: ids and groups. */
export function onlyNames(): string[] {
  return [...new Set(CHECKS.flatMap((c) => [c.meta.id, ...c.meta.groups]))].sort();
}
