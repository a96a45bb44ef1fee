import { describe, expect, it } from 'vitest';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { emptySnapshot, emptySchema, type Snapshot } from '@strata/schema';
import { isStrataError, type StrataError } from '@strata/core';
import { readMigrationFolder } from './migration-folder.js';
import { writeMigration } from './write-migration.js';
import { assertFolderUsable } from './folder-errors.js';
import { buildSumFile, rehash, sumEntries } from './integrity-file.js';
import { latestSnapshot } from './latest-snapshot.js';
import { newMigrationName, snakeCase } from './migration-name.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'strata-folder-'));
const snap = (schema: string): Snapshot => ({ ...emptySnapshot(), schemas: { ...emptySnapshot().schemas, [schema]: emptySchema(schema) } });
const at = (iso: string) => new Date(iso);
const errorOf = (fn: () => unknown): StrataError => {
  try {
    fn();
  } catch (e) {
    if (isStrataError(e)) return e;
    throw e;
  }
  throw new Error('expected a StrataError');
};

describe('migration names', () => {
  it('writes --name in lower snake case, defaulting to "migration"', () => {
    expect(snakeCase('Add phoneNumber to Users')).toBe('add_phone_number_to_users');
    expect(snakeCase('  HTTPServer-config v2 ')).toBe('http_server_config_v2');
    expect(snakeCase('Crème brûlée')).toBe('creme_brulee');
    expect(snakeCase('!!!')).toBe('migration');
  });

  it('uses the UTC time, and newest + 1 s when the clock is not after the newest migration', () => {
    expect(newMigrationName('init', at('2026-11-26T00:15:00Z'), [])).toBe('20261126001500_init');
    expect(newMigrationName('b', at('2026-11-26T00:15:00Z'), ['20261126001500_a'])).toBe('20261126001501_b');
    expect(newMigrationName('c', at('2020-01-01T00:00:00Z'), ['20261231235959_a'])).toBe('20270101000000_c');
  });
});

