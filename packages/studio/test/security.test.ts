import { readdirSync } from 'node:fs';
import { request } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '@strata/testing';
import { buildPageForTest, startFixture, type StudioFixture } from './helpers.js';

const pageDir = buildPageForTest();

/** A raw HTTP request, so Host and Origin can be anything (fetch would set them). */
function raw(port: number, path: string, headers: Record<string, string>, method = 'GET', body?: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describeBackends('studio security', (backend) => {
  let f: StudioFixture;
  let port: number;
  let local: string;
  beforeAll(async () => {
    f = await startFixture(backend, { pageDir, seed: false });
    port = f.studio.port;
    local = `127.0.0.1:${port}`;
  });
  afterAll(async () => f?.close());

  it('refuses the page and the API without the token (401) or with a wrong one (403)', async () => {
    expect((await raw(port, '/', { host: local })).status).toBe(401);
    expect((await raw(port, '/api/tables', { host: local })).status).toBe(401);
    expect((await raw(port, '/assets/app.js', { host: local })).status).toBe(401);
    expect((await raw(port, '/?token=nope', { host: local })).status).toBe(403);
    expect((await raw(port, '/api/tables', { host: local, cookie: `strata_studio_${port}=nope` })).status).toBe(403);
    const json = { host: local, 'content-type': 'application/json' };
    const bulk = JSON.stringify({ schema: 'public', table: 't', keys: [{ id: 1 }] });
    expect((await raw(port, '/api/rows/delete-many', json, 'POST', bulk)).status).toBe(401);
    expect((await raw(port, '/api/rows/delete-many', { ...json, authorization: 'Bearer nope' }, 'POST', bulk)).status).toBe(403);
    const refs = JSON.stringify({ schema: 'public', table: 't', values: { id: 1 } });
    expect((await raw(port, '/api/rows/referencing', json, 'POST', refs)).status).toBe(401);
    expect((await raw(port, '/api/rows/referencing', { ...json, origin: 'http://evil.example', authorization: `Bearer ${f.studio.token}` }, 'POST', refs)).status).toBe(403);
  });

  it('trades the URL token for an HttpOnly SameSite=Strict cookie, which then opens the page', async () => {
    const first = await raw(port, `/?token=${f.studio.token}`, { host: local });
    expect(first.status).toBe(302);
    expect(first.headers.location).toBe('/');
    const cookie = String(first.headers['set-cookie']);
    expect(cookie).toMatch(new RegExp(`^strata_studio_${port}=${f.studio.token};`));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const page = await raw(port, '/', { host: local, cookie: `strata_studio_${port}=${f.studio.token}` });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<div id="app">');
    expect(page.headers['content-security-policy']).toMatch(/default-src 'self'/);
    const api = await raw(port, '/api/tables', { host: `localhost:${port}`, cookie: `strata_studio_${port}=${f.studio.token}` });
    expect(api.status).toBe(200);
  });

  it('serves the page\'s lazily loaded chunks with the token, and nothing else under /assets/', async () => {
    const chunk = readdirSync(pageDir).find((n) => n.startsWith('chunk-'))!;
    expect(chunk).toMatch(/^chunk-[A-Za-z0-9_-]+\.js$/);
    expect((await raw(port, `/assets/${chunk}`, { host: local })).status).toBe(401);
    const auth = { host: local, authorization: `Bearer ${f.studio.token}` };
    const ok = await raw(port, `/assets/${chunk}`, auth);
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toMatch(/^text\/javascript/);
    for (const path of ['/assets/chunk-NOPE.js', '/assets/chunk-..%2f..%2fpackage.js', '/assets/index.html.js', '/assets/../package.json']) {
      expect((await raw(port, path, auth)).status, path).toBe(404);
    }
  });

  it('refuses a foreign Host (DNS rebinding) even with the token', async () => {
    const auth = { authorization: `Bearer ${f.studio.token}` };
    for (const host of ['evil.example', `evil.example:${port}`, `127.0.0.1:${port + 1}`, `127.0.0.1.evil.example:${port}`]) {
      const r = await raw(port, '/api/tables', { ...auth, host });
      expect(r.status, host).toBe(403);
      expect(r.body).toContain('not this studio');
    }
  });

  it('refuses requests from another origin or site, even with the token', async () => {
    const auth = { host: local, authorization: `Bearer ${f.studio.token}` };
    for (const origin of ['http://evil.example', `http://127.0.0.1:${port + 1}`, 'null', `https://127.0.0.1:${port}`]) {
      expect((await raw(port, '/api/tables', { ...auth, origin })).status, origin).toBe(403);
    }
    expect((await raw(port, '/api/tables', { ...auth, 'sec-fetch-site': 'same-site' })).status).toBe(403);
    expect((await raw(port, '/api/tables', { ...auth, 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await raw(port, '/api/tables', { ...auth, origin: `http://${local}`, 'sec-fetch-site': 'same-origin' })).status).toBe(200);
  });

  it('accepts writes only as JSON (a cross-site form cannot send it)', async () => {
    const auth = { host: local, authorization: `Bearer ${f.studio.token}` };
    const form = await raw(port, '/api/sql', { ...auth, 'content-type': 'application/x-www-form-urlencoded' }, 'POST', 'sql=select+1&write=true');
    expect(form.status).toBe(400);
    expect(form.body).toContain('application/json');
    const bulk = await raw(port, '/api/rows/delete-many', { ...auth, 'content-type': 'text/plain' }, 'POST', JSON.stringify({ schema: 'public', table: 't', keys: [] }));
    expect(bulk.status).toBe(400);
    expect(bulk.body).toContain('application/json');
  });
});
