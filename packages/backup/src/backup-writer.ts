import { createHash, type Hash } from 'node:crypto';
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { createGzip, type Gzip } from 'node:zlib';
import { settingSql } from './backup-sql.js';
import { MAGIC_LINE, MARK, type BackupHeader, type BackupTrailer, type SectionName, type TableEnd } from './backup-format.js';

const FLUSH_BYTES = 256 * 1024;
const NEWLINE = 0x0a;

/**
 * Writes one backup file: gzip-compressed, hashed as it goes, into `<file>.partial` that becomes
 * `<file>` only once the trailer is written, so an interrupted backup never looks complete.
 */
export class BackupWriter {
  readonly #gzip: Gzip;
  readonly #out: ReturnType<typeof createWriteStream>;
  readonly #done: Promise<void>;
  readonly #whole: Hash = createHash('sha256');
  readonly #partial: string;
  #table: { hash: Hash; rows: number } | null = null;
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #statements = 0;
  #tables = 0;
  #rows = 0;

  constructor(readonly file: string, compressionLevel = 6) {
    this.#partial = `${file}.partial`;
    this.#gzip = createGzip({ level: compressionLevel, chunkSize: 256 * 1024 });
    // A backup holds every row: readable by its owner only. A stale `.partial` (an interrupted
    // run) is removed first, so the file is always created afresh with that mode.
    rmSync(this.#partial, { force: true });
    const out = createWriteStream(this.#partial, { mode: 0o600 });
    this.#out = out;
    this.#gzip.pipe(out);
    this.#done = new Promise((resolve, reject) => {
      out.on('finish', resolve);
      out.on('error', reject);
      this.#gzip.on('error', reject);
    });
    // Surface a write error through #done, not as an unhandled rejection.
    this.#done.catch(() => {});
  }

  async #write(buf: Buffer): Promise<void> {
    this.#pending.push(buf);
    this.#pendingBytes += buf.length;
    if (this.#pendingBytes >= FLUSH_BYTES) await this.#flush();
  }

  async #flush(): Promise<void> {
    if (this.#pendingBytes === 0) return;
    const buf = this.#pending.length === 1 ? this.#pending[0]! : Buffer.concat(this.#pending, this.#pendingBytes);
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#whole.update(buf);
    // While a table is open, only its rows are pending (its first and last lines flush around them).
    const t = this.#table;
    if (t) {
      t.hash.update(buf);
      for (let i = buf.indexOf(NEWLINE); i !== -1; i = buf.indexOf(NEWLINE, i + 1)) t.rows++;
    }
    if (!this.#gzip.write(buf)) await Promise.race([once(this.#gzip, 'drain'), this.#done]);
  }

  /** Rows of the open table written so far. */
  get tableRows(): number {
    return this.#table?.rows ?? 0;
  }

  #line(text: string): Promise<void> {
    return this.#write(Buffer.from(`${text}\n`, 'utf8'));
  }

  async header(header: BackupHeader): Promise<void> {
    await this.#line(MAGIC_LINE);
    await this.#line(`${MARK.header}${JSON.stringify(header)}`);
    for (const [name, value] of Object.entries(header.settings)) {
      await this.#line(settingSql(name, value));
    }
  }

  section(name: SectionName): Promise<void> {
    return this.#line(`${MARK.section}${name}`);
  }

  /** One DDL statement, framed by its byte length so no SQL splitting is ever needed to read it. */
  async statement(sql: string): Promise<void> {
    const body = sql.replace(/;\s*$/, '');
    this.#statements++;
    await this.#line(`${MARK.statement}${Buffer.byteLength(body, 'utf8')}`);
    await this.#line(`${body};`);
  }

  async beginTable(t: { schema: string; name: string }, copySql: string): Promise<void> {
    await this.#line(`${MARK.table}${JSON.stringify({ schema: t.schema, name: t.name })}`);
    await this.#line(`${copySql};`);
    await this.#flush();
    this.#table = { hash: createHash('sha256'), rows: 0 };
  }

  /**
   * COPY text output, in chunks of any size (the server sends whole rows; a row ends with a
   * newline). Resolves true when the chunk filled a block that was written out (time to report progress).
   */
  async data(chunk: Uint8Array): Promise<boolean> {
    if (!this.#table) throw new Error('data() outside a table');
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.#pending.push(buf);
    this.#pendingBytes += buf.length;
    if (this.#pendingBytes < FLUSH_BYTES) return false;
    await this.#flush();
    return true;
  }

  async endTable(): Promise<TableEnd> {
    await this.#flush();
    const t = this.#table;
    if (!t) throw new Error('endTable() outside a table');
    this.#table = null;
    const end: TableEnd = { rows: t.rows, sha256: t.hash.digest('hex') };
    await this.#line('\\.');
    await this.#line(`${MARK.tableEnd}${JSON.stringify(end)}`);
    this.#tables++;
    this.#rows += t.rows;
    return end;
  }

  /** Writes the trailer and moves the finished file into place. */
  async finish(): Promise<BackupTrailer> {
    await this.#flush();
    const trailer: BackupTrailer = { tables: this.#tables, rows: this.#rows, statements: this.#statements, sha256: this.#whole.digest('hex') };
    this.#gzip.end(Buffer.from(`${MARK.end}${JSON.stringify(trailer)}\n`, 'utf8'));
    await this.#done;
    renameSync(this.#partial, this.file);
    return trailer;
  }

  /** Stops writing and removes the partial file. */
  async abort(): Promise<void> {
    this.#gzip.destroy();
    if (!this.#out.closed) {
      const closed = once(this.#out, 'close').catch(() => {});
      this.#out.destroy();
      await closed;
    }
    rmSync(this.#partial, { force: true });
  }
}