describe('writeMigration and readMigrationFolder', () => {
  it('writes up, down, meta and strata.sum, and reads them back in order with parents', () => {
    const out = tmp();
    const a = writeMigration(out, { name: 'init', up: 'create table a (id int);\n--> statement-breakpoint\ncreate table b (id int);', down: 'drop table b;\ndrop table a;', snapshot: snap('one'), now: at('2026-11-26T00:15:00Z') });
    const b = writeMigration(out, { name: 'Second One', up: '-- strata:no-transaction\ncreate index concurrently i on a (id);', down: null, snapshot: snap('two'), custom: true, now: at('2026-11-26T00:15:00Z') });
    expect(a.name).toBe('20261126001500_init');
    expect(b.name).toBe('20261126001501_second_one');
    expect(a.files.map((f) => f.slice(out.length + 1))).toEqual(['20261126001500_init.sql', '20261126001500_init.down.sql', 'meta/20261126001500_init.json']);
    expect(b.files).toHaveLength(2);

    const folder = readMigrationFolder(out);
    expect(folder.problems).toEqual([]);
    expect(folder.migrations.map((m) => [m.name, m.meta?.parent, m.meta?.custom, m.down !== null, m.up.noTransaction])).toEqual([
      ['20261126001500_init', null, false, true, false],
      ['20261126001501_second_one', '20261126001500_init', true, false, true],
    ]);
    expect(folder.migrations[0]!.up.statements.map((s) => [s.index, s.line, s.sql])).toEqual([[1, 1, 'create table a (id int)'], [2, 3, 'create table b (id int)']]);
    expect(folder.migrations[1]!.up.statements.map((s) => s.line)).toEqual([2]);
    expect(latestSnapshot(folder)).toEqual({ kind: 'strata', name: b.name, snapshot: snap('two') });

    const meta = readFileSync(join(out, 'meta/20261126001500_init.json'), 'utf8');
    expect(meta.startsWith('{\n  "custom": false,\n  "name": "20261126001500_init",\n  "parent": null,\n  "snapshot": {')).toBe(true);
    const sum = readFileSync(join(out, 'meta/strata.sum'), 'utf8').split('\n');
    const h = (s: string | Buffer) => `h1:${createHash('sha256').update(s).digest('base64')}`;
    expect(sum.slice(1, -1)).toEqual([
      `20261126001500_init.down.sql ${h(readFileSync(join(out, '20261126001500_init.down.sql')))}`,
      `20261126001500_init.sql ${h(readFileSync(join(out, '20261126001500_init.sql')))}`,
      `20261126001501_second_one.sql ${h(readFileSync(join(out, '20261126001501_second_one.sql')))}`,
      `meta/20261126001500_init.json ${h(meta)}`,
      `meta/20261126001501_second_one.json ${h(readFileSync(join(out, 'meta/20261126001501_second_one.json')))}`,
    ]);
    expect(sum[0]).toBe(h(sum.slice(1).join('\n')));
  });

  it('reads a folder that does not exist as empty, with the empty snapshot', () => {
    const folder = readMigrationFolder(join(tmp(), 'nope'));
    expect(folder.migrations).toEqual([]);
    expect(latestSnapshot(folder)).toEqual({ kind: 'empty', snapshot: emptySnapshot() });
  });

  it('reports each edited, added and deleted file against strata.sum, and `rehash` accepts the edit', () => {
    const out = tmp();
    const a = writeMigration(out, { name: 'a', up: 'select 1;', down: 'select 2;', snapshot: snap('a'), now: at('2026-01-01T00:00:00Z') });
    appendFileSync(join(out, `${a.name}.sql`), 'select 3;\n');
    rmSync(join(out, `${a.name}.down.sql`));
    writeFileSync(join(out, 'notes.sql'), 'select 4;\n');
    const folder = readMigrationFolder(out);
    const integrity = folder.problems.find((p) => p.kind === 'integrity');
    expect(integrity).toEqual({
      kind: 'integrity', sumFile: 'ok', files: [
        { file: `${a.name}.down.sql`, issue: 'deleted' }, { file: `${a.name}.sql`, issue: 'changed' }, { file: 'notes.sql', issue: 'unlisted' },
      ],
    });
    rmSync(join(out, 'notes.sql'));
    const e = errorOf(() => assertFolderUsable(readMigrationFolder(out)));
    expect(e.code).toBe('INTEGRITY_MISMATCH');
    expect(e.details.join('\n')).toContain(`${a.name}.sql: changed since meta/strata.sum was written`);
    expect(e.hint).toContain('strata hash');
    // writeMigration refuses too: rewriting the sum would hide the edit.
    expect(errorOf(() => writeMigration(out, { up: '', down: null, snapshot: snap('b') })).code).toBe('INTEGRITY_MISMATCH');
    rehash(out);
    expect(readMigrationFolder(out).problems).toEqual([]);
  });

  it('reports a damaged or missing strata.sum', () => {
    const out = tmp();
    writeMigration(out, { up: 'select 1;', down: null, snapshot: snap('a') });
    const sumPath = join(out, 'meta/strata.sum');
    const text = readFileSync(sumPath, 'utf8');
    writeFileSync(sumPath, text.replace(/\n/, '\n<<<<<<< HEAD\n'));
    expect(readMigrationFolder(out).problems).toEqual([{ kind: 'integrity', sumFile: 'damaged', files: [] }]);
    rmSync(sumPath);
    expect(readMigrationFolder(out).problems).toEqual([{ kind: 'integrity', sumFile: 'missing', files: [] }]);
  });

  it('reports two migrations on the same parent as a branch conflict naming both', () => {
    const out = tmp();
    const base = writeMigration(out, { name: 'base', up: 'select 1;', down: null, snapshot: snap('a'), now: at('2026-01-01T00:00:00Z') });
    // Two branches each add a migration on top of `base`; the merge brings both files.
    const branch = tmp();
    for (const f of base.files) {
      mkdirSync(join(branch, 'meta'), { recursive: true });
      writeFileSync(join(branch, f.slice(out.length + 1)), readFileSync(f));
    }
    rehash(branch);
    const ours = writeMigration(out, { name: 'ours', up: 'select 2;', down: null, snapshot: snap('b'), now: at('2026-01-02T00:00:00Z') });
    const theirs = writeMigration(branch, { name: 'theirs', up: 'select 3;', down: null, snapshot: snap('c'), now: at('2026-01-03T00:00:00Z') });
    for (const f of theirs.files) writeFileSync(join(out, f.slice(branch.length + 1)), readFileSync(f));
    rehash(out);
    const folder = readMigrationFolder(out);
    expect(folder.problems).toEqual([{ kind: 'branch-conflict', parent: base.name, migrations: [ours.name, theirs.name] }]);
    const e = errorOf(() => assertFolderUsable(folder));
    expect(e.code).toBe('BRANCH_CONFLICT');
    expect(e.message).toContain(ours.name);
    expect(e.message).toContain(theirs.name);
    expect(e.hint).toMatch(/generate/);
    expect(errorOf(() => writeMigration(out, { up: '', down: null, snapshot: snap('d') })).code).toBe('BRANCH_CONFLICT');
  });

  it('reports files that belong to no migration and meta files that do not match', () => {
    const out = tmp();
    const a = writeMigration(out, { up: 'select 1;', down: null, snapshot: snap('a'), now: at('2026-01-01T00:00:00Z') });
    writeFileSync(join(out, 'random.sql'), 'select 1;');
    writeFileSync(join(out, '20260101000009_x.down.sql'), 'select 1;');
    writeFileSync(join(out, 'meta/20260101000009_y.json'), '{}');
    writeFileSync(join(out, `meta/${a.name}.json`), JSON.stringify({ version: 1, name: 'other', parent: null, custom: false, snapshot: emptySnapshot() }));
    rehash(out);
    const problems = readMigrationFolder(out).problems;
    expect(problems).toEqual(expect.arrayContaining([
      { kind: 'corrupt', file: 'random.sql', message: expect.stringContaining('YYYYMMDDHHMMSS_name.sql') },
      { kind: 'corrupt', file: '20260101000009_x.down.sql', message: expect.stringContaining('without its up file') },
      { kind: 'corrupt', file: 'meta/20260101000009_y.json', message: 'belongs to no migration in the folder' },
      { kind: 'corrupt', file: `meta/${a.name}.json`, message: `names the migration "other", not "${a.name}"` },
    ]));
    expect(errorOf(() => assertFolderUsable(readMigrationFolder(out))).code).toBe('MIGRATIONS_CORRUPT');
  });
});

