import { allowedKeys, describe, didYouMean } from '../config/schema-keys.ts';
import { hostProblem } from '../config/host.ts';
import { joinPointer, splitPointer } from '../config/pointer.ts';
import type { Finding, Rule, SchemaViolation } from '../types.ts';

function valueAt(data: unknown, segments: readonly string[]): unknown {
  let v = data;
  for (const s of segments) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = Object.prototype.hasOwnProperty.call(v, s) ? (v as Record<string, unknown>)[s] : undefined;
  }
  return v;
}

function kindOf(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the string "${v.length > 40 ? `${v.slice(0, 40)}…` : v}"`;
  if (typeof v === 'number') return Number.isInteger(v) ? `the number ${v}` : `the decimal ${v}`;
  return `${typeof v} ${String(v)}`;
}

const isMapping = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v);

/** How a location is named in messages: `port`, `tls.verify`, `profile "prod"`, `defaults`. */
function fieldName(segments: readonly string[]): string {
  if (segments[0] === 'profiles' && segments.length >= 2) {
    return segments.length === 2 ? `profile "${segments[1]}"` : segments.slice(2).join('.');
  }
  return segments.join('.') || 'the file';
}

/** Unknown keys that get a "did you mean" (see the engine's cap of diagnostics per rule). */
const MAX_SUGGESTIONS = 1000;

const EXPECTED_TYPE: Record<string, string> = { integer: 'a whole number', number: 'a number', string: 'a string', boolean: 'true or false', object: 'a mapping', array: 'a list' };

export const rule: Rule = {
  meta: {
    id: 'schema',
    severity: 'error',
    description: 'The file does not match the mail.yaml schema (unknown keys, wrong types, values out of range).',
    rationale: 'A misspelt key is silently ignored by most apps; a wrong type or value fails only at send time. The schema is also what editors use to help.',
    fix: 'Change the value or key as the message says; `mailcheck schema` prints the full schema.',
    example: { bad: 'profiles:\n  prod:\n    hots: smtp.example.com\n    port: "587"\n    encryption: tls', good: 'profiles:\n  prod:\n    host: smtp.example.com\n    port: 587\n    encryption: starttls' },
    messages: {
      empty: 'the file is empty; a mail.yaml needs `version: 1` and `profiles`',
      notMapping: 'the file must be a mapping with `version: 1` and `profiles`, not {{actual}}',
      required: 'missing required key "{{key}}" in {{field}}',
      profileRequires: 'profile "{{profile}}" has no {{key}} (set it in the profile, in defaults, or through a preset)',
      unknownKey: 'unknown key "{{key}}" in {{field}}{{suggestion}}',
      type: '{{field}} must be {{expected}}, not {{actual}}',
      tlsAmbiguous: '"tls" is ambiguous for encryption: apps use it both for implicit TLS (SMTPS, port 465) and for STARTTLS (port 587); write ssl or starttls',
      enum: '{{field}} must be one of {{allowed}}, not {{actual}}{{suggestion}}',
      version: 'unsupported version {{actual}}: this mailcheck reads version 1',
      range: '{{field}} must be between {{min}} and {{max}}, not {{actual}}',
      minimum: '{{field}} must be at least {{limit}}, not {{actual}}',
      badHost: '{{field}} must be a host name or IP address, not {{actual}}',
      pattern: '{{field}} {{actual}} is not valid: {{expected}}',
      badName: 'invalid name "{{name}}" in {{field}}: use letters, digits, ".", "_" and "-"',
      noProfiles: 'profiles must hold at least one profile',
      tooShort: '{{field}} must not be empty',
      tooLong: '{{field}} is longer than {{limit}} characters',
      tooMany: '{{field}} has more than {{limit}} entries',
      expected: '{{field}} must be {{expected}}, not {{actual}}',
      durationRange: '{{field}} must be a duration between 1ms and 24h, not {{actual}}',
    },
    hints: {
      tlsAmbiguous: 'port 465 → encryption: ssl; port 587 → encryption: starttls',
      version: 'set version: 1, or upgrade mailcheck',
    },
    fixable: true,
  },
  check(ctx) {
    // Linear in the number of violations (a hostile file has hundreds of thousands): every
    // question about "the other errors under this anyOf" is answered from one index.
    const errors = ctx.schemaViolations;
    const anyOfPaths = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
    const propertyNamesPaths = new Set(errors.filter((e) => e.keyword === 'propertyNames').map((e) => e.instancePath));
    /** anyOf path → the errors at or below it, other than `type` and `anyOf` */
    const under = new Map<string, SchemaViolation[]>();
    const enclosingOf = new Map<SchemaViolation, string>();
    for (const e of errors) {
      if (anyOfPaths.size === 0) break;
      let found: string | undefined;
      const path = e.instancePath;
      for (let end = 0; end !== -1; end = path.indexOf('/', end + 1)) {
        const p = end === 0 ? '' : path.slice(0, end);
        if (anyOfPaths.has(p)) found ??= p;
        if (anyOfPaths.has(p) && e.keyword !== 'type' && e.keyword !== 'anyOf') (under.get(p) ?? under.set(p, []).get(p)!).push(e);
      }
      if (path !== '' && anyOfPaths.has(path)) {
        found ??= path;
        if (e.keyword !== 'type' && e.keyword !== 'anyOf') (under.get(path) ?? under.set(path, []).get(path)!).push(e);
      }
      if (found !== undefined && e.keyword !== 'anyOf') enclosingOf.set(e, found);
    }
    const branchOf = (o: SchemaViolation): string => /\/anyOf\/(\d+)\//.exec(o.schemaPath)?.[1] ?? o.schemaPath;
    const branchCount = (list: readonly SchemaViolation[]): number => new Set(list.map(branchOf)).size;
    const siblingBranches = new Map<string, number>();
    const out: Finding[] = [];
    const seen = new Set<string>();
    const push = (f: Finding): void => {
      const key = `${f.pointer}|${f.messageId}|${JSON.stringify(f.data)}`;
      if (seen.has(key)) return;
      seen.add(key);
      out.push(f);
    };
    let unknownKeys = 0;
    const profileOf = (segs: string[]): string | undefined => (segs[0] === 'profiles' && segs[1] !== undefined ? segs[1] : undefined);
    for (const e of errors) {
      const segs = splitPointer(e.instancePath);
      const value = valueAt(ctx.raw, segs);
      const base = { profile: profileOf(segs) };
      const enclosing = enclosingOf.get(e);
      if (enclosing !== undefined) {
        // inside an anyOf: only the object branch's key errors are worth showing, for a mapping
        const v = valueAt(ctx.raw, splitPointer(enclosing));
        if (!isMapping(v) || (!['additionalProperties', 'required'].includes(e.keyword) && e.instancePath === enclosing)) continue;
        let n = siblingBranches.get(enclosing);
        if (n === undefined) siblingBranches.set(enclosing, (n = branchCount(under.get(enclosing) ?? [])));
        if (n > 1) continue;
      }
      if (e.keyword === 'anyOf') {
        // a mapping that fits one object branch gets that branch's key errors; one that fits
        // several (a secret written as { vault: x }) gets the summary of what is expected
        const children = (under.get(e.instancePath) ?? []).filter((o) => o !== e && (o.instancePath !== e.instancePath || ['additionalProperties', 'required'].includes(o.keyword)));
        const childSpeaks = isMapping(value) && children.length > 0 && branchCount(children) === 1;
        if (childSpeaks) continue;
        push({ ...base, messageId: 'expected', pointer: e.instancePath, data: { field: fieldName(segs), expected: (describe(segs) ?? 'a valid value').replace(/\.$/, ''), actual: kindOf(value) } });
        continue;
      }
      switch (e.keyword) {
        case 'type':
          if (segs.length === 0) {
            push({ messageId: value === null || value === undefined ? 'empty' : 'notMapping', pointer: '', data: { actual: kindOf(value) } });
          } else {
            const quotedNumber = typeof value === 'string' && /^[0-9]+$/.test(value) && e.params.type === 'integer';
            push({
              ...base,
              messageId: 'type',
              pointer: e.instancePath,
              data: { field: fieldName(segs), expected: EXPECTED_TYPE[String(e.params.type)] ?? String(e.params.type), actual: kindOf(value) },
              ...(quotedNumber ? { hint: `write ${segs[segs.length - 1]}: ${String(value)} without quotes` } : {}),
            });
          }
          break;
        case 'required': {
          const key = String(e.params.missingProperty);
          push({ ...base, messageId: 'required', pointer: joinPointer([...segs, key]), data: { key, field: fieldName(segs) } });
          break;
        }
        case 'profileRequires':
          push({ ...base, messageId: 'profileRequires', pointer: e.instancePath, atKey: true, data: { key: String(e.params.missingProperty), profile: String(e.params.profile) } });
          break;
        case 'additionalProperties': {
          const key = String(e.params.additionalProperty);
          const allowed = allowedKeys(segs);
          // the engine shows 100 diagnostics per rule; past 1,000 unknown keys a spelling
          // suggestion would never be read (and costs an edit distance per allowed key)
          const suggestion = ++unknownKeys <= MAX_SUGGESTIONS ? didYouMean(key, allowed) : undefined;
          // the fix renames the key, unless the suggested one is there already (a duplicate key)
          const parent = valueAt(ctx.raw, segs);
          const rename = suggestion && isMapping(parent) && !Object.hasOwn(parent as object, suggestion) ? { fix: { value: suggestion } } : {};
          push({
            ...base,
            ...rename,
            messageId: 'unknownKey',
            pointer: joinPointer([...segs, key]),
            atKey: true,
            data: { key, field: fieldName(segs), suggestion: suggestion ? `; did you mean "${suggestion}"?` : '' },
            hint: suggestion ? `rename it to ${suggestion}` : `allowed here: ${allowed.join(', ')}`,
          });
          break;
        }
        case 'propertyNames':
          push({ ...base, messageId: 'badName', pointer: joinPointer([...segs, String(e.params.propertyName)]), atKey: true, data: { name: String(e.params.propertyName), field: fieldName(segs) } });
          break;
        case 'pattern':
          // propertyNames reports its pattern failure too, on the parent path
          if (propertyNamesPaths.has(e.instancePath)) break;
          if (segs[segs.length - 1] === 'host') {
            const v = String(value);
            const hint = v.includes('://') || v.includes('/')
              ? 'write only the host name, e.g. smtp.example.com; the port goes in port: and the encryption in encryption:'
              : /\s/.test(v)
                ? 'remove the white space'
                : hostProblem(v) === 'port'
                  ? 'write the port separately in port:'
                  : 'a host name such as smtp.example.com, or an IP address';
            push({ ...base, messageId: 'badHost', pointer: e.instancePath, data: { field: fieldName(segs), actual: kindOf(value) }, hint });
          }
          else push({ ...base, messageId: 'pattern', pointer: e.instancePath, data: { field: fieldName(segs), actual: kindOf(value), expected: (describe(segs) ?? 'see `mailcheck schema`').replace(/\.$/, '') } });
          break;
        case 'enum': {
          const allowed = (e.params.allowedValues as unknown[]).map(String);
          if (segs[segs.length - 1] === 'encryption' && typeof value === 'string' && /^tls$/i.test(value)) {
            // the port written beside it says which one was meant; elsewhere there is no safe guess
            const port = valueAt(ctx.raw, [...segs.slice(0, -1), 'port']);
            const meant = port === 465 ? 'ssl' : port === 587 ? 'starttls' : undefined;
            push({ ...base, messageId: 'tlsAmbiguous', pointer: e.instancePath, data: {}, ...(meant ? { fix: { value: meant } } : {}) });
            break;
          }
          const s = typeof value === 'string' ? didYouMean(value, allowed) : undefined;
          push({ ...base, messageId: 'enum', pointer: e.instancePath, data: { field: fieldName(segs), allowed: allowed.join(', '), actual: kindOf(value), suggestion: s ? `; did you mean "${s}"?` : '' } });
          break;
        }
        case 'const':
          if (segs.join('/') === 'version') push({ messageId: 'version', pointer: e.instancePath, data: { actual: kindOf(value) } });
          else push({ ...base, messageId: 'enum', pointer: e.instancePath, data: { field: fieldName(segs), allowed: String(e.params.allowedValue), actual: kindOf(value), suggestion: '' } });
          break;
        case 'minimum':
        case 'maximum':
          if (segs[segs.length - 1] === 'port') push({ ...base, messageId: 'range', pointer: e.instancePath, data: { field: fieldName(segs), min: 1, max: 65535, actual: kindOf(value) } });
          else push({ ...base, messageId: 'minimum', pointer: e.instancePath, data: { field: fieldName(segs), limit: Number(e.params.limit), actual: kindOf(value) } });
          break;
        case 'minProperties':
          push({ ...base, messageId: 'noProfiles', pointer: e.instancePath, atKey: true, data: {} });
          break;
        case 'minLength':
          push({ ...base, messageId: 'tooShort', pointer: e.instancePath, data: { field: fieldName(segs) } });
          break;
        case 'maxLength':
          push({ ...base, messageId: 'tooLong', pointer: e.instancePath, data: { field: fieldName(segs), limit: Number(e.params.limit) } });
          break;
        case 'durationRange':
          push({ ...base, messageId: 'durationRange', pointer: e.instancePath, data: { field: fieldName(segs), actual: kindOf(value) } });
          break;
        case 'maxItems':
          push({ ...base, messageId: 'tooMany', pointer: e.instancePath, data: { field: fieldName(segs), limit: Number(e.params.limit) } });
          break;
        default:
          push({ ...base, messageId: 'expected', pointer: e.instancePath, data: { field: fieldName(segs), expected: e.message ?? 'a valid value', actual: kindOf(value) } });
      }
    }
    return out;
  },
};

