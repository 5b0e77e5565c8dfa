/**
 * The one redactor (SPEC §7 "Secrets never leave"). Every secret value the run learns — each
 * value read through a secret reference, each OAuth2 token obtained — is registered here, and
 * every output (reports of every format, progress lines, errors, transcripts, diffs, logs, HTTP
 * bodies of the exporter) passes through {@link redact} before it is written. A new output path
 * is safe as long as it writes through the CLI's IO or a report builder: nobody has to remember
 * which secrets exist.
 *
 * A secret is recognised in the forms a server or a library could echo it back in: the value
 * itself, JSON- and URL-escaped, hex, and base64 / base64url at any of the three byte alignments
 * (which covers SASL PLAIN `\0user\0pass`, LOGIN, CRAM-MD5's username line and XOAUTH2's
 * `user=…\x01auth=Bearer …\x01\x01`, whatever precedes the secret inside the blob).
 */

export const REDACTED = '[redacted]';

/** Secrets shorter than this are not matched as raw text (they would redact ordinary words). */
const MIN_RAW = 3;
/** Encoded fragments shorter than this are not matched (too likely by chance). */
const MIN_ENCODED = 4;

/**
 * The characters of base64(prefix + secret + suffix) that depend only on the secret's bytes,
 * for a secret starting `offset` bytes (0, 1 or 2) into a 3-byte group.
 */
function base64Core(bytes: Buffer, offset: number): string {
  const padded = Buffer.concat([Buffer.alloc(offset), bytes]);
  const b64 = padded.toString('base64').replace(/=+$/, '');
  const start = Math.ceil((8 * offset) / 6);
  const end = Math.floor((8 * (offset + bytes.length)) / 6);
  return end > start ? b64.slice(start, end) : '';
}

/** Every form of `value` that {@link Redactor.redact} replaces. */
export function encodingsOf(value: string): string[] {
  const out = new Set<string>();
  if (value.length >= MIN_RAW) out.add(value);
  const bytes = Buffer.from(value, 'utf8');
  const add = (s: string) => {
    if (s.length >= MIN_ENCODED && s !== value) out.add(s);
  };
  add(JSON.stringify(value).slice(1, -1));
  const uri = encodeURIComponent(value);
  add(uri);
  add(uri.replace(/%20/g, '+'));
  add(uri.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()));
  add(encodeURI(value));
  add(bytes.toString('hex'));
  add(bytes.toString('hex').toUpperCase());
  for (let offset = 0; offset < 3; offset++) {
    const core = base64Core(bytes, offset);
    add(core);
    add(core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return [...out];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A set of secrets and the one pass that hides them in text. */
export class Redactor {
  private readonly needles = new Set<string>();
  /** values already added: a run registers the same secret once per profile that reads it */
  private readonly added = new Set<string>();
  private pattern: RegExp | undefined;
  /** the length of the shortest form: a shorter text holds none */
  private shortest = Infinity;

  /** Registers a secret value (and its encodings). Empty and very short values are ignored. */
  add(value: string | undefined): void {
    if (value === undefined || value === '' || this.added.has(value)) return;
    this.added.add(value);
    let grew = false;
    for (const n of encodingsOf(value)) {
      if (!this.needles.has(n)) {
        this.needles.add(n);
        this.shortest = Math.min(this.shortest, n.length);
        grew = true;
      }
    }
    if (grew) this.pattern = undefined;
  }

  /** How many distinct forms are known (for tests and diagnostics; never the forms themselves). */
  get size(): number {
    return this.needles.size;
  }

  /** `text` with every known secret form replaced by `[redacted]`. */
  redact(text: string): string {
    if (text.length < this.shortest) return text;
    this.pattern ??= this.build();
    return text.replace(this.pattern, REDACTED);
  }

  /**
   * `value` with its strings (values and keys) redacted: a deep copy when one of them holds a
   * secret, else `value` itself (most results hold none: looking first spares a copy of each).
   */
  redactDeep<T>(value: T): T {
    if (this.needles.size === 0 || !this.holds(value, 0)) return value;
    return this.walk(value, 0) as T;
  }

  /** Whether a string that {@link walk} would redact holds a known secret form. */
  private holds(value: unknown, depth: number): boolean {
    if (typeof value === 'string') return this.found(value);
    if (depth > 64 || value === null || typeof value !== 'object') return false;
    if (Array.isArray(value)) return value.some((v) => this.holds(v, depth + 1));
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) return false;
    for (const k of Object.keys(value)) if (this.found(k) || this.holds((value as Record<string, unknown>)[k], depth + 1)) return true;
    return false;
  }

  private found(text: string): boolean {
    if (text.length < this.shortest) return false;
    this.pattern ??= this.build();
    this.pattern.lastIndex = 0;
    const hit = this.pattern.test(text);
    this.pattern.lastIndex = 0;
    return hit;
  }

  private build(): RegExp {
    // longest first, so a secret's base64 is not half-replaced by a shorter secret inside it
    const alternatives = [...this.needles].sort((a, b) => b.length - a.length).map(escapeRegExp);
    return new RegExp(alternatives.join('|'), 'g');
  }

  private walk(value: unknown, depth: number): unknown {
    if (typeof value === 'string') return this.redact(value);
    if (depth > 64 || value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map((v) => this.walk(v, depth + 1));
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) return value; // Secret, Date, Buffer…: print safely on their own
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[this.redact(k)] = this.walk(v, depth + 1);
    return out;
  }
}

/**
 * The process-wide registry. `revealSecret` adds every value it reads; OAuth2 code adds the
 * tokens it obtains. Secrets are only ever added: a value once known stays hidden for the life
 * of the process (the exporter re-reads its configuration without forgetting old secrets).
 */
export const runSecrets = new Redactor();

/** Registers a secret with the process-wide redactor. */
export function registerSecret(value: string | undefined): void {
  runSecrets.add(value);
}

/** Text with every registered secret hidden. */
export function redact(text: string): string {
  return runSecrets.redact(text);
}

/** A deep copy with every registered secret hidden in its strings. */
export function redactDeep<T>(value: T): T {
  return runSecrets.redactDeep(value);
}
