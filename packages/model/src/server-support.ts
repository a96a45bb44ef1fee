import { StrataError } from '@strata/core';
import type { Snapshot } from './snapshot.js';

/**
 * A feature a snapshot uses that only newer PostgreSQL servers express, with the object using it.
 * Strata supports PostgreSQL 13 and newer; everything else it writes runs on all of them.
 */
export interface ServerFeatureUse {
  /** What the user wrote, in SQL terms: `NULLS NOT DISTINCT`, `security_invoker`, `multirange types`. */
  feature: string;
  /** The first major that has it, e.g. 15. */
  minMajor: number;
  /** Which object uses it: `unique constraint "t_a_key" on public.t`. */
  object: string;
}

/** The features that need a newer server than 13, and the major that brought each. */
export const SERVER_FEATURES = {
  nullsNotDistinct: { feature: 'NULLS NOT DISTINCT', minMajor: 15 },
  securityInvoker: { feature: 'the view option security_invoker', minMajor: 15 },
  multirange: { feature: 'multirange types', minMajor: 14 },
  virtualGenerated: { feature: 'VIRTUAL generated columns', minMajor: 18 },
  // Not in any snapshot: a statement `generate --url` chose for a newer server (see the diff's sqlFeaturesUsed).
  setExpression: { feature: 'ALTER COLUMN … SET EXPRESSION', minMajor: 17 },
} as const;

const MULTIRANGE_TYPES = new Set(['int4multirange', 'int8multirange', 'nummultirange', 'datemultirange', 'tsmultirange', 'tstzmultirange']);

const qualified = (schema: string, name: string) => `${schema}.${name}`;

/**
 * Every use in `snapshot` of a feature a server of `versionNum` (`server_version_num`, e.g.
 * 130023) cannot express. Empty when the server can build the whole snapshot.
 *
 * @example
 * featuresBeyondServer(snapshot, 130023); // [{ feature: 'NULLS NOT DISTINCT', minMajor: 15, object: 'unique constraint "u" on public.t' }]
 */
export function featuresBeyondServer(snapshot: Snapshot, versionNum: number): ServerFeatureUse[] {
  const major = Math.floor(versionNum / 10_000);
  const uses: ServerFeatureUse[] = [];
  const use = (f: { feature: string; minMajor: number }, object: string) => {
    if (major < f.minMajor) uses.push({ feature: f.feature, minMajor: f.minMajor, object });
  };
  for (const schema of Object.values(snapshot.schemas)) {
    for (const t of Object.values(schema.tables)) {
      const on = qualified(t.schema, t.name);
      for (const u of Object.values(t.uniques)) if (u.nullsNotDistinct) use(SERVER_FEATURES.nullsNotDistinct, `unique constraint "${u.name}" on ${on}`);
      for (const i of Object.values(t.indexes)) if (i.nullsNotDistinct) use(SERVER_FEATURES.nullsNotDistinct, `index "${i.name}" on ${on}`);
      for (const c of t.columns) {
        if (MULTIRANGE_TYPES.has(c.type)) use(SERVER_FEATURES.multirange, `column "${c.name}" (${c.type}) of ${on}`);
        if (c.generated?.virtual) use(SERVER_FEATURES.virtualGenerated, `column "${c.name}" of ${on}`);
      }
    }
    for (const v of Object.values(schema.views)) {
      if (v.with && 'security_invoker' in v.with) use(SERVER_FEATURES.securityInvoker, `view ${qualified(v.schema, v.name)}`);
    }
  }
  return uses;
}

/**
 * Stops with UNSUPPORTED_BY_SERVER, naming each feature, the object and the minimum version, when
 * the server cannot build `snapshot` — before any SQL runs, instead of a raw syntax error halfway.
 *
 * @example
 * assertServerCanExpress(code, await db.serverInfo(), 'push');
 */
export function assertServerCanExpress(
  snapshot: Snapshot,
  server: { versionNum: number; shortVersion?: string },
  what: string,
  /** Uses of features by the SQL itself (a migration's meta `serverFeatures`), checked the same way. */
  sqlUses: readonly ServerFeatureUse[] = [],
): void {
  const major = Math.floor(server.versionNum / 10_000);
  const sqlBeyond = sqlUses.filter((u) => major < u.minMajor);
  const uses = [...featuresBeyondServer(snapshot, server.versionNum), ...sqlBeyond];
  if (uses.length === 0) return;
  const version = server.shortVersion ?? String(major);
  const needs = Math.max(...uses.map((u) => u.minMajor));
  const first = uses[0]!;
  throw new StrataError(
    'UNSUPPORTED_BY_SERVER',
    `${what}: PostgreSQL ${version} cannot express ${first.feature} (PostgreSQL ${first.minMajor} or newer), used by ${first.object}`,
    {
      details: uses.map((u) => `${u.feature} needs PostgreSQL ${u.minMajor} or newer: ${u.object}`),
      hint: sqlBeyond.length > 0
        ? `Run it on PostgreSQL ${needs} or newer, or generate the migration again without --url (or with this server's URL): Strata then writes SQL every supported server runs.`
        : `Run it on PostgreSQL ${needs} or newer, or change the schema code so it does not use ${[...new Set(uses.map((u) => u.feature))].join(', ')}.`,
    },
  );
}
