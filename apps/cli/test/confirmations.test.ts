import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase, describeBackends, runCli, runCliOnTerminal, type TestDatabase } from '@strata/testing';
import { schemaProject } from './project-fixture.js';

// Every question is answered the way a hurried person answers: Enter. Enter must never lose data.
const ENTER = '\r';

const project = (schema: string) => schemaProject('strata-cli-confirm-', schema);

const NOTES = (columns: string) => `import { integer, pgTable, text } from 'drizzle-orm/pg-core';\nexport const notes = pgTable('notes', { id: integer('id').primaryKey(), ${columns} });\n`;

describeBackends('Enter never loses data', (backend) => {
  let tdb: TestDatabase;
  let dir: string;
  const notes = async () => {
    const db = await tdb.client();
    const cols = await db.query<{ c: string }>(`select string_agg(column_name, ',' order by ordinal_position) as c from information_schema.columns where table_schema = 'public' and table_name = 'notes'`);
    const rows = await db.query<{ v: string | null }>(`select string_agg(row_to_json(n)::text, ',' order by id) as v from public.notes n`);
    await tdb.closeClient();
    return `${cols.rows[0]!.c} | ${rows.rows[0]!.v}`;
  };
  const original = 'id,body | {"id":1,"body":"first"},{"id":2,"body":"second"}';

  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    const db = await tdb.client();
    await db.exec(`create table public.notes (id integer primary key, body text); insert into public.notes values (1, 'first'), (2, 'second')`);
    await tdb.closeClient();
    // The code renamed nothing: it dropped body and added a column of another type.
    dir = project(NOTES(`words: integer('words')`));
    const backup = await runCli(['backup', '--out', 'all.strata.gz', '--url', tdb.url], { cwd: dir, timeoutMs: 120_000 });
    expect(backup.code, backup.stderr).toBe(0);
    const snap = await runCli(['snapshot', 'create', 'before', '--url', tdb.url], { cwd: dir, timeoutMs: 120_000 });
    expect(snap.code, snap.stderr).toBe(0);
  });
  afterAll(async () => tdb?.dispose());

  it('push: the rename question defaults to "not a rename", then the data-loss question defaults to No', { timeout: 240_000 }, async () => {
    const r = await runCliOnTerminal(['push', '--url', tdb.url], {
      cwd: dir,
      steps: [{ waitFor: 'Was it renamed?', keys: ENTER }, { waitFor: 'Apply anyway?', keys: ENTER }],
      timeoutMs: 200_000,
    });
    expect(r.screen).toMatch(/Was it renamed\?[\s\S]*no: drop it and create the new one/);
    expect(r.screen).toContain('push would lose data');
    expect(r.screen).toContain('push cancelled: nothing was changed');
    expect(r.code).toBe(1);
    expect(await notes()).toBe(original);
  });

  it('drop asks, and Enter keeps everything', { timeout: 240_000 }, async () => {
    const r = await runCliOnTerminal(['drop', '--url', tdb.url], { cwd: dir, steps: [{ waitFor: 'Drop all of them?', keys: ENTER }], timeoutMs: 200_000 });
    expect(r.screen).toContain('drop cancelled: nothing was changed');
    expect(r.code).toBe(1);
    expect(await notes()).toBe(original);
  });

  it('restore --clean asks, and Enter keeps everything', { timeout: 240_000 }, async () => {
    const db = await tdb.client();
    await db.exec(`update public.notes set body = 'edited'`);
    await tdb.closeClient();
    const edited = 'id,body | {"id":1,"body":"edited"},{"id":2,"body":"edited"}';
    const r = await runCliOnTerminal(['restore', 'all.strata.gz', '--clean', '--url', tdb.url], { cwd: dir, steps: [{ waitFor: 'and restore', keys: ENTER }], timeoutMs: 200_000 });
    expect(r.screen).toContain('restore cancelled: nothing was changed');
    expect(r.code).toBe(1);
    expect(await notes()).toBe(edited);
  });

  it('snapshot restore asks; Enter keeps the rows, y restores them', { timeout: 240_000 }, async () => {
    const edited = 'id,body | {"id":1,"body":"edited"},{"id":2,"body":"edited"}';
    const no = await runCliOnTerminal(['snapshot', 'restore', 'before', '--url', tdb.url], { cwd: dir, steps: [{ waitFor: 'are lost', keys: ENTER }], timeoutMs: 200_000 });
    expect(no.screen).toContain('snapshot restore cancelled: nothing was changed');
    expect(no.code).toBe(1);
    expect(await notes()).toBe(edited);
    // The positive control: the same prompt, answered yes, does restore.
    const yes = await runCliOnTerminal(['snapshot', 'restore', 'before', '--url', tdb.url], { cwd: dir, steps: [{ waitFor: 'are lost', keys: 'y' }], timeoutMs: 200_000 });
    expect(yes.code, yes.screen).toBe(0);
    expect(await notes()).toBe(original);
  });

  it('without a terminal, snapshot restore needs --yes (exit 2)', async () => {
    const r = await runCli(['snapshot', 'restore', 'before', '--url', tdb.url], { cwd: dir, timeoutMs: 120_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--yes');
  });
});

describe('generate: Enter on the rename question writes drop and create', () => {
  let dir: string;
  beforeAll(async () => {
    dir = project(NOTES(`body: text('body')`));
    const first = await runCli(['generate', '--name', 'init'], { cwd: dir, timeoutMs: 120_000 });
    expect(first.code, first.stderr).toBe(0);
    writeFileSync(join(dir, 'schema.ts'), NOTES(`words: integer('words')`));
  });

  it('the default answer is "not a rename"', { timeout: 240_000 }, async () => {
    const r = await runCliOnTerminal(['generate', '--name', 'words'], { cwd: dir, steps: [{ waitFor: 'Was it renamed?', keys: ENTER }], timeoutMs: 200_000 });
    expect(r.code, r.screen).toBe(0);
    const up = readdirSync(join(dir, 'migrations')).find((f) => f.endsWith('_words.sql'))!;
    const sql = readFileSync(join(dir, 'migrations', up), 'utf8');
    expect(sql).toMatch(/DROP COLUMN "body"/);
    expect(sql).toMatch(/ADD COLUMN "words" integer/);
    expect(sql).not.toMatch(/RENAME/);
  });
});
