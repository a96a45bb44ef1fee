import type { Queryable } from '@strata/db';
import { featuresBeyondServer, type Snapshot } from '@strata/schema';

/**
 * The `server_version_num` of the server a test runs on (e.g. 130023), for tests that build
 * features only newer servers have (the compatibility run gives them PostgreSQL 13 to 18).
 *
 * @example
 * if ((await serverVersionNum(db)) < 150000) …
 */
export async function serverVersionNum(client: Queryable): Promise<number> {
  const r = await client.query<{ v: string }>(`select current_setting('server_version_num') as v`);
  return Number(r.rows[0]!.v);
}

/**
 * A copy of a test fixture without what a server of `versionNum` cannot express: NULLS NOT
 * DISTINCT before 15 (the fixture's constraint or index is kept, as a plain unique), the view
 * option security_invoker before 15, VIRTUAL generated columns before 18 (kept as stored). Strata itself refuses such a schema on such a server
 * (`assertServerCanExpress`); this lets the rest of a fixture be tested there. Returns `snapshot`
 * itself when there is nothing to remove.
 *
 * @example
 * const code = snapshotForServer(fixture, await serverVersionNum(db));
 */
export function snapshotForServer(snapshot: Snapshot, versionNum: number): Snapshot {
  // Unchanged (the same object) when the server can build all of it.
  if (featuresBeyondServer(snapshot, versionNum).length === 0) return snapshot;
  const copy = structuredClone(snapshot);
  for (const schema of Object.values(copy.schemas)) {
    for (const t of Object.values(schema.tables)) {
      for (const u of Object.values(t.uniques)) u.nullsNotDistinct = false;
      for (const i of Object.values(t.indexes)) i.nullsNotDistinct = false;
      // before PostgreSQL 18 every generated column is stored
      for (const c of t.columns) if (c.generated?.virtual) delete c.generated.virtual;
    }
    for (const v of Object.values(schema.views)) {
      if (v.with && 'security_invoker' in v.with) {
        const { security_invoker: _dropped, ...rest } = v.with;
        v.with = rest;
        if (Object.keys(rest).length === 0) delete v.with;
      }
    }
  }
  return copy;
}
