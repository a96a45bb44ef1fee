import { afterAll, beforeAll, expect, it } from 'vitest';
import { readdirSync, readFileSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateDrizzleJson, generateMigration } from 'drizzle-kit/api';
import { catalogFingerprint, createTestDatabase, describeBackends, runCli, type CatalogFingerprint, type TestDatabase } from '@strata/testing';

// A unique constraint that repeats another one of its table (same columns in the same order, same
// NULLS NOT DISTINCT): drizzle-kit writes both inside CREATE TABLE, and PostgreSQL keeps the first
// (columns' .unique() come first, then the third argument's in code order). Strata's snapshot keeps
// the same one, so a drizzle-kit-built database checks clean, and Strata builds what drizzle-kit does.

const SCHEMA = `import { integer, pgTable, text, unique, uniqueIndex } from 'drizzle-orm/pg-core';

export const users = pgTable('users', {
  id: integer('id').primaryKey(),
  email: text('email').notNull().unique(),
  org: integer('org'),
  handle: text('handle'),
}, (t) => [
  unique('zz_users_email').on(t.email),
  unique('aa_users_email').on(t.email),
  unique('users_org_handle').on(t.org, t.handle),
  unique('users_org_handle_again').on(t.org, t.handle),
  unique('users_org_handle_nnd').on(t.org, t.handle).nullsNotDistinct(),
  unique('users_handle_org').on(t.handle, t.org),
  uniqueIndex('users_email_idx').on(t.email),
]);

export const teams = pgTable('teams', { id: integer('id').primaryKey().unique() }, (t) => [unique('teams_id_key').on(t.id)]);

export const invites = pgTable('invites', { email: text('email').references(() => users.email) });
`;

/** What Strata wrote for this schema before it kept one of the repeats: each repeat by its own ALTER TABLE. */
const EARLIER_STRATA = [
  `CREATE TABLE "users" ("id" integer NOT NULL, "email" text NOT NULL, "org" integer, "handle" text, CONSTRAINT "users_pkey" PRIMARY KEY ("id"),
     CONSTRAINT "aa_users_email" UNIQUE ("email"), CONSTRAINT "users_handle_org" UNIQUE ("handle", "org"), CONSTRAINT "users_org_handle" UNIQUE ("org", "handle"),
     CONSTRAINT "users_org_handle_nnd" UNIQUE NULLS NOT DISTINCT ("org", "handle"))`,
  'ALTER TABLE "users" ADD CONSTRAINT "users_email_unique" UNIQUE ("email")',
  'ALTER TABLE "users" ADD CONSTRAINT "users_org_handle_again" UNIQUE ("org", "handle")',
  'ALTER TABLE "users" ADD CONSTRAINT "zz_users_email" UNIQUE ("email")',
  'CREATE TABLE "teams" ("id" integer NOT NULL, CONSTRAINT "teams_id_unique" PRIMARY KEY ("id"))',
  'CREATE TABLE "invites" ("email" text)',
  'CREATE UNIQUE INDEX "users_email_idx" ON "users" USING btree ("email")',
  'ALTER TABLE "invites" ADD CONSTRAINT "invites_email_users_email_fk" FOREIGN KEY ("email") REFERENCES "users" ("email")',
  `INSERT INTO "users" VALUES (1, 'a@x', 1, 'a'), (2, 'b@x', null, null)`,
  `INSERT INTO "invites" VALUES ('a@x')`,
];

const corpusModules = join(dirname(fileURLToPath(import.meta.url)), '..', 'node_modules');
const CLI_MS = 240_000;

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'strata-dup-uniques-'));
  symlinkSync(corpusModules, join(dir, 'node_modules'), 'dir');
  writeFileSync(join(dir, 'schema.ts'), SCHEMA);
  writeFileSync(join(dir, 'strata.config.ts'), `export default { schema: './schema.ts', out: './migrations' };\n`);
  return dir;
}

/**
 * Turns a fresh project's first migration into what an earlier Strata wrote for SCHEMA: the
 * repeats in its snapshot, the first by name inside CREATE TABLE and the others by ALTER TABLE,
 * before the foreign key that references the column. The integrity file is rewritten by `hash`.
 */
