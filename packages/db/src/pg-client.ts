import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { StrataError, maskSecrets } from '@strata/core';
import type {
  Capabilities, CopyStreams, DatabaseClient, MigrationLock, MigrationLockOptions, QueryOptions, QueryResult, Queryable, Row, ServerInfo, Session,
} from './client.js';
import { PinnedSession } from './pinned-session.js';
import { toQueryError } from './query-error.js';
import { parserFor } from './value-parsers.js';
import { DEFAULT_LOCK_KEY, lockTimeoutError, sleep } from './migration-lock.js';
import { readServerInfo } from './server-info.js';
import { acquireFileLock } from './file-lock.js';
import { loadCopyStreams, loadPg } from './load-pg.js';

const types = { getTypeParser: (oid: number) => parserFor(oid) } as unknown as pg.CustomTypesConfig;

function wrapRaw(client: pg.PoolClient | pg.Pool): Queryable {
  return {
    async query<R = Row>(sql: string, params?: readonly unknown[], options?: QueryOptions): Promise<QueryResult<R>> {
      try {
        // Always the extended protocol: one statement, even without parameters (as PGlite's query does);
        // scripts of several statements go through `exec`.
        const r = await client.query({
          text: sql, values: params as unknown[] | undefined, types, queryMode: 'extended',
          ...(options?.rowMode === 'array' ? { rowMode: 'array' } : {}),
        } as pg.QueryConfig);
        return { rows: r.rows as R[], rowCount: r.rowCount ?? r.rows.length, fields: r.fields.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID })) };
      } catch (e) {
        throw toQueryError(e, sql);
      }
    },
    async exec(sql: string): Promise<void> {
      try {
        await client.query({ text: sql, types });
      } catch (e) {
        throw toQueryError(e, sql);
      }
    },
  };
}

