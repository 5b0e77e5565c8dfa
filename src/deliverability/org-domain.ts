/**
 * Organisational domains (RFC 7489 §3.2) from the Public Suffix List, through `tldts` (a
 * maintained copy of the list, ICANN and private sections): `mail.example.co.uk` →
 * `example.co.uk`, `app.acme.github.io` → `acme.github.io`.
 */
import { getDomain } from 'tldts';

/** The organisational domain of `domain`, or the domain itself when the list has no answer (a private TLD). */
export function organisationalDomain(domain: string): string {
  const d = domain.toLowerCase().replace(/\.$/, '');
  return getDomain(d, { allowPrivateDomains: true }) ?? d;
}

/**
 * Whether `authenticated` (the SPF envelope domain or the DKIM `d=`) aligns with the From
 * domain: `s` (strict) needs the same name, `r` (relaxed, the default) the same organisational
 * domain (RFC 7489 §3.1).
 */
export function aligned(authenticated: string, fromDomain: string, mode: 'r' | 's' = 'r'): boolean {
  const a = authenticated.toLowerCase().replace(/\.$/, '');
  const f = fromDomain.toLowerCase().replace(/\.$/, '');
  if (mode === 's') return a === f;
  return organisationalDomain(a) === organisationalDomain(f);
}
