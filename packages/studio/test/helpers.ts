import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DatabaseClient, BackendKind } from '@strata/db';
import { createReadOnlyLogin, createTestDatabase, type ReadOnlyLogin, type TestDatabase } from '@strata/testing';

export { createReadOnlyLogin, type ReadOnlyLogin };
import { shareEmbedded, startStudio, type SharedEmbedded, type Studio, type StudioOptions, type StudioProviders } from '@strata/studio';

const pkg = fileURLToPath(new URL('..', import.meta.url));
const root = fileURLToPath(new URL('../../..', import.meta.url));

/** Builds the page from the current sources into a temp directory (esbuild: a fraction of a second). */
export function buildPageForTest(): string {
  const dir = mkdtempSync(join(tmpdir(), 'strata-studio-page-'));
  execFileSync(process.execPath, [join(pkg, 'scripts', 'build-page.mjs'), dir], { stdio: 'inherit' });
  return dir;
}

/** The odd table's identifiers: quotes, a semicolon, a comment marker, capitals, a space, a reserved word. */
export const ODD_SCHEMA = 'Odd Schema';
export const ODD_TABLE = 'Select; --Table "x"';
export const ODD_KEY = 'Weird Col';

/** A schema with the shapes the studio must handle; 121 users (names `user 001`…`user 120`, and one with a `%`). */
export async function seed(db: DatabaseClient): Promise<void> {
  await db.exec(`
    create type public.mood as enum ('happy', 'sad', 'it''s complicated');
    create table public.users (
      id serial primary key,
      name text not null unique,
      active boolean not null default true,
      mood public.mood,
      meta jsonb,
      born date,
      score numeric(10,2)
    );
    insert into public.users (name, active, mood, meta, born, score)
      select 'user ' || lpad(g::text, 3, '0'), g % 2 = 0, (array['happy','sad'])[1 + g % 2]::public.mood,
             jsonb_build_object('n', g), date '2000-01-01' + g, g * 1.5
        from generate_series(1, 120) g;
    insert into public.users (name) values ('percent % sign');
    create table public.posts (
      id bigint generated always as identity primary key,
      user_id int not null references public.users(id),
      title text not null,
      title_length int generated always as (length(title)) stored
    );
    create index posts_user_id_index on public.posts (user_id);
    insert into public.posts (user_id, title) select 1 + g % 5, 'post ' || g from generate_series(1, 12) g;
    create table public.no_pk (a int, b text);
    insert into public.no_pk values (1, 'one'), (2, 'two'), (3, 'three');
    create view public.active_users as select id, name from public.users where active;
    create schema "Odd Schema";
    create table "Odd Schema"."Select; --Table ""x""" ("Weird Col" int primary key, "select" text check ("select" <> 'forbidden'));
    insert into "Odd Schema"."Select; --Table ""x""" values (1, 'first');
  `);
}

/** A studio on one backend, started the way the CLI starts it (an embedded database is shared first). */
export interface StudioFixture {
  backend: BackendKind;
  tdb: TestDatabase;
  /** The client the studio uses (for PGlite: through the socket, like every other process). */
  client: DatabaseClient;
  shared: SharedEmbedded | null;
  studio: Studio;
  /** The read-only console's login (server only). */
  login: ReadOnlyLogin | null;
  base: string;
  close(): Promise<void>;
}

export async function startFixture(
  backend: BackendKind,
  options: { pageDir: string; providers?: StudioProviders; seed?: boolean; login?: 'read-only' | 'none' | 'superuser' }
    & Pick<StudioOptions, 'readOnly' | 'consoleLimits'>,
): Promise<StudioFixture> {
  const tdb = await createTestDatabase(backend);
  const db = await tdb.client();
  if (options.seed !== false) await seed(db);
  const shared = await shareEmbedded(db);
  const client = shared?.client ?? db;
  // On a server the read-only console needs an unprivileged login (the tests connect as a superuser).
  const login = backend === 'postgres' && (options.login ?? 'read-only') === 'read-only' ? await createReadOnlyLogin(tdb.url) : null;
  const studio = await startStudio({
    client, port: 0, pageDir: options.pageDir, providers: options.providers, readOnly: options.readOnly, consoleLimits: options.consoleLimits,
    clientUrl: backend === 'postgres' ? tdb.url : undefined,
    readOnlyUrl: login?.url ?? (options.login === 'superuser' ? tdb.url : undefined),
  });
  return {
    backend, tdb, client, shared, studio, login,
    base: `http://127.0.0.1:${studio.port}`,
    async close() {
      await studio.close();
      await shared?.close();
      await tdb.dispose();
      await login?.drop();
    },
  };
}

/** Calls the studio's API with its token, as the page does (but with a bearer header). */
export async function api<T = unknown>(f: StudioFixture, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${f.base}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${f.studio.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}

/**
 * Runs `test/fixtures/second-process.ts` in another Node process (through tsx, on the sources):
 * it opens the database with `openDatabase(url)`, as `strata migrate` would, runs `sql`, and
 * prints what it saw as JSON.
 */
export function secondProcess(url: string, sql: string): Promise<{ code: number; out: { displayUrl: string; rows: unknown[] } | null; stderr: string }> {
  const tsx = createRequire(import.meta.url).resolve('tsx/cli');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tsx, '--tsconfig', join(root, 'tsconfig.json'), join(pkg, 'test', 'fixtures', 'second-process.ts'), url, sql], {
      cwd: root, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`second process timed out: ${stderr}`)); }, 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      let out = null;
      try { out = JSON.parse(stdout); } catch { /* reported through code and stderr */ }
      resolve({ code: code ?? 1, out, stderr });
    });
  });
}
