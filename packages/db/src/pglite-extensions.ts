import type { Extension } from '@electric-sql/pglite';
import { StrataError } from '@strata/core';

/**
 * The extensions PGlite ships (pgvector as `@electric-sql/pglite-pgvector`, the rest as
 * `@electric-sql/pglite/contrib/<name>`), by the name `CREATE EXTENSION` takes. PGlite needs each
 * one registered when the instance is created; none is loaded unless a database uses it, so a
 * project without extensions starts as fast as before. Left out: pg_stat_statements (registering
 * it writes shared_preload_libraries into the directory's postgresql.conf, after which the
 * directory no longer opens without it) and auto_explain (no extension to create).
 */
export const PGLITE_BUNDLED_EXTENSIONS: readonly string[] = [
  'vector', 'amcheck', 'bloom', 'btree_gin', 'btree_gist', 'citext', 'cube', 'dict_int', 'dict_xsyn',
  'earthdistance', 'file_fdw', 'fuzzystrmatch', 'hstore', 'intarray', 'isn', 'lo', 'ltree', 'moddatetime',
  'pageinspect', 'pg_buffercache', 'pg_freespacemap', 'pg_surgery', 'pg_trgm', 'pg_visibility',
  'pg_walinspect', 'pgcrypto', 'seg', 'tablefunc', 'tcn', 'tsm_system_rows', 'tsm_system_time',
  'unaccent', 'uuid-ossp',
];

/** Extensions that exist in every PostgreSQL (nothing to register). */
const BUILT_IN = new Set(['plpgsql']);

/**
 * True when PGlite ships `name` (so it can be registered).
 *
 * @example
 * isBundledPgliteExtension('vector') // => true
 * isBundledPgliteExtension('postgis') // => false
 */
export function isBundledPgliteExtension(name: string): boolean {
  return PGLITE_BUNDLED_EXTENSIONS.includes(name);
}

/**
 * Loads the PGlite extension modules for `names` (built-in ones such as plpgsql are skipped), as
 * `PGlite.create`'s `extensions` option takes them. A name PGlite does not ship is an
 * EXTENSION_UNAVAILABLE error naming it and the ones it does.
 *
 * @example
 * await PGlite.create(dir, { extensions: await loadPgliteExtensions(['vector']) });
 */
export async function loadPgliteExtensions(names: Iterable<string>): Promise<Record<string, Extension>> {
  const out: Record<string, Extension> = {};
  for (const name of new Set(names)) {
    if (BUILT_IN.has(name)) continue;
    if (!isBundledPgliteExtension(name)) throw unavailableOnPglite(name);
    const mod = (name === 'vector'
      ? await import('@electric-sql/pglite-pgvector')
      : await import(`@electric-sql/pglite/contrib/${name.replace(/-/g, '_')}`)) as Record<string, Extension>;
    const ext = mod[name.replace(/-/g, '_')];
    if (!ext) throw new StrataError('INTERNAL', `the PGlite module for extension "${name}" exports no extension of that name`);
    out[name] = ext;
  }
  return out;
}

/**
 * The error for an extension embedded PGlite cannot provide: what, and what to do instead.
 *
 * @example
 * throw unavailableOnPglite('postgis');
 */
function unavailableOnPglite(name: string): StrataError {
  return new StrataError('EXTENSION_UNAVAILABLE', `the embedded database (PGlite) has no extension "${name}"`, { hint: unavailableOnPgliteHint(name) });
}

/** What to do about an extension PGlite does not ship (for its error's hint). */
export function unavailableOnPgliteHint(name: string): string {
  return `PGlite ships only ${PGLITE_BUNDLED_EXTENSIONS.join(', ')}. Run this project on a PostgreSQL server that has "${name}" installed (--url postgres://…, or DATABASE_URL / the config's dbUrl).`;
}

// CREATE EXTENSION [IF NOT EXISTS] name — name bare or double-quoted, comments and strings aside.
const CREATE_EXTENSION = /\bcreate\s+extension\s+(?:if\s+not\s+exists\s+)?("(?:[^"]|"")+"|[a-z_][a-z0-9_$]*)/gi;

/**
 * The extension names `CREATE EXTENSION` statements in `sql` create, in order, without repeats
 * (bare names folded to lower case as PostgreSQL does; line and block comments skipped).
 *
 * @example
 * extensionsCreatedBy('CREATE EXTENSION IF NOT EXISTS vector;\nCREATE EXTENSION "uuid-ossp";') // => ['vector', 'uuid-ossp']
 */
export function extensionsCreatedBy(sql: string): string[] {
  if (!/create\s+extension/i.test(sql)) return [];
  const text = sql.replace(/--[^\n]*/g, ' ').replace(/\/\*[\s\S]*?\*\//g, ' ');
  const names: string[] = [];
  for (const m of text.matchAll(CREATE_EXTENSION)) {
    const raw = m[1]!;
    const name = raw.startsWith('"') ? raw.slice(1, -1).replace(/""/g, '"') : raw.toLowerCase();
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

/**
 * The extensions PGlite ships that migrations with these up SQL texts create, without repeats:
 * what an embedded database replaying or applying them must register. One PGlite does not ship is
 * left out: its migration fails where it creates it, saying what to do instead.
 *
 * @example
 * bundledExtensionsCreatedBy(['CREATE EXTENSION vector;', 'CREATE EXTENSION postgis;']) // => ['vector']
 */
export function bundledExtensionsCreatedBy(sqls: Iterable<string>): string[] {
  const names = new Set<string>();
  for (const sql of sqls) for (const name of extensionsCreatedBy(sql)) if (isBundledPgliteExtension(name)) names.add(name);
  return [...names];
}
