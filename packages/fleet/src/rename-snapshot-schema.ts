import type { Snapshot } from '@strata/model';
import { substituteSchema } from './substitute-schema.js';

/**
 * A snapshot with schema `from` renamed to `to` everywhere: the schema's key, every `schema`
 * field (foreign keys, sequences, enum types), and names inside expressions
 * (`nextval('acme.users_id_seq'::regclass)`). A tenant schema read from a database, renamed to
 * the managed schema, compares with the migrations' snapshots as a single database would
 * (`toOnSearchPath`: the managed schema is on the reading session's search_path, so its names in
 * expressions lose their qualifier).
 *
 * @example
 * renameSnapshotSchema(live, 'acme', 'tenant').schemas.tenant // the tables of "acme"
 */
export function renameSnapshotSchema(snapshot: Snapshot, from: string, to: string, options: { toOnSearchPath?: boolean } = {}): Snapshot {
  if (from === to) return snapshot;
  // Inside expressions, a name in `to` reads unqualified when `to` is on the search_path (as
  // `public` is): a single database's catalog spells `nextval('seq'::regclass)`, not `'public.seq'`.
  const inText = options.toOnSearchPath ? null : to;
  return rename(snapshot) as Snapshot;

  function rename(x: unknown): unknown {
    if (typeof x === 'string') return x === from ? to : x.includes(from) ? substituteSchema(x, from, inText) : x;
    if (Array.isArray(x)) return x.map(rename);
    if (x === null || typeof x !== 'object') return x;
    return Object.fromEntries(Object.entries(x).map(([k, val]) => [k === from ? to : k, rename(val)]));
  }
}
