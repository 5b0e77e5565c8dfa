import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { requireProgram } from './helpers.ts';

const root = join(import.meta.dirname, '..', '..');
const prom = join(root, 'deploy', 'prometheus');

function promtool(args: string[], cwd = root): { status: number | null; out: string } {
  const r = spawnSync(requireProgram('promtool'), args, { cwd, encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, out: r.stdout + r.stderr };
}

describe('Prometheus artefacts', () => {
  test('promtool check config (scrape config with its rule file)', () => {
    const r = promtool(['check', 'config', join(prom, 'prometheus.yml')]);
    expect(r, r.out).toMatchObject({ status: 0 });
    expect(r.out).toContain('5 rules found');
  });

  test('promtool check rules', () => {
    const r = promtool(['check', 'rules', join(prom, 'mailcheck-alerts.yml')]);
    expect(r, r.out).toMatchObject({ status: 0 });
  });

  test('blackbox-style relabelling: the target becomes ?profile= and the instance', () => {
    const [doc] = parseAllDocuments(readFileSync(join(prom, 'prometheus.yml'), 'utf8'));
    const job = (doc!.toJS() as { scrape_configs: { job_name: string; metrics_path?: string; relabel_configs?: { source_labels?: string[]; target_label: string }[] }[] }).scrape_configs.find(
      (j) => j.job_name === 'mailcheck',
    )!;
    expect(job.metrics_path).toBe('/probe');
    expect(job.relabel_configs).toContainEqual({ source_labels: ['__address__'], target_label: '__param_profile' });
    expect(job.relabel_configs).toContainEqual({ source_labels: ['__param_profile'], target_label: 'instance' });
  });

  test('promtool test rules: each alert fires on the series the exporter emits', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailcheck-rules-'));
    // the expressions, durations and labels are under test; annotations (templates) are checked by `check rules`
    const rules = parseAllDocuments(readFileSync(join(prom, 'mailcheck-alerts.yml'), 'utf8'))[0]!.toJS() as { groups: { rules: { annotations?: unknown }[] }[] };
    for (const g of rules.groups) for (const r of g.rules) delete r.annotations;
    writeFileSync(join(dir, 'mailcheck-alerts.yml'), JSON.stringify(rules));
    const day = 86400;
    const tests = {
      rule_files: ['mailcheck-alerts.yml'],
      evaluation_interval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: [
            { series: 'probe_success{job="mailcheck",instance="prod"}', values: '0x120' },
            // expires 10 days after the test's epoch
            { series: 'probe_ssl_earliest_cert_expiry{job="mailcheck",instance="prod"}', values: `${10 * day}x120` },
            { series: 'mailcheck_check_success{job="mailcheck",instance="prod",check="oauth.token"}', values: '0x120' },
            { series: 'mailcheck_check_success{job="mailcheck",instance="prod",check="dns.dkim"}', values: '0x120' },
            { series: 'mailcheck_exporter_config_last_reload_successful{job="mailcheck_exporter",instance="x"}', values: '0x120' },
          ],
          alert_rule_test: [
            { eval_time: '2h', alertname: 'MailProbeFailing', exp_alerts: [{ exp_labels: { severity: 'critical', job: 'mailcheck', instance: 'prod' } }] },
            { eval_time: '2h', alertname: 'MailCertificateExpiringSoon', exp_alerts: [{ exp_labels: { severity: 'warning', job: 'mailcheck', instance: 'prod' } }] },
            { eval_time: '2h', alertname: 'MailOAuthTokenRefreshFailing', exp_alerts: [{ exp_labels: { severity: 'critical', job: 'mailcheck', instance: 'prod', check: 'oauth.token' } }] },
            { eval_time: '2h', alertname: 'MailDkimCheckFailing', exp_alerts: [{ exp_labels: { severity: 'warning', job: 'mailcheck', instance: 'prod', check: 'dns.dkim' } }] },
            { eval_time: '2h', alertname: 'MailcheckExporterConfigReloadFailed', exp_alerts: [{ exp_labels: { severity: 'warning', job: 'mailcheck_exporter', instance: 'x' } }] },
          ],
        },
      ],
    };
    writeFileSync(join(dir, 'tests.yml'), JSON.stringify(tests));
    const r = promtool(['test', 'rules', 'tests.yml'], dir);
    expect(r, r.out).toMatchObject({ status: 0 });
  });
});

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  spec: Record<string, unknown>;
}

