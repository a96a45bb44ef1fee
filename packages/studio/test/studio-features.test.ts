import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { describeBackends } from '@strata/testing';
import type { MigrationView } from '@strata/studio';
import { buildPageForTest, startFixture, type StudioFixture } from './helpers.js';
import { ARTIFACTS, launchBrowser } from './browser.js';

// The issue #20 studio work: the three layout bugs, then the data grid's and the diagram's features.
const pageDir = buildPageForTest();
let browser: Awaited<ReturnType<typeof launchBrowser>>;
beforeAll(async () => { browser = await launchBrowser(); });
afterAll(async () => browser?.close());

const LONG_LINE = `CREATE TABLE "a_table_with_a_rather_long_name" (${Array.from({ length: 30 }, (_, i) => `"column_number_${i}" text NOT NULL DEFAULT 'x'`).join(', ')});`;
const LONG_NOTE = `${'A long note that goes on. '.repeat(20)}\nand a second line`;

const migrations: MigrationView[] = [{
  name: '20250101000000_a_migration_with_a_long_name_that_takes_room', state: 'applied', appliedAt: '2025-01-01T12:00:00Z', durationMs: 12,
  checksum: 'changed', up: LONG_LINE, down: `DROP TABLE "a_table_with_a_rather_long_name"; -- ${'and a long comment '.repeat(20)}`,
}];

