import { domainToASCII } from 'node:url';

const ATEXT = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~\u0080-\uFFFF-]+$/;

/** Why `address` is not a valid mailbox (RFC 5321/5322, RFC 6531 UTF-8 and IDN domains), or undefined. */
export function addressProblem(address: string): string | undefined {
  if (address.includes('<') || address.includes('>')) return 'is a display form; write only the address (the name goes in from.name)';
  const at = address.lastIndexOf('@');
  if (at <= 0) return /\s/.test(address) ? 'contains white space' : 'has no local part and @ domain';
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  const quotedLocal = local.startsWith('"') && local.endsWith('"');
  if (/\s/.test(domain) || (!quotedLocal && /\s/.test(local))) return 'contains white space';
  if (local.length > 64) return 'has a local part longer than 64 octets';
  const quoted = /^"(?:[^"\\\r\n]|\\.)*"$/.test(local);
  if (!quoted && (!local.split('.').every((atom) => atom.length > 0 && ATEXT.test(atom)))) return `has an invalid local part "${local}"`;
  if (domain === '') return 'has no domain';
  if (/^\[.*\]$/.test(domain)) return undefined; // address literal
  const ascii = domainToASCII(domain);
  if (!ascii) return `has an invalid domain "${domain}"`;
  if (ascii.length > 253) return 'has a domain longer than 253 octets';
  const labels = ascii.split('.');
  if (labels.length < 2) return `has a domain "${domain}" without a dot`;
  if (!labels.every((l) => /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(l))) return `has an invalid domain "${domain}"`;
  if (/^[0-9]+$/.test(labels[labels.length - 1]!)) return `has an invalid domain "${domain}"`;
  return undefined;
}

/** The domain part of an address, lower-cased and in ASCII (punycode) form. */
export function addressDomain(address: string): string | undefined {
  const at = address.lastIndexOf('@');
  if (at < 0) return undefined;
  return domainToASCII(address.slice(at + 1).toLowerCase()) || undefined;
}

export function looksLikeAddress(value: string): boolean {
  return addressProblem(value) === undefined;
}
