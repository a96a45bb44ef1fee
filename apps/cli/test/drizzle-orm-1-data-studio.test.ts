import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, describeBackends, runCli, type TestDatabase } from '@strata/testing';
import { rowsOf } from './project-fixture.js';
import { get, post, startStudioCli, type RunningStudio } from './studio-process.js';

// A project whose schema code and data migrations are written for drizzle-orm 1.0-rc: a data
// migration imports the project's tables and operators and uses them with ctx.db and tx.db, and
// the studio reads and edits the rows and shows the pending SQL of the 1.x code.

const SCHEMA = (extra = '') => `import { pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';

export const users = pgTable('users', {
  id: serial('id').primaryKey(),
  name: text('name').notNull(),
  fullName: text('full_name'),
  tags: text('tags').array(),
  seenAt: timestamp('seen_at', { withTimezone: true }),${extra}
});
`;

const MIGRATION = `import { defineDataMigration } from '@strata/data';
import { asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { PgRemoteDatabase } from 'drizzle-orm/pg-proxy';
import { users } from '../../schema';

// ctx.db is typed with Strata's drizzle-orm 0.45; this gives it the project's 1.x type (docs/postgres-behaviour.md).
const orm = (db: unknown) => db as PgRemoteDatabase;

export default defineDataMigration({
  description: 'backfill full names with drizzle-orm 1.x tables',
  async up(ctx) {
    const todo = await ctx.db.select({ name: users.name }).from(users).where(isNull(users.fullName)).orderBy(asc(users.id));
    ctx.log.info(\`to fill: \${todo.map((u) => u.name).join(', ')}\`);
    await ctx.step('tag the first', async (tx) => {
      await tx.db.update(users).set({ tags: ['first', 'a "quoted" tag'], seenAt: new Date('2020-01-02T03:04:05Z') }).where(eq(users.id, 1));
    });
    await ctx.batch({ table: users, size: 2 }, async (tx, batch) => {
      await orm(tx.db).update(users).set({ fullName: sql\`upper(\${users.name})\` }).where(inArray(users.id, batch.ids as number[]));
    });
    const [first] = await ctx.db.select().from(users).where(eq(users.id, 1));
    ctx.log.info(\`first: \${first!.fullName} \${first!.tags!.join('|')} \${first!.seenAt!.toISOString()}\`);
  },
});
`;

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const drizzleOrm1 = here('../node_modules/drizzle-orm-1');
const CLI_MS = 180_000;

describeBackends('drizzle-orm 1.0-rc tables in data migrations and the studio', (backend) => {
  let tdb: TestDatabase;
  let dir: string;
  let studio: RunningStudio | undefined;
  const sql = rowsOf(() => tdb);
  const ok = async (args: string[]) => {
    const r = await runCli([...args, '--url', tdb.url], { cwd: dir, timeoutMs: CLI_MS });
    expect(r.code, `strata ${args.join(' ')}\n${r.stderr}${r.stdout}`).toBe(0);
    return r;
  };

  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    dir = mkdtempSync(join(tmpdir(), 'strata-orm1-data-'));
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(realpathSync(drizzleOrm1), join(dir, 'node_modules', 'drizzle-orm'), 'dir');
    writeFileSync(join(dir, 'schema.ts'), SCHEMA());
    writeFileSync(join(dir, 'strata.config.ts'), `export default { schema: './schema.ts', out: './migrations' };\n`);
    mkdirSync(join(dir, 'scripts/data'), { recursive: true });
    writeFileSync(join(dir, 'scripts/data/20250101000000_backfill_full_name.ts'), MIGRATION);
    const g = await runCli(['generate', '--name', 'init'], { cwd: dir, timeoutMs: CLI_MS });
    expect(g.code, g.stderr).toBe(0);
    await ok(['migrate']);
    await sql(`insert into users (name) values ('Ada'), ('Alan'), ('Grace')`);
  }, CLI_MS);
  afterAll(async () => {
    if (studio && studio.child.exitCode === null) studio.child.kill('SIGKILL');
    await tdb?.dispose();
  });

  it('a data migration selects, updates in a step and walks in batches with the project’s 1.x tables and operators', async () => {
    const r = await ok(['data', 'run']);
    expect(r.stderr).toContain('to fill: Ada, Alan, Grace');
    expect(r.stderr).toContain('first: ADA first|a "quoted" tag 2020-01-02T03:04:05.000Z');
    expect(await sql(`select name, full_name, to_json(tags) as tags, seen_at::text as seen from users order by id`)).toEqual([
      { name: 'Ada', full_name: 'ADA', tags: ['first', 'a "quoted" tag'], seen: '2020-01-02 03:04:05+00' },
      { name: 'Alan', full_name: 'ALAN', tags: null, seen: null },
      { name: 'Grace', full_name: 'GRACE', tags: null, seen: null },
    ]);
    expect((await ok(['data', 'status'])).stdout).toMatch(/20250101000000_backfill_full_name.*done/);
  }, CLI_MS);

  it('the studio lists and edits the rows, and shows the pending SQL of the 1.x schema code', async () => {
    writeFileSync(join(dir, 'schema.ts'), SCHEMA(`\n  nickname: text('nickname').array('[][]'),`));
    studio = await startStudioCli(['--url', tdb.url], dir);
    const tables = await get<{ schema: string; name: string }[]>(studio, '/api/tables');
    expect(tables.map((t) => `${t.schema}.${t.name}`)).toContain('public.users');
    const page = await post(studio, '/api/rows', { schema: 'public', table: 'users', limit: 10, offset: 0 });
    expect(page.status).toBe(200);
    const { rows } = (await page.json()) as { rows: Record<string, unknown>[] };
    expect(rows.map((row) => row.full_name)).toEqual(['ADA', 'ALAN', 'GRACE']);
    const edit = await post(studio, '/api/rows/update', { schema: 'public', table: 'users', key: { id: 2 }, values: { full_name: 'Alan Turing', tags: '{x,y}' } });
    expect(edit.status, await edit.clone().text()).toBe(200);
    const after = (await (await post(studio, '/api/rows', { schema: 'public', table: 'users', limit: 10, offset: 0 })).json()) as { rows: Record<string, unknown>[] };
    expect(after.rows.find((row) => row.id === 2)).toMatchObject({ full_name: 'Alan Turing', tags: '{x,y}' });
    const pending = await get<{ available: boolean; pending: { up: string } | null }>(studio, '/api/pending');
    expect(pending.available).toBe(true);
    expect(pending.pending?.up).toContain('ALTER TABLE "public"."users" ADD COLUMN "nickname" text[][]');
    studio.child.kill('SIGINT');
    expect(await studio.exited).toBe(0);
  }, CLI_MS);
});
