import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { quoteIdent } from '@strata/core';
import { createPgClient, type DatabaseClient } from '@strata/db';
import { findPgBinDir, startPgServer, type PgServer } from '@strata/testing';
import { BENCH_DIR } from './tools.js';

/**
 * The PostgreSQL server the benchmark runs on: started for the run (the default) or given by URL.
 * Every timed run gets a database of its own, created empty or copied from a template database
 * (`CREATE DATABASE … TEMPLATE`, a file copy), so runs start from the same state.
 */
export interface BenchServer {
  /** The server's version string, e.g. `PostgreSQL 15.18`. */
  version: string;
  /** Settings that matter to the results (lock table size). */
  settings: string;
  /** Directory of the server's client tools (pg_dump, pg_restore, psql) of the same version. */
  binDir: string;
  /** A URL for a database on this server. */
  url(database: string): string;
  /** Creates a database (empty, or a copy of `template`) named with `prefix` and returns its name. */
  createDatabase(prefix: string, template?: string): Promise<string>;
  dropDatabase(name: string): Promise<void>;
  /** Runs `fn` with a client on `database`, closed afterwards (so the database can be a template). */
  withClient<T>(database: string, fn: (db: DatabaseClient) => Promise<T>): Promise<T>;
  /** Drops every database this run created and stops a server it started. */
  close(): Promise<void>;
}

/**
 * Lock slots per transaction on the server we start. Dropping 3,000 tables in one transaction (with
 * their indexes, sequences and TOAST tables) needs more than the default 64 × max_connections: both
 * `strata drop` and psql's `DROP SCHEMA … CASCADE` fail with "out of shared memory" there.
 */
export const MAX_LOCKS_PER_TRANSACTION = 256;

/** Sets max_locks_per_transaction (a restart setting) and restarts the server in place. */
async function raiseLockLimit(server: PgServer, binDir: string): Promise<void> {
  const c = await createPgClient(server.url, { max: 1 });
  try {
    await c.exec(`ALTER SYSTEM SET max_locks_per_transaction = ${MAX_LOCKS_PER_TRANSACTION}`);
  } finally {
    await c.close();
  }
  const pgCtl = join(binDir, 'pg_ctl');
  // -l: without a log file the server keeps pg_ctl's output open and spawnSync never returns.
  const args = ['-D', server.dataDir, '-l', join(dirname(server.dataDir), 'server.log'), '-w', '-t', '60', '-m', 'fast', 'restart'];
  const asRoot = process.getuid?.() === 0;
  const r = spawnSync(asRoot ? 'runuser' : pgCtl, asRoot ? ['-u', 'postgres', '--', pgCtl, ...args] : args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`pg_ctl restart failed: ${(r.stderr || r.stdout || String(r.error)).trim()}`);
}

/**
 * startPgServer with its data directory under bench/.work instead of the temp dir: on a shared
 * machine other tools clean `/tmp/strata-pg-*`, which took a server away in the middle of a run.
 */
async function startServerInWorkDir(): Promise<PgServer> {
  const dir = join(BENCH_DIR, '.work', 'pg');
  mkdirSync(dir, { recursive: true });
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  try {
    return await startPgServer();
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  }
}

/**
 * Starts a throwaway PostgreSQL (via @strata/testing) unless `url` names a server whose user may
 * create databases.
 *
 * @example
 * const server = await openBenchServer(); const db = await server.createDatabase('gen'); … await server.close();
 */
export async function openBenchServer(url?: string): Promise<BenchServer> {
  let started: PgServer | null = null;
  const binDir = findPgBinDir();
  if (!binDir) throw new Error('PostgreSQL binaries not found (pg_dump, pg_restore, psql); install postgresql');
  if (!url) {
    started = await startServerInWorkDir();
    url = started.url;
    try {
      await raiseLockLimit(started, binDir);
    } catch (e) {
      started.stop();
      throw e;
    }
  }
  const base = url;
  const admin = await createPgClient(base, { max: 1 });
  const created = new Set<string>();
  const dbUrl = (database: string) => {
    const u = new URL(base);
    u.pathname = `/${encodeURIComponent(database)}`;
    return u.toString();
  };
  const info = await admin.serverInfo();
  const setting = async (name: string) => (await admin.query<{ v: string }>('select current_setting($1) as v', [name])).rows[0]?.v;
  const settings = `max_connections ${await setting('max_connections')}, max_locks_per_transaction ${await setting('max_locks_per_transaction')}, fsync ${await setting('fsync')}, shared_buffers ${await setting('shared_buffers')}`;
  return {
    version: `PostgreSQL ${info.shortVersion}`,
    settings,
    binDir,
    url: dbUrl,
    async createDatabase(prefix, template) {
      const name = `${prefix}_${randomBytes(4).toString('hex')}`;
      await admin.exec(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(template ?? 'template0')}`);
      created.add(name);
      return name;
    },
    async dropDatabase(name) {
      await admin.exec(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
      created.delete(name);
    },
    async withClient(database, fn) {
      const c = await createPgClient(dbUrl(database), { max: 1 });
      try {
        return await fn(c);
      } finally {
        await c.close();
      }
    },
    async close() {
      try {
        for (const name of [...created]) await admin.exec(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
      } finally {
        await admin.close();
        started?.stop();
      }
    },
  };
}

/** A client tool of the server's version (pg_dump and pg_restore refuse a newer server). */
export const pgTool = (server: BenchServer, name: 'pg_dump' | 'pg_restore' | 'psql') => join(server.binDir, name);
