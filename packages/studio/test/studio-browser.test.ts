import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { describeBackends } from '@strata/testing';
import type { MigrationView, StudioProviders } from '@strata/studio';
import { buildPageForTest, secondProcess, startFixture, type StudioFixture } from './helpers.js';
import { ARTIFACTS, launchBrowser } from './browser.js';

// One browser for the whole file; each backend gets its own studio and page.
const pageDir = buildPageForTest();
let browser: Awaited<ReturnType<typeof launchBrowser>>;
beforeAll(async () => { browser = await launchBrowser(); });
afterAll(async () => browser?.close());

const INIT = '20250101000000_init';
const ADD_TAGS = '20250102000000_add_tags';

/**
 * Migrations as the runner would report them, read from a history table each time (so a
 * migration recorded by another process shows up as applied) — the provider contract the CLI fills.
 */
function providersFor(f: () => StudioFixture): StudioProviders {
  return {
    migrations: async () => {
      const { rows } = await f().client.query<{ name: string; applied_at: string; duration_ms: number }>(
        `select name, to_char(applied_at, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as applied_at, duration_ms from public.test_history order by name`,
      );
      const applied = new Map(rows.map((r) => [r.name, r]));
      const files: [string, string, string][] = [
        [INIT, 'CREATE TABLE "users" (...);', 'DROP TABLE "users";'],
        [ADD_TAGS, 'CREATE TABLE "tags" ("id" serial PRIMARY KEY, "label" text NOT NULL);', 'DROP TABLE "tags";'],
      ];
      return files.map(([name, up, down]): MigrationView => {
        const row = applied.get(name);
        return { name, state: row ? 'applied' : 'pending', appliedAt: row?.applied_at ?? null, durationMs: row?.duration_ms ?? null, checksum: 'ok', up, down };
      });
    },
    pendingSql: async () => ({ up: 'ALTER TABLE "users" ADD COLUMN "phone" text;', down: 'ALTER TABLE "users" DROP COLUMN "phone";' }),
  };
}

