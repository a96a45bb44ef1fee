import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { catalogFingerprint, createTestDatabase, describeBackends, serverVersionNum, type TestDatabase } from '@strata/testing';
import type { BackendKind, DatabaseClient } from '@strata/db';
import { createBackup, type BackupResult } from './create-backup.js';
import { restoreBackup } from './restore-backup.js';
import { verifyBackup } from './verify-backup.js';
import type { BackupProgress } from './progress.js';
import { backupDdl } from './backup-ddl.js';
import { FIXTURE_DATA_SQL, FIXTURE_SQL, sequencePositions, tableChecksums, userSchemas } from './test-support.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-backup-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** One backup per backend, made once and shared by the tests of both backends (cross restores). */
const sources = new Map<BackendKind, Promise<{ tdb: TestDatabase; backup: BackupResult; progress: BackupProgress[] }>>();
function sourceFor(backend: BackendKind) {
  let s = sources.get(backend);
  if (!s) {
    s = (async () => {
      const tdb = await createTestDatabase(backend);
      const db = await tdb.client();
      await db.exec(FIXTURE_SQL);
      await db.exec(FIXTURE_DATA_SQL);
      const progress: BackupProgress[] = [];
      const backup = await createBackup(db, {
        file: join(dir, `${backend}.strata.gz`), ddl: backupDdl, strataVersion: '9.9.9', onProgress: (p) => progress.push(p),
        // Where COPY does not stream (PGlite), read big tables in several page ranges: exercised here.
        pagesPerCopy: 100,
      });
      return { tdb, backup, progress };
    })();
    sources.set(backend, s);
  }
  return s;
}
afterAll(async () => {
  for (const s of sources.values()) await (await s).tdb.dispose();
});

/** A fresh target database with the fixture built by hand (no data): what the catalog must look like on that backend. */
async function expectedCatalog(db: DatabaseClient) {
  return catalogFingerprint(db, await userSchemas(db));
}

