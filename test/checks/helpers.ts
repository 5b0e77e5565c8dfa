import { Secret } from '../../src/config/secret.ts';
import type { CheckRunOptions } from '../../src/checks/run.ts';
import type { Sandbox, Endpoint } from '../../src/sandbox/index.ts';
import type { CheckResult, Encryption, Profile } from '../../src/types.ts';

export const PASSWORD_VAR = 'SANDBOX_PASSWORD';

/** A profile pointing at a sandbox listener (or fault), logging in with the sandbox user. */
export function sandboxProfile(
  sb: Sandbox,
  endpoint: Endpoint,
  encryption: Encryption,
  over: Partial<Profile> = {},
): Profile {
  const user = sb.users[0]!;
  return {
    name: over.name ?? `p-${endpoint.port}`,
    transport: 'smtp',
    host: endpoint.host,
    port: endpoint.port,
    encryption,
    auth: { method: 'plain', username: user.username, password: new Secret({ kind: 'env', name: PASSWORD_VAR }) },
    from: { address: user.username, name: 'Test' },
    bcc: [],
    tls: { ca: sb.caPath },
    ...over,
  };
}

/** Run options against the sandbox: its DNS responder, short step timeouts. */
export function sandboxRun(sb: Sandbox, over: Partial<CheckRunOptions> = {}): CheckRunOptions {
  return {
    env: { [PASSWORD_VAR]: sb.users[0]!.password },
    baseDir: process.cwd(),
    timeoutMs: 2000,
    deadlineMs: 20_000,
    resolver: `${sb.dns.host}:${sb.dns.port}`,
    concurrency: 8,
    allowCleartextAuth: () => true,
    caPem: sb.caPem,
    mtaStsPort: sb.mtaSts.endpoint.port,
    ...over,
  };
}

/** Results of one profile by check id. */
export function byId(results: CheckResult[], profile?: string): Record<string, CheckResult> {
  const out: Record<string, CheckResult> = {};
  for (const r of results) if (!profile || r.profile === profile) out[r.id] = r;
  return out;
}

export function reasonOf(r: CheckResult | undefined): unknown {
  return r?.details?.reason;
}
