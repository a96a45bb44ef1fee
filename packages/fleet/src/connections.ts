import { resolve } from 'node:path';
import { createPgClient, openDatabase, parseDatabaseUrl, type DatabaseClient } from '@strata/db';

/**
 * The server a resolved URL counts against: `host:port` for PostgreSQL (the default port 5432;
 * several databases of one server share it), the directory for PGlite (one process at a time).
 *
 * @example
 * serverKey('postgres://app@db.internal/t1') // => 'db.internal:5432'
 */
export function serverKey(url: string, baseDir?: string): string {
  const t = parseDatabaseUrl(url, baseDir);
  if (t.kind === 'pglite') return `pglite:${t.dataDir === null ? 'memory' : resolve(t.dataDir)}`;
  try {
    const u = new URL(t.url);
    const host = u.hostname || new URLSearchParams(u.search).get('host') || 'localhost';
    return `${host}:${u.port || '5432'}`;
  } catch {
    return 'unknown-server';
  }
}

/**
 * Opens the connections of a fleet run and counts them per server: a PostgreSQL target gets a
 * client of one connection (closed when the target is done), so targets running at once per
 * server is connections per server; a PGlite directory is opened once and shared by its tenant
 * schemas (they take turns).
 */
export class FleetConnections {
  private readonly open = new Map<string, number>();
  readonly peak: Record<string, number> = {};
  private readonly shared = new Map<string, Promise<DatabaseClient>>();

  constructor(private readonly baseDir: string | undefined) {}

  /** A client on `url` (resolved), and how to let it go. */
  async acquire(url: string, server: string): Promise<{ db: DatabaseClient; release: () => Promise<void> }> {
    const t = parseDatabaseUrl(url, this.baseDir);
    if (t.kind === 'pglite') {
      let db = this.shared.get(server);
      if (!db) {
        db = openDatabase(url, { baseDir: this.baseDir });
        this.shared.set(server, db);
        this.count(server, 1);
        db.catch(() => this.shared.delete(server));
      }
      return { db: await db, release: async () => {} };
    }
    this.count(server, 1);
    try {
      // One connection: the lock session. No second one to watch it (multipleConnections off).
      const db = await createPgClient(t.url, { max: 1, capabilities: { multipleConnections: false } });
      return { db, release: async () => {
        try {
          await db.close();
        } finally {
          this.count(server, -1);
        }
      } };
    } catch (e) {
      this.count(server, -1);
      throw e;
    }
  }

  /** Closes the shared (PGlite) clients. */
  async close(): Promise<void> {
    for (const db of this.shared.values()) await (await db.catch(() => null))?.close().catch(() => {});
    this.shared.clear();
  }

  private count(server: string, delta: number): void {
    const n = (this.open.get(server) ?? 0) + delta;
    this.open.set(server, n);
    this.peak[server] = Math.max(this.peak[server] ?? 0, n);
  }
}
