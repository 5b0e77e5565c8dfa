/**
 * The exporter's own metrics (`GET /metrics`), with the standard client library prom-client:
 * probes answered and runs started (their difference is the sharing), failures by check and
 * reason, HTTP requests, configuration reloads, process and Node.js metrics. prom-client is
 * imported lazily: only the exporter loads it.
 */
import type { CheckResult } from '../types.ts';
import { VERSION } from '../version.ts';
import type { ConfigStore } from './config-store.ts';
import { isFailure, reasonOf } from './probe-metrics.ts';

export interface SelfMetrics {
  probe(results: readonly CheckResult[], success: boolean): void;
  run(): void;
  request(handler: string, code: number): void;
  reload(ok: boolean): void;
  /** the exposition text and its content type */
  render(): Promise<{ body: string; contentType: string }>;
}

export async function createSelfMetrics(store: ConfigStore): Promise<SelfMetrics> {
  const { Registry, Counter, Gauge, collectDefaultMetrics } = await import('prom-client');
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  // gauges named *_total break the naming rules promtool checks (prometheus/client_js#283, open);
  // their per-type series (nodejs_active_handles{type}…) stay, and sum() gives the total
  for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) registry.removeSingleMetric(name);
  const build = new Gauge({ name: 'mailcheck_exporter_build_info', help: 'The mailcheck version, as a label (always 1)', labelNames: ['version'], registers: [registry] });
  build.set({ version: VERSION }, 1);
  const probes = new Counter({ name: 'mailcheck_exporter_probes_total', help: 'Probes answered, by result', labelNames: ['result'], registers: [registry] });
  const runs = new Counter({ name: 'mailcheck_exporter_probe_runs_total', help: 'Check runs started (concurrent probes of one profile share one run)', registers: [registry] });
  const failures = new Counter({
    name: 'mailcheck_exporter_probe_failures_total',
    help: 'Failed checks in answered probes, by check id and reason (the check message id)',
    labelNames: ['check', 'reason'],
    registers: [registry],
  });
  const requests = new Counter({ name: 'mailcheck_exporter_http_requests_total', help: 'HTTP requests, by handler and status code', labelNames: ['handler', 'code'], registers: [registry] });
  const reloads = new Counter({ name: 'mailcheck_exporter_config_reloads_total', help: 'Configuration loads, by result', labelNames: ['result'], registers: [registry] });
  for (const result of ['success', 'failure']) {
    probes.inc({ result }, 0);
    reloads.inc({ result }, 0);
  }
  new Gauge({
    name: 'mailcheck_exporter_config_last_reload_successful',
    help: 'Whether the last configuration load succeeded (0: the last good configuration is still in use)',
    registers: [registry],
    collect() {
      this.set(store.status.ok ? 1 : 0);
    },
  });
  new Gauge({
    name: 'mailcheck_exporter_config_last_reload_success_timestamp_seconds',
    help: 'When the configuration last loaded, in unixtime',
    registers: [registry],
    collect() {
      this.set(store.status.lastSuccess ? store.status.lastSuccess.getTime() / 1000 : 0);
    },
  });
  new Gauge({
    name: 'mailcheck_exporter_config_last_reload_error_info',
    help: 'Why the last configuration load failed: a lint rule id or an error code (absent after a success)',
    labelNames: ['reason'],
    registers: [registry],
    collect() {
      this.reset();
      const reason = store.status.reason;
      if (!store.status.ok && reason && /^[A-Za-z0-9_.-]{1,64}$/.test(reason)) this.set({ reason }, 1);
    },
  });
  new Gauge({
    name: 'mailcheck_exporter_config_profiles',
    help: 'Profiles in the configuration in use',
    registers: [registry],
    collect() {
      try {
        this.set(store.config.profiles.size);
      } catch {
        this.set(0);
      }
    },
  });
  return {
    probe(results, success) {
      probes.inc({ result: success ? 'success' : 'failure' });
      for (const r of results) if (isFailure(r)) failures.inc({ check: r.id, reason: reasonOf(r) });
    },
    run: () => runs.inc(),
    request: (handler, code) => requests.inc({ handler, code: String(code) }),
    reload: (ok) => reloads.inc({ result: ok ? 'success' : 'failure' }),
    async render() {
      return { body: await registry.metrics(), contentType: registry.contentType };
    },
  };
}
