import { afterAll, beforeAll, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, describeBackends, runCli, type TestDatabase } from '@strata/testing';

/** Literal defaults the server rewrites, a check, and a view: the view is never settled. */
const SCHEMA = (extra = '') => `import { sql } from 'drizzle-orm';
import { check, integer, numeric, pgEnum, pgTable, pgView, serial, text } from 'drizzle-orm/pg-core';

export const status = pgEnum('status', ['active', 'archived']);
export const notes = pgTable('notes', {
  id: serial('id').primaryKey(),
  body: text('body').notNull().default(''),
  status: status('status').notNull().default('active'),
  price: numeric('price', { precision: 10, scale: 2 }).default('0'),
  rank: integer('rank').default(-1),${extra}
}, (t) => [check('rank_floor', sql\`\${t.rank} > -100\`)]);
export const activeNotes = pgView('active_notes', { id: integer('id'), body: text('body') }).as(sql\`select id, body from notes where status = 'active'\`);
`;

describeBackends('push and check against a schema with a view', (backend) => {
  let tdb: TestDatabase;
  let dir: string;
  const strata = (...args: string[]) => runCli([...args, '--url', tdb.url], { cwd: dir });
  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    dir = mkdtempSync(join(tmpdir(), 'strata-push-check-'));
    symlinkSync(fileURLToPath(new URL('../../../packages/schema/node_modules', import.meta.url)), join(dir, 'node_modules'), 'dir');
    writeFileSync(join(dir, 'schema.ts'), SCHEMA());
    writeFileSync(join(dir, 'strata.config.ts'), `export default { schema: './schema.ts', out: './migrations' };\n`);
  });
  afterAll(async () => tdb?.dispose());

  it('pushes, then finds nothing to do, keeping the server spelling of the code in the cache', async () => {
    const first = await strata('push', '--force');
    expect(first.stderr).toBe('');
    expect(first.stdout).toContain('pushed');
    const again = await strata('push', '--force');
    expect(again.stdout).toContain('the database already matches the schema code');
    // the view can only be spelled by building the code on the server: that answer is cached
    const cache = join(dir, '.strata', 'cache');
    expect(existsSync(cache) && readdirSync(cache).some((f) => /^spelled-[0-9a-f]+\.json$/.test(f))).toBe(true);
  });

  it('sees a change made by hand, with the cache in place, and push repairs it', async () => {
    const db = await tdb.client();
    await db.exec(`alter table notes add column by_hand text; alter table notes alter column status set default 'archived'`);
    await tdb.closeClient();
    const dry = await strata('push', '--dry-run');
    expect(dry.stdout).toContain('by_hand');
    expect(dry.stdout).toContain(`'active'`);
    expect((await strata('push', '--force')).code).toBe(0);
    expect((await strata('push', '--dry-run')).stdout).toContain('the database already matches the schema code');
  });

  it('adds a column the code gained, and nothing else', async () => {
    writeFileSync(join(dir, 'schema.ts'), SCHEMA(`\n  title: text('title'),`));
    const dry = await strata('push', '--dry-run', '--json');
    const plan = JSON.parse(dry.stdout) as { sql: string; changed: boolean };
    expect(plan.changed).toBe(true);
    expect(plan.sql.trim()).toBe('ALTER TABLE "public"."notes" ADD COLUMN "title" text;');
    expect((await strata('push', '--force')).code).toBe(0);
    expect((await strata('push', '--dry-run')).stdout).toContain('the database already matches the schema code');
  });

  // From real-world schemas (oneprojectorg/common, rybbit): a default the server prints without the
  // parentheses CREATE TABLE needs, and one foreign key written twice under drizzle-kit's name.
  it('pushes a default using AT TIME ZONE and a foreign key declared twice to an empty database, then finds nothing', async () => {
    const other = mkdtempSync(join(tmpdir(), 'strata-push-check-real-'));
    symlinkSync(fileURLToPath(new URL('../../../packages/schema/node_modules', import.meta.url)), join(other, 'node_modules'), 'dir');
    writeFileSync(join(other, 'schema.ts'), `import { sql } from 'drizzle-orm';
import { foreignKey, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
export const users = pgTable('users', { id: text('id').primaryKey() });
export const sites = pgTable('sites', {
  createdBy: text('created_by').notNull().references(() => users.id),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).default(sql\`(now() AT TIME ZONE 'utc'::text)\`),
}, (t) => [foreignKey({ columns: [t.createdBy], foreignColumns: [users.id], name: 'sites_created_by_users_id_fk' })]);
`);
    writeFileSync(join(other, 'strata.config.ts'), `export default { schema: './schema.ts', out: './migrations' };\n`);
    const empty = await createTestDatabase(backend);
    try {
      const push = await runCli(['push', '--force', '--url', empty.url], { cwd: other });
      expect(push.stderr).toBe('');
      expect(push.code).toBe(0);
      // The server spells the code's default: PostgreSQL 13 as the function call, which needs no
      // parentheses; 14 and later (and PGlite) as AT TIME ZONE, put back in parentheses.
      expect(push.stdout).toMatch(/DEFAULT (\(now\(\) AT TIME ZONE 'utc'::text\)|timezone\('utc'::text, now\(\)\))/);
      expect(push.stdout.match(/ADD CONSTRAINT "sites_created_by_users_id_fk"/g)).toHaveLength(1);
      expect((await runCli(['push', '--dry-run', '--url', empty.url], { cwd: other })).stdout).toContain('the database already matches the schema code');
    } finally {
      await empty.dispose();
    }
  });

  // From midday's schema: hnsw indexes declare .with({ m, ef_construction }), and drizzle-kit builds
  // them so. The second push is answered from the cache the first wrote.
  it('pushes an index’s WITH options in the order the code declares them, from the cache too', async () => {
    const other = mkdtempSync(join(tmpdir(), 'strata-push-check-with-'));
    symlinkSync(fileURLToPath(new URL('../../../packages/schema/node_modules', import.meta.url)), join(other, 'node_modules'), 'dir');
    writeFileSync(join(other, 'schema.ts'), `import { sql } from 'drizzle-orm';
import { index, pgTable, pgView, text } from 'drizzle-orm/pg-core';
export const docs = pgTable('docs', { tags: text('tags').array() }, (t) => [
  index('docs_tags_idx').using('gin', t.tags).with({ gin_pending_list_limit: 128, fastupdate: false }),
]);
export const tagged = pgView('tagged', { tags: text('tags').array() }).as(sql\`select tags from docs where tags is not null\`);
`);
    writeFileSync(join(other, 'strata.config.ts'), `export default { schema: './schema.ts', out: './migrations' };\n`);
    for (let run = 0; run < 2; run++) {
      const empty = await createTestDatabase(backend);
      try {
        const push = await runCli(['push', '--force', '--url', empty.url], { cwd: other });
        expect(push.code, push.stderr).toBe(0);
        const db = await empty.client();
        const { rows } = await db.query<{ o: string[] }>(`select to_json(reloptions) as o from pg_class where relname = 'docs_tags_idx'`);
        expect(rows[0]?.o, `push ${run + 1}`).toEqual(['gin_pending_list_limit=128', 'fastupdate=false']);
        // the view is spelled by building the code on the server, so the second push reads the cache
        expect(readdirSync(join(other, '.strata', 'cache')).some((f) => /^spelled-[0-9a-f]+\.json$/.test(f))).toBe(true);
      } finally {
        await empty.dispose();
      }
    }
  });

  // From morphic's schema: `tool_state IN ('input-streaming', …)` on a varchar column. The server
  // prints it as `(tool_state)::text = ANY ((ARRAY['input-streaming'::character varying, …])::text[])`,
  // and that text, run again, builds another expression (the cast moves into the elements), so push
  // must create what the code says, as generate does, and compare with the server's spelling.
  it('pushes a check written with IN on a varchar column as the code writes it, then finds nothing', async () => {
    const other = mkdtempSync(join(tmpdir(), 'strata-push-check-in-'));
    symlinkSync(fileURLToPath(new URL('../../../packages/schema/node_modules', import.meta.url)), join(other, 'node_modules'), 'dir');
    writeFileSync(join(other, 'schema.ts'), `import { sql } from 'drizzle-orm';
import { check, pgTable, varchar } from 'drizzle-orm/pg-core';
export const parts = pgTable('parts', { state: varchar('state', { length: 20 }) }, () => [
  check('state_valid', sql\`(state IS NULL OR state IN ('a', 'b'))\`),
]);
`);
    writeFileSync(join(other, 'strata.config.ts'), `export default { schema: './schema.ts', out: './migrations' };\n`);
    const empty = await createTestDatabase(backend);
    try {
      const push = await runCli(['push', '--force', '--url', empty.url], { cwd: other });
      expect(push.code, push.stderr).toBe(0);
      const db = await empty.client();
      const { rows } = await db.query<{ d: string }>(`select pg_get_constraintdef(oid) as d from pg_constraint where conname = 'state_valid'`);
      expect(rows[0]?.d).toBe(`CHECK (((state IS NULL) OR ((state)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))))`);
      await empty.closeClient();
      expect((await runCli(['push', '--dry-run', '--url', empty.url], { cwd: other })).stdout).toContain('the database already matches the schema code');
    } finally {
      await empty.dispose();
    }
  });
});
