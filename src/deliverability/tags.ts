/**
 * The `tag=value; tag=value` syntax shared by DKIM (RFC 6376 §3.2), DMARC (RFC 7489 §6.4),
 * MTA-STS and TLS-RPT TXT records (RFC 8461 §3.1, RFC 8460 §3) and BIMI. Tag names are
 * case-insensitive here; a repeated tag is reported (DKIM makes it an error).
 */
export interface TagList {
  tags: Record<string, string>;
  /** tag names written more than once */
  repeated: string[];
  /** parts that are not `name=value` */
  malformed: string[];
}

const TAG = /^\s*([A-Za-z][A-Za-z0-9_]*)\s*=\s*([\s\S]*?)\s*$/;

export function parseTags(record: string): TagList {
  const tags: Record<string, string> = Object.create(null) as Record<string, string>;
  const repeated: string[] = [];
  const malformed: string[] = [];
  for (const part of record.split(';')) {
    if (part.trim() === '') continue;
    const m = TAG.exec(part);
    if (!m) {
      malformed.push(part.trim());
      continue;
    }
    const name = m[1]!.toLowerCase();
    if (name in tags) repeated.push(name);
    else tags[name] = m[2]!;
  }
  return { tags, repeated, malformed };
}
