/**
 * Quoting and escaping for every format the renderers write. Each helper returns text that the
 * target's own parser turns back into exactly `value`, or throws {@link MailcheckError}
 * `E_RENDER_VALUE` when the format has no way to say it (never a silently altered value).
 */
import { MailcheckError } from '../errors.ts';

/**
 * Which dotenv parser reads the file. They agree on single quotes (literal) and disagree on how a
 * double-quoted `$` is escaped:
 * - `php`: vlucas/phpdotenv and Symfony Dotenv — `\"`, `\\`, `\$` in double quotes.
 * - `ruby`: the dotenv gem — same escapes as php.
 * - `compose`: Docker Compose (compose-go dotenv) — `\"`, `\\`; a literal `$` is `$$`.
 * - `node`: Node's `util.parseEnv` / `--env-file` — no escapes at all; backticks as a third quote.
 */
export type DotenvFlavor = 'php' | 'ruby' | 'compose' | 'node';

const BARE_DOTENV = /^[A-Za-z0-9_.,:/@+%=-]*$/;

/** A value for a line-oriented file (postfix tables, main.cf): refused when it holds CR, LF or NUL. */
export function oneLine(value: string, where: string): string {
  noNewline(value, where);
  return value;
}

function noNewline(value: string, where: string): void {
  if (/[\r\n\0]/.test(value)) {
    throw new MailcheckError('E_RENDER_VALUE', `${where}: a value with a line break or NUL cannot be written`);
  }
}

/** A dotenv value (the part after `KEY=`). */
export function dotenv(value: string, flavor: DotenvFlavor): string {
  noNewline(value, 'dotenv');
  if (BARE_DOTENV.test(value)) return value;
  // compose-go treats `\'` as an escaped quote when looking for the end, so no trailing backslash
  if (!value.includes("'") && !(flavor === 'compose' && value.endsWith('\\'))) return `'${value}'`;
  switch (flavor) {
    case 'php':
    case 'ruby':
      return `"${value.replace(/[\\"$]/g, (c) => `\\${c}`)}"`;
    case 'compose':
      return `"${value.replace(/[\\"]/g, (c) => `\\${c}`).replace(/\$/g, '$$$$')}"`;
    case 'node':
      if (!value.includes('"') && !/\\[nr]/.test(value)) return `"${value}"`;
      if (!value.includes('`')) return `\`${value}\``;
      throw new MailcheckError(
        'E_RENDER_VALUE',
        "dotenv: a value holding ', \" and ` together cannot be written for Node's env-file parser",
      );
  }
}

/** Percent-encodes everything but RFC 3986 unreserved characters (for URL user info and query values). */
export function percentEncode(value: string): string {
  return Array.from(new TextEncoder().encode(value), (b) => {
    const c = String.fromCharCode(b);
    return /[A-Za-z0-9\-._~]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }).join('');
}

/** A PHP single-quoted string literal. */
export function phpString(value: string): string {
  return `'${value.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

/** A Ruby single-quoted string literal (no interpolation; only `\\` and `\'` are escapes). */
export function rubyString(value: string): string {
  return `'${value.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

/** A Python string literal. JSON string syntax is a subset of Python's. */
export function pythonString(value: string): string {
  return JSON.stringify(value);
}

/** A JavaScript string literal. */
export function jsString(value: string): string {
  return JSON.stringify(value);
}

/** A POSIX shell word: bare when safe, else single-quoted. */
export function shellWord(value: string): string {
  if (/^[A-Za-z0-9_./:@%+=,-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A YAML scalar: JSON's double-quoted strings are valid YAML 1.1 and 1.2. */
export function yamlString(value: string): string {
  return JSON.stringify(value);
}

/**
 * An msmtprc argument. msmtp takes the rest of the line literally (no escapes, conf.c
 * trim_string); surrounding double quotes are removed, so they are added only to keep leading or
 * trailing blanks, or a value that itself starts and ends with a quote.
 */
export function msmtpArg(value: string): string {
  noNewline(value, 'msmtprc');
  const wrap = value === '' || /^[ \t]|[ \t]$/.test(value) || (value.length >= 2 && value.startsWith('"') && value.endsWith('"'));
  return wrap ? `"${value}"` : value;
}

/**
 * A Java `.properties` value: backslashes escaped, a leading space protected, and everything
 * outside printable ASCII as `\uXXXX` so the file reads the same as ISO-8859-1 or UTF-8.
 */
export function propertiesValue(value: string): string {
  noNewline(value, '.properties');
  let out = '';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (code < 0x20 || code > 0x7e) {
      for (const unit of ch.split('')) out += `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`;
    } else out += ch;
  }
  return out.startsWith(' ') ? `\\${out}` : out;
}

/** RFC 2047 `encoded-word` for a header phrase that is not plain ASCII; ASCII is returned quoted. */
export function encodedWord(value: string): string {
  if (/^[\x20-\x7e]*$/.test(value)) return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
  return `=?UTF-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}
