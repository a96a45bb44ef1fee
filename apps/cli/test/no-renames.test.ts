import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase, describeBackends, runCli, type TestDatabase } from '@strata/testing';
import { schemaProject } from './project-fixture.js';

const NOTES = (columns: string) => `import { integer, pgTable, text } from 'drizzle-orm/pg-core';\nexport const notes = pgTable('notes', { id: integer('id').primaryKey(), ${columns} });\n`;

const project = (schema: string) => schemaProject('strata-cli-norenames-', schema);

// Without a terminal: a drop plus an add in one table is a question only --rename or --no-renames answers.
describe('generate --no-renames', () => {
  let dir: string;
  const newest = () => {
    const up = readdirSync(join(dir, 'migrations')).filter((f) => f.endsWith('.sql') && !f.endsWith('.down.sql')).sort().at(-1)!;
    return readFileSync(join(dir, 'migrations', up), 'utf8');
  };
  beforeAll(async () => {
    dir = project(NOTES(`body: text('body')`));
    const first = await runCli(['generate', '--name', 'init'], { cwd: dir, timeoutMs: 120_000 });
    expect(first.code, first.stderr).toBe(0);
    writeFileSync(join(dir, 'schema.ts'), NOTES(`words: integer('words'), title: text('title')`));
  });

  it('without it (nor --rename), exit 2 names both ways to answer, even with --yes', async () => {
    const r = await runCli(['generate', '--name', 'words', '--yes'], { cwd: dir, timeoutMs: 120_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--rename public.notes.body=public.notes.words');
    expect(r.stderr).toContain('--no-renames');
  });

  it('answers every open question "drop and create"', async () => {
    const r = await runCli(['generate', '--name', 'words', '--no-renames'], { cwd: dir, timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    const sql = newest();
    expect(sql).toMatch(/DROP COLUMN "body"/);
    expect(sql).toMatch(/ADD COLUMN "words" integer/);
    expect(sql).not.toMatch(/RENAME/);
  });

  it('--rename still answers the questions it names', async () => {
    writeFileSync(join(dir, 'schema.ts'), NOTES(`count: integer('count'), heading: text('heading'), extra: text('extra')`));
    const r = await runCli(['generate', '--name', 'heading', '--no-renames', '--rename', 'notes.title=notes.heading'], { cwd: dir, timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    const sql = newest();
    expect(sql).toMatch(/RENAME COLUMN "title" TO "heading"/);
    expect(sql).toMatch(/DROP COLUMN "words"/);
    expect(sql).toMatch(/ADD COLUMN "count" integer/);
  });
});

describeBackends('push --no-renames', (backend) => {
  let tdb: TestDatabase;
  let dir: string;
  const columns = async () => {
    const db = await tdb.client();
    const r = await db.query<{ c: string }>(`select string_agg(column_name, ',' order by ordinal_position) as c from information_schema.columns where table_schema = 'public' and table_name = 'notes'`);
    await tdb.closeClient();
    return r.rows[0]!.c;
  };
  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    const db = await tdb.client();
    await db.exec(`create table public.notes (id integer primary key, body text); insert into public.notes values (1, 'first')`);
    await tdb.closeClient();
    dir = project(NOTES(`words: integer('words')`));
  });
  afterAll(async () => tdb?.dispose());
  const strata = (...args: string[]) => runCli([...args, '--url', tdb.url], { cwd: dir, timeoutMs: 120_000 });

  it('without it, even --force --yes exits 2 asking for --rename or --no-renames', async () => {
    const r = await strata('push', '--force', '--yes');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--no-renames');
    expect(await columns()).toBe('id,body');
  });

  it('a dry run shows the drop and create', async () => {
    const r = await strata('push', '--no-renames', '--dry-run');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/DROP COLUMN "body"/);
    expect(r.stdout).toMatch(/ADD COLUMN "words"/);
    expect(await columns()).toBe('id,body');
  });

  it('still needs --force for the data it loses', async () => {
    const r = await strata('push', '--no-renames');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('push would lose data');
    expect(await columns()).toBe('id,body');
  });

  it('with --force, drops and creates', async () => {
    const r = await strata('push', '--no-renames', '--force');
    expect(r.code, r.stderr).toBe(0);
    expect(await columns()).toBe('id,words');
  });
});