describe('strata.sum kept by writeMigration', () => {
  it('lists what a full rehash lists: the files already checked keep their hashes, the new ones are hashed', () => {
    const out = tmp();
    for (const [i, when] of ['2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z', '2026-01-03T00:00:00Z'].entries()) {
      writeMigration(out, { name: `m${i}`, up: `select ${i};`, down: `select -${i};`, snapshot: snap(`s${i}`), now: at(when) });
      expect(readFileSync(join(out, 'meta/strata.sum'), 'utf8')).toBe(buildSumFile(out));
    }
    expect(sumEntries(out)?.size).toBe(9);
    // The folder the caller read just before is used as it is: parent and sum come out the same.
    const folder = readMigrationFolder(out);
    const d = writeMigration(out, { name: 'm3', up: 'select 3;', down: null, snapshot: snap('s3'), now: at('2026-01-04T00:00:00Z'), folder });
    expect(readMigrationFolder(out).migrations.find((m) => m.name === d.name)?.meta?.parent).toBe(folder.migrations.at(-1)!.name);
    expect(readFileSync(join(out, 'meta/strata.sum'), 'utf8')).toBe(buildSumFile(out));
    expect(readMigrationFolder(out).problems).toEqual([]);
    // A sum that does not match its own first line is not trusted: every file is hashed again.
    appendFileSync(join(out, 'meta/strata.sum'), 'x.sql h1:AAAA\n');
    expect(sumEntries(out)).toBeNull();
  });
});

