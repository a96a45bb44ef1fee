import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, describeBackends, runCli, type TestDatabase } from '@strata/testing';

// Schema code written for drizzle-orm 1.0 (still a release candidate) gives the same migration as
// on drizzle-orm 0.x. Strata reads a 1.x column with its own 0.x drizzle-orm, and 1.x changed two
// things it reads: an array column is no longer a PgArray wrapper (the element column counts the
// array's depth in `dimensions`), and a text chunk of `sql` holds a string, not an array of them.

const SCHEMA = `import { sql } from 'drizzle-orm';
import { boolean, check, foreignKey, index, integer, jsonb, numeric, pgEnum, pgSchema, pgTable, pgView, primaryKey, text, timestamp, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';

export const mood = pgEnum('mood', ['sad', 'ok', 'happy']);
export const app = pgSchema('app');

export const users = app.table('users', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity({ startWith: 100 }),
  email: varchar('email', { length: 255 }).notNull(),
  mood: mood('mood').default('ok'),
  moods: mood('moods').array(),
  createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).defaultNow().notNull(),
  lowerEmail: text('lower_email').generatedAlwaysAs(sql\`lower(email)\`),
  meta: jsonb('meta').default({ plan: 'free' }),
}, (t) => [uniqueIndex('users_email_idx').on(t.email), check('email_has_at', sql\`\${t.email} like '%@%'\`)]);

export const posts = pgTable('posts', {
  id: uuid('id').defaultRandom().primaryKey(),
  authorId: integer('author_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  price: numeric('price', { precision: 10, scale: 2 }).default('0'),
  published: boolean('published').default(false).notNull(),
  tags: text('tags').array().default(['news', 'a "quoted" tag']),
  scores: integer('scores').array(),
  title: text('title').notNull().unique(),
}, (t) => [index('posts_author_idx').on(t.authorId, t.price.desc()).where(sql\`\${t.published}\`)]);

export const postTags = pgTable('post_tags', {
  postId: uuid('post_id').notNull(),
  tag: text('tag').notNull(),
}, (t) => [primaryKey({ columns: [t.postId, t.tag] }), foreignKey({ columns: [t.postId], foreignColumns: [posts.id], name: 'post_tags_post_fk' }).onDelete('cascade')]);

export const published = pgView('published_posts').as((qb) => qb.select({ id: posts.id, title: posts.title }).from(posts).where(sql\`\${posts.published}\`));
`;

const modules = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** A project whose `drizzle-orm` is the given package directory: on `schema.ts` (SCHEMA), or on a `schema` folder to pull into. */
function project(prefix: string, drizzleOrm: string, pulled = false): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(realpathSync(drizzleOrm), join(dir, 'node_modules', 'drizzle-orm'), 'dir');
  if (!pulled) writeFileSync(join(dir, 'schema.ts'), SCHEMA);
  writeFileSync(join(dir, 'strata.config.ts'), `export default { schema: ${pulled ? "'./schema'" : "'./schema.ts'"}, out: './migrations' };\n`);
  return dir;
}

const upSql = (dir: string) => {
  const files = readdirSync(join(dir, 'migrations')).filter((f) => f.endsWith('.sql') && !f.endsWith('.down.sql'));
  expect(files).toHaveLength(1);
  return readFileSync(join(dir, 'migrations', files[0]!), 'utf8');
};

describeBackends('schema code on drizzle-orm 1.0-rc', (backend) => {
  let tdb: TestDatabase;
  let v1: string;
  let v0: string;
  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    v1 = project('strata-orm1-', modules('../node_modules/drizzle-orm-1'));
    v0 = project('strata-orm0-', modules('../../../packages/schema/node_modules/drizzle-orm'));
  });
  afterAll(async () => tdb?.dispose());

  it('generate writes the same migration as for the same code on drizzle-orm 0.x, arrays included', async () => {
    const versionOf = (dir: string) => (JSON.parse(readFileSync(join(dir, 'node_modules/drizzle-orm/package.json'), 'utf8')) as { version: string }).version;
    expect(versionOf(v1)).toMatch(/^1\./);
    expect(versionOf(v0)).toMatch(/^0\./);
    for (const dir of [v1, v0]) {
      const r = await runCli(['generate', '--name', 'init'], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
    }
    const sql = upSql(v1);
    expect(sql).toBe(upSql(v0));
    expect(sql).toContain(String.raw`"tags" text[] DEFAULT E'{"news","a \\"quoted\\" tag"}'`);
    expect(sql).toContain('"scores" integer[]');
    expect(sql).toContain('"moods" "public"."mood"[]');
    expect(sql).toContain('"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL');
  });

  it('the migration applies, and check and push find the database in step with the 1.x code', async () => {
    const migrate = await runCli(['migrate', '--url', tdb.url], { cwd: v1 });
    expect(migrate.code, migrate.stderr).toBe(0);
    const check = await runCli(['check', '--url', tdb.url], { cwd: v1 });
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(check.stderr).toBe('');
    const push = await runCli(['push', '--dry-run', '--url', tdb.url], { cwd: v1 });
    expect(push.code, push.stderr).toBe(0);
    expect(push.stdout).toContain('the database already matches the schema code');
    const db = await tdb.client();
    const types = await db.query<{ column_name: string; udt_name: string }>(
      `select column_name, udt_name from information_schema.columns where table_name = 'posts' and column_name in ('tags', 'scores') order by 1`,
    );
    await tdb.closeClient();
    expect(types.rows).toEqual([{ column_name: 'scores', udt_name: '_int4' }, { column_name: 'tags', udt_name: '_text' }]);
  });

  it('pull writes code for the project\'s drizzle-orm: a two-dimensional array as .array(\'[][]\') on 1.x, chained on 0.x; each reads back as the database', async () => {
    await (await tdb.client()).exec('CREATE TABLE "public"."grid" ("id" integer PRIMARY KEY, "cells" text[][])');
    await tdb.closeClient();
    const cases = [
      { dir: project('strata-orm1-pull-', modules('../node_modules/drizzle-orm-1'), true), cells: `cells: text().array('[][]'),` },
      { dir: project('strata-orm0-pull-', modules('../../../packages/schema/node_modules/drizzle-orm'), true), cells: 'cells: text().array().array(),' },
    ];
    for (const { dir, cells } of cases) {
      const pulled = await runCli(['pull', '--url', tdb.url, '--out', 'schema'], { cwd: dir });
      expect(pulled.code, pulled.stderr).toBe(0);
      expect(readFileSync(join(dir, 'schema', 'public.ts'), 'utf8')).toContain(cells);
      const push = await runCli(['push', '--dry-run', '--url', tdb.url], { cwd: dir });
      expect(push.code, push.stderr).toBe(0);
      expect(push.stdout).toContain('the database already matches the schema code');
    }
  });
});
