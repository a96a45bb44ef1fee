/** One row as both drivers return it: see `value-parsers.ts` for the shape of each value. */
export type Row = Record<string, unknown>;

export interface QueryResult<R = Row> {
  rows: R[];
  /** Rows affected (INSERT/UPDATE/DELETE) or returned. */
  rowCount: number;
  fields: { name: string; dataTypeID: number }[];
}

/** How one query returns its rows. */
export interface QueryOptions {
  /**
   * `'array'`: each row is an array of values in column order (columns with the same name stay
   * apart, as drizzle-orm's proxy drivers need); default `'object'`.
   */
  rowMode?: 'object' | 'array';
}

/** Anything SQL can be sent to: a client, a pinned session, or a transaction. */
export interface Queryable {
  /** One statement, with `$1…$n` parameters. */
  query<R = Row>(sql: string, params?: readonly unknown[], options?: QueryOptions): Promise<QueryResult<R>>;
  /** A script of any number of statements, without parameters (simple query protocol). */
  exec(sql: string): Promise<void>;
}

/**
 * COPY in and out, on both drivers (node-postgres through pg-copy-streams, PGlite through its
 * `/dev/blob` device). `sql` is a whole `COPY … TO STDOUT` or `COPY … FROM STDIN` statement.
 *
 * @example
 * for await (const chunk of session.copyOut!('COPY "public"."users" TO STDOUT')) out.write(chunk);
 * const rows = await session.copyIn!('COPY "public"."users" FROM STDIN', [Buffer.from('1\tann\n')]);
 */
export interface CopyStreams {
  /** Runs `COPY … TO STDOUT` and yields its output as it arrives. */
  copyOut(sql: string): AsyncIterable<Uint8Array>;
  /** Runs `COPY … FROM STDIN` with `source` as its input; resolves to the number of rows copied. */
  copyIn(sql: string, source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<number>;
}

/** A pinned connection. Work done through it all happens on one server session. */
export interface Session extends Queryable, Partial<CopyStreams> {
  /**
   * Runs `fn` in a transaction on this session: BEGIN … COMMIT, ROLLBACK when `fn` throws.
   * Nested calls use savepoints, so a failed inner step can be retried without losing the outer one.
   */
  transaction<T>(fn: (tx: Session) => Promise<T>): Promise<T>;
  /** True while a transaction opened through this session is running. */
  readonly inTransaction: boolean;
}

/**
 * What one backend can do, so callers branch on a capability instead of on the driver.
 */
export interface Capabilities {
  /** DDL can run inside a transaction and be rolled back (true for PostgreSQL and PGlite). */
  transactionalDdl: boolean;
  /** More than one connection can be open at once (false for embedded PGlite). */
  multipleConnections: boolean;
  /** `pg_advisory_lock` coordinates separate processes (false: PGlite is locked per directory instead). */
  advisoryLocks: boolean;
  /** `CREATE INDEX CONCURRENTLY` actually runs concurrently with other sessions. */
  concurrentIndexes: boolean;
  /**
   * COPY data flows in chunks. False for PGlite, which holds one COPY's whole input or output in
   * memory: split a big table into several COPY statements there.
   */
  streamingCopy: boolean;
  /**
   * `COPY … FROM STDIN` works. False for an embedded database served to other processes over a
   * socket (`strata studio`), which loses the COPY sub-protocol: load rows with INSERT there.
   */
  copyFromStdin: boolean;
}

export type BackendKind = 'postgres' | 'pglite';

export interface ServerInfo {
  /** e.g. 150018 */
  versionNum: number;
  /** e.g. 'PostgreSQL 15.18 (Debian 15.18-0+deb12u1) on x86_64-pc-linux-gnu, …' */
  version: string;
  /** e.g. '15.18' */
  shortVersion: string;
  database: string;
  user: string;
}

export interface MigrationLockOptions {
  /** How long to wait for another holder before giving up; default 60 000. */
  waitMs?: number;
  /** Called once when the lock is busy and we start waiting (e.g. to print "waiting for …"). */
  onWait?: (info: { holderPid: number | null }) => void;
  /** Advisory lock key; default is Strata's fixed key. */
  key?: bigint;
}

/** A held migration lock. Work that must run under it goes through `session`. */
export interface MigrationLock {
  readonly session: Session;
  /**
   * The server process id of `session` (`pg_backend_pid()`), so another connection can see what
   * it waits for; null where no other connection can look (embedded PGlite).
   */
  readonly pid: number | null;
  release(): Promise<void>;
}

/**
 * The one interface every Strata package uses to reach a database, whichever driver is behind it.
 *
 * @example
 * const db = await openDatabase('pglite:memory');
 * const { rows } = await db.query<{ n: number }>('select 1 as n');
 * await db.close();
 */
export interface DatabaseClient extends Queryable, Partial<CopyStreams> {
  readonly kind: BackendKind;
  readonly capabilities: Capabilities;
  /** The URL with its password masked, for messages. */
  readonly displayUrl: string;
  /** Runs `fn` on one pinned connection, released afterwards. */
  session<T>(fn: (session: Session) => Promise<T>): Promise<T>;
  /** Runs `fn` in a transaction on a pinned connection. */
  transaction<T>(fn: (tx: Session) => Promise<T>): Promise<T>;
  /**
   * Takes the migration lock on a dedicated session, outside any transaction, waiting up to
   * `waitMs` by polling (never blocking in `pg_advisory_lock`, which deadlocks with a holder's
   * `CREATE INDEX CONCURRENTLY`).
   */
  acquireMigrationLock(options?: MigrationLockOptions): Promise<MigrationLock>;
  serverInfo(): Promise<ServerInfo>;
  /** Closes every connection; for PGlite, also releases the directory lock. Safe to call twice. */
  close(): Promise<void>;
}
