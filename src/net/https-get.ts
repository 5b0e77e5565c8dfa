/**
 * A small, bounded HTTPS GET for policy files (MTA-STS, RFC 8461 §3.3): verified TLS (the
 * system's roots, NODE_EXTRA_CA_CERTS, plus an optional extra CA), no redirects, a size cap and a
 * time limit; the host's address from the run's resolver when one was given (SPEC §2).
 */
import { request } from 'node:https';
import { isIP } from '../config/ip.ts';
import { rootCertificates } from 'node:tls';
import type { LookupFunction } from 'node:net';

export interface HttpsGetOptions {
  timeoutMs: number;
  maxBytes: number;
  signal?: AbortSignal;
  /** extra trusted CA (PEM), on top of the system's roots */
  caPem?: string;
  /** resolves the host (A/AAAA through `--resolver`); getaddrinfo when absent */
  resolve?: (host: string) => Promise<string[]>;
  /** port instead of 443 (local sandboxes only) */
  port?: number;
}

export type HttpsGetResult =
  | { ok: true; status: number; contentType: string; body: string }
  | { ok: false; kind: 'dns' | 'tls' | 'timeout' | 'http' | 'redirect' | 'too-large' | 'socket'; message: string; status?: number };

export function httpsGet(url: URL, options: HttpsGetOptions): Promise<HttpsGetResult> {
  return new Promise((resolvePromise) => {
    let done = false;
    const finish = (r: HttpsGetResult): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      req.destroy();
      resolvePromise(r);
    };
    const lookup: LookupFunction | undefined = options.resolve
      ? (hostname, opts, cb) => {
          options.resolve!(hostname).then(
            (addrs) => {
              const address = addrs[0];
              if (!address) cb(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 4);
              else if ((opts as { all?: boolean }).all) (cb as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, addrs.map((a) => ({ address: a, family: isIP(a) })));
              else cb(null, address, isIP(address));
            },
            (err: Error) => cb(err, '', 4),
          );
        }
      : undefined;
    const req = request(
      {
        host: url.hostname,
        port: options.port ?? 443,
        path: `${url.pathname}${url.search}`,
        method: 'GET',
        servername: url.hostname,
        ca: options.caPem ? [...rootCertificates, options.caPem] : undefined,
        rejectUnauthorized: true,
        headers: { accept: 'text/plain', 'user-agent': 'mailcheck' },
        ...(lookup ? { lookup } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      },
      (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 300 && status < 400) return finish({ ok: false, kind: 'redirect', status, message: `HTTP ${status}: redirects are not followed (RFC 8461 §3.3)` });
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > options.maxBytes) return finish({ ok: false, kind: 'too-large', message: `the body is over ${options.maxBytes} bytes` });
          chunks.push(c);
        });
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          if (status !== 200) finish({ ok: false, kind: 'http', status, message: `HTTP ${status}` });
          else finish({ ok: true, status, contentType: String(res.headers['content-type'] ?? ''), body });
        });
        res.on('error', (err) => finish({ ok: false, kind: 'socket', message: err.message }));
      },
    );
    const timer = setTimeout(() => finish({ ok: false, kind: 'timeout', message: `no answer within ${options.timeoutMs} ms` }), options.timeoutMs);
    req.on('error', (err: NodeJS.ErrnoException) => {
      const code = err.code ?? '';
      const kind = code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'dns' : /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO|ERR_TLS/.test(code + err.message) ? 'tls' : 'socket';
      finish({ ok: false, kind, message: code ? `${code}: ${err.message}` : err.message });
    });
    req.end();
  });
}
