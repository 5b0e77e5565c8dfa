/** SMTP TLS Reporting (RFC 8460 §3): `v=TLSRPTv1; rua=mailto:…,https://…`. */
import { parseTags } from './tags.ts';

export function parseTlsRpt(text: string): { rua: string[] } | { error: string } {
  const t = text.trim();
  if (!/^v=TLSRPTv1\s*(;|$)/.test(t)) return { error: 'does not start with v=TLSRPTv1' };
  const rua = (parseTags(t).tags.rua ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (rua.length === 0) return { error: 'no rua= destination' };
  for (const u of rua) {
    if (!/^(mailto:[^@\s]+@[^@\s]+|https:\/\/\S+)$/i.test(u)) return { error: `rua= ${u.slice(0, 80)} is neither mailto: nor https:` };
  }
  return { rua };
}