function asEarlierStrata(dir: string): void {
  const folder = join(dir, 'migrations');
  const name = readdirSync(folder).find((f) => f.endsWith('_init.sql'))!.replace(/\.sql$/, '');
  const sqlFile = join(folder, `${name}.sql`);
  const repeats = [
    'ALTER TABLE "public"."users" ADD CONSTRAINT "users_email_unique" UNIQUE ("email")',
    'ALTER TABLE "public"."users" ADD CONSTRAINT "users_org_handle_again" UNIQUE ("org", "handle")',
    'ALTER TABLE "public"."users" ADD CONSTRAINT "zz_users_email" UNIQUE ("email")',
  ];
  const fk = 'ALTER TABLE "public"."invites" ADD CONSTRAINT';
  const sql = readFileSync(sqlFile, 'utf8');
  expect(sql).toContain('CONSTRAINT "users_email_unique" UNIQUE ("email"),');
  writeFileSync(sqlFile, sql
    .replace('CONSTRAINT "users_email_unique" UNIQUE ("email"),', 'CONSTRAINT "aa_users_email" UNIQUE ("email"),')
    .replace(fk, `${repeats.join(';\n--> statement-breakpoint\n')};\n--> statement-breakpoint\n${fk}`));
  const metaFile = join(folder, 'meta', `${name}.json`);
  const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as { snapshot: { schemas: Record<string, { tables: Record<string, { uniques: Record<string, unknown> }> }> } };
  const uniques = meta.snapshot.schemas.public!.tables.users!.uniques;
  for (const [u, columns] of [['aa_users_email', ['email']], ['users_org_handle_again', ['org', 'handle']], ['zz_users_email', ['email']]] as const) {
    uniques[u] = { columns, name: u, nullsNotDistinct: false };
  }
  writeFileSync(metaFile, JSON.stringify(meta, null, 2));
}

