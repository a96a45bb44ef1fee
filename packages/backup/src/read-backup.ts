import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { StrataError } from '@strata/core';
import {
  FORMAT_VERSION, MAGIC_LINE, MARK, tableLabel,
  type BackupHeader, type BackupTable, type BackupTrailer, type SectionName, type TableEnd,
} from './backup-format.js';
import { copyFromSql, settingSql } from './backup-sql.js';
import { parseHeader, parseTableEnd, parseTableRef, parseTrailer } from './header-schema.js';
import { LineSource, TruncatedInput } from './line-source.js';

/** What reading a backup produces, in file order. */
export type BackupEvent =
  | { kind: 'header'; header: BackupHeader }
  | { kind: 'statement'; section: 'pre-data' | 'post-data'; sql: string; index: number }
  | { kind: 'table'; table: BackupTable; index: number }
  /** Whole COPY text rows of the current table. */
  | { kind: 'rows'; chunk: Buffer; rows: number }
  | { kind: 'table-end'; table: BackupTable; end: TableEnd }
  | { kind: 'end'; trailer: BackupTrailer };

const RESTORE_HINT = 'The file is damaged or incomplete; nothing was restored from it. Use another backup, or make a new one.';

/**
 * Reads a backup file as a stream of events, checking everything as it goes: the format, the
 * header, each statement's framing, each table's row count and sha256, the checksum of the whole
 * content and the end. Any problem throws `BACKUP_INVALID` naming the line; nothing is returned
 * for a part that has not been checked, except the rows of the table being read (its checksum is
 * only known at its end: a consumer that loads them must be able to undo, as restore does).
 *
 * @example
 * for await (const e of readBackup('backups/app.strata.gz')) if (e.kind === 'header') console.log(e.header.tables);
 */
export async function* readBackup(file: string): AsyncGenerator<BackupEvent> {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new StrataError('NOT_FOUND', `backup file not found: ${file}`, { hint: 'Check the path; `strata backup` writes into the backupDir of the config (./backups).' });
  }
  if (size === 0) throw invalid(file, 'the file is empty');
  const gunzip = createReadStream(file, { highWaterMark: 256 * 1024 }).pipe(createGunzip({ chunkSize: 256 * 1024 }));
  const src = new LineSource(gunzip[Symbol.asyncIterator]() as AsyncIterator<Buffer>);
  try {
    yield* parse(file, src);
  } catch (e) {
    throw translate(e, file, src);
  } finally {
    gunzip.destroy();
  }
}

function invalid(file: string, what: string, line?: number): StrataError {
  return new StrataError('BACKUP_INVALID', `${file}: ${what}${line === undefined ? '' : ` (line ${line})`}`, { hint: RESTORE_HINT });
}

function translate(e: unknown, file: string, src: LineSource): unknown {
  if (e instanceof TruncatedInput) return invalid(file, 'the file is truncated: it ends in the middle of its content', e.lineNumber);
  const code = (e as { code?: string }).code;
  if (code === 'Z_BUF_ERROR') return invalid(file, `the file is truncated: its compressed stream ends early, after line ${src.line}`);
  if (code === 'Z_DATA_ERROR') {
    const msg = (e as Error).message;
    return msg.includes('header')
      ? invalid(file, 'not a Strata backup (not gzip-compressed)')
      : invalid(file, `the compressed data is corrupt (${msg}), after line ${src.line}`);
  }
  return e;
}

