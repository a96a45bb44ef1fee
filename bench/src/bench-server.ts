import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { quoteIdent } from '@strata/core';
import { createPgClient, type DatabaseClient } from '@strata/db';
import { findPgBinDir, startPgServer, type PgServer } from '@strata/testing';

/**
 * The PostgreSQL server the benchmark runs on: started for the run (the default) or given by URL.
 * Every timed run gets a database of its own, created empty or copied from a template database
 * (`CREATE DATABASE … TEMPLATE`, a file copy), so runs start from the same state.
 */
export interface BenchServer {
  /** The server's version string, e.g. `PostgreSQL 15.18`. */
  version: string;
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
 * Starts a throwaway PostgreSQL (via @strata/testing) unless `url` names a server whose user may
 * create databases.
 *
 * @example
 * const server = await openBenchServer(); const db = await server.createDatabase('gen'); … await server.close();
 */
export async function openBenchServer(url?: string): Promise<BenchServer> {
  let started: PgServer | null = null;
  if (!url) {
    started = await startPgServer();
    url = started.url;
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
  const binDir = findPgBinDir();
  if (!binDir) throw new Error('PostgreSQL client tools not found (pg_dump, pg_restore); install postgresql');
  return {
    version: `PostgreSQL ${info.shortVersion}`,
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
