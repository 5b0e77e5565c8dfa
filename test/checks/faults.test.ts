import { afterAll, beforeAll, expect, test } from 'vitest';
import { runChecks } from '../../src/checks/run.ts';
import { FAULT_MODES, startSandbox, type FaultMode, type Sandbox } from '../../src/sandbox/index.ts';
import type { CheckStatus } from '../../src/types.ts';
import { byId, sandboxProfile, sandboxRun } from './helpers.ts';

/** What each sandbox fault must produce: the check id, its status and reason. */
const EXPECTED: Record<FaultMode, { id: string; status: CheckStatus; reason: string }> = {
  tarpit: { id: 'smtp.greeting', status: 'fail', reason: 'timeout-implicit' },
  'no-starttls': { id: 'smtp.starttls', status: 'fail', reason: 'not-offered' },
  'wrong-name-cert': { id: 'tls.handshake', status: 'fail', reason: 'wrong-name' },
  'expired-cert': { id: 'tls.handshake', status: 'fail', reason: 'expired' },
  'self-signed-cert': { id: 'tls.handshake', status: 'fail', reason: 'untrusted' },
  'expiring-cert': { id: 'tls.handshake', status: 'warn', reason: 'expiring' },
  'reply-421': { id: 'smtp.greeting', status: 'fail', reason: 'rejected' },
  'reply-535': { id: 'smtp.auth', status: 'fail', reason: 'rejected' },
  'endless-line': { id: 'smtp.greeting', status: 'fail', reason: 'line-too-long' },
};

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox();
});
afterAll(async () => {
  await sb.close();
});

test('every fault mode is covered', () => {
  expect(Object.keys(EXPECTED).sort()).toEqual([...FAULT_MODES].sort());
});

for (const mode of FAULT_MODES) {
  test(`${mode}: ${EXPECTED[mode].id} ${EXPECTED[mode].status} (${EXPECTED[mode].reason}), before the deadline`, async () => {
    const fault = await sb.startFault(mode);
    const deadlineMs = 10_000;
    const started = Date.now();
    const before = sb.sessions.length;
    const results = await runChecks([sandboxProfile(sb, fault, fault.encryption, { name: mode })], sandboxRun(sb, { timeoutMs: 500, deadlineMs }));
    expect(Date.now() - started).toBeLessThan(deadlineMs);
    const want = EXPECTED[mode];
    expect(byId(results)[want.id]).toMatchObject({ status: want.status, details: { reason: want.reason } });
    // nothing is left pending: every planned check has a result
    for (const r of results) expect(['pass', 'warn', 'fail', 'skip']).toContain(r.status);
    if (mode === 'no-starttls') {
      await new Promise((r) => setTimeout(r, 50));
      const mine = sb.sessions.slice(before).filter((s) => s.listener === mode);
      expect(mine).toHaveLength(1);
      expect(mine[0]!.commands).not.toContain('AUTH');
      expect(byId(results)['smtp.auth']?.status).toBe('skip');
    }
  });
}
