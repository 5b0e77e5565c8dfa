// Build step: presets/*.yaml → src/generated/presets.json (an array of Preset, sorted by id).
// Each file is validated against schema/preset.schema.json plus the cross-field checks a JSON
// schema cannot express; an invalid preset fails the build with its file name and the reason.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';

/** @param {string} file @param {string} message */
function fail(file, message) {
  const err = new Error(`presets/${file}: ${message}`);
  err.code = 'E_PRESET';
  throw err;
}

/**
 * Checks a JSON schema cannot express: id = file name, placeholders declared, indices in range,
 * every endpoint sourced.
 * @param {string} file
 * @param {Record<string, any>} p
 */
function crossCheck(file, p) {
  if (`${p.id}.yaml` !== file) fail(file, `id "${p.id}" must match the file name`);
  const transport = p.transport ?? 'smtp';
  if (transport === 'http' && !p.http) fail(file, 'transport http needs http.url');
  if (transport === 'smtp' && p.endpoints.length === 0) fail(file, 'an smtp preset needs at least one endpoint');
  const vars = p.variables ?? {};
  p.endpoints.forEach((e, i) => {
    for (const m of e.host.matchAll(/\{([a-z_][a-z0-9_]*)\}/g)) {
      if (!vars[m[1]]) fail(file, `endpoints/${i}: placeholder {${m[1]}} is not listed under variables`);
    }
    if (/[{}]/.test(e.host.replace(/\{[a-z_][a-z0-9_]*\}/g, ''))) fail(file, `endpoints/${i}: malformed placeholder in "${e.host}"`);
    const key = `${e.host}:${e.port}:${e.encryption}`;
    if (p.endpoints.findIndex((o) => `${o.host}:${o.port}:${o.encryption}` === key) !== i) {
      fail(file, `endpoints/${i}: duplicate endpoint ${key}`);
    }
  });
  const facts = new Set(p.sources.map((s) => s.fact));
  for (const s of p.sources) {
    const m = /^(endpoints|policies)\/(\d+)$/.exec(s.fact);
    if (m && Number(m[2]) >= (p[m[1]]?.length ?? 0)) fail(file, `sources: ${s.fact} does not exist`);
  }
  p.endpoints.forEach((_, i) => {
    if (!facts.has(`endpoints/${i}`) && !facts.has('preset')) fail(file, `endpoints/${i} has no entry in sources (use ref: unverified)`);
  });
  (p.policies ?? []).forEach((pol, i) => {
    if (!pol.date && !pol.expected) fail(file, `policies/${i}: needs a date, or \`expected\` saying what the provider said about when`);
  });
  for (const s of p.oauth2?.sources ?? []) {
    if (p.oauth2[s.fact] === undefined) fail(file, `oauth2.sources: ${s.fact} is not set`);
  }
  for (const d of p.disagreements ?? []) {
    if (d.endpoint >= p.endpoints.length) fail(file, `disagreements: endpoint ${d.endpoint} does not exist`);
  }
}

/** @param {Record<string, any>} p */
function normalise(p) {
  const provenance = [...p.sources, ...(p.oauth2?.sources ?? []).map((s) => ({ ...s, fact: `oauth2/${s.fact}` }))].map((s) => ({ ...s }));
  const refs = [...new Set(provenance.map((s) => s.ref))];
  /** @type {Record<string, any>} */
  const out = {
    id: p.id,
    name: p.name,
    aliases: p.aliases ?? [],
    domains: p.domains ?? [],
    mx: p.mx ?? [],
    endpoints: p.endpoints,
    public: p.public,
    auth: p.auth,
    policies: p.policies ?? [],
    docs: p.docs ?? [],
    sources: refs,
    provenance,
    disagreements: p.disagreements ?? [],
  };
  for (const key of ['limits', 'spfInclude', 'sending', 'enforcesSenderDomain', 'transport', 'http', 'variables', 'oauth2']) {
    if (p[key] !== undefined) out[key] = p[key];
  }
  if (out.oauth2) {
    const { sources: _sources, ...oauth2 } = out.oauth2;
    out.oauth2 = oauth2;
  }
  return out;
}

/** Compiles presets/*.yaml into src/generated/presets.json. */
export default async function buildPresets(root) {
  const dir = join(root, 'presets');
  const schema = JSON.parse(readFileSync(join(root, 'schema', 'preset.schema.json'), 'utf8'));
  const ajv = new Ajv({ allErrors: true, strict: true });
  const validate = ajv.compile(schema);
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
  const presets = [];
  const names = new Map();
  for (const file of files) {
    let data;
    try {
      data = parse(readFileSync(join(dir, file), 'utf8'), { uniqueKeys: true });
    } catch (err) {
      fail(file, `YAML: ${err.message.split('\n')[0]}`);
    }
    if (!validate(data)) {
      const first = validate.errors[0];
      const where = first.instancePath || '/';
      const extra = first.params?.additionalProperty ? ` (${first.params.additionalProperty})` : '';
      fail(file, `${where} ${first.message}${extra}`);
    }
    crossCheck(file, data);
    for (const name of [data.id, ...(data.aliases ?? [])].map((n) => n.toLowerCase())) {
      const other = names.get(name);
      if (other && other !== data.id) fail(file, `name "${name}" is already used by preset ${other}`);
      names.set(name, data.id);
    }
    presets.push(normalise(data));
  }
  presets.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  mkdirSync(join(root, 'src', 'generated'), { recursive: true });
  // where each fact came from is for `mailcheck presets` and the conformance tests, not for lint:
  // it is most of the bytes, so it goes to a file of its own that only they read
  const SOURCE_KEYS = ['provenance', 'disagreements', 'sources', 'docs'];
  const light = presets.map((p) => Object.fromEntries(Object.entries(p).filter(([k]) => !SOURCE_KEYS.includes(k))));
  const sources = Object.fromEntries(presets.map((p) => [p.id, Object.fromEntries(SOURCE_KEYS.map((k) => [k, p[k]]))]));
  writeFileSync(join(root, 'src', 'generated', 'presets.json'), `${JSON.stringify(light)}\n`);
  writeFileSync(join(root, 'src', 'generated', 'preset-sources.json'), `${JSON.stringify(sources)}\n`);
  return presets;
}
