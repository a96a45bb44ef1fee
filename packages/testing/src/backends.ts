import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe } from 'vitest';
import { createPgClient, createPgliteClient, type BackendKind, type DatabaseClient } from '@strata/db';
import { copyPgliteTemplate, ensurePgliteTemplate } from './pglite-template.js';

const ALL_BACKENDS: readonly BackendKind[] = ['pglite', 'postgres'];

/**
 * The backends `describeBackends` declares tests for: both, unless `STRATA_TEST_BACKENDS` narrows
 * them. Only the compatibility run narrows (to `postgres`, once per server major): the PGlite half
 * of those files already ran in the quick lane, and running it again per major proves nothing new.
 */
function chosenBackends(): readonly BackendKind[] {
  const env = process.env.STRATA_TEST_BACKENDS;
  if (!env) return ALL_BACKENDS;
  const chosen = env.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = chosen.filter((b) => !ALL_BACKENDS.includes(b as BackendKind));
  if (unknown.length > 0 || chosen.length === 0) {
    throw new Error(`STRATA_TEST_BACKENDS=${env}: expected a comma-separated list of ${ALL_BACKENDS.join(', ')}`);
  }
  return chosen as BackendKind[];
}

export const BACKENDS: readonly BackendKind[] = chosenBackends();

/** A database of its own for one test. */
export interface TestDatabase {
  backend: BackendKind;
  /** A Strata URL for it (`pglite:<dir>` or `postgres://…`), e.g. to pass to the CLI with --url. */
  url: string;
  /** Opens (once) and returns a client on it. Close it with `closeClient()` before a CLI process opens a PGlite directory. */
  client(): Promise<DatabaseClient>;
  closeClient(): Promise<void>;
  /** Closes the client and removes the database. */
  dispose(): Promise<void>;
}

function serverUrl(): string {
  const url = process.env.STRATA_TEST_PG_URL;
  if (!url) throw new Error('STRATA_TEST_PG_URL is not set: run the tests through vitest (its global setup starts PostgreSQL) or npm test');
  return url;
}

let admin: Promise<DatabaseClient> | null = null;
function adminClient(): Promise<DatabaseClient> {
  admin ??= createPgClient(serverUrl(), { max: 2 });
  return admin;
}

/**
 * Creates a fresh, empty database on one backend: a new database on the real server, or a copy of
 * an initialised PGlite directory (opening one takes ~0.3 s, a new PGlite ~3 s).
 *
 * @example
 * const db = await createTestDatabase('postgres'); const c = await db.client(); … await db.dispose();
 */
export async function createTestDatabase(backend: BackendKind): Promise<TestDatabase> {
  let client: DatabaseClient | null = null;
  let url: string;
  let drop: () => Promise<void>;
  if (backend === 'pglite') {
    const template = process.env.STRATA_TEST_PGLITE_TEMPLATE ?? (await ensurePgliteTemplate());
    const dir = copyPgliteTemplate(template);
    url = `pglite:${dir}`;
    drop = async () => rmSync(dirname(dir), { recursive: true, force: true });
  } else {
    const name = `strata_t_${randomBytes(6).toString('hex')}`;
    const a = await adminClient();
    await a.exec(`CREATE DATABASE "${name}" TEMPLATE template0`);
    const u = new URL(serverUrl());
    u.pathname = `/${name}`;
    url = u.toString();
    drop = async () => {
      await a.exec(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    };
  }
  const open = async () => (backend === 'pglite' ? createPgliteClient(url.slice('pglite:'.length)) : createPgClient(url));
  const db: TestDatabase = {
    backend,
    url,
    async client() {
      client ??= await open();
      return client;
    },
    async closeClient() {
      const c = client;
      client = null;
      await c?.close();
    },
    async dispose() {
      await db.closeClient();
      await drop();
    },
  };
  return db;
}

/**
 * Declares the same tests once per backend (PGlite and a real PostgreSQL server).
 *
 * @example
 * describeBackends('quoting', (backend) => { it('works', async () => { const db = await createTestDatabase(backend); … }) });
 */
export function describeBackends(name: string, fn: (backend: BackendKind) => void): void {
  for (const backend of BACKENDS) describe(`${name} [${backend}]`, () => fn(backend));
}
