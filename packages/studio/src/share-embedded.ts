import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { StrataError } from '@strata/core';
import { createPgClient, embeddedHandle, servedUrl, type DatabaseClient, type EmbeddedHandle } from '@strata/db';
import { scramGate } from './scram-gate.js';

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
  /** `postgres://postgres@127.0.0.1:<port>/postgres`, advertised in the directory lock (without the password). */
  readonly serveUrl: string;
  close(): Promise<void>;
}

/** Where PGlite itself listens: a Unix socket in a new 0700 directory (a named pipe on Windows). */
function privateSocket(): { path: string; cleanup(): void } {
  if (process.platform === 'win32') return { path: `\\\\.\\pipe\\strata-pglite-${randomBytes(16).toString('hex')}`, cleanup: () => {} };
  const dir = mkdtempSync(join(tmpdir(), 'strata-pglite-')); // mkdtemp creates it 0700
  chmodSync(dir, 0o700);
  return { path: join(dir, '.s.PGSQL.5432'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The 127.0.0.1 port other processes connect to: each connection must first prove it knows the
 * secret (SCRAM-SHA-256, see `scram-gate.ts`); only then is it joined to PGlite's private socket.
 * `close()` stops listening and ends the connections it let through.
 */
function gatedListener(secret: string, inner: string): { server: Server; close(): Promise<void> } {
  const sockets = new Set<Socket>();
  const track = (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  };
  const server = createServer((client) => {
    track(client);
    client.on('error', () => client.destroy());
    void scramGate(client, secret).then((passed) => {
      if (!passed) return;
      const backend = connect(inner);
      track(backend);
      backend.on('close', () => client.destroy());
      backend.on('error', () => client.destroy());
      client.on('close', () => backend.destroy());
      backend.write(passed.startup);
      if (passed.rest.length) backend.write(passed.rest);
      client.pipe(backend);
      backend.pipe(client);
    });
  });
  return {
    server,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      if (!server.listening) return resolve();
      server.close(() => resolve());
    }),
  };
}

/**
 * Serves an embedded (PGlite) database to other Strata processes, and advertises it in the
 * directory lock, so that `strata migrate` (any `openDatabase('pglite:<dir>')`) in another
 * process connects through it instead of failing on the lock. Returns null for a server database
 * or an in-memory one.
 *
 * PGlite has no authentication, so it is not exposed as it is: it listens on a Unix socket in a
 * private (0700) directory, and the advertised 127.0.0.1 port lets a connection through only with
 * a random password (SCRAM-SHA-256) that is written nowhere but the lock file, which is mode 0600:
 * only Strata processes of the same user read it. A client without it is refused (28P01).
 *
 * @example
 * const shared = await shareEmbedded(db); const client = shared?.client ?? db; … await shared?.close();
 */
export async function shareEmbedded(db: DatabaseClient, options: { maxConnections?: number } = {}): Promise<SharedEmbedded | null> {
  const handle = embeddedHandle(db);
  if (!handle?.dirLock || handle.dataDir === null) return null;
  const socket = privateSocket();
  const server = new PGLiteSocketServer({
    // The socket package is typed against its own PGlite copy; it only uses the methods above.
    db: exclusiveExchanges(handle.pglite) as unknown as ConstructorParameters<typeof PGLiteSocketServer>[0]['db'],
    path: socket.path,
    maxConnections: options.maxConnections ?? 16,
  });
  const secret = randomBytes(32).toString('base64url');
  const gate = gatedListener(secret, socket.path);
  const stopAll = async () => {
    await gate.close();
    await server.stop();
    socket.cleanup();
  };
  try {
    await server.start();
    await new Promise<void>((resolve, reject) => {
      gate.server.once('error', reject);
      gate.server.listen(0, '127.0.0.1', () => {
        gate.server.off('error', reject);
        resolve();
      });
    });
  } catch (e) {
    await stopAll().catch(() => {});
    throw new StrataError('CONNECTION_FAILED', `could not serve the embedded database ${handle.dataDir}: ${(e as Error).message}`, { cause: e });
  }
  const port = (gate.server.address() as AddressInfo).port;
  const serveUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let client: DatabaseClient;
  try {
    const socketClient = await createPgClient(servedUrl(serveUrl, secret), {
      max: 1,
      displayUrl: `pglite:${handle.dataDir}`,
      capabilities: { multipleConnections: false, advisoryLocks: false, concurrentIndexes: false, copyFromStdin: false },
    });
    client = { ...socketClient, kind: 'pglite' };
  } catch (e) {
    await stopAll();
    throw e;
  }
  handle.dirLock.update({ serveUrl, serveSecret: secret });
  let closed = false;
  return {
    client,
    serveUrl,
    async close() {
      if (closed) return;
      closed = true;
      handle.dirLock?.update({ serveUrl: undefined, serveSecret: undefined });
      try {
        await client.close();
      } finally {
        await stopAll();
      }
    },
  };
}