describeBackends('backup and restore', (backend) => {
  const other: BackendKind = backend === 'pglite' ? 'postgres' : 'pglite';
  let src: Awaited<ReturnType<typeof sourceFor>>;
  let db: DatabaseClient;
  let schemas: string[];
  beforeAll(async () => {
    src = await sourceFor(backend);
    db = await src.tdb.client();
    schemas = await userSchemas(db);
  });

  it('writes a file that records what it is, its tables, rows and migration history', async () => {
    const info = await verifyBackup(src.backup.file);
    expect(info.header.format).toBe('strata-backup');
    expect(info.header.strataVersion).toBe('9.9.9');
    expect(info.header.source.backend).toBe(backend);
    // The real version of the server it came from (13 to 18 in the compatibility run).
    expect(info.header.source.serverVersionNum).toBe(await serverVersionNum(db));
    expect(info.header.source.serverVersionNum).toBeGreaterThanOrEqual(130000);
    expect(info.header.schemas).toEqual(['Odd "Schema" ✓', 'public', 'strata']);
    const events = info.header.tables.find((t) => t.name === 'events');
    expect(events?.rows).toBe(100_000);
    const users = info.header.tables.find((t) => t.name === 'users');
    expect(users?.columns).not.toContain('email_lower');
    expect(info.header.history.migrations?.map((m) => m.name)).toEqual(['20261101000000_init']);
    expect(info.header.history.dataMigrations).toBeNull();
    expect(info.trailer.rows).toBe(info.header.tables.reduce((n, t) => n + t.rows, 0));
    expect(info.tables.map((t) => t.rows)).toEqual(info.header.tables.map((t) => t.rows));
    expect(info.tables.every((t) => /^[0-9a-f]{64}$/.test(t.sha256))).toBe(true);
    const last = src.progress[src.progress.length - 1]!;
    expect(last).toMatchObject({ phase: 'done', rowsDone: info.trailer.rows, tablesDone: info.header.tables.length });
    expect(src.progress.some((p) => p.phase === 'data' && p.table === 'public.events' && p.tableRows > 0 && p.tableRows < 100_000)).toBe(true);
  });

  it('restores into an empty database: same catalog, same rows, sequences continue', async () => {
    const target = await createTestDatabase(backend);
    try {
      const t = await target.client();
      // Where COPY does not stream (PGlite), load big tables in several COPY statements: exercised here.
      const r = await restoreBackup(t, src.backup.file, { bytesPerCopy: 256 * 1024 });
      expect(r.rows).toBe(src.backup.trailer.rows);
      expect(r.tables.find((x) => x.name === 'events')?.rows).toBe(100_000);
      expect(await catalogFingerprint(t, schemas)).toEqual(await catalogFingerprint(db, schemas));
      expect(await tableChecksums(t, schemas)).toEqual(await tableChecksums(db, schemas));
      expect(await sequencePositions(t, schemas)).toEqual(await sequencePositions(db, schemas));
      const mv = await t.query<{ n: string }>('select sum(n)::text as n from public.mood_counts');
      expect(mv.rows[0]?.n).toBe('3');
      const next = await t.query<{ id: number }>(`insert into public.users (email) values ('new@x') returning id`);
      expect(next.rows[0]?.id).toBe(4);
      const acc = await t.query<{ id: string }>(`insert into public.accounts (owner_id) values (1) returning id::text as id`);
      expect(acc.rows[0]?.id).toBe('3');
      const hist = await t.query<{ name: string }>('select name from strata.migrations');
      expect(hist.rows).toEqual([{ name: '20261101000000_init' }]);
    } finally {
      await target.dispose();
    }
  });

  it('drops everything and restores over it with clean, to the same catalog and rows', async () => {
    const target = await createTestDatabase(backend);
    try {
      const t = await target.client();
      await t.exec(`create table public.users (x int); create table public.ids (id int generated always as identity, s serial); create view public.v as select * from public.ids; create schema junk; create type junk.e as enum ('x'); create function public.f() returns int language sql as 'select 1'`);
      await expect(restoreBackup(t, src.backup.file)).rejects.toMatchObject({ code: 'NOT_EMPTY' });
      const r = await restoreBackup(t, src.backup.file, { clean: true });
      expect(r.dropped).toBeGreaterThan(0);
      expect(await userSchemas(t)).toEqual(schemas);
      expect(await catalogFingerprint(t, schemas)).toEqual(await catalogFingerprint(db, schemas));
      expect(await tableChecksums(t, schemas)).toEqual(await tableChecksums(db, schemas));
      const f = await t.query(`select 1 from pg_proc where proname = 'f'`);
      expect(f.rows).toEqual([]);
    } finally {
      await target.dispose();
    }
  });

  it('restores with INSERT where COPY FROM STDIN cannot be used, to the same rows', async () => {
    const target = await createTestDatabase(backend);
    try {
      const t = await target.client();
      const r = await restoreBackup(t, src.backup.file, { copy: false });
      expect(r.rows).toBe(src.backup.trailer.rows);
      expect(await catalogFingerprint(t, schemas)).toEqual(await catalogFingerprint(db, schemas));
      expect(await tableChecksums(t, schemas)).toEqual(await tableChecksums(db, schemas));
    } finally {
      await target.dispose();
    }
  });

  it(`restores a backup of the other backend (${other} → ${backend})`, async () => {
    const foreign = await sourceFor(other);
    const fdb = await foreign.tdb.client();
    const target = await createTestDatabase(backend);
    const built = await createTestDatabase(backend);
    try {
      const t = await target.client();
      await restoreBackup(t, foreign.backup.file);
      // Catalog text differs between server versions: compare with the fixture built on this backend.
      const b = await built.client();
      await b.exec(FIXTURE_SQL);
      expect(await catalogFingerprint(t, schemas)).toEqual(await expectedCatalog(b));
      expect(await tableChecksums(t, schemas)).toEqual(await tableChecksums(fdb, schemas));
      expect(await sequencePositions(t, schemas)).toEqual(await sequencePositions(fdb, schemas));
    } finally {
      await target.dispose();
      await built.dispose();
    }
  });

  describe('a damaged file changes nothing', () => {
    let target: TestDatabase;
    let t: DatabaseClient;
    beforeAll(async () => {
      target = await createTestDatabase(backend);
      t = await target.client();
      await t.exec('create table public.keep_me (id int); insert into public.keep_me values (1)');
    });
    afterAll(async () => target?.dispose());

    const untouched = async () => {
      expect(await userSchemas(t)).toEqual(['public']);
      const r = await t.query<{ n: string }>(`select string_agg(relname, ',' order by relname) as n from pg_class where relnamespace = 'public'::regnamespace`);
      expect(r.rows[0]?.n).toBe('keep_me');
    };
    const variant = (name: string, bytes: Buffer) => {
      const f = join(dir, `${backend}-${name}.strata.gz`);
      writeFileSync(f, bytes);
      return f;
    };
    const plain = () => gunzipSync(readFileSync(src.backup.file));

    it('refuses a truncated file', async () => {
      const whole = readFileSync(src.backup.file);
      const f = variant('truncated', whole.subarray(0, Math.floor(whole.length / 2)));
      await expect(restoreBackup(t, f, { clean: true })).rejects.toMatchObject({ code: 'BACKUP_INVALID', message: expect.stringContaining('truncated') });
      await untouched();
    });

    it('refuses a file whose compressed bytes were damaged', async () => {
      const bytes = Buffer.from(readFileSync(src.backup.file));
      const at = Math.floor(bytes.length * 0.6);
      bytes[at] = bytes[at]! ^ 0xff;
      await expect(restoreBackup(t, variant('flipped', bytes), { clean: true })).rejects.toMatchObject({ code: 'BACKUP_INVALID' });
      await untouched();
    });

    it('refuses altered rows, even in a well-formed gzip, naming the table', async () => {
      const text = plain().toString('utf8').replace('\tpayload 99999\t', '\tpayload 99990\t');
      expect(text).toContain('\tpayload 99990\t');
      const err = await restoreBackup(t, variant('altered', gzipSync(text)), { clean: true }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'BACKUP_INVALID', message: expect.stringContaining('public.events') });
      expect((err as Error).message).toContain('checksum');
      await untouched();
    });

    it('refuses an altered statement through the checksum of the whole file', async () => {
      const text = plain().toString('utf8').replace('"label" character varying(40)', '"label" character varying(41)');
      expect(text).toContain('"label" character varying(41)');
      const err = await restoreBackup(t, variant('ddl', gzipSync(text)), { clean: true }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'BACKUP_INVALID', message: expect.stringContaining('checksum of the whole file') });
      await untouched();
    });

    it('refuses a file cut at a line boundary, and one that is not a backup', async () => {
      const lines = plain().toString('utf8').split('\n');
      const cut = gzipSync(`${lines.slice(0, Math.floor(lines.length / 2)).join('\n')}\n`);
      await expect(restoreBackup(t, variant('cut', cut), { clean: true })).rejects.toMatchObject({ code: 'BACKUP_INVALID' });
      await expect(restoreBackup(t, variant('text', Buffer.from('select 1;\n')), { clean: true })).rejects.toMatchObject({
        code: 'BACKUP_INVALID', message: expect.stringContaining('not a Strata backup'),
      });
      await expect(restoreBackup(t, variant('sql', gzipSync('select 1;\n')), { clean: true })).rejects.toMatchObject({
        code: 'BACKUP_INVALID', message: expect.stringContaining('not a Strata backup'),
      });
      await untouched();
    });
  });

  it('rolls everything back when a statement fails mid-restore', async () => {
    const target = await createTestDatabase(backend);
    try {
      const t = await target.client();
      // A role the policy needs is absent: the post-data section fails after all rows were loaded.
      const text = gunzipSync(readFileSync(src.backup.file)).toString('utf8');
      expect(text).toContain('TO PUBLIC USING');
      // Rewritten with a valid checksum, as a newer Strata might write it: the restore itself must fail.
      const f = join(dir, `${backend}-failing.strata.gz`);
      const lines = text.split('\n');
      const endAt = lines.findIndex((l) => l.startsWith('-- strata:end '));
      const body = `${lines.slice(0, endAt).join('\n').replace(
        /-- strata:statement (\d+)\n(CREATE POLICY "users_all"[^\n]*TO )PUBLIC( USING \(true\));/,
        (_m, _n: string, a: string, b: string) => `-- strata:statement ${Buffer.byteLength(`${a}no_such_role${b}`)}\n${a}no_such_role${b};`,
      )}\n`;
      const { createHash } = await import('node:crypto');
      const trailer = JSON.parse(lines[endAt]!.slice('-- strata:end '.length)) as { sha256: string };
      trailer.sha256 = createHash('sha256').update(body).digest('hex');
      writeFileSync(f, gzipSync(`${body}-- strata:end ${JSON.stringify(trailer)}\n`));
      await expect(restoreBackup(t, f)).rejects.toMatchObject({ code: 'QUERY_FAILED', message: expect.stringContaining('post-data') });
      expect(await userSchemas(t)).toEqual(['public']);
      const r = await t.query(`select 1 from pg_class where relnamespace = 'public'::regnamespace`);
      expect(r.rows).toEqual([]);
    } finally {
      await target.dispose();
    }
  });
});
