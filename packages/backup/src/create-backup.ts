import { statSync } from 'node:fs';
import { maskSecrets, qualify, quoteLiteral, StrataError } from '@strata/core';
import type { DatabaseClient, Session } from '@strata/db';
import { FORMAT_VERSION, SESSION_SETTINGS, tableLabel, type BackupHeader, type BackupTable, type BackupTrailer } from './backup-format.js';
import { applyLocalSettings, copyFromSql, copyToSql } from './backup-sql.js';
import { BackupWriter } from './backup-writer.js';
import { listRoutinesAndTriggers, listSequencePositions, listTables, listUserSchemas, populatedMatviewsInOrder } from './catalog.js';
import { readHistories, type HistoryLocations } from './read-histories.js';
import type { ProgressCallback } from './progress.js';

/** The SQL that rebuilds the schema: before the data (`pre`) and after it (`post`). */
export interface BackupDdl {
  /** Schemas, enums, sequences, tables with their columns, primary keys, uniques and checks, views. */
  pre: string[];
  /** Indexes, foreign keys (so cycles load), policies: whatever is cheaper or only possible once rows are in. */
  post: string[];
}

export interface CreateBackupOptions {
  /** Where to write (gzip). Written as `<file>.partial` first and renamed when complete. */
  file: string;
  /**
   * The DDL of the schemas, or a function that computes it inside the backup's transaction (so it
   * describes exactly the snapshot the data is read in). Sequence positions and materialized
   * view refreshes are added to `post` by the backup itself.
   */
  ddl: BackupDdl | ((session: Session, scope: { schemas: string[] }) => Promise<BackupDdl>);
  /** Schemas to back up; default every user schema but `excludeSchemas`. */
  schemas?: string[];
  /** Default `['drizzle']` (drizzle-kit's history, which Strata's introspection leaves out too). */
  excludeSchemas?: string[];
  /** Where the migration histories are, for the header; default `strata.migrations` and `strata.data_migrations`. */
  history?: Partial<HistoryLocations>;
  /** Written into the header. */
  strataVersion?: string;
  /** gzip level 1–9; default 6. */
  compressionLevel?: number;
  /** Pages per COPY where COPY does not stream (PGlite), to bound memory; default 4096 (32 MiB). */
  pagesPerCopy?: number;
  onProgress?: ProgressCallback;
}

export interface BackupResult {
  file: string;
  /** Size of the file on disk. */
  bytes: number;
  header: BackupHeader;
  trailer: BackupTrailer;
  durationMs: number;
  /**
   * Functions, procedures and triggers of the backed-up schemas, which the backup does not hold
   * (`function "app"."org_id"()`, `trigger "touch" on "app"."items"`): a restore needs them created first.
   */
  notIncluded: string[];
}

/**
 * Writes a whole-database backup in Strata's format (see `backup-format.ts`): the DDL, every
 * table's rows as COPY text, then indexes, foreign keys, policies, sequence positions and
 * materialized view refreshes, all read in one repeatable-read snapshot.
 *
 * @example
 * const r = await createBackup(db, { file: 'backups/app.strata.gz', ddl: { pre, post }, onProgress: (p) => log(p) });
 */
