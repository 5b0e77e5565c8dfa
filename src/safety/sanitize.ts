/**
 * The one sanitiser for outside text (SPEC §7 "Outside text cannot steer the reader"): server
 * replies, DNS data, YAML keys and values, environment values. In line-oriented output such text
 * never starts a new line and never carries C0/C1 controls, escape sequences or bidirectional
 * overrides (Trojan Source, CVE-2021-42574) to a terminal or a CI log. Each format still escapes
 * for its own syntax (JSON, XML, workflow commands); this is the common floor.
 */

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Replaces every control character except those in `keep` by a visible one-column stand-in:
 * C0 controls by their Unicode Control Pictures (ESC → ␛), DEL by ␡; C1 controls, bidirectional
 * formatting characters, lone surrogates and the non-characters U+FFFE/U+FFFF by U+FFFD. One
 * code unit in, one code unit out, so columns stay where they were.
 */
export function visibleControls(text: string, keep = ''): string {
  return text.replace(LONE_SURROGATE, '\uFFFD').replace(/[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2028\u2029\u2066-\u2069\uFFFE\uFFFF]/g, (ch) => {
    if (keep.includes(ch)) return ch;
    const code = ch.charCodeAt(0);
    if (code < 0x20) return String.fromCharCode(0x2400 + code);
    if (code === 0x7f) return '\u2421';
    return '\uFFFD';
  });
}

/** Outside text for one line of output: every control character (CR and LF included) made visible. */
export function outsideText(text: string): string {
  return visibleControls(text);
}
