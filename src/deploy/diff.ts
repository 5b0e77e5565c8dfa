/** A small line diff for deploy's change summary (the files are a few dozen lines). */

export interface DiffLine {
  op: '+' | '-';
  text: string;
}

/** Lines removed from `before` and added in `after`, in file order (LCS-based). */
export function diffLines(before: string, after: string): DiffLine[] {
  const a = before === '' ? [] : before.replace(/\n$/, '').split('\n');
  const b = after === '' ? [] : after.replace(/\n$/, '').split('\n');
  const n = a.length;
  const m = b.length;
  // lcs[i][j] = length of the LCS of a[i..] and b[j..]
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      i++;
      j++;
    } else if (j < m && (i === n || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) {
      out.push({ op: '+', text: b[j++]! });
    } else {
      out.push({ op: '-', text: a[i++]! });
    }
  }
  return out;
}

/** keys that name a secret; URL user info (a DSN); a Postfix sasl_passwd line */
const SECRETISH = [/pass|secret|token|pwd|credential|apikey|api_key/i, /:\/\/[^\s/@]*:[^\s/]*@/, /^\[[^\]]+\](:\d+)?\s+\S/];

/**
 * A diff line fit for a CI log: lines that may carry a secret (a password key, or one of the
 * `values` written with --secrets inline) are replaced by a marker. Old files are treated the
 * same way, since an earlier inline render may have put a secret there.
 */
export function redactLine(text: string, values: readonly string[]): string {
  if (SECRETISH.some((re) => re.test(text)) || values.some((v) => v.length > 0 && text.includes(v))) {
    return '[line hidden: it may hold a secret]';
  }
  return text;
}
