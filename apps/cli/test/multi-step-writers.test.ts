import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPgClient, type DatabaseClient } from '@strata/db';
import { createTestDatabase, runCli, type TestDatabase } from '@strata/testing';

const USERS = (column: string) =>
  `import { integer, pgTable, text } from 'drizzle-orm/pg-core';\nexport const users = pgTable('users', { id: integer('id').primaryKey(), ${column} });\n`;
const ROWS = 200_000;

/**
 * One version of the application, writing in a loop on a connection of its own: inserts new rows
 * (ids from `firstId` on) and updates existing ones of its own parity, through one column only.
 * Records the last value it wrote per row and every error it saw.
 */
class Writer {
  readonly written = new Map<number, string>();
  /** The value written at step `i`, as text (how the check reads it back). */
  value: (i: number) => string = (i) => `${this.column}-${i}`;
  readonly errors: string[] = [];
  writes = 0;
  private stopped = false;
  private done: Promise<void> | null = null;
  constructor(
    private readonly db: DatabaseClient, private readonly column: string, private readonly parity: 0 | 1, private nextId: number, private readonly table = 'users',
  ) {}

  start(): void {
    this.done = (async () => {
      for (let i = 0; !this.stopped; i++) {
        const value = this.value(i);
        try {
          if (i % 2 === 0) {
            const id = this.nextId++;
            await this.db.query(`insert into public.${this.table} (id, ${this.column}) values ($1, $2)`, [id, value]);
            this.written.set(id, value);
          } else {
            const id = 2 * Math.floor(Math.random() * (ROWS / 2)) + 1 + this.parity;
            await this.db.query(`update public.${this.table} set ${this.column} = $2 where id = $1`, [id, value]);
            this.written.set(id, value);
          }
          this.writes++;
        } catch (e) {
          this.errors.push((e as Error).message);
        }
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.done;
  }

  async waitForWrites(n: number): Promise<void> {
    const target = this.writes + n;
    while (this.writes < target && !this.stopped) await new Promise((r) => setTimeout(r, 20));
  }
}

// The proof of issue 18 for a rename, on a server (PGlite has one connection): an "old code" writer
// using only `name` runs through expand and its backfill, a "new code" writer using only
// `full_name` from the end of expand through the contract; neither sees an error, and every row's
// full_name is what either side wrote last (or the value it had before).
describe('generate --multi-step: old and new code write through expand, backfill and contract [postgres]', () => {
  let tdb: TestDatabase;
  let dir: string;
  let oldDb: DatabaseClient;
  let newDb: DatabaseClient;
  const strata = (...args: string[]) => runCli([...args, '--url', tdb.url], { cwd: dir, timeoutMs: 300_000 });

  beforeAll(async () => {
    tdb = await createTestDatabase('postgres');
    dir = mkdtempSync(join(tmpdir(), 'strata-cli-multistep-writers-'));
    symlinkSync(fileURLToPath(new URL('../../../packages/schema/node_modules', import.meta.url)), join(dir, 'node_modules'), 'dir');
    writeFileSync(join(dir, 'schema.ts'), USERS(`name: text('name').notNull().default('')`));
    writeFileSync(join(dir, 'strata.config.ts'), `export default { schema: './schema.ts', out: './migrations' };\n`);
    expect((await runCli(['generate', '--name', 'init'], { cwd: dir, timeoutMs: 180_000 })).code).toBe(0);
    expect((await strata('migrate')).code).toBe(0);
    const db = await tdb.client();
    await db.exec(`insert into public.users (id, name) select g, 'user ' || g from generate_series(1, ${ROWS}) g`);
    writeFileSync(join(dir, 'schema.ts'), USERS(`fullName: text('full_name').notNull().default('')`));
    const g = await runCli(['generate', '--multi-step', '--rename', 'users.name=users.full_name'], { cwd: dir, timeoutMs: 180_000 });
    expect(g.code, g.stderr).toBe(0);
    oldDb = await createPgClient(tdb.url, { max: 1 });
    newDb = await createPgClient(tdb.url, { max: 1 });
  }, 600_000);
  afterAll(async () => {
    await oldDb?.close();
    await newDb?.close();
    await tdb?.dispose();
  });

  it('neither writer sees an error, and full_name holds what was written last', async () => {
    const oldCode = new Writer(oldDb, 'name', 1, 10_000_000);
    const newCode = new Writer(newDb, 'full_name', 0, 20_000_000);
    oldCode.start();
    await oldCode.waitForWrites(50);
    // Expand and its backfill while the old code writes.
    const expand = await strata('migrate');
    expect(expand.code, expand.stderr).toBe(0);
    expect(expand.stdout).toMatch(/held .*_contract/);
    // The new code is deployed beside the old one: both write in the window.
    newCode.start();
    await Promise.all([oldCode.waitForWrites(100), newCode.waitForWrites(100)]);
    await oldCode.stop();
    // The contract while the new code writes.
    const contract = await strata('migrate', '--contract');
    expect(contract.code, contract.stderr).toBe(0);
    await newCode.waitForWrites(50);
    await newCode.stop();

    expect(oldCode.errors).toEqual([]);
    expect(newCode.errors).toEqual([]);
    expect(oldCode.writes).toBeGreaterThan(150);
    expect(newCode.writes).toBeGreaterThan(150);
    const db = await tdb.client();
    const rows = (await db.query<{ id: number; full_name: string }>('select id, full_name from public.users')).rows;
    const expected = new Map<number, string>();
    for (let id = 1; id <= ROWS; id++) expected.set(id, `user ${id}`);
    for (const [id, v] of oldCode.written) expected.set(id, v);
    for (const [id, v] of newCode.written) expected.set(id, v);
    expect(rows.length).toBe(expected.size);
    const wrong = rows.filter((r) => expected.get(r.id) !== r.full_name).slice(0, 5);
    expect(wrong).toEqual([]);
    const cols = (await db.query<{ c: string }>(`select string_agg(column_name, ',' order by column_name) as c from information_schema.columns where table_schema = 'public' and table_name = 'users'`)).rows[0]!.c;
    expect(cols).toBe('full_name,id');
  }, 600_000);
});

const ORDERS = (type: 'integer' | 'bigint') =>
  `import { ${type}, integer, pgTable } from 'drizzle-orm/pg-core';\nexport const orders = pgTable('orders', { id: integer('id').primaryKey(), amount: ${type}('amount'${type === 'bigint' ? ", { mode: 'number' }" : ''}).notNull().default(0) });\n`;

// The same proof for integer → bigint: the "old code" writes amount through expand and its
// backfill, the "new code" from the window through the swap (values past 2^31 once swapped).
describe('generate --multi-step: integer → bigint while writers write [postgres]', () => {
  let tdb: TestDatabase;
  let dir: string;
  let oldDb: DatabaseClient;
  let newDb: DatabaseClient;
  const strata = (...args: string[]) => runCli([...args, '--url', tdb.url], { cwd: dir, timeoutMs: 300_000 });

  beforeAll(async () => {
    tdb = await createTestDatabase('postgres');
    dir = mkdtempSync(join(tmpdir(), 'strata-cli-multistep-writers-'));
    symlinkSync(fileURLToPath(new URL('../../../packages/schema/node_modules', import.meta.url)), join(dir, 'node_modules'), 'dir');
    writeFileSync(join(dir, 'schema.ts'), ORDERS('integer'));
    writeFileSync(join(dir, 'strata.config.ts'), `export default { schema: './schema.ts', out: './migrations' };\n`);
    expect((await runCli(['generate', '--name', 'init'], { cwd: dir, timeoutMs: 180_000 })).code).toBe(0);
    expect((await strata('migrate')).code).toBe(0);
    const db = await tdb.client();
    await db.exec(`insert into public.orders (id, amount) select g, g from generate_series(1, ${ROWS}) g`);
    writeFileSync(join(dir, 'schema.ts'), ORDERS('bigint'));
    const g = await runCli(['generate', '--multi-step'], { cwd: dir, timeoutMs: 180_000 });
    expect(g.code, g.stderr).toBe(0);
    oldDb = await createPgClient(tdb.url, { max: 1 });
    newDb = await createPgClient(tdb.url, { max: 1 });
  }, 600_000);
  afterAll(async () => {
    await oldDb?.close();
    await newDb?.close();
    await tdb?.dispose();
  });

  it('neither writer sees an error, and amount holds what was written last', async () => {
    const oldCode = new Writer(oldDb, 'amount', 1, 10_000_000, 'orders');
    oldCode.value = (i) => String(1_000_000 + i);
    const newCode = new Writer(newDb, 'amount', 0, 20_000_000, 'orders');
    let swapped = false;
    newCode.value = (i) => String(swapped ? 5_000_000_000 + i : 2_000_000 + i);
    oldCode.start();
    await oldCode.waitForWrites(50);
    const expand = await strata('migrate');
    expect(expand.code, expand.stderr).toBe(0);
    expect(expand.stdout).toMatch(/held .*_contract/);
    newCode.start();
    await Promise.all([oldCode.waitForWrites(100), newCode.waitForWrites(100)]);
    await oldCode.stop();
    const contract = await strata('migrate', '--contract');
    expect(contract.code, contract.stderr).toBe(0);
    swapped = true;
    await newCode.waitForWrites(50);
    await newCode.stop();

    expect(oldCode.errors).toEqual([]);
    expect(newCode.errors).toEqual([]);
    const db = await tdb.client();
    const rows = (await db.query<{ id: number; amount: string }>('select id, amount::text as amount from public.orders')).rows;
    const expected = new Map<number, string>();
    for (let id = 1; id <= ROWS; id++) expected.set(id, String(id));
    for (const [id, v] of oldCode.written) expected.set(id, v);
    for (const [id, v] of newCode.written) expected.set(id, v);
    expect(rows.length).toBe(expected.size);
    expect(rows.filter((r) => expected.get(r.id) !== r.amount).slice(0, 5)).toEqual([]);
    expect(rows.some((r) => Number(r.amount) > 2 ** 31)).toBe(true);
    const type = (await db.query<{ t: string }>(`select string_agg(column_name || ':' || data_type, ',' order by column_name) as t from information_schema.columns where table_schema = 'public' and table_name = 'orders'`)).rows[0]!.t;
    expect(type).toBe('amount:bigint,id:integer');
  }, 600_000);
});

// `strata status` reads a running backfill's progress from its session's application_name (another
// connection: a server only). Here the backfill's state is set up by hand: the expand recorded with
// its backfill and what follows it (the new column's index, built on the filled column) left, and
// a session reporting 42% for the table.
describe('status: backfilling n% while a backfill runs, expanded when none does [postgres]', () => {
  let tdb: TestDatabase;
  let dir: string;
  let reporter: DatabaseClient;
  const strata = (...args: string[]) => runCli([...args, '--url', tdb.url], { cwd: dir, timeoutMs: 300_000 });

  beforeAll(async () => {
    tdb = await createTestDatabase('postgres');
    dir = mkdtempSync(join(tmpdir(), 'strata-cli-multistep-writers-'));
    symlinkSync(fileURLToPath(new URL('../../../packages/schema/node_modules', import.meta.url)), join(dir, 'node_modules'), 'dir');
    const indexed = (key: string, column: string) =>
      `import { index, integer, pgTable, text } from 'drizzle-orm/pg-core';\nexport const users = pgTable('users', { id: integer('id').primaryKey(), ${key}: text('${column}').notNull().default('') }, (t) => [index('users_${column}_idx').on(t.${key})]);\n`;
    writeFileSync(join(dir, 'schema.ts'), indexed('name', 'name'));
    writeFileSync(join(dir, 'strata.config.ts'), `export default { schema: './schema.ts', out: './migrations' };\n`);
    expect((await runCli(['generate', '--name', 'init'], { cwd: dir, timeoutMs: 180_000 })).code).toBe(0);
    writeFileSync(join(dir, 'schema.ts'), indexed('fullName', 'full_name'));
    expect((await runCli(['generate', '--multi-step', '--rename', 'users.name=users.full_name'], { cwd: dir, timeoutMs: 180_000 })).code).toBe(0);
    expect((await strata('migrate')).code).toBe(0);
    // The parts before the backfill are done; the backfill and the index build after it are left.
    const expand = readFileSync(join(dir, 'migrations', readdirSync(join(dir, 'migrations')).find((f) => f.endsWith('_expand.sql'))!), 'utf8');
    const parts = expand.split(/^--> strata:part.*$/m).filter((p) => /;\s*$/m.test(p));
    const backfill = parts.findIndex((p) => p.includes("'strata backfill '"));
    expect(parts.slice(backfill + 1).some((p) => p.includes('CREATE INDEX CONCURRENTLY IF NOT EXISTS "users_full_name_idx"'))).toBe(true);
    const db = await tdb.client();
    await db.exec(`update strata.migrations set state = 'applying', parts_done = ${backfill} where phase = 'expand'`);
    await db.exec('drop index public.users_full_name_idx'); // not built yet at that point
    reporter = await createPgClient(tdb.url, { max: 1 });
  }, 600_000);
  afterAll(async () => {
    await reporter?.close();
    await tdb?.dispose();
  });

  it('shows the percent the backfill reports, and "expanded" once it stops', async () => {
    const oid = (await reporter.query<{ oid: string }>(`select 'public.users'::regclass::oid::text as oid`)).rows[0]!.oid;
    await reporter.query(`select set_config('application_name', $1, false)`, [`strata backfill 42% ${oid}`]);
    const running = JSON.parse((await strata('status', '--json')).stdout);
    expect(running.multiStep[0]).toMatchObject({ phase: 'backfilling', percent: 42 });
    expect((await strata('status')).stdout).toContain('backfilling 42%');
    await reporter.query(`select set_config('application_name', 'app', false)`);
    const stopped = JSON.parse((await strata('status', '--json')).stdout);
    expect(stopped.multiStep[0]).toMatchObject({ phase: 'expanded', percent: null });
    // migrate resumes the backfill (the rows are filled already) and holds the contract again.
    const resumed = await strata('migrate');
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(JSON.parse((await strata('status', '--json')).stdout).multiStep[0]).toMatchObject({ phase: 'ready to contract', held: true });
  }, 600_000);
});

const KEYS = (wide: boolean) => {
  const t = (name: string) => (wide ? `bigint('${name}', { mode: 'number' })` : `integer('${name}')`);
  return `import { bigint, index, integer, pgTable, text } from 'drizzle-orm/pg-core';
export const users = pgTable('users', { id: ${t('id')}.primaryKey(), name: text('name').notNull() });
export const posts = pgTable('posts', { id: integer('id').primaryKey(), userId: ${t('user_id')}.notNull().references(() => users.id) }, (t) => [index('posts_user_id_idx').on(t.userId)]);
`;
};

/**
 * One version of the application writing users and posts in a loop: a new user and a post of
 * theirs, and a post of its own parity moved to that user. `userId(i)` picks the new user's id
 * (past 2^31 once the key is wide). Records each post's user and every error.
 */
class KeyWriter {
  readonly posts = new Map<number, number>();
  readonly users = new Set<number>();
  readonly errors: string[] = [];
  writes = 0;
  userId: (i: number) => number = (i) => i;
  private stopped = false;
  private done: Promise<void> | null = null;
  constructor(private readonly db: DatabaseClient, private readonly parity: 0 | 1, private nextPost: number) {}

  start(): void {
    this.done = (async () => {
      for (let i = 0; !this.stopped; i++) {
        try {
          const user = this.userId(i);
          await this.db.query(`insert into public.users (id, name) values ($1, $2)`, [user, `user ${user}`]);
          this.users.add(user);
          const post = this.nextPost++;
          await this.db.query(`insert into public.posts (id, user_id) values ($1, $2)`, [post, user]);
          this.posts.set(post, user);
          const moved = 2 * Math.floor(Math.random() * (ROWS / 2)) + 1 + this.parity;
          await this.db.query(`update public.posts set user_id = $2 where id = $1`, [moved, user]);
          this.posts.set(moved, user);
          this.writes++;
        } catch (e) {
          this.errors.push((e as Error).message);
        }
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.done;
  }

  async waitForWrites(n: number): Promise<void> {
    const target = this.writes + n;
    while (this.writes < target && !this.stopped) await new Promise((r) => setTimeout(r, 20));
  }
}

// The proof for a key: users.id (primary key) and posts.user_id (its foreign key, indexed) widened
// to bigint together while an "old code" writer runs through expand and its backfill and a "new
// code" writer from the window through the swap (keys past 2^31 once swapped): no error, every row
// kept, the foreign key valid at the end.
describe('generate --multi-step: a key and its referencing column widened while writers write [postgres]', () => {
  let tdb: TestDatabase;
  let dir: string;
  let oldDb: DatabaseClient;
  let newDb: DatabaseClient;
  const strata = (...args: string[]) => runCli([...args, '--url', tdb.url], { cwd: dir, timeoutMs: 300_000 });

  beforeAll(async () => {
    tdb = await createTestDatabase('postgres');
    dir = mkdtempSync(join(tmpdir(), 'strata-cli-multistep-writers-'));
    symlinkSync(fileURLToPath(new URL('../../../packages/schema/node_modules', import.meta.url)), join(dir, 'node_modules'), 'dir');
    writeFileSync(join(dir, 'schema.ts'), KEYS(false));
    writeFileSync(join(dir, 'strata.config.ts'), `export default { schema: './schema.ts', out: './migrations' };\n`);
    expect((await runCli(['generate', '--name', 'init'], { cwd: dir, timeoutMs: 180_000 })).code).toBe(0);
    expect((await strata('migrate')).code).toBe(0);
    const db = await tdb.client();
    await db.exec(`insert into public.users (id, name) select g, 'user ' || g from generate_series(1, ${ROWS}) g`);
    await db.exec(`insert into public.posts (id, user_id) select g, g from generate_series(1, ${ROWS}) g`);
    writeFileSync(join(dir, 'schema.ts'), KEYS(true));
    const g = await runCli(['generate', '--multi-step'], { cwd: dir, timeoutMs: 180_000 });
    expect(g.code, g.stderr).toBe(0);
    oldDb = await createPgClient(tdb.url, { max: 1 });
    newDb = await createPgClient(tdb.url, { max: 1 });
  }, 600_000);
  afterAll(async () => {
    await oldDb?.close();
    await newDb?.close();
    await tdb?.dispose();
  });

  it('neither writer sees an error, every user and post is kept, and the foreign key is valid', async () => {
    const oldCode = new KeyWriter(oldDb, 1, 10_000_000);
    oldCode.userId = (i) => 10_000_000 + i;
    const newCode = new KeyWriter(newDb, 0, 20_000_000);
    let swapped = false;
    newCode.userId = (i) => (swapped ? 5_000_000_000 : 20_000_000) + i;
    oldCode.start();
    await oldCode.waitForWrites(30);
    const expand = await strata('migrate');
    expect(expand.code, expand.stderr).toBe(0);
    expect(expand.stdout).toMatch(/held .*_contract/);
    newCode.start();
    await Promise.all([oldCode.waitForWrites(50), newCode.waitForWrites(50)]);
    await oldCode.stop();
    const contract = await strata('migrate', '--contract');
    expect(contract.code, contract.stderr).toBe(0);
    swapped = true;
    await newCode.waitForWrites(30);
    await newCode.stop();

    expect(oldCode.errors).toEqual([]);
    expect(newCode.errors).toEqual([]);
    const db = await tdb.client();
    const posts = (await db.query<{ id: number; user_id: string }>('select id, user_id::text as user_id from public.posts')).rows;
    const expected = new Map<number, string>();
    for (let id = 1; id <= ROWS; id++) expected.set(id, String(id));
    for (const [id, u] of oldCode.posts) expected.set(id, String(u));
    for (const [id, u] of newCode.posts) expected.set(id, String(u));
    expect(posts.length).toBe(expected.size);
    expect(posts.filter((r) => expected.get(r.id) !== r.user_id).slice(0, 5)).toEqual([]);
    expect(posts.some((r) => Number(r.user_id) > 2 ** 31)).toBe(true);
    const users = (await db.query<{ n: string }>('select count(*)::text as n from public.users')).rows[0]!.n;
    expect(Number(users)).toBe(ROWS + oldCode.users.size + newCode.users.size);
    const types = (await db.query<{ t: string }>(`select string_agg(table_name || '.' || column_name || ':' || data_type, ',' order by table_name, column_name) as t from information_schema.columns where table_schema = 'public'`)).rows[0]!.t;
    expect(types).toBe('posts.id:integer,posts.user_id:bigint,users.id:bigint,users.name:text');
    const fk = (await db.query<{ v: boolean }>(`select convalidated as v from pg_constraint where conrelid = 'public.posts'::regclass and contype = 'f'`)).rows;
    expect(fk).toEqual([{ v: true }]);
    expect((await strata('check')).code).toBe(0);
  }, 600_000);
});
