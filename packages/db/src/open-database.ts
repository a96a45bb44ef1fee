import type { DatabaseClient } from './client.js';
import { createPgClient } from './pg-client.js';
import { createPgliteClient } from './pglite-client.js';
import { lockPathFor, readDirLock, servedUrl } from './dir-lock.js';
import { parseDatabaseUrl } from './url.js';

export interface OpenOptions {
  /** Base for a relative `pglite:` directory; default the working directory. */
  baseDir?: string;
  /** Pool size for a server. */
  max?: number;
  /** Extensions to register when the database is embedded PGlite (see `createPgliteClient`); ignored for a server. */
  pgliteExtensions?: readonly string[];
}

/**
 * Opens a database from a Strata URL. An embedded directory that another Strata process serves
 * over a socket (e.g. `strata studio`) is reached through that process instead of opened twice.
 *
 * @example
 * const db = await openDatabase(process.env.DATABASE_URL ?? 'pglite:./.strata/pglite');
 */
export async function openDatabase(url: string, options: OpenOptions = {}): Promise<DatabaseClient> {
  const target = parseDatabaseUrl(url, options.baseDir);
  if (target.kind === 'postgres') return createPgClient(target.url, { max: options.max });
  if (target.dataDir !== null) {
    const holder = readDirLock(target.dataDir);
    if (holder?.serveUrl && holder.pid !== process.pid) {
      return createPgClient(servedUrl(holder.serveUrl, holder.serveSecret), {
        max: 1,
        displayUrl: `pglite:${target.dataDir} (served by process ${holder.pid})`,
        capabilities: { multipleConnections: false, advisoryLocks: false, concurrentIndexes: false, copyFromStdin: false },
        lockFile: `${lockPathFor(target.dataDir)}.migrate`,
      });
    }
  }
  return createPgliteClient(target.dataDir, { extensions: options.pgliteExtensions });
}
