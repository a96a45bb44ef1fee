/**
 * The migration guide (shared/seed/database-migration-guide.md), section by section, through the
 * real `strata` binary, on embedded PGlite and on a real PostgreSQL server. Each step asserts the
 * database state, not only the exit code. The steps build on each other and run in order.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describeBackends } from '@strata/testing';
import { GuideProject } from './guide-project.js';

const USERS = 'src/database/schema/users.ts';
const POSTS = 'src/database/schema/posts.ts';

describeBackends('the migration guide, end to end', (backend) => {
  let p: GuideProject;
  beforeAll(async () => {
    p = await GuideProject.create(backend);
  });
  afterAll(async () => p?.dispose());

  it('Initial migration: generate creates all tables, indexes and constraints; migrate applies it', async () => {
    const g = await p.ok('generate', '--name', 'init');
    expect(g.stdout).toContain('wrote database/migrations/');
    const { up, down } = p.newest();
    expect(up).toContain('CREATE TABLE "public"."users"');
    expect(up).toContain('CREATE INDEX "users_email_idx" ON "public"."users"');
    expect(up).toContain('FOREIGN KEY ("user_id") REFERENCES "public"."users" ("id") ON DELETE CASCADE');
    expect(down).toContain('DROP TABLE');
    await p.ok('migrate');
    const tables = await p.sql<{ t: string }>(`select table_name as t from information_schema.tables where table_schema = 'public' order by 1`);
    expect(tables.map((r) => r.t)).toEqual(['comments', 'post_tags', 'posts', 'tags', 'users']);
    await p.sql(`insert into users (username, email, name) values ('ada', 'ada@example.com', 'Ada Lovelace'), ('alan', 'alan@example.com', 'Alan Turing')`);
  });

  it('Generate with no schema change writes nothing', async () => {
    const before = p.migrations();
    const r = await p.ok('generate');
    expect(r.stdout).toContain('no schema changes');
    expect(p.migrations()).toEqual(before);
  });

  it('Adding a column: ALTER TABLE … ADD COLUMN "phone_number" varchar(20)', async () => {
    p.edit(USERS, "    name: text('name'),", "    name: text('name'),\n    phoneNumber: varchar('phone_number', { length: 20 }),");
    await p.ok('generate', '--name', 'add_phone_number');
    const { up, down } = p.newest();
    expect(up).toContain('ALTER TABLE "public"."users" ADD COLUMN "phone_number" character varying(20);');
    expect(down).toContain('ALTER TABLE "public"."users" DROP COLUMN "phone_number"');
    await p.ok('migrate');
    expect(await p.columns('users')).toContain('phone_number');
    const t = await p.sql<{ t: string }>(`select format_type(atttypid, atttypmod) as t from pg_attribute where attrelid = 'public.users'::regclass and attname = 'phone_number'`);
    expect(t[0]!.t).toBe('character varying(20)');
  });

  it('Adding an index: CREATE INDEX on the named columns', async () => {
    p.edit(POSTS, "(t) => [index('posts_user_id_created_at_idx')", "(t) => [index('posts_title_idx').on(t.title), index('posts_user_id_created_at_idx')");
    await p.ok('generate', '--name', 'add_posts_title_idx');
    // Lock-safe by default: built CONCURRENTLY, outside a transaction, so writes to posts continue.
    expect(p.newest().up).toContain('CREATE INDEX CONCURRENTLY IF NOT EXISTS "posts_title_idx" ON "public"."posts" USING btree ("title")');
    await p.ok('migrate');
    const idx = await p.sql(`select 1 from pg_indexes where schemaname = 'public' and indexname = 'posts_title_idx'`);
    expect(idx).toHaveLength(1);
  });

  it('Adding a foreign key: a new table referencing users with ON DELETE CASCADE', async () => {
    p.write(
      'src/database/schema/bookmarks.ts',
      `import { pgTable, uuid } from 'drizzle-orm/pg-core';
import { users } from './users';

export const bookmarks = pgTable('bookmarks', {
  id: uuid('id').primaryKey().defaultRandom(),
  userId: uuid('user_id')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
});
`,
    );
    p.edit('src/database/schema/index.ts', "export * from './posts';", "export * from './posts';\nexport * from './bookmarks';");
    await p.ok('generate', '--name', 'add_bookmarks');
    expect(p.newest().up).toContain(
      'ALTER TABLE "public"."bookmarks" ADD CONSTRAINT "bookmarks_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users" ("id") ON DELETE CASCADE',
    );
    await p.ok('migrate');
    const fk = await p.sql<{ d: string }>(`select pg_get_constraintdef(oid) as d from pg_constraint where conname = 'bookmarks_user_id_users_id_fk'`);
    expect(fk[0]!.d).toContain('ON DELETE CASCADE');
    // The cascade works: deleting a user deletes their bookmarks.
    await p.sql(`insert into bookmarks (user_id) select id from users where username = 'alan'`);
    await p.sql(`delete from users where username = 'alan'`);
    expect(await p.sql(`select * from bookmarks`)).toHaveLength(0);
  });

  it('Dropping a column: DROP COLUMN, with a down that says the data does not come back', async () => {
    p.edit(USERS, "    active: boolean('active').notNull().default(true),\n", '');
    const g = await p.ok('generate', '--name', 'drop_active');
    expect(g.stdout).toMatch(/data-loss/);
    const { up, down } = p.newest();
    expect(up).toContain('ALTER TABLE "public"."users" DROP COLUMN "active"');
    expect(down).toMatch(/--.*not restored|--.*back empty/i);
    await p.ok('migrate');
    expect(await p.columns('users')).not.toContain('active');
  });

  it('Renaming a column with a hint keeps the data (no manual migration needed)', async () => {
    p.edit(POSTS, "body: text('body')", "content: text('content')");
    const ask = await p.strata('generate');
    expect(ask.code).toBe(2); // no terminal to ask "renamed or replaced?"
    expect(ask.stderr).toContain('--rename public.posts.body=public.posts.content');
    expect(p.newest().name).toContain('drop_active'); // nothing written
    await p.ok('generate', '--rename', 'posts.body=posts.content', '--name', 'rename_body');
    expect(p.newest().up).toContain('ALTER TABLE "public"."posts" RENAME COLUMN "body" TO "content"');
    const user = await p.sql<{ id: string }>(`select id from users where username = 'ada'`);
    await p.sql(`insert into posts (user_id, title, body) values ($1, 'Notes', 'on the analytical engine')`, [user[0]!.id]);
    await p.ok('migrate');
    expect(await p.sql(`select content from posts`)).toEqual([{ content: 'on the analytical engine' }]);
  });

  it('Renaming a column by a manual (custom) migration, as the guide does by hand', async () => {
    p.edit(USERS, "email: varchar('email', { length: 255 })", "email: varchar('email_address', { length: 255 })");
    await p.ok('generate', '--custom', '--name', 'rename_email');
    const { name } = p.newest();
    p.write(`database/migrations/${name}.sql`, 'ALTER TABLE "users" RENAME COLUMN "email" TO "email_address";\n');
    p.write(`database/migrations/${name}.down.sql`, 'ALTER TABLE "users" RENAME COLUMN "email_address" TO "email";\n');
    const refused = await p.strata('migrate');
    expect(refused.code).toBe(1); // the edit is caught by the integrity file…
    expect(refused.stderr).toContain('strata hash');
    await p.ok('hash'); // …and accepted once declared intended
    await p.ok('migrate');
    expect(await p.sql(`select email_address from users`)).toEqual([{ email_address: 'ada@example.com' }]);
    // check proves the hand-written SQL reached the schema the code describes.
    const c = await p.strata('check');
    expect(c.code, c.stdout + c.stderr).toBe(0);
  });

  it('Multi-step rename: add full_name, fill it with a data migration, then drop name', async () => {
    // Step 1: add the new column.
    p.edit(USERS, "    name: text('name'),", "    name: text('name'),\n    fullName: text('full_name'),");
    await p.ok('generate', '--name', 'add_full_name');
    await p.ok('migrate');
    // The copy is a data migration (the guide: "keep data migrations separate").
    const created = await p.ok('data', 'new', 'fill_full_name');
    const dataFile = readdirSync(join(p.dir, 'scripts/data')).find((f) => f.endsWith('_fill_full_name.ts'))!;
    expect(created.stdout).toContain(dataFile);
    p.write(
      `scripts/data/${dataFile}`,
      `import { defineDataMigration } from '@strata/data';

export default defineDataMigration({
  description: 'fill users.full_name from users.name',
  async up(ctx) {
    await ctx.batch({ table: 'users', size: 100 }, (tx, { ids }) =>
      tx.query('update users set full_name = name where id = any($1)', [ids]),
    );
  },
});
`,
    );
    await p.ok('data', 'run');
    expect(await p.sql(`select full_name from users`)).toEqual([{ full_name: 'Ada Lovelace' }]);
    const status = JSON.parse((await p.ok('data', 'status', '--json')).stdout);
    expect(JSON.stringify(status)).toContain('fill_full_name');
    // Step 3 (after the application uses both columns): drop the old one.
    p.edit(USERS, "    name: text('name'),\n", '');
    await p.ok('generate', '--name', 'drop_name');
    expect(p.newest().up).toContain('DROP COLUMN "name"');
    await p.ok('migrate');
    expect(await p.columns('users')).not.toContain('name');
    expect(await p.sql(`select full_name from users`)).toEqual([{ full_name: 'Ada Lovelace' }]);
  });

  it('Rollback option 1: the reverse migration, generated, run by strata rollback', async () => {
    await p.ok('rollback');
    expect(await p.columns('users')).toContain('name'); // drop_name undone: the column is back (empty)
    const s = JSON.parse((await p.ok('status', '--json')).stdout);
    expect(s.pending).toHaveLength(1);
    expect(s.pending[0]).toContain('drop_name');
    await p.ok('migrate');
    expect(await p.columns('users')).not.toContain('name');
  });

  it('Rollback option 2: a database backup, restored', async () => {
    const b = await p.ok('backup', '--out', 'backups/before.strata');
    expect(existsSync(join(p.dir, 'backups/before.strata'))).toBe(true);
    expect(b.code).toBe(0);
    await p.sql(`delete from users`);
    const refused = await p.strata('restore', 'backups/before.strata');
    expect(refused.code).toBe(2); // not empty: needs --clean, confirmed
    await p.ok('restore', 'backups/before.strata', '--clean', '--yes');
    expect(await p.sql(`select username from users`)).toEqual([{ username: 'ada' }]);
    expect(await p.sql(`select content from posts`)).toEqual([{ content: 'on the analytical engine' }]);
    const s = JSON.parse((await p.ok('status', '--json')).stdout);
    expect(s.pending).toEqual([]); // the history came back with the data
  });

  it('Rollback option 3: an in-database snapshot, restored', async () => {
    // The guide copies one table; with foreign keys pointing at it, putting rows back into it
    // alone could leave other tables pointing at replaced rows, so Strata refuses, saying why…
    await p.ok('snapshot', 'create', 'users_only', '--tables', 'users');
    const partial = await p.strata('snapshot', 'restore', 'users_only', '--yes');
    expect(partial.code).toBe(1);
    expect(partial.stderr).toContain('public.posts references public.users');
    await p.ok('snapshot', 'drop', 'users_only');
    // …and a snapshot of every managed table restores them together.
    await p.ok('snapshot', 'create', 'before_cleanup');
    await p.sql(`update users set full_name = 'changed'`);
    await p.sql(`delete from posts`);
    await p.ok('snapshot', 'restore', 'before_cleanup', '--yes');
    expect(await p.sql(`select full_name from users`)).toEqual([{ full_name: 'Ada Lovelace' }]);
    expect(await p.sql(`select count(*)::int4 as n from posts`)).toEqual([{ n: 1 }]);
    const list = JSON.parse((await p.ok('snapshot', 'list', '--json')).stdout);
    expect(JSON.stringify(list)).toContain('before_cleanup');
    await p.ok('snapshot', 'drop', 'before_cleanup');
  });

  it('Development: push the schema directly, without migration files or history', async () => {
    const before = p.migrations();
    p.edit(USERS, "    fullName: text('full_name'),", "    fullName: text('full_name'),\n    bio: text('bio'),");
    await p.ok('push');
    expect(await p.columns('users')).toContain('bio');
    expect(p.migrations()).toEqual(before);
    const history = await p.sql(`select name from strata.migrations`);
    expect(history).toHaveLength(before.length);
    // Taking it out again loses data: without a terminal push needs --force.
    p.edit(USERS, "\n    bio: text('bio'),", '');
    await p.sql(`update users set bio = 'x'`);
    const refused = await p.strata('push');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('"bio"');
    expect(await p.columns('users')).toContain('bio');
    await p.ok('push', '--force');
    expect(await p.columns('users')).not.toContain('bio');
  });

  it('Out of sync: check reports hand-made drift, push repairs it in development', async () => {
    expect((await p.strata('check')).code).toBe(0);
    await p.exec(`alter table users add column nickname text; alter table posts alter column views set default 7; drop index posts_title_idx`);
    const c = await p.strata('check', '--json');
    expect(c.code).toBe(1);
    const report = JSON.parse(c.stdout);
    const drift = report.problems.filter((x: { kind: string }) => x.kind === 'drift').map((x: { message: string }) => x.message).join('\n');
    expect(drift).toContain('"nickname"');
    expect(drift).toContain('"views"');
    expect(drift).toContain('posts_title_idx');
    await p.ok('push', '--force');
    expect((await p.strata('check')).code).toBe(0);
    // A later change by hand is seen again.
    await p.exec(`alter table users add column nickname2 text`);
    const again = await p.strata('check', '--json');
    expect(again.code).toBe(1);
    expect(again.stdout).toContain('nickname2');
    await p.exec(`alter table users drop column nickname2`);
  });

  it('Schema introspection: pull writes drizzle schema code from the database', async () => {
    await p.ok('pull', '--out', 'pulled');
    const files = readdirSync(join(p.dir, 'pulled'), { recursive: true }).map(String).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(0);
    const code = files.map((f) => p.file(join('pulled', f))).join('\n');
    expect(code).toContain("pgTable('users'");
    expect(code).toContain("pgEnum('post_status'");
    expect(code).toContain("'bookmarks_user_id_users_id_fk'");
  });

  it('Regenerating the initial migration from scratch: drop, delete, generate, migrate', async () => {
    const refused = await p.strata('drop');
    expect(refused.code).toBe(2); // no terminal: needs --force
    await p.ok('drop', '--force');
    expect(await p.sql(`select table_name from information_schema.tables where table_schema = 'public'`)).toEqual([]);
    rmSync(join(p.dir, 'database/migrations'), { recursive: true });
    await p.ok('generate', '--name', 'init');
    expect(p.migrations()).toHaveLength(1);
    await p.ok('migrate');
    expect(await p.columns('users')).toEqual(expect.arrayContaining(['id', 'username', 'email_address', 'full_name', 'phone_number']));
    expect((await p.strata('check')).code).toBe(0);
  });

  it('Monitoring: the history table and strata status', async () => {
    const rows = await p.sql<{ name: string; checksum: string }>(`select name, checksum from strata.migrations`);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.name).toMatch(/^\d{14}_init$/);
    expect(rows[0]!.checksum).toBeTruthy();
    const s = JSON.parse((await p.ok('status', '--json')).stdout);
    expect(s.applied).toEqual([rows[0]!.name]);
    expect(s.pending).toEqual([]);
  });
});
