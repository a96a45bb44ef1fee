import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';

export interface GuardOptions {
  /** The port the studio listens on (known only once it listens when 0 was asked for). */
  port: () => number;
  token: string;
}

/** The cookie that carries the token; named per port because browsers share cookies across ports. */
export function cookieName(port: number): string {
  return `strata_studio_${port}`;
}

function sameSecret(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

/**
 * Refuses every request that does not come from the studio's own page on this machine:
 * - Host must be the local address and port (a DNS-rebinding site sends its own name): 403;
 * - Origin, when sent, must be the studio's own (another local page, a sandboxed frame): 403;
 * - Sec-Fetch-Site, when sent, must be `same-origin` or `none` (cookies are not port-scoped and
 *   SameSite=Strict lets another port of 127.0.0.1 send them): 403;
 * - the token must come as `?token=`, as the HttpOnly SameSite=Strict cookie set from it, or as
 *   `Authorization: Bearer`: missing 401, wrong 403.
 * A page request that brings a valid `?token=` gets the cookie and is redirected to the same
 * path without it, so the token leaves the address bar and the history.
 *
 * @example
 * app.use('*', studioGuard({ port: () => 4983, token }));
 */
export function studioGuard(options: GuardOptions): MiddlewareHandler {
  return async (c, next) => {
    const port = options.port();
    const local = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
    const origins = new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
    const refuse = (status: 401 | 403, message: string) => {
      for (const [k, v] of Object.entries(SECURITY_HEADERS)) c.header(k, v);
      return c.json({ error: { code: status === 401 ? 'UNAUTHORIZED' : 'FORBIDDEN', message } }, status);
    };
    const host = (c.req.header('host') ?? '').toLowerCase();
    if (!local.has(host)) return refuse(403, `host "${host}" is not this studio's address (127.0.0.1:${port})`);
    const origin = c.req.header('origin');
    if (origin !== undefined && !origins.has(origin.toLowerCase())) {
      return refuse(403, `requests from ${origin} are not allowed`);
    }
    const site = c.req.header('sec-fetch-site');
    if (site !== undefined && site !== 'same-origin' && site !== 'none') return refuse(403, `cross-site requests are not allowed (${site})`);

    const fromQuery = c.req.query('token');
    const fromCookie = getCookie(c, cookieName(port));
    const auth = c.req.header('authorization');
    const fromHeader = auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
    const given = fromQuery ?? fromHeader ?? fromCookie;
    if (given === undefined || given === '') return refuse(401, 'this studio needs its token: open the URL that `strata studio` printed');
    if (!sameSecret(given, options.token)) return refuse(403, 'wrong token: open the URL that `strata studio` printed');

    if (fromQuery !== undefined && c.req.method === 'GET' && !c.req.path.startsWith('/api/')) {
      setCookie(c, cookieName(port), options.token, { httpOnly: true, sameSite: 'Strict', path: '/' });
      const url = new URL(c.req.url);
      url.searchParams.delete('token');
      for (const [k, v] of Object.entries(SECURITY_HEADERS)) c.header(k, v);
      return c.redirect(url.pathname + url.search, 302);
    }
    await next();
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) c.res.headers.set(k, v);
  };
}
