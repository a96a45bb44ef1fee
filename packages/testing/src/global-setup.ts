import { ensurePgliteTemplate } from './pglite-template.js';
import { startPgServer, type PgServer } from './pg-server.js';

let server: PgServer | null = null;

/**
 * vitest global setup: a real PostgreSQL for the run (unless STRATA_TEST_PG_URL names one) and the
 * PGlite template directory. Real-server tests are never skipped: no server means a failed run.
 */
export async function setup(): Promise<void> {
  if (!process.env.STRATA_TEST_PGLITE_TEMPLATE) process.env.STRATA_TEST_PGLITE_TEMPLATE = await ensurePgliteTemplate();
  if (!process.env.STRATA_TEST_PG_URL) {
    server = await startPgServer();
    process.env.STRATA_TEST_PG_URL = server.url;
  }
}

export async function teardown(): Promise<void> {
  server?.stop();
  server = null;
}
