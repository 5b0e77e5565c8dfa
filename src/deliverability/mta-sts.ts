/** MTA-STS (RFC 8461): the `_mta-sts` TXT record, the policy file, and MX pattern matching. */
import { parseTags } from './tags.ts';

export interface MtaStsTxt {
  id: string;
}

/** §3.1: `v=STSv1; id=<1-32 alphanumerics>`. */
export function parseMtaStsTxt(text: string): MtaStsTxt | { error: string } {
  const t = text.trim();
  if (!/^v=STSv1\s*(;|$)/.test(t)) return { error: 'does not start with v=STSv1' };
  const id = parseTags(t).tags.id;
  if (!id || !/^[A-Za-z0-9]{1,32}$/.test(id)) return { error: 'id= must be 1-32 letters and digits' };
  return { id };
}

export interface MtaStsPolicy {
  mode: 'enforce' | 'testing' | 'none';
  mx: string[];
  maxAge: number;
}

/** §3.2: the policy file, parsed strictly (key: value lines, CRLF or LF). */
export function parseMtaStsPolicy(text: string): MtaStsPolicy | { error: string } {
  const fields = new Map<string, string[]>();
  for (const raw of text.split(/\r?\n/)) {
    if (raw.trim() === '') continue;
    const m = /^([A-Za-z0-9_]+):[ \t]*(.*?)[ \t]*$/.exec(raw);
    if (!m) return { error: `not a "key: value" line: ${raw.slice(0, 60)}` };
    const list = fields.get(m[1]!) ?? [];
    list.push(m[2]!);
    fields.set(m[1]!, list);
  }
  if (fields.get('version')?.[0] !== 'STSv1') return { error: 'version: STSv1 is missing' };
  const mode = fields.get('mode')?.[0];
  if (mode !== 'enforce' && mode !== 'testing' && mode !== 'none') return { error: 'mode: must be enforce, testing or none' };
  const maxAgeText = fields.get('max_age')?.[0] ?? '';
  const maxAge = Number(maxAgeText);
  if (!/^\d{1,10}$/.test(maxAgeText) || maxAge > 31_557_600) return { error: 'max_age: must be 0-31557600 seconds' };
  const mx = fields.get('mx') ?? [];
  if (mode !== 'none' && mx.length === 0) return { error: 'no mx: lines' };
  for (const p of mx) if (!/^(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+\.?$/.test(p)) return { error: `mx: ${p.slice(0, 60)} is not a host name or *.pattern` };
  return { mode, mx: mx.map((p) => p.toLowerCase().replace(/\.$/, '')), maxAge };
}

/** §4.1: `*.example.com` matches exactly one label more; other patterns match the name itself. */
export function mxMatches(pattern: string, host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  if (pattern.startsWith('*.')) {
    const rest = pattern.slice(2);
    const dot = h.indexOf('.');
    return dot > 0 && h.slice(dot + 1) === rest;
  }
  return h === pattern;
}
