import { introspect, normalizeSnapshot, settleAgainst, tablesFilter, type DatabaseClient, type Queryable, type Session } from '@strata/db';
import { createSnapshotSql } from '@strata/diff';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ensureIgnoredDir } from '@strata/core';
import { parseSnapshot, type Snapshot } from '@strata/schema';
import type { ResolvedConfig } from './resolved-config.js';
import { VERSION } from './version.js';

/**
 * The schemas Strata manages: the config's `schemas`, else those the schema code declares, and
 * `public`. Objects anywhere else are never read for a diff, altered or dropped.
 *
 * @example
 * managedSchemas(config, code) // => ['auth', 'public']
 */
export function managedSchemas(config: ResolvedConfig, code?: Snapshot): string[] {
  if (config.schemas && config.schemas.length > 0) return [...config.schemas].sort();
  return [...new Set(['public', ...Object.keys(code?.schemas ?? {})])].sort();
}

/**
 * A snapshot limited to the managed schemas and the config's `tablesFilter` (tables and views).
 * A managed schema the snapshot lacks stays absent: padding it would make a database that lacks a
 * schema look as if it had it (no `CREATE SCHEMA` from push, no drift from check).
 *
 * @example
 * limitSnapshot(code, ['public'], ['!audit_*']) // => code without other schemas and audit_* tables
 */
export function limitSnapshot(snapshot: Snapshot, schemas: readonly string[], filter: readonly string[] | undefined): Snapshot {
  const keep = tablesFilter(filter);
  const out: Snapshot = { ...snapshot, schemas: {} };
  for (const name of schemas) {
    const s = snapshot.schemas[name];
    if (!s) continue;
    out.schemas[name] = {
      ...s,
      tables: Object.fromEntries(Object.entries(s.tables).filter(([t]) => keep(name, t))),
      views: Object.fromEntries(Object.entries(s.views).filter(([v]) => keep(name, v))),
    };
  }
  return out;
}

/**
 * The SQL that builds a snapshot, for normalisation on the target server.
 *
 * @example
 * buildSql(code) // => ['CREATE TABLE "public"."users" (…)', …]
 */
export const buildSql = (s: Snapshot): string[] => createSnapshotSql(s).map((st) => st.sql);

/**
 * A snapshot without the objects the config's `ownedBySql` globs name (tables, views, enums,
 * sequences): custom migrations own them, so comparisons and drops leave them alone.
 *
 * @example
 * withoutOwned(live, ['public.audit_*']) // => live without public.audit_log
 */
export function withoutOwned(snapshot: Snapshot, ownedBySql: readonly string[] | undefined): Snapshot {
  if (!ownedBySql || ownedBySql.length === 0) return snapshot;
  const owned = tablesFilter(ownedBySql);
  const keep = <T>(schema: string, r: Record<string, T>) => Object.fromEntries(Object.entries(r).filter(([name]) => !owned(schema, name)));
  const schemas: Snapshot['schemas'] = {};
  for (const [name, s] of Object.entries(snapshot.schemas)) {
    schemas[name] = { ...s, tables: keep(name, s.tables), views: keep(name, s.views), enums: keep(name, s.enums), sequences: keep(name, s.sequences) };
  }
  return { ...snapshot, schemas };
}

/**
 * The live database's managed part, as a snapshot (the history schema left out).
 *
 * @example
 * const live = await liveSnapshot(db, config, managedSchemas(config, code));
 */
export async function liveSnapshot(db: Queryable, config: ResolvedConfig, schemas: readonly string[]): Promise<Snapshot> {
  const live = await introspect(db, { schemas: [...schemas], tablesFilter: config.tablesFilter, excludeSchemas: [config.history.schema], extensionSchemasOnPath: true });
  return withoutOwned(limitSnapshot(live, schemas, config.tablesFilter), config.ownedBySql);
}

/**
 * A code snapshot as the target server spells it (expressions, types), limited like the live one.
 * `live` (the target database, read by `liveSnapshot`) settles every object it proves already
 * spelled, so a database that matches the code costs no build at all. Building the rest on the
 * server takes a while for big schemas, and the answer depends only on the snapshot and the
 * server's version, so it is kept in `.strata/cache/` beside the config.
 *
 * @example
 * const target = await serverSpelled(db, code, config, schemas, await liveSnapshot(db, config, schemas));
 */
export async function serverSpelled(db: DatabaseClient | Session, snapshot: Snapshot, config: ResolvedConfig, schemas: readonly string[], live?: Snapshot): Promise<Snapshot> {
  const limited = withoutOwned(limitSnapshot(snapshot, schemas, config.tablesFilter), config.ownedBySql);
  const settled = live ? settleAgainst(limited, live) : undefined;
  if (settled?.closed) return settled.snapshot;
  // A few open tables build in moments; hashing and writing a cache entry of the whole snapshot
  // would cost more.
  if (settled && !settled.wholeBuild) return limitSnapshot(await normalizeSnapshot(db, limited, { buildSql, settled }), schemas, config.tablesFilter);
  const version = (await db.query<{ v: string }>('select version() as v')).rows[0]?.v ?? '';
  // Plain JSON, not canonical: the order of an index's or view's WITH options is kept (the server
  // keeps reloptions as given), which sorted keys would lose on a cache hit. The same code always
  // serialises in the same order, so the key stays stable.
  const key = createHash('sha256').update(SPELLED_CACHE_FORMAT).update(VERSION).update('\0').update(version).update('\0').update(JSON.stringify(limited)).digest('hex');
  const file = join(config.dir, '.strata', 'cache', `spelled-${key.slice(0, 32)}.json`);
  if (existsSync(file)) {
    try {
      return parseSnapshot(JSON.parse(readFileSync(file, 'utf8')), file);
    } catch {
      // A damaged cache entry is only a cache miss.
    }
  }
  const spelled = limitSnapshot(await normalizeSnapshot(db, limited, { buildSql, ...(settled ? { settled } : {}) }), schemas, config.tablesFilter);
  try {
    ensureIgnoredDir(join(config.dir, '.strata'), 'embedded databases, locks and caches');
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(`${file}.${process.pid}.tmp`, JSON.stringify(spelled));
    renameSync(`${file}.${process.pid}.tmp`, file);
  } catch {
    // A read-only project still works, only slower.
  }
  return spelled;
}

/** Bump when the normalisation changes, so old cache entries are not used. */
const SPELLED_CACHE_FORMAT = 'strata-spelled-3';