async function* parse(file: string, src: LineSource): AsyncGenerator<BackupEvent> {
  const fail = (what: string, line = src.line) => invalid(file, what, line);
  const line = async (what: string): Promise<string> => {
    const l = await src.nextLine();
    if (l === null) throw fail(`the file is truncated: expected ${what}, found the end of the file`, src.line + 1);
    return l.toString('utf8');
  };
  const marked = async (mark: string, what: string): Promise<string> => {
    const l = await line(what);
    if (!l.startsWith(mark)) throw fail(`expected ${what}, found "${l.slice(0, 60)}"`);
    return l.slice(mark.length);
  };

  const magic = await line('the Strata backup signature');
  if (magic !== MAGIC_LINE) {
    const m = /^-- strata-backup (\S+)/.exec(magic);
    throw m
      ? fail(`backup format version ${m[1]}, this Strata reads version ${FORMAT_VERSION}`)
      : fail('not a Strata backup (its first line is not "-- strata-backup 1")');
  }
  const parsed = parseHeader(await marked(MARK.header, 'the header'));
  if (!parsed.ok) throw fail(`the header is invalid: ${parsed.reason}`);
  const header = parsed.value;
  for (const [name, value] of Object.entries(header.settings)) {
    if ((await line('a setting')) !== settingSql(name, value)) throw fail(`expected the setting of ${name}`);
  }
  yield { kind: 'header', header };

  let statements = 0;
  async function* section(name: 'pre-data' | 'post-data', n: number): AsyncGenerator<BackupEvent> {
    await expectSection(name);
    for (let i = 0; i < n; i++) {
      yield { kind: 'statement', section: name, sql: await statement(), index: i };
      statements++;
    }
  }
  const expectSection = async (name: SectionName) => {
    const got = await marked(MARK.section, `the ${name} section`);
    if (got !== name) throw fail(`expected the ${name} section, found the ${got} section`);
  };
  const statement = async (): Promise<string> => {
    const lenText = await marked(MARK.statement, 'a statement');
    if (!/^\d+$/.test(lenText)) throw fail(`a statement length must be a number, found "${lenText}"`);
    const start = src.line;
    const want = Number(lenText) + 1; // the statement and its ";"
    const parts: Buffer[] = [];
    let total = -1;
    while (total < want) {
      const l = await src.nextLine();
      if (l === null) throw fail('the file is truncated inside a statement', src.line + 1);
      parts.push(l);
      total += l.length + 1;
    }
    const body = Buffer.concat(parts.flatMap((p, i) => (i === 0 ? [p] : [Buffer.from('\n'), p])));
    if (total !== want || body[body.length - 1] !== 0x3b) throw fail(`the statement starting at line ${start + 1} does not have the length its header gives`);
    return body.subarray(0, body.length - 1).toString('utf8');
  };

  yield* section('pre-data', header.statements.preData);

  await expectSection('data');
  let totalRows = 0;
  for (const [index, table] of header.tables.entries()) {
    const ref = parseTableRef(await marked(MARK.table, `the data of table ${tableLabel(table)}`));
    if (!ref.ok || ref.value.schema !== table.schema || ref.value.name !== table.name) {
      throw fail(`expected the data of table ${tableLabel(table)} (the header's table ${index + 1})`);
    }
    // The COPY line is rebuilt from the header, never run as found: a changed line is an error.
    if ((await line('a COPY statement')) !== `${copyFromSql(table)};`) throw fail(`the COPY statement of table ${tableLabel(table)} is not the expected one`);
    yield { kind: 'table', table, index };
    const hash = createHash('sha256');
    let rows = 0;
    for (let r = await src.nextRows(); r !== null; r = await src.nextRows()) {
      hash.update(r.chunk);
      rows += r.rows;
      yield { kind: 'rows', chunk: r.chunk, rows: r.rows };
    }
    const end = parseTableEnd(await marked(MARK.tableEnd, `the end of table ${tableLabel(table)}`));
    if (!end.ok) throw fail(`the end line of table ${tableLabel(table)} is invalid: ${end.reason}`);
    const sha256 = hash.digest('hex');
    if (end.value.rows !== rows || rows !== table.rows) {
      throw fail(`table ${tableLabel(table)} has ${rows} rows of data, its header says ${table.rows} and its end line ${end.value.rows}`);
    }
    if (end.value.sha256 !== sha256) throw fail(`the data of table ${tableLabel(table)} does not match its checksum: it was altered or damaged`);
    totalRows += rows;
    yield { kind: 'table-end', table, end: end.value };
  }

  yield* section('post-data', header.statements.postData);

  const digest = src.digestConsumed();
  const trailer = parseTrailer(await marked(MARK.end, 'the end of the backup'));
  if (!trailer.ok) throw fail(`the end line is invalid: ${trailer.reason}`);
  const t = trailer.value;
  if (t.sha256 !== digest) throw fail('the content does not match the checksum of the whole file: it was altered or damaged');
  if (t.tables !== header.tables.length || t.rows !== totalRows || t.statements !== statements) {
    throw fail(`the end line counts ${t.tables} tables, ${t.rows} rows and ${t.statements} statements; the file holds ${header.tables.length}, ${totalRows} and ${statements}`);
  }
  if (!(await src.atEnd())) throw fail('unexpected content after the end of the backup', src.line + 1);
  yield { kind: 'end', trailer: t };
}