describeBackends('unique constraints repeating another one', (backend) => {
  const dbs: TestDatabase[] = [];
  let dir: string;
  let reference: CatalogFingerprint;
  let drizzleKitDb: TestDatabase;
  const fresh = async () => {
    const db = await createTestDatabase(backend);
    dbs.push(db);
    return db;
  };
  const fingerprint = async (db: TestDatabase) => {
    try {
      return await catalogFingerprint(await db.client(), ['public']);
    } finally {
      await db.closeClient();
    }
  };
  const run = async (db: TestDatabase, statements: readonly string[]) => {
    const c = await db.client();
    try {
      for (const s of statements) await c.exec(s);
    } finally {
      await db.closeClient();
    }
  };
  const ok = async (args: string[]) => {
    const r = await runCli(args, { cwd: dir, timeoutMs: CLI_MS });
    expect(r.code, `strata ${args.join(' ')}\n${r.stderr}${r.stdout}`).toBe(0);
    return r;
  };

  beforeAll(async () => {
    dir = project();
    writeFileSync(join(dir, 'schema.mjs'), SCHEMA); // same text, importable here without a TypeScript loader
    const mod = (await import(join(dir, 'schema.mjs'))) as Record<string, unknown>;
    const statements = await generateMigration(generateDrizzleJson({}), generateDrizzleJson(mod));
    drizzleKitDb = await fresh();
    await run(drizzleKitDb, statements);
    reference = await fingerprint(drizzleKitDb);
  }, CLI_MS);
  afterAll(async () => {
    for (const db of dbs) await db.dispose();
  });

  it('drizzle-kit’s CREATE TABLE keeps the first of each repeated constraint', () => {
    const users = reference.tables.find((t) => t.name === 'users');
    expect(JSON.stringify(users)).toContain('users_email_unique');
    for (const gone of ['zz_users_email', 'aa_users_email', 'users_org_handle_again', 'teams_id_key']) expect(JSON.stringify(reference)).not.toContain(gone);
    for (const kept of ['users_org_handle', 'users_org_handle_nnd', 'users_handle_org', 'users_email_idx', 'teams_id_unique']) expect(JSON.stringify(reference)).toContain(`"${kept}"`);
  });

  it('generate + migrate builds the catalog drizzle-kit’s SQL builds, and check is clean there', async () => {
    await ok(['generate', '--name', 'init']);
    const migrated = await fresh();
    await ok(['migrate', '--url', migrated.url]);
    expect(await fingerprint(migrated)).toEqual(reference);
    expect((await ok(['check', '--url', migrated.url])).stderr).toBe('');
  }, CLI_MS);

  it('check is clean on the database drizzle-kit built (once its history is recorded with baseline)', async () => {
    await ok(['baseline', '--url', drizzleKitDb.url]);
    const r = await runCli(['check', '--json', '--url', drizzleKitDb.url], { cwd: dir, timeoutMs: CLI_MS });
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, problems: [] });
    expect(r.code).toBe(0);
  }, CLI_MS);

  it('a project an earlier Strata migrated with both: the next generate drops the repeats, says why, and migrate, check and rollback work', async () => {
    const earlier = project();
    const inEarlier = async (args: string[]) => {
      const r = await runCli(args, { cwd: earlier, timeoutMs: CLI_MS });
      expect(r.code, `strata ${args.join(' ')}\n${r.stderr}${r.stdout}`).toBe(0);
      return r;
    };
    await inEarlier(['generate', '--name', 'init']);
    asEarlierStrata(earlier);
    await inEarlier(['hash']);
    const db = await fresh();
    await inEarlier(['migrate', '--url', db.url]);
    await run(db, EARLIER_STRATA.filter((s) => s.startsWith('INSERT')));
    expect(JSON.stringify(await fingerprint(db))).toContain('"zz_users_email"');

    const generated = await inEarlier(['generate', '--name', 'drop_repeats']);
    for (const u of ['aa_users_email', 'zz_users_email']) expect(generated.stdout).toContain(`unique "${u}" on "public"."users" (redundant: "users_email_unique" enforces the same UNIQUE ("email"))`);
    const file = readdirSync(join(earlier, 'migrations')).find((f) => f.endsWith('_drop_repeats.sql'))!;
    const up = readFileSync(join(earlier, 'migrations', file), 'utf8');
    expect(up).toContain('-- redundant: "users_email_unique" enforces the same UNIQUE ("email")\nALTER TABLE "public"."users" DROP CONSTRAINT "aa_users_email"');
    expect(up).toContain('DROP CONSTRAINT "users_org_handle_again"');
    expect(up).toContain('ADD CONSTRAINT "invites_email_users_email_fk"'); // it was on aa_users_email's index
    await inEarlier(['migrate', '--url', db.url]);
    expect(await fingerprint(db)).toEqual(reference);
    expect((await inEarlier(['check', '--url', db.url])).stderr).toBe('');
    expect((await inEarlier(['generate', '--json'])).stdout).toContain('"changed": false');
    await inEarlier(['rollback', '--url', db.url]);
    expect(JSON.stringify(await fingerprint(db))).toContain('"zz_users_email"');
    await inEarlier(['migrate', '--url', db.url]);
    expect(await fingerprint(db)).toEqual(reference);
    const c = await db.client();
    try {
      expect((await c.query('select count(*)::int as n from invites')).rows).toEqual([{ n: 1 }]);
    } finally {
      await db.closeClient();
    }
  }, CLI_MS);

  it('a database an earlier Strata built with both: push drops the repeats, says why, keeps the rows and the foreign key', async () => {
    const db = await fresh();
    await run(db, EARLIER_STRATA);
    const plan = (await ok(['push', '--dry-run', '--url', db.url])).stdout;
    expect(plan).toContain('unique "aa_users_email" on "public"."users" (redundant: "users_email_unique" enforces the same UNIQUE ("email"))');
    expect(plan).toContain('unique "zz_users_email" on "public"."users" (redundant: "users_email_unique" enforces the same UNIQUE ("email"))');
    expect(plan).toContain('(redundant: "users_org_handle" enforces the same UNIQUE ("org", "handle"))');
    await ok(['push', '--force', '--url', db.url]);
    expect(await fingerprint(db)).toEqual(reference);
    const c = await db.client();
    try {
      expect((await c.query('select count(*)::int as n from users')).rows).toEqual([{ n: 2 }]);
      expect((await c.query('select email from invites')).rows).toEqual([{ email: 'a@x' }]);
      await expect(c.query(`insert into users values (3, 'a@x', 2, 'b')`)).rejects.toThrow(/users_email_unique|users_email_idx/);
    } finally {
      await db.closeClient();
    }
  }, CLI_MS);
});