describe('Kubernetes manifests (structure)', () => {
  const docs = parseAllDocuments(readFileSync(join(root, 'deploy', 'kubernetes', 'mailcheck-exporter.yaml'), 'utf8')).map((d) => {
    expect(d.errors).toEqual([]);
    return d.toJS() as K8sObject;
  });
  const byKind = (kind: string): K8sObject => {
    const o = docs.find((d) => d.kind === kind);
    if (!o) throw new Error(`no ${kind}`);
    return o;
  };

  test('a Deployment, a Service and a ServiceMonitor with their API versions', () => {
    expect(docs.map((d) => `${d.apiVersion} ${d.kind}`).sort()).toEqual(['apps/v1 Deployment', 'monitoring.coreos.com/v1 ServiceMonitor', 'v1 Service']);
    for (const d of docs) expect(d.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
  });

  test('selectors match labels; ports line up by name; the exporter listens beyond loopback', () => {
    const dep = byKind('Deployment').spec as {
      selector: { matchLabels: Record<string, string> };
      template: { metadata: { labels: Record<string, string> }; spec: { containers: { args: string[]; ports: { name: string; containerPort: number }[]; readinessProbe: { httpGet: { path: string; port: string } } }[] } };
    };
    expect(dep.template.metadata.labels).toMatchObject(dep.selector.matchLabels);
    const c = dep.template.spec.containers[0]!;
    expect(c.args[0]).toBe('exporter');
    const listen = c.args[c.args.indexOf('--listen') + 1]!;
    expect(listen).toBe('[::]:9465');
    expect(c.ports).toContainEqual({ name: 'http', containerPort: 9465, protocol: 'TCP' });
    expect(c.readinessProbe.httpGet).toEqual({ path: '/-/healthy', port: 'http' });

    const svc = byKind('Service');
    const svcSpec = svc.spec as { selector: Record<string, string>; ports: { name: string; targetPort: string }[] };
    expect(dep.template.metadata.labels).toMatchObject(svcSpec.selector);
    expect(svcSpec.ports[0]).toMatchObject({ name: 'http', targetPort: 'http' });

    const sm = byKind('ServiceMonitor').spec as { selector: { matchLabels: Record<string, string> }; endpoints: { port: string; path: string; params?: { profile?: string[] } }[] };
    expect(svc.metadata.labels).toMatchObject(sm.selector.matchLabels);
    expect(sm.endpoints.map((e) => e.port)).toEqual(sm.endpoints.map(() => 'http'));
    const probes = sm.endpoints.filter((e) => e.path === '/probe');
    expect(probes.length).toBeGreaterThan(0);
    for (const p of probes) expect(p.params?.profile).toHaveLength(1);
    expect(sm.endpoints.some((e) => e.path === '/metrics')).toBe(true);
  });
});

describe('systemd unit (structure)', () => {
  const text = readFileSync(join(root, 'deploy', 'systemd', 'mailcheck-exporter.service'), 'utf8');
  const sections = new Map<string, Map<string, string>>();
  let current = '';
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (!t || t.startsWith('#')) continue;
    const s = /^\[(\w+)\]$/.exec(t);
    if (s) {
      current = s[1]!;
      sections.set(current, new Map());
      continue;
    }
    const i = t.indexOf('=');
    sections.get(current)!.set(t.slice(0, i), t.slice(i + 1));
  }

  test('runs the exporter, reloads with SIGHUP, stops with SIGTERM after the probe deadline', () => {
    expect([...sections.keys()]).toEqual(['Unit', 'Service', 'Install']);
    const svc = sections.get('Service')!;
    expect(svc.get('ExecStart')).toMatch(/mailcheck exporter .* --listen 127\.0\.0\.1:9465/);
    expect(svc.get('ExecReload')).toBe('/bin/kill -HUP $MAINPID');
    expect(svc.get('KillSignal')).toBe('SIGTERM');
    expect(Number.parseInt(svc.get('TimeoutStopSec') ?? '0', 10)).toBeGreaterThan(30);
    expect(sections.get('Install')!.get('WantedBy')).toBe('multi-user.target');
  });
});