describeBackends('studio in a browser', (backend) => {
  let f: StudioFixture;
  let page: Page;
  const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${backend}-${name}.png`), fullPage: false });
  const openTable = async (name: string) => {
    await page.getByTestId(`table-public.${name}`).click();
    await page.getByTestId('grid').locator('h2', { hasText: `public.${name}` }).waitFor();
  };
  const firstCell = (col: string) => page.getByTestId('row').first().getByTestId(`cell-${col}`);

  beforeAll(async () => {
    f = await startFixture(backend, { pageDir, providers: providersFor(() => f) });
    await f.client.exec(`create table public.test_history (name text primary key, applied_at timestamptz not null default now(), duration_ms int);
      insert into public.test_history values ('${INIT}', '2025-01-01T12:00:00Z', 42)`);
    page = await browser.context.newPage();
    await page.goto(f.studio.url);
  });
  afterAll(async () => {
    await page?.close();
    await f?.close();
  });

  it('opens a table, pages, sorts and filters it', async () => {
    expect(page.url()).not.toContain('token=');
    await openTable('users');
    await expect.poll(() => page.getByTestId('range').textContent()).toBe('rows 1–50 of 121');
    await page.getByTestId('next').click();
    await expect.poll(() => page.getByTestId('range').textContent()).toBe('rows 51–100 of 121');
    expect(await firstCell('id').textContent()).toBe('51');
    await page.getByTestId('col-name').click();
    await expect.poll(() => firstCell('name').textContent()).toBe('percent % sign');
    expect(await page.getByTestId('range').textContent()).toBe('rows 1–50 of 121');
    await page.getByTestId('col-name').click();
    await expect.poll(() => firstCell('name').textContent()).toBe('user 120');
    await page.getByTestId('filter-name').fill('user 11');
    await page.getByTestId('filter-name').press('Enter');
    await expect.poll(() => page.getByTestId('range').textContent()).toBe('rows 1–10 of 10');
    expect(await page.getByTestId('row').getByTestId('cell-name').allTextContents()).toEqual(
      ['user 119', 'user 118', 'user 117', 'user 116', 'user 115', 'user 114', 'user 113', 'user 112', 'user 111', 'user 110'],
    );
    await page.getByTestId('filter-id').fill('>115');
    await page.getByTestId('filter-id').press('Enter');
    await expect.poll(() => page.getByTestId('range').textContent()).toBe('rows 1–4 of 4');
    await shot('tables');
    await page.getByTestId('filter-id').fill('');
    await page.getByTestId('filter-name').fill('');
    await page.getByTestId('filter-name').press('Enter');
    await expect.poll(() => page.getByTestId('range').textContent()).toBe('rows 1–50 of 121');
  });

  it('edits a cell, and the database holds the new value; a refused edit shows the error in place', async () => {
    await page.getByTestId('table-public.posts').click();
    await openTable('users');
    await page.getByTestId('filter-id').fill('7');
    await page.getByTestId('filter-id').press('Enter');
    await expect.poll(() => page.getByTestId('range').textContent()).toBe('rows 1–1 of 1');
    await firstCell('name').dblclick();
    await page.getByTestId('cell-editor').fill('Grace Hopper');
    await page.getByTestId('cell-editor').press('Enter');
    await expect.poll(() => firstCell('name').textContent()).toBe('Grace Hopper');
    expect((await f.client.query('select name from public.users where id = 7')).rows).toEqual([{ name: 'Grace Hopper' }]);

    await firstCell('name').dblclick();
    await page.getByTestId('cell-editor').fill('user 008');
    await page.getByTestId('cell-save').click();
    await expect.poll(() => page.getByTestId('cell-error').textContent()).toMatch(/23505: duplicate key value violates unique constraint "users_name_key"/);
    await shot('edit-error');
    expect((await f.client.query('select name from public.users where id = 7')).rows).toEqual([{ name: 'Grace Hopper' }]);
    await page.getByTestId('cell-editor').press('Escape');

    await firstCell('active').dblclick();
    expect(await page.getByTestId('cell-editor').evaluate((el) => el.tagName)).toBe('SELECT');
    await page.getByTestId('cell-editor').selectOption('true');
    await page.getByTestId('cell-save').click();
    await expect.poll(() => firstCell('active').textContent()).toBe('true');
    expect((await f.client.query('select active from public.users where id = 7')).rows).toEqual([{ active: true }]);
  });

  it('inserts a row with type-aware inputs, and deletes it', async () => {
    await page.getByTestId('insert').click();
    const form = page.getByTestId('insert-form');
    expect(await form.getByTestId('insert-born').getAttribute('type')).toBe('date');
    expect(await form.getByTestId('insert-mood').locator('option').allTextContents()).toEqual(['(choose)', 'happy', 'sad', "it's complicated"]);
    await form.getByTestId('insert-name').fill('from the browser');
    await form.getByTestId('insert-mood').locator('xpath=..').getByText('default').click();
    await form.getByTestId('insert-mood').selectOption('sad');
    await form.getByTestId('insert-meta').locator('xpath=..').getByText('default').click();
    await form.getByTestId('insert-meta').fill('{"x": ');
    await page.getByTestId('insert-save').click();
    await expect.poll(() => page.getByTestId('insert-error').textContent()).toMatch(/meta: not valid JSON/);
    await form.getByTestId('insert-meta').fill('{"x": [1, 2]}');
    await page.getByTestId('insert-save').click();
    await page.getByTestId('insert-form').waitFor({ state: 'detached' });
    const stored = await f.client.query(`select id, active, mood::text as mood, meta from public.users where name = 'from the browser'`);
    expect(stored.rows).toEqual([{ id: stored.rows[0]!.id, active: true, mood: 'sad', meta: { x: [1, 2] } }]);

    await page.getByTestId('filter-id').fill(String(stored.rows[0]!.id));
    await page.getByTestId('filter-id').press('Enter');
    await expect.poll(() => firstCell('name').textContent()).toBe('from the browser');
    await page.getByTestId('delete').first().click();
    await page.getByTestId('delete-confirm').click();
    await expect.poll(() => page.getByTestId('range').textContent()).toBe('no rows (of 0)');
    expect((await f.client.query(`select 1 from public.users where name = 'from the browser'`)).rows).toEqual([]);
  });

  it('shows a table without a primary key read-only', async () => {
    await openTable('no_pk');
    await page.getByTestId('read-only').waitFor();
    expect(await page.getByTestId('insert').count()).toBe(0);
    expect(await page.getByTestId('delete').count()).toBe(0);
  });

  it('draws the schema as an entity-relationship diagram, with each table\'s details', async () => {
    await page.getByTestId('tab-schema').click();
    await page.getByTestId('er-diagram').waitFor();
    expect(await page.getByTestId('er-table-public.users').count()).toBe(1);
    expect(await page.getByTestId('er-table-Odd Schema.Select; --Table "x"').count()).toBe(1);
    expect(await page.getByTestId('er-edge').count()).toBe(1);
    expect(await page.getByTestId('er-edge').locator('title').textContent()).toBe('public.posts (user_id → id) references public.users');
    const posts = page.getByTestId('detail-public.posts');
    expect(await posts.textContent()).toContain('CREATE INDEX posts_user_id_index ON public.posts USING btree (user_id)');
    await shot('schema');
  });

  it('shows the migrations from the provider, a pending one with its SQL, and the schema changes', async () => {
    await page.getByTestId('tab-migrations').click();
    await page.locator(`[data-testid=migration][data-name="${ADD_TAGS}"]`).waitFor();
    expect(await page.locator(`[data-testid=migration][data-name="${INIT}"]`).getAttribute('data-state')).toBe('applied');
    const pending = page.locator(`[data-testid=migration][data-name="${ADD_TAGS}"]`);
    expect(await pending.getAttribute('data-state')).toBe('pending');
    await pending.click();
    expect(await page.getByTestId('migration-up').textContent()).toContain('CREATE TABLE "tags"');
    expect(await page.getByTestId('pending-up').textContent()).toBe('ALTER TABLE "users" ADD COLUMN "phone" text;');
    await shot('migrations');
  });

  it('shows what another process (a `strata migrate` elsewhere) changed, without a reload', async () => {
    const r = await secondProcess(f.tdb.url, `with t as (select 1) insert into public.test_history (name, duration_ms) values ('${ADD_TAGS}', 7) returning name`);
    expect(r.code, r.stderr).toBe(0);
    await expect.poll(() => page.locator(`[data-testid=migration][data-name="${ADD_TAGS}"]`).getAttribute('data-state'), { timeout: 15_000 }).toBe('applied');
    const created = await secondProcess(f.tdb.url, 'create table public.tags (id serial primary key, label text not null)');
    expect(created.code, created.stderr).toBe(0);
    await page.getByTestId('tab-tables').click();
    await page.getByTestId('table-public.tags').waitFor({ timeout: 15_000 });
  });

  it('runs SQL read-only unless writing is switched on', async () => {
    await page.getByTestId('tab-sql').click();
    await page.getByTestId('sql-input').fill(`insert into public.no_pk values (10, 'ten')`);
    await page.getByTestId('sql-run').click();
    await expect.poll(() => page.getByTestId('sql-error').textContent()).toMatch(/25006: cannot execute INSERT in a read-only transaction/);
    expect((await f.client.query('select count(*)::int as n from public.no_pk')).rows).toEqual([{ n: 3 }]);
    await page.getByTestId('allow-writes').check();
    await page.getByTestId('sql-run').click();
    await expect.poll(() => page.getByTestId('sql-summary').textContent()).toMatch(/^1 row affected/);
    expect((await f.client.query('select count(*)::int as n from public.no_pk')).rows).toEqual([{ n: 4 }]);
    await page.getByTestId('allow-writes').uncheck();
    await page.getByTestId('sql-input').fill('select name, active from public.users order by id limit 3');
    await page.getByTestId('sql-input').press('Control+Enter');
    await expect.poll(() => page.getByTestId('sql-summary').textContent()).toMatch(/^3 rows/);
    await shot('sql');
  });

  it('refuses the page without the token, on a rebinding host name, and writes from another local page', async () => {
    const fresh = await browser.context.newPage();
    try {
      await browser.context.clearCookies();
      const bare = await fresh.goto(`${f.base}/`);
      expect(bare?.status()).toBe(401);
      const rebound = await fresh.goto(`http://evil.test:${f.studio.port}/?token=${f.studio.token}`);
      expect(rebound?.status()).toBe(403);
      await fresh.goto(f.studio.url);
      expect(await fresh.getByTestId('tab-tables').count()).toBe(1);
      // Another page on this machine: same site as the studio (cookies are not port-scoped), other origin.
      const evil: Server = createServer((_req, res) => {
        res.setHeader('content-type', 'text/html');
        res.end(`<script>
          fetch('${f.base}/api/sql', { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'content-type': 'text/plain' },
            body: JSON.stringify({ sql: "insert into public.no_pk values (666, 'evil')", write: true }) })
            .then(() => document.title = 'sent', () => document.title = 'failed');
        </script>`);
      });
      await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
      try {
        await fresh.goto(`http://127.0.0.1:${(evil.address() as AddressInfo).port}/`);
        await expect.poll(() => fresh.title()).toMatch(/sent|failed/);
      } finally {
        evil.close();
      }
      expect((await f.client.query('select count(*)::int as n from public.no_pk where a = 666')).rows).toEqual([{ n: 0 }]);
    } finally {
      await fresh.close();
      await page.goto(f.studio.url);
    }
  });
});

