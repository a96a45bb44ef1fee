import { existsSync, mkdirSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { StrataError, ensureIgnoredDir } from '@strata/core';
import type { Capabilities, CopyStreams, DatabaseClient, MigrationLock, QueryOptions, QueryResult, Queryable, Row, Session } from './client.js';
import { PinnedSession } from './pinned-session.js';
import { QueryError, toQueryError } from './query-error.js';
import { isBundledPgliteExtension, loadPgliteExtensions, unavailableOnPgliteHint } from './pglite-extensions.js';
import { VALUE_PARSERS } from './value-parsers.js';
import { acquireDirLock, type DirLock } from './dir-lock.js';
import { readServerInfo } from './server-info.js';
import { lockTimeoutError } from './migration-lock.js';
import { registerEmbeddedHandle } from './embedded-handle.js';

// PGlite parses many types itself (dates, int8 as BigInt…); override every one of its parsers so
// results have the same shape as node-postgres gives us (see value-parsers.ts).
const identity = (v: string) => v;

/**
 * PGlite itself, loaded on first use: a command run against a PostgreSQL server never pays for it.
 */
async function loadPglite(): Promise<{ PGlite: typeof PGlite; parsers: Record<number, (v: string) => unknown> }> {
  const mod = await import('@electric-sql/pglite');
  const parsers = { ...Object.fromEntries(Object.keys(mod.types.parsers).map((oid) => [Number(oid), identity])), ...VALUE_PARSERS };
  return { PGlite: mod.PGlite, parsers };
}

/** Serialises units of work on the single embedded connection; a waiter can give up. */
class Mutex {
  #held = false;
  #waiters: (() => void)[] = [];
  get held() { return this.#held; }
  /** Resolves with a release function, or with null when `timeoutMs` passes first. */
  acquire(timeoutMs = Infinity): Promise<(() => void) | null> {
    const release = () => {
      const next = this.#waiters.shift();
      if (next) next();
      else this.#held = false;
    };
    if (!this.#held) {
      this.#held = true;
      return Promise.resolve(release);
    }
    return new Promise((resolve) => {
      const grant = () => { clearTimeout(timer); resolve(release); };
      const timer = Number.isFinite(timeoutMs)
        ? setTimeout(() => {
            this.#waiters = this.#waiters.filter((w) => w !== grant);
            resolve(null);
          }, timeoutMs)
        : undefined;
      this.#waiters.push(grant);
    });
  }
}

/**
 * PGlite has no COPY sub-protocol over `query`: it reads and writes COPY data through its
 * `/dev/blob` device, so the STDIN/STDOUT of the statement (its last mention, after any table or
 * query text) is pointed there, and a COPY's data is held whole in memory.
 */
function blobCopy(db: PGlite): CopyStreams {
  const retarget = (sql: string, re: RegExp, to: string): string => {
    const matches = [...sql.matchAll(re)];
    const last = matches[matches.length - 1];
    if (!last || last.index === undefined) {
      throw new StrataError('INTERNAL', `not a COPY ${to === "TO '/dev/blob'" ? '… TO STDOUT' : '… FROM STDIN'} statement: ${sql.slice(0, 80)}`);
    }
    return sql.slice(0, last.index) + to + sql.slice(last.index + last[0].length);
  };
  return {
    async *copyOut(sql: string): AsyncIterable<Uint8Array> {
      const text = retarget(sql, /\bTO\s+STDOUT\b/gi, "TO '/dev/blob'");
      let blob: Blob | undefined;
      try {
        blob = (await db.query(text)).blob;
      } catch (e) {
        throw toQueryError(e, sql);
      }
      if (blob && blob.size > 0) yield new Uint8Array(await blob.arrayBuffer());
    },
    async copyIn(sql: string, source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<number> {
      const text = retarget(sql, /\bFROM\s+STDIN\b/gi, "FROM '/dev/blob'");
      const parts: Uint8Array[] = [];
      for await (const chunk of source) parts.push(chunk);
      try {
        const r = await db.query(text, [], { blob: new Blob(parts as unknown as ConstructorParameters<typeof Blob>[0]) });
        return r.affectedRows ?? 0;
      } catch (e) {
        throw toQueryError(e, sql);
      }
    },
  };
}

export interface PgliteClientOptions {
  /** Called with how long opening took, e.g. to print a notice on a slow first start. */
  onOpen?: (ms: number, created: boolean) => void;
  /**
   * Extensions to register (names as `CREATE EXTENSION` takes them, e.g. those the project's
   * migrations create). Extensions the database already has are registered too, found on open.
   */
  extensions?: readonly string[];
}

/**
 * A `DatabaseClient` over embedded PGlite, in a directory (locked for this process) or in memory.
 *
 * @example
 * const db = await createPgliteClient(null); // in memory
 */
export async function createPgliteClient(dataDir: string | null, options: PgliteClientOptions = {}): Promise<DatabaseClient> {
  const { PGlite: Pglite, parsers: PARSERS } = await loadPglite();
  let dirLock: DirLock | null = null;
  if (dataDir !== null) {
    // The default home of embedded data, `.strata/`, is git-ignored from its first use; the data
    // directory itself is its owner's only.
    if (basename(dirname(dataDir)) === '.strata') ensureIgnoredDir(dirname(dataDir), 'embedded databases, locks and caches');
    if (!existsSync(dataDir)) mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    dirLock = acquireDirLock(dataDir);
  }
  const started = Date.now();
  let db: PGlite;
  try {
    const wanted = new Set(options.extensions ?? []);
    const open = async () => Pglite.create(dataDir ?? undefined, { parsers: PARSERS, extensions: await loadPgliteExtensions(wanted) });
    db = await open();
    // An extension the directory already has (created earlier, restored, made by hand) must be
    // registered too, or every use of its types fails with "could not access file": that is
    // known only once open, so the instance is opened again with it (extension users only).
    const missing = await installedButUnregistered(db, wanted);
    if (missing.length > 0) {
      await db.close();
      for (const name of missing) wanted.add(name);
      db = await open();
    }
  } catch (e) {
    dirLock?.release();
    if (e instanceof StrataError) throw e;
    throw new StrataError('CONNECTION_FAILED', `could not open the embedded database ${dataDir ?? 'in memory'}: ${(e as Error).message ?? String(e)}`, {
      hint: 'The directory may be damaged or from another PGlite version; move it away to start afresh.',
      cause: e,
    });
  }
  options.onOpen?.(Date.now() - started, false);
  return pgliteDatabaseClient(db, { dataDir, dirLock, ownsInstance: true, parsers: PARSERS });
}

/** Bundled extensions `db` has installed that were not registered when it opened. */
async function installedButUnregistered(db: PGlite, registered: ReadonlySet<string>): Promise<string[]> {
  const r = await db.query<{ extname: string }>(`select extname from pg_catalog.pg_extension where extname <> 'plpgsql'`, [], { parsers: { 19: identity, 25: identity } });
  return r.rows.map((x) => x.extname).filter((name) => !registered.has(name) && isBundledPgliteExtension(name));
}

/**
 * PGlite refuses `CREATE EXTENSION` of one not registered with "extension … is not available",
 * and PostgreSQL's hint (install it on the server's system) is no help there: say what to do.
 */
function withExtensionHint(e: unknown): unknown {
  if (!(e instanceof QueryError) || e.pg.code !== '0A000') return e;
  const name = /^extension "(.+)" is not available$/.exec(e.pg.message)?.[1];
  if (name === undefined) return e;
  const hint = isBundledPgliteExtension(name)
    ? `PGlite ships "${name}", but it is registered only when the database opens: create it in a migration (strata generate --custom, then CREATE EXTENSION IF NOT EXISTS ${name};) or list it in the config's pgliteExtensions, and run the command again.`
    : unavailableOnPgliteHint(name);
  return new QueryError({ ...e.pg, hint }, e.sql, e.cause);
}

export interface PgliteInstanceOptions {
  /** The data directory, for messages (null: in memory or unknown). */
  dataDir: string | null;
  /** This process's lock on `dataDir`, released on `close()`. */
  dirLock: DirLock | null;
  /** Close the PGlite instance on `close()`; false for an instance the application owns. */
  ownsInstance: boolean;
  /** Result parsers (defaults to the ones every Strata client uses). */
  parsers?: Record<number, (v: string) => unknown>;
}

/**
 * A `DatabaseClient` over an existing PGlite instance. Every query passes Strata's own result
 * parsers, so the instance's parser settings do not matter.
 *
 * @example
 * const db = await pgliteDatabaseClient(new PGlite(), { dataDir: null, dirLock: null, ownsInstance: false });
 */
export async function pgliteDatabaseClient(db: PGlite, options: PgliteInstanceOptions): Promise<DatabaseClient> {
  const { dataDir, dirLock } = options;
  const PARSERS = options.parsers ?? (await loadPglite()).parsers;
  // PGlite also registers parsers for every array type it finds at start; turn those into text too.
  const parsers: Record<number, (v: string) => unknown> = { ...PARSERS };
  const arrays = await db.query<{ oid: number }>(`select oid::int4 as oid from pg_type where typcategory = 'A'`, [], { parsers: PARSERS });
  for (const { oid } of arrays.rows) parsers[Number(oid)] = identity;

  const raw: Queryable = {
    async query<R = Row>(sql: string, params?: readonly unknown[], options?: QueryOptions): Promise<QueryResult<R>> {
      try {
        const r = await db.query<R>(sql, params as unknown[] | undefined, { parsers, ...(options?.rowMode === 'array' ? { rowMode: 'array' as const } : {}) });
        return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length, fields: r.fields.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID })) };
      } catch (e) {
        throw withExtensionHint(toQueryError(e, sql));
      }
    },
    async exec(sql: string): Promise<void> {
      try {
        await db.exec(sql, { parsers });
      } catch (e) {
        throw withExtensionHint(toQueryError(e, sql));
      }
    },
  };
  const mutex = new Mutex();
  const capabilities: Capabilities = {
    transactionalDdl: true, multipleConnections: false, advisoryLocks: false, concurrentIndexes: false, streamingCopy: false, copyFromStdin: true,
  };
  const copy = blobCopy(db);
  let closed = false;

  const session = async <T>(fn: (s: Session) => Promise<T>): Promise<T> => {
    const release = (await mutex.acquire())!;
    try {
      return await fn(Object.assign(new PinnedSession(raw), copy));
    } finally {
      release();
    }
  };

  return registerEmbeddedHandle({
    kind: 'pglite',
    capabilities,
    displayUrl: dataDir === null ? 'pglite:memory' : `pglite:${dataDir}`,
    query: raw.query,
    exec: raw.exec,
    session,
    transaction: (fn) => session((s) => s.transaction(fn)),
    copyOut: (sql) => (async function* () {
      const release = (await mutex.acquire())!;
      try {
        yield* copy.copyOut(sql);
      } finally {
        release();
      }
    })(),
    copyIn: (sql, source) => session(() => copy.copyIn(sql, source)),
    async acquireMigrationLock(opts = {}): Promise<MigrationLock> {
      // One process owns the directory (dir-lock.ts); inside it, the mutex orders units of work.
      const waitMs = opts.waitMs ?? 60_000;
      if (mutex.held) opts.onWait?.({ holderPid: process.pid });
      const release = await mutex.acquire(waitMs);
      if (!release) throw lockTimeoutError(waitMs);
      let released = false;
      return {
        session: Object.assign(new PinnedSession(raw), copy),
        pid: null,
        async release() {
          if (released) return;
          released = true;
          release();
        },
      };
    },
    serverInfo: () => readServerInfo(raw),
    async close() {
      if (closed) return;
      closed = true;
      try {
        if (options.ownsInstance) await db.close();
      } finally {
        dirLock?.release();
      }
    },
  }, { pglite: db, dataDir, dirLock });
}
