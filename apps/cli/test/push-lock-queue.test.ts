import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPgClient, type DatabaseClient } from '@strata/db';
import { createTestDatabase, runCli, type TestDatabase } from '@strata/testing';
import { holdReadTransaction, waitUntilQueued } from './lock-queue-helpers.js';

let seq = 0;

/** A project whose schema code declares `<schema>.t (id, c)`; the database starts with `t (id)` only. */
function project(config = '') {
  const dir = mkdtempSync(join(tmpdir(), 'strata-push-lock-'));
  const schema = `push_lock_${process.pid}_${++seq}`;
  symlinkSync(fileURLToPath(new URL('../../../packages/schema/node_modules', import.meta.url)), join(dir, 'node_modules'), 'dir');
  writeFileSync(join(dir, 'schema.ts'), `import { integer, pgSchema } from 'drizzle-orm/pg-core';
export const s = pgSchema('${schema}');
export const t = s.table('t', { id: integer('id'), c: integer('c') });
`);
  writeFileSync(join(dir, 'strata.config.ts'), `export default { schema: './schema.ts', out: './migrations'${config ? `, ${config}` : ''} };\n`);
  return { dir, schema };
}

// PGlite serves one connection: no other session can hold a lock there, so the lock queue exists
// only on a server.
describe('strata push in the lock queue (a server only: PGlite has one connection) [postgres]', () => {
  let tdb: TestDatabase;
  let holder: DatabaseClient;
  beforeAll(async () => {
    tdb = await createTestDatabase('postgres');
    holder = await createPgClient(tdb.url);
  });
  afterAll(async () => {
    await holder?.close();
    await tdb?.dispose();
  });

  const reader = (table: string) => holdReadTransaction(holder, table);

  const columns = async (db: DatabaseClient, schema: string) =>
    (await db.query<{ c: string }>(`select column_name as c from information_schema.columns where table_schema = $1 and table_name = 't' order by ordinal_position`, [schema])).rows.map((r) => r.c);

  it('waits with lock_timeout 100 ms retried as a whole, naming the blocker; gives up after lockBudgetMs leaving the database as it was', async () => {
    const db = await tdb.client();
    const p = project('lockBudgetMs: 1500');
    await db.exec(`create schema "${p.schema}"; create table "${p.schema}".t (id int)`);
    const r1 = await reader(`"${p.schema}".t`);
    const failed = await runCli(['push', '--force', '--url', tdb.url], { cwd: p.dir, timeoutMs: 120_000 });
    await r1.release();
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(new RegExp(`gave up waiting for a lock on ${p.schema}\\.t held by pid ${r1.pid} \\(reporting-job, idle in transaction for [\\d.]+ s: .*count\\(\\*\\).*\\) after lock_timeout 100 ms; rolled back, retrying in \\d+ ms`));
    expect(failed.stderr).toContain('canceling statement due to lock timeout');
    expect(failed.stderr).toContain('raise lockBudgetMs');
    expect(failed.stderr).toContain('Nothing was changed.');
    expect(failed.stderr).not.toContain('strata hash');
    expect(await columns(db, p.schema)).toEqual(['id']);

    // The default budget (60 s) outlasts a reader that ends after a second: warnings, then the change.
    const q = project();
    await db.exec(`create schema "${q.schema}"; create table "${q.schema}".t (id int)`);
    const r2 = await reader(`"${q.schema}".t`);
    const run = runCli(['push', '--force', '--url', tdb.url], { cwd: q.dir, timeoutMs: 120_000 });
    await waitUntilQueued(db, `"${q.schema}".t`);
    await new Promise((res) => setTimeout(res, 1000));
    await r2.release();
    const ok = await run;
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toContain(`held by pid ${r2.pid} (reporting-job, idle in transaction for `);
    expect(ok.stderr).toMatch(/of the 60 s lockBudgetMs\)/);
    expect(await columns(db, q.schema)).toEqual(['id', 'c']);
  }, 240_000);
});
