import { createRequire } from 'node:module';
import type pg from 'pg';
import type * as copyStreams from 'pg-copy-streams';

const require = createRequire(import.meta.url);

let driver: typeof pg | undefined;

/**
 * node-postgres, loaded the first time a server is opened: a command on an embedded database,
 * or one that opens none (`--help`, `generate`), never pays for it. The built package loads it
 * from one bundled file (src/pg-driver.cjs).
 *
 * On start-up pg asks whether it runs in a Cloudflare Worker: through `navigator.userAgent`,
 * which Node.js 21+ defines, else by constructing a fetch `Response`, which on Node.js 20 loads
 * Node's whole fetch implementation (tens of milliseconds of a short command's start). On 20 pg
 * is given, for its synchronous load only, the `navigator` a newer Node.js would have; nothing
 * else can run in between, and the global is removed again.
 *
 * @example
 * const pool = new (loadPg().Pool)({ connectionString: 'postgres://localhost/app' });
 */
export function loadPg(): typeof pg {
  if (driver) return driver;
  const g = globalThis as { navigator?: unknown };
  const shim = g.navigator === undefined;
  if (shim) Object.defineProperty(g, 'navigator', { value: { userAgent: `Node.js/${process.versions.node}` }, configurable: true, writable: true });
  try {
    // pg itself, bundled into one file by the build (src/pg-driver.cjs).
    driver = require('./pg-driver.cjs') as typeof pg;
  } finally {
    if (shim) delete g.navigator;
  }
  return driver;
}

/**
 * pg-copy-streams, loaded when a COPY first runs (backups, data copies), not by every command
 * that opens a server.
 *
 * @example
 * const stream = client.query(loadCopyStreams().to('COPY t TO STDOUT'));
 */
export function loadCopyStreams(): typeof copyStreams {
  return require('pg-copy-streams') as typeof copyStreams;
}