describeBackends('a read-only studio in a browser', (backend) => {
  let f: StudioFixture;
  let page: Page;
  beforeAll(async () => {
    f = await startFixture(backend, { pageDir, readOnly: 'started with --read-only' });
    page = await browser.context.newPage();
    await page.goto(f.studio.url);
  });
  afterAll(async () => {
    await page?.close();
    await f?.close();
  });

  it('shows the read-only badge, no row controls, and no way to switch the console to writes', async () => {
    expect(await page.getByTestId('read-only-studio').textContent()).toBe('read-only');
    await page.getByTestId('table-public.users').click();
    await page.getByTestId('read-only').waitFor();
    expect(await page.getByTestId('read-only').textContent()).toContain('the studio is read-only (started with --read-only)');
    await expect.poll(() => page.getByTestId('row').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('insert').count()).toBe(0);
    expect(await page.getByTestId('delete').count()).toBe(0);
    expect(await page.getByTestId('select-row').count()).toBe(0);
    expect(await page.getByTestId('select-all').count()).toBe(0);
    await page.getByTestId('row').first().getByTestId('cell-name').dblclick();
    expect(await page.getByTestId('cell-editor').count()).toBe(0);
    await page.getByTestId('tab-sql').click();
    await page.getByTestId('sql-input').waitFor();
    expect(await page.getByTestId('allow-writes').count()).toBe(0);
    expect(await page.getByTestId('console-mode').textContent()).toMatch(
      backend === 'pglite' ? /checked by PostgreSQL's parser first/ : new RegExp(`runs as the role "${f.login!.role}" \\(no superuser, no server files\\)`),
    );
    await page.getByTestId('sql-input').fill(`copy (select 1) to '/tmp/strata-browser-attack'`);
    await page.getByTestId('sql-run').click();
    await expect.poll(() => page.getByTestId('sql-error').textContent()).toMatch(/the read-only console refuses COPY statements/);
    await page.getByTestId('sql-input').fill('select 42 as answer');
    await page.getByTestId('sql-run').click();
    await expect.poll(() => page.getByTestId('sql-summary').textContent()).toMatch(/^1 row/);
    expect(await page.getByTestId('sql-result').locator('td').allTextContents()).toEqual(['42']);
    await page.screenshot({ path: join(ARTIFACTS, `${backend}-read-only.png`) });
  });
});

describe('a studio whose only server login is a superuser, in a browser', () => {
  let f: StudioFixture;
  let page: Page;
  beforeAll(async () => {
    f = await startFixture('postgres', { pageDir, seed: false, readOnly: 'production: true', login: 'none' });
    page = await browser.context.newPage();
    await page.goto(f.studio.url);
  });
  afterAll(async () => {
    await page?.close();
    await f?.close();
  });

  it('shows the read-only console off, with the reason, and no way to run a statement', async () => {
    await page.getByTestId('tab-sql').click();
    await page.getByTestId('console-off').waitFor();
    expect(await page.getByTestId('console-off').textContent()).toMatch(/The read-only console is off: the studio logs in as "postgres", a superuser.*readOnlyUrl/);
    expect(await page.getByTestId('sql-run').isDisabled()).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'postgres-console-off.png') });
  });
});
