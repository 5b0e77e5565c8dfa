/** JSON pointers (RFC 6901): how every diagnostic and check names a place in mail.yaml. */

/** Splits a JSON pointer (RFC 6901) into unescaped segments. */
export function splitPointer(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Builds a JSON pointer from raw segments, escaping `~` and `/`. */
export function joinPointer(segments: readonly (string | number)[]): string {
  return segments.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}
