/**
 * The guide's data-migration pattern (select every user, update them one at a time) against
 * `ctx.batch` doing the same update, on a real PostgreSQL server.
 *
 *   BENCH_PG_URL=postgres://user@host:port/postgres npx tsx packages/data/bench/row-by-row-vs-batch.ts [rows]
 *
 * (falls back to STRATA_TEST_PG_URL). Creates and drops a database of its own.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { integer, pgTable, text } from 'drizzle-orm/pg-core';
import { createPgClient } from '@strata/db';
import { createDrizzleDb } from '../src/drizzle-db.js';
import { runDataMigrations } from '../src/run-data-migrations.js';

const rows = Number(process.argv[2] ?? 1_000_000);
const serverUrl = process.env.BENCH_PG_URL ?? process.env.STRATA_TEST_PG_URL;
if (!serverUrl) throw new Error('set BENCH_PG_URL (or STRATA_TEST_PG_URL) to a PostgreSQL server whose user may create databases');

const admin = await createPgClient(serverUrl, { max: 1 });
const dbName = `strata_bench_data_${randomBytes(4).toString('hex')}`;
await admin.exec(`create database "${dbName}"`);
const url = new URL(serverUrl);
url.pathname = `/${dbName}`;
const db = await createPgClient(url.toString(), { max: 2 });
const results: Record<string, { seconds: number; rowsPerSecond: number }> = {};
const time = async (label: string, fn: () => Promise<void>) => {
  const t = performance.now();
  await fn();
  const seconds = (performance.now() - t) / 1000;
  results[label] = { seconds: Math.round(seconds * 100) / 100, rowsPerSecond: Math.round(rows / seconds) };
  console.error(`${label}: ${rows.toLocaleString('en-US')} rows in ${seconds.toFixed(2)} s = ${Math.round(rows / seconds).toLocaleString('en-US')} rows/s`);
};

try {
  const info = await db.serverInfo();
  console.error(`${info.version.split(' on ')[0]}, ${rows.toLocaleString('en-US')} rows per table`);
  for (const t of ['users_guide', 'users_batch_1000', 'users_batch_5000']) {
    await db.exec(`create table ${t} (id integer primary key, name text not null, full_name text);
      insert into ${t} (id, name) select g, 'user ' || g from generate_series(1, ${rows}) g;`);
    await db.exec(`vacuum analyze ${t}`);
  }

  // The guide: select all, then one update per row (drizzle-orm, one connection, autocommit).
  await time('guide row-by-row', async () => {
    const users = pgTable('users_guide', { id: integer('id').primaryKey(), name: text('name').notNull(), fullName: text('full_name') });
    await db.session(async (s) => {
      const d = createDrizzleDb(s);
      const all = await d.select().from(users);
      for (const user of all) await d.update(users).set({ fullName: user.name }).where(eq(users.id, user.id));
    });
  });

  for (const size of [1000, 5000]) {
    const dir = mkdtempSync(join(tmpdir(), 'strata-bench-data-'));
    writeFileSync(join(dir, `20250101000000_batch_${size}.ts`), `import { defineDataMigration } from '@strata/data';
export default defineDataMigration({
  async up(ctx) {
    await ctx.batch({ table: 'users_batch_${size}', size: ${size} }, (tx, { ids }) =>
      tx.query('update users_batch_${size} set full_name = name where id = any($1)', [ids]));
  },
});
`);
    await time(`ctx.batch size ${size}`, async () => {
      await runDataMigrations({ db, dir });
    });
    rmSync(dir, { recursive: true, force: true });
  }

  for (const t of ['users_guide', 'users_batch_1000', 'users_batch_5000']) {
    const r = await db.query<{ n: string }>(`select count(*)::int8 as n from ${t} where full_name is distinct from name`);
    if (r.rows[0]?.n !== '0') throw new Error(`${t}: ${r.rows[0]?.n} rows not updated`);
  }
  const guide = results['guide row-by-row']!.rowsPerSecond;
  console.log(JSON.stringify({ rows, server: info.shortVersion, results, speedup: Object.fromEntries(Object.entries(results).map(([k, v]) => [k, Math.round((v.rowsPerSecond / guide) * 10) / 10])) }, null, 2));
} finally {
  await db.close();
  await admin.exec(`drop database if exists "${dbName}" with (force)`);
  await admin.close();
}
