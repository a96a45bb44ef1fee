import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import { StrataError } from '@strata/core';
import type { DatabaseClient } from './client.js';
import { poolDatabaseClient } from './pg-client.js';
import { pgliteDatabaseClient } from './pglite-client.js';

/** What an application may hand over: a node-postgres `Pool` or `Client`, a PGlite instance, or a drizzle database over one. */
export type DriverHandle = pg.Pool | pg.Client | PGlite | { $client: unknown } | DatabaseClient;

/**
 * A `DatabaseClient` over a connection the application already has (its node-postgres `Pool` or
 * connected `Client`, its PGlite instance, or a drizzle database over either, through `$client`).
 * The application keeps ownership: `close()` on the result never ends the pool, the client or
 * the instance. Detection is by shape, so a copy of `pg` or PGlite other than ours works too.
 *
 * @example
 * const db = await databaseClientFor(drizzle(pool)); // or (pool), (client), (new PGlite())
 */
export async function databaseClientFor(handle: DriverHandle): Promise<DatabaseClient> {
  const h = handle as unknown as Record<string, unknown>;
  if (h && typeof h === 'object' && '$client' in h && h.$client) return databaseClientFor(h.$client as DriverHandle);
  if (isDatabaseClient(h)) return nonClosing(h);
  if (isPglite(h)) {
    const instance = h as unknown as PGlite;
    const dataDir = typeof instance.dataDir === 'string' && instance.dataDir !== '' ? instance.dataDir : null;
    return pgliteDatabaseClient(instance, { dataDir, dirLock: null, ownsInstance: false });
  }
  if (isPgPool(h)) {
    const pool = h as unknown as pg.Pool;
    return poolDatabaseClient(pool, { url: urlOf((pool as unknown as { options?: ConnectionFields }).options), ownsPool: false });
  }
  if (isPgClient(h)) {
    const client = h as unknown as pg.Client;
    return poolDatabaseClient(singleConnectionPool(client), { url: urlOf(client as unknown as ConnectionFields), ownsPool: false });
  }
  throw new StrataError('USAGE', 'migrate() needs a node-postgres Pool or Client, a PGlite instance, or a drizzle database over one of them', {
    hint: 'Pass the object you query with, e.g. migrate({ db: pool, folder: "./migrations" }) or migrate({ db: drizzle(client), folder }).',
  });
}

function isDatabaseClient(h: Record<string, unknown>): h is DatabaseClient & Record<string, unknown> {
  return typeof h.acquireMigrationLock === 'function' && typeof h.session === 'function';
}
function isPglite(h: Record<string, unknown>): boolean {
  return typeof h.exec === 'function' && typeof h.query === 'function' && 'waitReady' in h && typeof h.dumpDataDir === 'function';
}
function isPgPool(h: Record<string, unknown>): boolean {
  return typeof h.connect === 'function' && typeof h.query === 'function' && 'totalCount' in h && 'idleCount' in h;
}
function isPgClient(h: Record<string, unknown>): boolean {
  return typeof h.connect === 'function' && typeof h.query === 'function' && 'connectionParameters' in h;
}

function nonClosing(c: DatabaseClient): DatabaseClient {
  return Object.assign(Object.create(c) as DatabaseClient, { close: async () => {} });
}

interface ConnectionFields { connectionString?: string; host?: string; port?: number | string; database?: string; user?: string }

/** A password-free URL naming where a pool or client connects, for error messages. */
function urlOf(o: ConnectionFields | undefined): string {
  if (o?.connectionString) return o.connectionString;
  const user = o?.user ? `${encodeURIComponent(o.user)}@` : '';
  return `postgres://${user}${o?.host ?? 'localhost'}:${o?.port ?? 5432}/${encodeURIComponent(o?.database ?? '')}`;
}

/**
 * A one-connection "pool" over an application's connected `Client`: every session is that
 * connection (so the migration lock and the work under it share it, as they must), released
 * without closing it. node-postgres queues the client's queries, so nothing interleaves mid-query.
 */
function singleConnectionPool(client: pg.Client): pg.Pool {
  // Forward calls (not Object.create): pg.Client keeps its state on `this`.
  const query = (...args: unknown[]) => (client.query as (...a: unknown[]) => unknown).apply(client, args);
  const borrowed = { query, release: () => {} } as unknown as pg.PoolClient;
  return {
    connect: async () => borrowed,
    query,
    end: async () => {},
    on: () => undefined,
  } as unknown as pg.Pool;
}