describeBackends('studio features in a browser', (backend) => {
  let f: StudioFixture;
  let page: Page;
  const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${backend}-${name}.png`) });
  const openTable = async (name: string) => {
    await page.getByTestId(`table-public.${name}`).click();
    await page.getByTestId('grid').locator('h2', { hasText: `public.${name}` }).waitFor();
    await expect.poll(() => page.getByTestId('row').count()).toBeGreaterThan(0);
  };
  const range = () => page.getByTestId('range').textContent();
  const count = async (sql: string) => (await f.client.query<{ n: number }>(sql)).rows[0]!.n;

  beforeAll(async () => {
    f = await startFixture(backend, { pageDir, providers: { migrations: async () => migrations } });
    await f.client.exec(`
      create table public.events (
        id serial primary key,
        user_id int references public.users(id),
        happened_at timestamp with time zone not null default '2025-01-01 00:00:00+00',
        payload jsonb,
        notes text
      );
      insert into public.events (user_id, payload, notes)
        select 1 + g % 3, jsonb_build_object('kind', 'click', 'at', jsonb_build_object('x', g, 'y', 2 * g)), $$${LONG_NOTE}$$
          from generate_series(1, 9) g;`);
    page = await browser.context.newPage();
    await page.goto(f.studio.url);
  });
  afterAll(async () => {
    await page?.close();
    await f?.close();
  });

  it('shows the row delete confirmation on one line', async () => {
    await openTable('no_pk');
    await openTable('events');
    await page.getByTestId('row').first().getByTestId('delete').click();
    const box = (await page.getByTestId('delete-confirm').boundingBox())!;
    expect(await page.getByTestId('delete-confirm').textContent()).toBe('Delete');
    // One letter per line made the button about six lines tall and one letter wide.
    expect(box.height).toBeLessThan(32);
    expect(box.width).toBeGreaterThan(box.height);
    await page.getByTestId('row').first().getByRole('button', { name: '×' }).click();
    expect(await page.getByTestId('delete-confirm').count()).toBe(0);
  });

  it('keeps an expanded migration within the page: checksum column and down SQL visible', async () => {
    await page.getByTestId('tab-migrations').click();
    await page.getByTestId('migration').click();
    await page.getByTestId('migration-down').waitFor();
    const width = await page.evaluate<number>('document.documentElement.clientWidth');
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
    const view = page.locator('.migrations-view');
    expect(await view.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    const checksum = (await page.getByTestId('migration').locator('.badge.checksum-changed').boundingBox())!;
    expect(checksum.x + checksum.width).toBeLessThanOrEqual(width);
    const down = (await page.getByTestId('migration-down').boundingBox())!;
    expect(down.x + down.width).toBeLessThanOrEqual(width);
    expect(await page.getByTestId('migration-down').textContent()).toContain('and a long comment');
    await shot('migration-expanded');
  });

  it('draws full column types in the diagram, pans, zooms and highlights a table\'s relations', async () => {
    await page.getByTestId('tab-schema').click();
    const events = page.getByTestId('er-table-public.events');
    await events.waitFor();
    const types = await events.getByTestId('er-type').allTextContents();
    expect(types).toContain('timestamp with time zone');
    // Every type is drawn inside its box, right of its column's name.
    for (const table of await page.locator('[data-testid^="er-table-"]').all()) {
      const box = (await table.locator('rect.box').boundingBox())!;
      const names = await table.getByTestId('er-col').all();
      const typeTexts = await table.getByTestId('er-type').all();
      for (const [i, name] of names.entries()) {
        const n = (await name.boundingBox())!;
        const t = (await typeTexts[i]!.boundingBox())!;
        expect(t.x).toBeGreaterThan(n.x + n.width);
        expect(t.x + t.width).toBeLessThanOrEqual(box.x + box.width);
      }
    }

    const svg = page.getByTestId('er-diagram');
    expect(await svg.getAttribute('data-scale')).toBe('1.000');
    await page.getByTestId('er-zoom-in').click();
    expect(await svg.getAttribute('data-scale')).toBe('1.250');
    const viewport = (await page.getByTestId('er-viewport').boundingBox())!;
    await page.mouse.move(viewport.x + 40, viewport.y + viewport.height - 20);
    await page.mouse.wheel(0, 300);
    await expect.poll(() => svg.getAttribute('data-scale')).toBe('1.042');
    await page.getByTestId('er-reset').click();
    // Dragging the background pans the diagram.
    await page.mouse.move(viewport.x + viewport.width - 15, viewport.y + viewport.height - 15);
    await page.mouse.down();
    await page.mouse.move(viewport.x + viewport.width - 115, viewport.y + viewport.height - 45, { steps: 5 });
    await page.mouse.up();
    expect(await svg.getAttribute('data-pan')).toBe('-100,-30');
    await page.getByTestId('er-fit').click();
    const fitted = Number(await svg.getAttribute('data-scale'));
    expect(fitted).toBeLessThanOrEqual(1);
    const whole = (await svg.boundingBox())!;
    const frame = (await page.getByTestId('er-viewport').boundingBox())!;
    expect(whole.y + whole.height).toBeLessThanOrEqual(frame.y + frame.height + 1);
    expect(whole.x + whole.width).toBeLessThanOrEqual(frame.x + frame.width + 1);
    await page.getByTestId('er-reset').click();

    await page.getByTestId('er-table-public.users').locator('rect.box').click();
    expect(await page.getByTestId('er-table-public.users').getAttribute('class')).toBe('er-table selected');
    expect(await page.getByTestId('er-table-public.posts').getAttribute('class')).toBe('er-table related');
    expect(await page.getByTestId('er-table-public.events').getAttribute('class')).toBe('er-table related');
    expect(await page.getByTestId('er-table-public.no_pk').getAttribute('class')).toBe('er-table dim');
    expect(await page.locator('[data-testid=er-edge].hl').count()).toBe(2);
    expect(await page.getByTestId('er-selected').textContent()).toBe('public.users: 2 related, 2 foreign keys');
    await shot('schema-highlight');
    await page.getByTestId('er-table-public.users').locator('rect.box').click();
    expect(await page.locator('[data-testid=er-edge].dim').count()).toBe(0);
  });

  it('opens the row a foreign key names, and the rows that reference it', async () => {
    await page.getByTestId('tab-tables').click();
    await openTable('posts');
    const first = page.getByTestId('row').first();
    expect(await first.getByTestId('cell-user_id').textContent()).toBe('2');
    await first.getByTestId('fk-link').click();
    await page.getByTestId('grid').locator('h2', { hasText: 'public.users' }).waitFor();
    await expect.poll(range).toBe('rows 1–1 of 1');
    expect(await page.getByTestId('filter-id').inputValue()).toBe('=2');
    const detail = page.getByTestId('row-detail');
    await detail.waitFor();
    expect(await detail.getByTestId('detail-name').locator('pre').textContent()).toBe('user 002');
    const posts = detail.locator('[data-testid=referencing][data-table="public.posts"]');
    const expected = await count('select count(*)::int as n from public.posts where user_id = 2');
    await expect.poll(() => posts.getByTestId('referencing-count').textContent()).toBe(`${expected} rows`);
    const eventsRef = detail.locator('[data-testid=referencing][data-table="public.events"]');
    await expect.poll(() => eventsRef.getByTestId('referencing-count').textContent()).toBe('3 rows');
    await shot('row-detail-references');
    await posts.locator('a').click();
    await page.getByTestId('grid').locator('h2', { hasText: 'public.posts' }).waitFor();
    await expect.poll(range).toBe(`rows 1–${expected} of ${expected}`);
    expect(new Set(await page.getByTestId('cell-user_id').allTextContents())).toEqual(new Set(['2']));
  });

  it('shows a row in a detail panel: JSON pretty-printed, long text in full', async () => {
    await openTable('events');
    await page.getByTestId('row').first().getByTestId('open-row').click();
    const detail = page.getByTestId('row-detail');
    expect(await detail.getByTestId('detail-payload').getByTestId('detail-json').textContent()).toBe(
      JSON.stringify({ at: { x: 1, y: 2 }, kind: 'click' }, null, 2),
    );
    expect(await detail.getByTestId('detail-notes').getByTestId('detail-text').textContent()).toBe(LONG_NOTE);
    const notes = (await detail.getByTestId('detail-notes').boundingBox())!;
    const panel = (await detail.boundingBox())!;
    expect(notes.x + notes.width).toBeLessThanOrEqual(panel.x + panel.width);
    await shot('row-detail');
    await page.getByTestId('row-detail-close').click();
    expect(await detail.count()).toBe(0);
  });

  it('hides and resizes columns, and remembers them', async () => {
    await openTable('events');
    await page.getByTestId('columns-menu').click();
    await page.getByTestId('show-col-notes').uncheck();
    expect(await page.getByTestId('col-notes').count()).toBe(0);
    expect(await page.getByTestId('cell-notes').count()).toBe(0);
    await page.getByTestId('columns-menu').click();
    const header = page.getByTestId('col-payload');
    const before = (await header.boundingBox())!;
    const handle = (await page.getByTestId('resize-payload').boundingBox())!;
    await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
    await page.mouse.down();
    await page.mouse.move(handle.x + handle.width / 2 + 120, handle.y + handle.height / 2, { steps: 6 });
    await page.mouse.up();
    const after = (await header.boundingBox())!;
    expect(Math.abs(after.width - (before.width + 120))).toBeLessThanOrEqual(2);
    const cell = (await page.getByTestId('row').first().getByTestId('cell-payload').boundingBox())!;
    expect(Math.abs(cell.width - after.width)).toBeLessThanOrEqual(1);
    // Sorting is not triggered by the drag.
    expect(await header.textContent()).not.toMatch(/[▲▼]/);
    await page.reload();
    await openTable('events');
    expect(await page.getByTestId('col-notes').count()).toBe(0);
    expect(Math.abs((await page.getByTestId('col-payload').boundingBox())!.width - after.width)).toBeLessThanOrEqual(1);
    await page.getByTestId('columns-menu').click();
    await page.getByTestId('columns-reset').click();
    await page.getByTestId('columns-menu').click();
    await page.getByTestId('col-notes').waitFor();
    expect(await page.getByTestId('columns-list').count()).toBe(0);
  });

  it('exports the rows shown, with the visible columns, as CSV and JSON', async () => {
    await openTable('events');
    await page.getByTestId('filter-id').fill('<=2');
    await page.getByTestId('filter-id').press('Enter');
    await expect.poll(range).toBe('rows 1–2 of 2');
    await page.getByTestId('columns-menu').click();
    await page.getByTestId('show-col-happened_at').uncheck();
    await page.getByTestId('columns-menu').click();
    const save = async (button: string) => {
      const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(button).click()]);
      return { name: file.suggestedFilename(), text: readFileSync((await file.path())!, 'utf8') };
    };
    const csv = await save('export-csv');
    expect(csv.name).toBe('public.events.csv');
    const note = `"${LONG_NOTE}"`;
    const payload = (x: number, y: number) => `"{""at"":{""x"":${x},""y"":${y}},""kind"":""click""}"`;
    expect(csv.text).toBe(`id,user_id,payload,notes\r\n1,2,${payload(1, 2)},${note}\r\n2,3,${payload(2, 4)},${note}\r\n`);
    const json = await save('export-json');
    expect(json.name).toBe('public.events.json');
    expect(JSON.parse(json.text)).toEqual([
      { id: 1, user_id: 2, payload: { at: { x: 1, y: 2 }, kind: 'click' }, notes: LONG_NOTE },
      { id: 2, user_id: 3, payload: { at: { x: 2, y: 4 }, kind: 'click' }, notes: LONG_NOTE },
    ]);
    await page.getByTestId('columns-menu').click();
    await page.getByTestId('columns-reset').click();
    await page.getByTestId('columns-menu').click();
    await page.getByTestId('filter-id').fill('');
    await page.getByTestId('filter-id').press('Enter');
  });

  it('selects several rows and deletes them together, after a confirmation', async () => {
    await openTable('events');
    await expect.poll(range).toBe('rows 1–9 of 9');
    const rows = page.getByTestId('row');
    for (const i of [1, 3, 4]) await rows.nth(i).getByTestId('select-row').check();
    expect(await page.getByTestId('selected-count').textContent()).toBe('3 selected');
    await page.getByTestId('delete-selected').click();
    const confirm = page.getByTestId('delete-selected-confirm');
    expect(await confirm.textContent()).toBe('Delete 3 rows');
    expect((await confirm.boundingBox())!.height).toBeLessThan(32);
    await shot('bulk-delete');
    expect(await count('select count(*)::int as n from public.events')).toBe(9);
    await confirm.click();
    await expect.poll(range).toBe('rows 1–6 of 6');
    expect((await f.client.query('select id from public.events order by id')).rows.map((r) => r.id)).toEqual([1, 3, 6, 7, 8, 9]);
    await page.getByTestId('select-all').check();
    expect(await page.getByTestId('selected-count').textContent()).toBe('6 selected');
    await page.getByTestId('clear-selection').click();
    expect(await page.getByTestId('bulk-bar').count()).toBe(0);
  });
  it('edits SQL in CodeMirror (loaded on demand): highlighting, table and column completion, history', async () => {
    // The editor is a chunk of its own: the page's first script does not carry it.
    const appJs = await page.evaluate(() => fetch('/assets/app.js').then((r) => r.text()));
    expect(appJs).not.toContain('cm-content');
    await page.getByTestId('tab-sql').click();
    const input = page.getByTestId('sql-input');
    await input.waitFor();
    expect(await input.getAttribute('contenteditable')).toBe('true');

    await input.fill('select * from public.us');
    await page.keyboard.type('e');
    const options = page.locator('.cm-tooltip-autocomplete li');
    // CodeMirror ignores Enter for 75 ms after the list opens (so fast typing does not pick an option).
    const accept = async () => {
      await page.waitForTimeout(150);
      await page.keyboard.press('Enter');
    };
    await expect.poll(() => options.allTextContents()).toContain('users');
    await accept();
    await expect.poll(() => input.textContent()).toBe('select * from public.users');
    // `born` is no keyword: only the column can offer it.
    await input.fill('select users.bo');
    await page.keyboard.type('r');
    await expect.poll(() => options.allTextContents()).toEqual(['born']);
    await shot('sql-editor');
    await accept();
    await expect.poll(() => input.textContent()).toBe('select users.born');
    await page.keyboard.type(' from public.users where id = 3');
    // Keywords are drawn in another colour than names.
    const colourOf = (el: unknown) => (globalThis as unknown as { getComputedStyle(e: unknown): { color: string } }).getComputedStyle(el).color;
    const colour = (text: string) => input.locator('span', { hasText: new RegExp(`^${text}$`) }).first().evaluate(colourOf);
    const plain = await input.evaluate(colourOf);
    expect(await colour('select')).not.toBe(plain);
    expect(await colour('where')).toBe(await colour('select'));
    await page.keyboard.press('Control+Enter');
    await expect.poll(async () => [await page.getByTestId('sql-error').allTextContents(), await page.getByTestId('sql-result').locator('td').allTextContents()], { timeout: 10_000 })
      .toEqual([[], ['2000-01-04']]);

    await input.fill('select 41 + 1 as answer');
    await page.getByTestId('sql-run').click();
    await expect.poll(() => page.getByTestId('sql-result').locator('td').allTextContents(), { timeout: 10_000 }).toEqual(['42']);
    await page.getByTestId('sql-history').locator('summary').click();
    expect(await page.getByTestId('history-item').allTextContents()).toEqual(['select 41 + 1 as answer', 'select users.born from public.users where id = 3']);
    await page.getByTestId('history-item').nth(1).click();
    await expect.poll(() => input.textContent()).toBe('select users.born from public.users where id = 3');
    await page.getByTestId('sql-run').click();
    await expect.poll(() => page.getByTestId('sql-result').locator('td').allTextContents(), { timeout: 10_000 }).toEqual(['2000-01-04']);
    // The history survives a reload; running a statement again moves it up, once.
    await page.reload();
    await page.getByTestId('sql-input').waitFor();
    await page.getByTestId('sql-history').locator('summary').click();
    expect(await page.getByTestId('history-item').allTextContents()).toEqual(['select users.born from public.users where id = 3', 'select 41 + 1 as answer']);
  });
});
