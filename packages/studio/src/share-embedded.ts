import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { StrataError } from '@strata/core';
import { createPgClient, embeddedHandle, type DatabaseClient, type EmbeddedHandle } from '@strata/db';

/** The part of PGlite the socket server uses. */
interface ServedDatabase {
  readonly waitReady: Promise<void>;
  isInTransaction(): boolean;
  runExclusive<T>(fn: () => Promise<T>): Promise<T>;
  execProtocolRawStream(message: Uint8Array, options: { syncToFs?: boolean; onRawData: (data: Uint8Array) => void }): Promise<void>;
  exec(sql: string): Promise<unknown>;
}

const READY_FOR_QUERY = 0x5a; // 'Z'

/** The type of the last whole message in a backend response, or null when it ends mid-message. */
function lastMessageType(chunks: Uint8Array[]): number | null {
  const data = Buffer.concat(chunks);
  let offset = 0;
  let last: number | null = null;
  while (offset + 5 <= data.length) {
    last = data[offset] ?? null;
    offset += 1 + data.readInt32BE(offset + 1);
  }
  return offset === data.length ? last : null;
}

/**
 * PGlite has one backend. The socket server keeps a client's transaction to itself (it checks
 * `isInTransaction()`), but not a client's extended-protocol exchange (Parse, Bind, Execute … Sync),
 * which runs outside a transaction block: two clients' messages could interleave and one would
 * execute the other's statement. This view of the database reports "in a transaction" from a
 * client's first message until the backend answers ReadyForQuery, so the server hands the backend
 * to that client alone until then.
 */
function exclusiveExchanges(db: EmbeddedHandle['pglite']): ServedDatabase {
  let exchangeOpen = false;
  return {
    get waitReady() {
      return db.waitReady;
    },
    isInTransaction: () => exchangeOpen || db.isInTransaction(),
    runExclusive: (fn) => db.runExclusive(fn),
    async execProtocolRawStream(message, options) {
      const out: Uint8Array[] = [];
      try {
        await db.execProtocolRawStream(message, {
          ...options,
          onRawData: (data) => {
            out.push(data.slice());
            options.onRawData(data);
          },
        });
      } finally {
        // Terminate ('X') gets no answer and ends the exchange.
        exchangeOpen = message[0] !== 0x58 && lastMessageType(out) !== READY_FOR_QUERY;
      }
    },
    // The server calls exec('ROLLBACK') for a client that disconnects in a transaction.
    async exec(sql) {
      exchangeOpen = false;
      return db.exec(sql);
    },
  };
}

/** An embedded database served to other processes; `client` reaches it the same way they do. */
export interface SharedEmbedded {
  /** Use this client (not the embedded one) while shared: the socket orders everyone's work. */
  readonly client: DatabaseClient;
  /** `postgres://postgres@127.0.0.1:<port>/postgres`, advertised in the directory lock. */
  readonly serveUrl: string;
  close(): Promise<void>;
}

/**
 * Serves an embedded (PGlite) database on a random 127.0.0.1 port through
 * `@electric-sql/pglite-socket`, and advertises it as `serveUrl` in the directory lock, so that
 * `strata migrate` (any `openDatabase('pglite:<dir>')`) in another process connects through it
 * instead of failing on the lock. Returns null for a server database or an in-memory one.
 *
 * @example
 * const shared = await shareEmbedded(db); const client = shared?.client ?? db; … await shared?.close();
 */
export async function shareEmbedded(db: DatabaseClient, options: { maxConnections?: number } = {}): Promise<SharedEmbedded | null> {
  const handle = embeddedHandle(db);
  if (!handle?.dirLock || handle.dataDir === null) return null;
  const server = new PGLiteSocketServer({
    // The socket package is typed against its own PGlite copy; it only uses the methods above.
    db: exclusiveExchanges(handle.pglite) as unknown as ConstructorParameters<typeof PGLiteSocketServer>[0]['db'],
    host: '127.0.0.1',
    port: 0,
    maxConnections: options.maxConnections ?? 16,
  });
  try {
    await server.start();
  } catch (e) {
    throw new StrataError('CONNECTION_FAILED', `could not serve the embedded database ${handle.dataDir}: ${(e as Error).message}`, { cause: e });
  }
  const serveUrl = `postgres://postgres@${server.getServerConn()}/postgres`;
  let client: DatabaseClient;
  try {
    const socketClient = await createPgClient(serveUrl, {
      max: 1,
      displayUrl: `pglite:${handle.dataDir}`,
      capabilities: { multipleConnections: false, advisoryLocks: false, concurrentIndexes: false, copyFromStdin: false },
    });
    client = { ...socketClient, kind: 'pglite' };
  } catch (e) {
    await server.stop();
    throw e;
  }
  handle.dirLock.update({ serveUrl });
  let closed = false;
  return {
    client,
    serveUrl,
    async close() {
      if (closed) return;
      closed = true;
      handle.dirLock?.update({ serveUrl: undefined });
      try {
        await client.close();
      } finally {
        await server.stop();
      }
    },
  };
}
