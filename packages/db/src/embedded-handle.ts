import type { PGlite } from '@electric-sql/pglite';
import type { DatabaseClient } from './client.js';
import type { DirLock } from './dir-lock.js';

/** What lies behind an embedded client: the PGlite instance and the lock on its directory. */
export interface EmbeddedHandle {
  readonly pglite: PGlite;
  /** The data directory, or null in memory. */
  readonly dataDir: string | null;
  /** This process's lock on `dataDir` (null in memory), e.g. to advertise a `serveUrl`. */
  readonly dirLock: DirLock | null;
}

const handles = new WeakMap<DatabaseClient, EmbeddedHandle>();

/** Records the handle of a client made by `createPgliteClient`; returns the client. */
export function registerEmbeddedHandle(client: DatabaseClient, handle: EmbeddedHandle): DatabaseClient {
  handles.set(client, handle);
  return client;
}

/**
 * The PGlite instance and directory lock behind an embedded client, or null for any other
 * client. For serving the embedded database to other processes (`strata studio`); everything
 * else goes through the `DatabaseClient` interface.
 *
 * @example
 * const handle = embeddedHandle(db); if (handle?.dirLock) handle.dirLock.update({ serveUrl });
 */
export function embeddedHandle(client: DatabaseClient): EmbeddedHandle | null {
  return handles.get(client) ?? null;
}
