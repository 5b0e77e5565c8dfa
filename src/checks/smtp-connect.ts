import { failureData } from './common.ts';
import { portOf } from '../config/profile-facts.ts';
import type { Check, CheckOutcome } from './types.ts';

/** `smtp.connect`: TCP reaches host:port. */
export const smtpConnect: Check = {
  meta: {
    id: 'smtp.connect',
    title: 'TCP connect',
    description: 'TCP reaches host:port; a timeout on port 25 says outbound 25 is probably blocked',
    outcomes: {
      pass: 'TCP reaches host:port',
      fail: 'refused, unreachable, timeout — on port 25 with "outbound 25 is probably blocked"',
      skip: 'host did not resolve',
    },
    needs: ['session'],
    groups: ['smtp', 'connect'],
    messages: {
      ok: 'connected to {{address}}:{{port}}',
      'timeout-25': 'no TCP connection to {{host}}:25 ({{reason}}): outbound port 25 is probably blocked by this network or cloud provider',
      timeout: 'no TCP connection to {{host}}:{{port}} ({{reason}})',
      refused: '{{host}}:{{port}} refused the connection (nothing listens there)',
      unreachable: '{{host}}:{{port}} is unreachable ({{reason}})',
      failed: 'cannot connect to {{host}}:{{port}}: {{reason}}',
    },
    hints: {
      'timeout-25': 'use the submission port: 587 with encryption: starttls, or 465 with encryption: ssl',
      timeout: 'a firewall may drop the traffic; check the port and the egress rules',
      refused: 'check the port (465 ssl, 587 starttls) and that the server runs',
    },
  },
  appliesTo: (p) => p.transport === 'smtp',
  requires: () => ['dns.host'],
  async run(ctx): Promise<CheckOutcome> {
    const t = await ctx.probe.smtp('connect');
    const port = portOf(ctx.profile);
    const host = ctx.profile.host ?? '';
    const c = t.connect;
    const details = { address: t.address ?? null, port };
    if (c.ok) return { status: 'pass', messageId: 'ok', data: { address: t.address ?? host, port }, details, durationMs: c.durationMs };
    const data = { host, port, ...failureData(c.failure) };
    const kind = c.failure?.kind;
    if (kind === 'timeout') {
      const id = port === 25 ? 'timeout-25' : 'timeout';
      return { status: 'fail', messageId: id, hintId: id, data, details, durationMs: c.durationMs };
    }
    if (kind === 'refused') return { status: 'fail', messageId: 'refused', hintId: 'refused', data, details, durationMs: c.durationMs };
    if (kind === 'unreachable') return { status: 'fail', messageId: 'unreachable', data, details, durationMs: c.durationMs };
    return { status: 'fail', messageId: 'failed', data, details, durationMs: c.durationMs };
  },
};