export async function createBackup(client: DatabaseClient, options: CreateBackupOptions): Promise<BackupResult> {
  const started = Date.now();
  const info = await client.serverInfo();
  const writer = new BackupWriter(options.file, options.compressionLevel);
  try {
    const { header, trailer, notIncluded } = await client.session((session) =>
      session.transaction(async (tx) => {
        // Everything below reads one snapshot: the DDL, the counts and the rows agree.
        await tx.exec('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
        await applyLocalSettings(tx, SESSION_SETTINGS);
        return writeBackup(client, tx, writer, options, info);
      }),
    );
    return { file: options.file, bytes: statSync(options.file).size, header, trailer, durationMs: Date.now() - started, notIncluded };
  } catch (e) {
    await writer.abort();
    throw e;
  }
}

async function writeBackup(
  client: DatabaseClient,
  tx: Session,
  writer: BackupWriter,
  options: CreateBackupOptions,
  info: Awaited<ReturnType<DatabaseClient['serverInfo']>>,
): Promise<{ header: BackupHeader; trailer: BackupTrailer; notIncluded: string[] }> {
  if (!tx.copyOut) throw new StrataError('INTERNAL', `${client.displayUrl}: this database client cannot COPY out`);
  const all = await listUserSchemas(tx, options.excludeSchemas ?? ['drizzle']);
  const schemas = options.schemas ? all.filter((s) => options.schemas!.includes(s)) : all;
  const missing = (options.schemas ?? []).filter((s) => !all.includes(s));
  if (missing.length > 0) throw new StrataError('NOT_FOUND', `schema ${missing.map((s) => `"${s}"`).join(', ')} does not exist in ${client.displayUrl}`);

  const catalogTables = await listTables(tx, schemas);
  const tables: BackupTable[] = [];
  for (const t of catalogTables) {
    const r = await tx.query<{ n: string }>(`select count(*)::text as n from ONLY ${qualify(t.schema, t.name)}`);
    tables.push({ schema: t.schema, name: t.name, columns: t.columns, rows: Number(r.rows[0]?.n ?? 0) });
  }
  // Read after the snapshot was taken: at least as far as any id the rows hold.
  const sequences = await listSequencePositions(tx, schemas);
  const matviews = await populatedMatviewsInOrder(tx, schemas);
  const history = await readHistories(tx, options.history);
  const ddl = typeof options.ddl === 'function' ? await options.ddl(tx, { schemas }) : options.ddl;
  const notIncluded = await listRoutinesAndTriggers(tx, schemas);
  const encoding = await tx.query<{ e: string }>('select pg_catalog.pg_encoding_to_char(encoding) as e from pg_database where datname = current_database()');

  const post = [
    ...ddl.post,
    ...sequences.map((s) => `SELECT pg_catalog.setval(${quoteLiteral(qualify(s.schema, s.name))}, ${s.lastValue}, ${s.isCalled})`),
    ...matviews.map((m) => `REFRESH MATERIALIZED VIEW ${qualify(m.schema, m.name)}`),
  ];
  const header: BackupHeader = {
    format: 'strata-backup',
    version: FORMAT_VERSION,
    strataVersion: options.strataVersion ?? '0.0.0',
    createdAt: new Date().toISOString(),
    source: {
      // Masked again here: a backup file is shared and kept for years; no password goes in it,
      // whatever a client implementation puts in its display URL.
      url: maskSecrets(client.displayUrl),
      backend: client.kind,
      database: info.database,
      serverVersion: info.version,
      serverVersionNum: info.versionNum,
      encoding: encoding.rows[0]?.e ?? 'UTF8',
    },
    settings: { ...SESSION_SETTINGS },
    schemas,
    tables,
    statements: { preData: ddl.pre.length, postData: post.length },
    history,
  };

  const rowsTotal = tables.reduce((n, t) => n + t.rows, 0);
  const progress = { phase: 'schema' as const, table: null, tableRows: 0, rowsDone: 0, rowsTotal, tablesDone: 0, tablesTotal: tables.length };
  options.onProgress?.(progress);
  await writer.header(header);
  await writer.section('pre-data');
  for (const sql of ddl.pre) await writer.statement(sql);
  await writer.section('data');

  let rowsDone = 0;
  const pagesPerCopy = options.pagesPerCopy ?? 4096;
  for (const [i, table] of tables.entries()) {
    const label = tableLabel(table);
    const report = (tableRows: number) =>
      options.onProgress?.({ phase: 'data', table: label, tableRows, rowsDone: rowsDone + tableRows, rowsTotal, tablesDone: i, tablesTotal: tables.length });
    report(0);
    await writer.beginTable(table, copyFromSql(table));
    const pages = catalogTables[i]!.pages;
    // Without streaming COPY each statement's output is held whole: read a big table in page ranges.
    const ranges = client.capabilities.streamingCopy || pages <= pagesPerCopy
      ? [undefined]
      : Array.from({ length: Math.ceil(pages / pagesPerCopy) }, (_, k) => ({ from: k * pagesPerCopy, to: (k + 1) * pagesPerCopy }));
    for (const [k, range] of ranges.entries()) {
      const last = k === ranges.length - 1;
      const sql = copyToSql(table, range && (last ? { from: range.from } : range));
      for await (const chunk of tx.copyOut(sql)) {
        if (await writer.data(chunk)) report(writer.tableRows);
      }
    }
    const end = await writer.endTable();
    if (end.rows !== table.rows) {
      throw new StrataError('INTERNAL', `table ${label}: counted ${table.rows} rows but COPY gave ${end.rows}`, { hint: 'Run the backup again.' });
    }
    rowsDone += end.rows;
    report(end.rows);
  }
  options.onProgress?.({ ...progress, phase: 'constraints', rowsDone, tablesDone: tables.length });
  await writer.section('post-data');
  for (const sql of post) await writer.statement(sql);
  const trailer = await writer.finish();
  options.onProgress?.({ ...progress, phase: 'done', rowsDone, tablesDone: tables.length });
  return { header, trailer, notIncluded };
}