/** COPY over one pinned connection, through pg-copy-streams (chunks flow; nothing is held whole). */
function copyStreams(client: pg.PoolClient): CopyStreams {
  return {
    async *copyOut(sql: string): AsyncIterable<Uint8Array> {
      try {
        for await (const chunk of client.query(loadCopyStreams().to(sql))) yield chunk as Uint8Array;
      } catch (e) {
        throw toQueryError(e, sql);
      }
    },
    async copyIn(sql: string, source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<number> {
      const stream = client.query(loadCopyStreams().from(sql));
      try {
        await pipeline(Readable.from(source, { objectMode: false }), stream);
      } catch (e) {
        throw toQueryError(e, sql);
      }
      return stream.rowCount;
    },
  };
}

/** Turns a connection failure into one clear line naming host, port, database and cause. */
export function connectionError(e: unknown, url: string): StrataError {
  const u = (() => { try { return new URL(url); } catch { return null; } })();
  const host = u?.hostname || u?.searchParams.get('host') || 'localhost';
  const port = u?.port || '5432';
  const database = decodeURIComponent(u?.pathname.slice(1) || '') || decodeURIComponent(u?.username || '') || 'postgres';
  const user = decodeURIComponent(u?.username || '') || process.env.USER || '';
  const where = `${host}:${port}/${database}`;
  const err = e as { code?: string; message?: string };
  const masked = maskSecrets(url);
  const make = (msg: string, hint: string) =>
    new StrataError('CONNECTION_FAILED', `${msg} (${masked})`, { hint, cause: e });
  switch (err.code) {
    case 'ECONNREFUSED':
      return make(`could not connect to ${where}: connection refused`, `Is PostgreSQL running and accepting TCP connections on ${host}:${port}?`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return make(`could not connect to ${where}: host "${host}" not found`, 'Check the host name in the database URL.');
    case 'ETIMEDOUT':
      return make(`could not connect to ${where}: connection timed out`, 'Check the host, port and any firewall between here and the server.');
    case '28P01':
    case '28000':
      return make(`could not connect to ${where}: authentication failed for user "${user}"`, 'Check the user name and password in the database URL.');
    case '3D000':
      return make(`could not connect to ${host}:${port}: database "${database}" does not exist`, `Create it first (createdb ${database}) or fix the database name in the URL.`);
    default:
      return make(`could not connect to ${where}: ${maskSecrets(err.message ?? String(e))}`, 'Check the database URL and that the server is reachable.');
  }
}

export interface PgClientOptions {
  /** Pool size; default 4. */
  max?: number;
  /** Shown in messages instead of the URL (e.g. an embedded database served over a socket). */
  displayUrl?: string;
  capabilities?: Partial<Capabilities>;
  /**
   * Take the migration lock as this file instead of an advisory lock: for an embedded database
   * served over a socket, where all clients share one backend session.
   */
  lockFile?: string;
}

/**
 * A `DatabaseClient` over a node-postgres pool.
 *
 * @example
 * const db = await createPgClient('postgres://localhost/app');
 */
export async function createPgClient(url: string, options: PgClientOptions = {}): Promise<DatabaseClient> {
  const pool = new (loadPg().Pool)({ connectionString: url, max: options.max ?? 4, connectionTimeoutMillis: 10_000, idleTimeoutMillis: 10_000 });
  // An idle client that loses its server must not crash the process; the next query reports it.
  pool.on('error', () => {});
  // Prove the connection now, so a wrong URL fails with one clear line before any work starts.
  try {
    const c = await pool.connect();
    c.release();
  } catch (e) {
    await pool.end().catch(() => {});
    throw connectionError(e, url);
  }
  return poolDatabaseClient(pool, { ...options, url, ownsPool: true });
}

export interface PoolClientOptions extends PgClientOptions {
  /** For messages about connection failures (its password is never printed). */
  url: string;
  /** End the pool on `close()`; false for a pool the application owns. */
  ownsPool: boolean;
}

/**
 * A `DatabaseClient` over an existing node-postgres pool (or anything with its `connect`/`query`/`end`).
 * `close()` ends the pool only when `ownsPool` is set.
 *
 * @example
 * const db = poolDatabaseClient(appPool, { url: 'postgres://localhost/app', ownsPool: false });
 */
export function poolDatabaseClient(pool: pg.Pool, options: PoolClientOptions): DatabaseClient {
  const url = options.url;
  const raw = wrapRaw(pool);
  let closed = false;
  const capabilities: Capabilities = {
    transactionalDdl: true, multipleConnections: true, advisoryLocks: true, concurrentIndexes: true, streamingCopy: true, copyFromStdin: true, ...options.capabilities,
  };

  const withClient = async <T>(fn: (s: Session, c: pg.PoolClient) => Promise<T>): Promise<T> => {
    let c: pg.PoolClient;
    try {
      c = await pool.connect();
    } catch (e) {
      throw connectionError(e, url);
    }
    let broken = false;
    try {
      return await fn(Object.assign(new PinnedSession(wrapRaw(c)), copyStreams(c)), c);
    } catch (e) {
      broken = !(e instanceof StrataError);
      throw e;
    } finally {
      c.release(broken);
    }
  };

  return {
    kind: 'postgres',
    capabilities,
    displayUrl: options.displayUrl ?? maskSecrets(url),
    query: raw.query,
    exec: raw.exec,
    session: (fn) => withClient((s) => fn(s)),
    transaction: (fn) => withClient((s) => s.transaction(fn)),
    copyOut: (sql) => (async function* () {
      let c: pg.PoolClient;
      try {
        c = await pool.connect();
      } catch (e) {
        throw connectionError(e, url);
      }
      // A consumer that stops early leaves the connection mid-COPY: destroy it rather than reuse it.
      let broken = true;
      try {
        yield* copyStreams(c).copyOut(sql);
        broken = false;
      } finally {
        c.release(broken);
      }
    })(),
    copyIn: (sql, source) => withClient((s) => s.copyIn!(sql, source)),
    async acquireMigrationLock(opts: MigrationLockOptions = {}): Promise<MigrationLock> {
      const key = opts.key ?? DEFAULT_LOCK_KEY;
      const waitMs = opts.waitMs ?? 60_000;
      if (options.lockFile) {
        const releaseFile = await acquireFileLock(options.lockFile, { waitMs, onWait: opts.onWait });
        let held: pg.PoolClient;
        try {
          held = await pool.connect();
        } catch (e) {
          releaseFile();
          throw connectionError(e, url);
        }
        let done = false;
        return {
          session: Object.assign(new PinnedSession(wrapRaw(held)), copyStreams(held)),
          // One embedded backend serves every client: nothing can wait on another here.
          pid: null,
          async release() {
            if (done) return;
            done = true;
            held.release();
            releaseFile();
          },
        };
      }
      let c: pg.PoolClient;
      try {
        c = await pool.connect();
      } catch (e) {
        throw connectionError(e, url);
      }
      const session = Object.assign(new PinnedSession(wrapRaw(c)), copyStreams(c));
      const started = Date.now();
      let told = false;
      let pid: number | null = null;
      try {
        // Lets the server notice a killed client sooner and free the lock (PostgreSQL 14+).
        await session.exec("SET client_connection_check_interval = '1s'").catch(() => {});
        for (;;) {
          const r = await session.query<{ ok: boolean; pid: number }>('select pg_try_advisory_lock($1::bigint) as ok, pg_backend_pid() as pid', [key.toString()]);
          if (r.rows[0]?.ok) {
            pid = r.rows[0].pid;
            break;
          }
          if (!told) {
            told = true;
            const h = await session.query<{ pid: number }>(
              `select pid from pg_locks where locktype = 'advisory' and granted
                 and ((classid::bigint << 32) | objid::bigint) = $1::bigint and objsubid = 1 limit 1`,
              [key.toString()],
            );
            opts.onWait?.({ holderPid: h.rows[0]?.pid ?? null });
          }
          if (Date.now() - started >= waitMs) throw lockTimeoutError(waitMs);
          await sleep(Math.min(200, Math.max(20, waitMs / 50)));
        }
      } catch (e) {
        c.release(true);
        throw e;
      }
      let released = false;
      return {
        session,
        pid,
        async release() {
          if (released) return;
          released = true;
          try {
            await session.query('select pg_advisory_unlock($1::bigint)', [key.toString()]);
            c.release();
          } catch {
            // Closing the connection frees a session lock too.
            c.release(true);
          }
        },
      };
    },
    serverInfo: (): Promise<ServerInfo> => readServerInfo(raw),
    async close() {
      if (closed) return;
      closed = true;
      if (options.ownsPool) await pool.end();
    },
  };
}