describe('meta files read without parsing their snapshot', () => {
  it('reads the small fields at once and the snapshot on first use, equal to a whole parse, in any layout', () => {
    const out = tmp();
    const big = snap('app');
    big.schemas.app!.tables.users = {
      checks: {}, columns: [{ dimensions: 0, name: 'id', notNull: true, type: 'integer' }], foreignKeys: {}, indexes: {}, name: 'users', policies: {},
      primaryKey: { columns: ['id'], name: 'users_pkey' }, rlsEnabled: false, schema: 'app', uniques: {},
    };
    const a = writeMigration(out, { up: 'select 1;', down: null, snapshot: big, now: at('2026-01-01T00:00:00Z'), multiStep: { phase: 'contract', expand: 'x' } });
    const file = join(out, `meta/${a.name}.json`);
    const whole = JSON.parse(readFileSync(file, 'utf8'));
    const lazy = readMigrationFolder(out).migrations[0]!.meta!;
    expect(Object.getOwnPropertyDescriptor(lazy, 'snapshot')?.get).toBeTypeOf('function');
    expect(lazy.multiStep).toEqual({ phase: 'contract', expand: 'x' });
    expect(lazy.snapshot).toEqual(whole.snapshot);
    expect(lazy).toEqual(whole);
    // Another layout (minified, as a hand or another tool may write it): parsed whole, the same.
    writeFileSync(file, JSON.stringify(whole));
    rehash(out);
    const parsed = readMigrationFolder(out).migrations[0]!.meta!;
    expect(Object.getOwnPropertyDescriptor(parsed, 'snapshot')?.get).toBeUndefined();
    expect(parsed).toEqual(whole);
  });

  it('still reports a snapshot of another version or dialect when the folder is read, and a damaged one when it is used', () => {
    const out = tmp();
    const a = writeMigration(out, { up: 'select 1;', down: null, snapshot: snap('app'), now: at('2026-01-01T00:00:00Z') });
    const file = join(out, `meta/${a.name}.json`);
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace('\n    "version": 1\n  },', '\n    "version": 7\n  },'));
    rehash(out);
    expect(readMigrationFolder(out).problems).toEqual([
      { kind: 'corrupt', file: `meta/${a.name}.json`, message: '"snapshot" must be a Strata snapshot (version 1, dialect "postgresql")' },
    ]);
    // Damaged inside (the integrity file was rewritten over it): the error names the file when the snapshot is read.
    writeFileSync(file, text.replace('"schemas": {', '"schemas": {,'));
    rehash(out);
    const meta = readMigrationFolder(out).migrations[0]!.meta!;
    const e = errorOf(() => meta.snapshot);
    expect(e.code).toBe('MIGRATIONS_CORRUPT');
    expect(e.message).toContain(`meta/${a.name}.json: the snapshot is not valid JSON`);
  });
});

describe('drizzle-kit folders', () => {
  const drizzleFolder = () => {
    const out = tmp();
    mkdirSync(join(out, 'meta'));
    writeFileSync(join(out, '0000_init.sql'), 'CREATE TABLE "users" ("id" serial PRIMARY KEY);\n--> statement-breakpoint\nCREATE TABLE "posts" ("id" serial PRIMARY KEY);');
    writeFileSync(join(out, '0001_more.sql'), 'ALTER TABLE "users" ADD COLUMN "name" text;');
    writeFileSync(join(out, 'meta/0000_snapshot.json'), '{"version":"7"}');
    writeFileSync(join(out, 'meta/0001_snapshot.json'), '{"version":"7"}');
    writeFileSync(join(out, 'meta/_journal.json'), JSON.stringify({
      version: '7', dialect: 'postgresql', entries: [
        { idx: 0, version: '7', when: 1700000000000, tag: '0000_init', breakpoints: true },
        { idx: 1, version: '7', when: 1700000100000, tag: '0001_more', breakpoints: true },
      ],
    }));
    return out;
  };

  it('reads the journal in order, with drizzle-orm hashes, and needs no strata.sum', () => {
    const out = drizzleFolder();
    const folder = readMigrationFolder(out);
    expect(folder.problems).toEqual([]);
    expect(folder.migrations.map((m) => [m.name, m.source, m.up.statements.length, m.drizzleKit?.when])).toEqual([
      ['0000_init', 'drizzle-kit', 2, 1700000000000], ['0001_more', 'drizzle-kit', 1, 1700000100000],
    ]);
    expect(folder.migrations[0]!.drizzleKit!.hash).toBe(createHash('sha256').update(readFileSync(join(out, '0000_init.sql'))).digest('hex'));
    const latest = latestSnapshot(folder);
    expect(latest.kind).toBe('replay');
  });

  it('adds Strata migrations after drizzle-kit ones, the first naming the last drizzle-kit tag as parent', () => {
    const out = drizzleFolder();
    const a = writeMigration(out, { name: 'next', up: 'select 1;', down: 'select 2;', snapshot: snap('x') });
    const folder = readMigrationFolder(out);
    expect(folder.problems).toEqual([]);
    expect(folder.migrations.map((m) => m.name)).toEqual(['0000_init', '0001_more', a.name]);
    expect(folder.migrations[2]!.meta!.parent).toBe('0001_more');
    expect(readFileSync(join(out, 'meta/strata.sum'), 'utf8')).toContain('meta/_journal.json h1:');
    expect(existsSync(join(out, 'meta/0000_snapshot.json'))).toBe(true);
  });

  it('reports a journal entry whose file is missing', () => {
    const out = drizzleFolder();
    rmSync(join(out, '0001_more.sql'));
    expect(readMigrationFolder(out).problems).toEqual([{ kind: 'corrupt', file: '0001_more.sql', message: expect.stringContaining('listed in meta/_journal.json') }]);
  });
});
