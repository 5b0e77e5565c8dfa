/**
 * The sandbox authorization server's automatic approval of device codes: acts as the signed-in
 * user on its own pages (follows redirects with cookies, signs in, submits the confirmation form),
 * so a demo of `mailcheck oauth login --flow device` runs with no browser. Bounded to 30 steps.
 */
import { request, type RequestOptions } from 'node:https';
import type { IncomingMessage } from 'node:http';

interface Answer {
  status: number;
  location?: string;
  body: string;
  cookies: string[];
}

function send(url: string, caPem: string, method: 'GET' | 'POST', cookie: string, form?: Record<string, string>): Promise<Answer> {
  const body = form ? new URLSearchParams(form).toString() : undefined;
  const headers: Record<string, string> = { ...(cookie ? { cookie } : {}), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) };
  const options: RequestOptions = { method, headers, ca: caPem, agent: false };
  return new Promise((resolve, reject) => {
    const req = request(new URL(url), options, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size <= 1 << 20) chunks.push(c);
      });
      res.on('end', () => {
        const loc = res.headers.location;
        resolve({ status: res.statusCode ?? 0, ...(loc ? { location: new URL(loc, url).toString() } : {}), body: Buffer.concat(chunks).toString('utf8'), cookies: res.headers['set-cookie'] ?? [] });
      });
    });
    req.setTimeout(10_000, () => req.destroy(new Error('sandbox approval: timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

const attr = (tag: string, name: string): string | undefined => new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1]?.replace(/&amp;/g, '&');

/**
 * Opens `url` (a verification URI, or an authorization URL) as `login`: follows redirects with
 * cookies, signs in, and submits every form on the way (confirming, or with `deny` aborting).
 * Returns the URL it was sent to off the server (the app's redirect URI, which it does not open),
 * or undefined when it ended on the server's last page. An error page or 30 pages end it with an
 * error. The sandbox approves device codes with it; the tests drive both flows with it.
 */
export async function actAsUser(url: string, caPem: string, login: string, options: { deny?: boolean } = {}): Promise<string | undefined> {
  const jar = new Map<string, string>();
  const origin = new URL(url).origin;
  let next: { url: string; method: 'GET' | 'POST'; form?: Record<string, string> } = { url, method: 'GET' };
  for (let step = 0; step < 30; step++) {
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const a = await send(next.url, caPem, next.method, cookie, next.form);
    // an error page ends the walk: said to the sandbox's user, who can still use a browser
    if (a.status >= 400) throw new Error(`${new URL(next.url).pathname} answered ${a.status}`);
    for (const c of a.cookies) {
      const pair = c.split(';')[0] ?? '';
      const eq = pair.indexOf('=');
      const value = pair.slice(eq + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(c)) jar.delete(pair.slice(0, eq));
      else jar.set(pair.slice(0, eq), value);
    }
    if (a.location) {
      if (new URL(a.location).origin !== origin) return a.location;
      next = { url: a.location, method: 'GET' };
      continue;
    }
    const formTag = /<form\b[^>]*>/i.exec(a.body)?.[0];
    if (!formTag) return undefined;
    const start = a.body.indexOf(formTag);
    const inner = a.body.slice(start, a.body.indexOf('</form>', start));
    const form: Record<string, string> = {};
    for (const m of inner.matchAll(/<input\b[^>]*>/gi)) {
      const name = attr(m[0], 'name');
      if (name) form[name] = attr(m[0], 'value') ?? '';
    }
    // the empty user code page: the device request is finished (or was aborted) here
    if ('user_code' in form && form.user_code === '') return undefined;
    if ('login' in form) form.login = login;
    if ('password' in form) form.password = 'sandbox';
    if (options.deny && 'confirm' in form) {
      delete form.confirm;
      form.abort = 'yes';
    }
    next = { url: new URL(attr(formTag, 'action') ?? next.url, next.url).toString(), method: 'POST', form };
  }
  throw new Error('no end after 30 pages');
}

/** Approves a device code (its verification_uri_complete) as `login`. */
export async function approveAs(url: string, caPem: string, login: string): Promise<void> {
  await actAsUser(url, caPem, login);
}
