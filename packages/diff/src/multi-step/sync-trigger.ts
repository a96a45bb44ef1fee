import { BACKFILL_APPLICATION_NAME, quoteIdent, quoteLiteral } from '@strata/core';
import { q } from '../sql/ddl.js';
import { doBlock } from '../sql/guards.js';
import type { ObjectRef, Statement } from '../types.js';
import { helperName } from './helper-names.js';

/** One pair of columns a sync trigger keeps equal, with the SQL that converts a value each way (`$1` stands for the value). */
export interface SyncPair {
  /** The old code's column. */
  from: string;
  /** The new code's column. */
  to: string;
  /** `to` from `from`: `$1` for a rename, `($1)::bigint` for a type change. */
  toFromSql: string;
  /** `from` from `to`. */
  fromFromSql: string;
}

/**
 * `strata_sync_<table>`: the name of a table's sync trigger and of its function (a long table name
 * is cut and tagged, see `helperName`: two tables of one schema never share a function).
 *
 * @example
 * syncTriggerName({ schema: 'public', name: 'users' }) // => 'strata_sync_users'
 */
export function syncTriggerName(table: ObjectRef): string {
  return helperName('strata_sync_', [table.schema, table.name], 1);
}

const fnName = (table: ObjectRef) => `${quoteIdent(table.schema)}.${quoteIdent(syncTriggerName(table))}`;
const conv = (sql: string, value: string) => sql.split('$1').join(value);

/**
 * The function of a table's one BEFORE INSERT OR UPDATE trigger that keeps each pair of columns in
 * sync, for rows written by either version of the code (and by COPY, which fires row triggers).
 * `relaxed` says which column of the pairs the window left nullable without a default: on INSERT, a
 * value in it was written on purpose and wins; NULL there means the writer did not know it, so it is
 * filled from the other. On UPDATE, the column whose value changed wins; when both changed, the new
 * code's column (`to`) wins; a row touched with the relaxed column still empty (the backfill) is filled.
 * Assigning to NEW never fires another trigger, so there is no ping-pong.
 *
 * @example
 * syncFunctionSql({ schema: 'public', name: 'users' }, [{ from: 'name', to: 'full_name', toFromSql: '$1', fromFromSql: '$1' }], 'to')
 */
export function syncFunctionSql(table: ObjectRef, pairs: readonly SyncPair[], relaxed: 'from' | 'to'): string {
  const body = pairs.map((p) => {
    const f = `NEW.${quoteIdent(p.from)}`;
    const t = `NEW.${quoteIdent(p.to)}`;
    const of = `OLD.${quoteIdent(p.from)}`;
    const ot = `OLD.${quoteIdent(p.to)}`;
    const setTo = `${t} := ${conv(p.toFromSql, f)};`;
    const setFrom = `${f} := ${conv(p.fromFromSql, t)};`;
    const [r, fillRelaxed, fillWhole] = relaxed === 'to' ? [t, setTo, setFrom] : [f, setFrom, setTo];
    return `  -- ${p.from} <-> ${p.to}\n` +
      `  IF TG_OP = 'INSERT' THEN\n` +
      `    IF ${r} IS NULL THEN ${fillRelaxed} ELSE ${fillWhole} END IF;\n` +
      `  ELSIF ${t} IS DISTINCT FROM ${ot} THEN\n    ${setFrom}\n` +
      `  ELSIF ${f} IS DISTINCT FROM ${of} THEN\n    ${setTo}\n` +
      `  ELSIF ${r} IS NULL AND ${relaxed === 'to' ? f : t} IS NOT NULL THEN\n    ${fillRelaxed}\n` +
      `  END IF;`;
  }).join('\n');
  const tag = body.includes('$strata$') ? '$strata_sync$' : '$strata$';
  return `CREATE OR REPLACE FUNCTION ${fnName(table)}() RETURNS trigger LANGUAGE plpgsql AS ${tag}\nBEGIN\n${body}\n  RETURN NEW;\nEND\n${tag}`;
}

/** `CREATE TRIGGER` for the function above: BEFORE INSERT OR UPDATE, FOR EACH ROW. */
export function createSyncTriggerSql(table: ObjectRef): string {
  return `CREATE TRIGGER ${quoteIdent(syncTriggerName(table))} BEFORE INSERT OR UPDATE ON ${q(table)} FOR EACH ROW EXECUTE FUNCTION ${fnName(table)}()`;
}

export function dropSyncTriggerSql(table: ObjectRef): string[] {
  return [`DROP TRIGGER IF EXISTS ${quoteIdent(syncTriggerName(table))} ON ${q(table)}`, `DROP FUNCTION IF EXISTS ${fnName(table)}()`];
}

/** The drops above as statements, the function's with the `strata lint` ignore it needs (no application code calls it). */
export function dropSyncTriggerStatements(table: ObjectRef): Statement[] {
  const [trigger, fn] = dropSyncTriggerSql(table);
  return [
    { sql: trigger!, hazards: [], transactional: true },
    { sql: fn!, hazards: [], transactional: true, comment: 'strata:ignore drop-object the sync function of a multi-step change: only its trigger used it' },
  ];
}

/**
 * Fills `target` from `source` for the rows that existed before the sync trigger, in batches of
 * table pages committed one by one (row locks held briefly, no table lock), resumable: a rerun skips
 * rows already filled. Outside a transaction (COMMIT in a DO block needs that). While it runs, the
 * session's `application_name` is `strata backfill <n>% <table oid>` (what `strata status` reads).
 *
 * @example
 * copyInBatches({ schema: 'public', name: 'users' }, 'full_name', '"name"')
 */
export function copyInBatches(table: ObjectRef, target: string, sourceSql: string, guardSql: string | null = null, pagesPerBatch = 200): string {
  const t = quoteIdent(target);
  const rel = quoteLiteral(q(table));
  return doBlock(
    `#variable_conflict use_column\nDECLARE\n  strata_lo bigint := 0;\n  strata_pages bigint := pg_relation_size(${rel}::regclass) / current_setting('block_size')::bigint;\n` +
      `  strata_app text := current_setting('application_name');\n  strata_rel text := ${rel}::regclass::oid::text;\nBEGIN\n` +
      (guardSql ? `${guardSql}\n` : '') +
      `  PERFORM set_config('application_name', ${quoteLiteral(`${BACKFILL_APPLICATION_NAME} `)} || '0% ' || strata_rel, false);\n` +
      `  WHILE strata_lo < strata_pages LOOP\n` +
      `    UPDATE ${q(table)} SET ${t} = ${sourceSql} WHERE ctid >= format('(%s,0)', strata_lo)::tid AND ctid < format('(%s,0)', strata_lo + ${pagesPerBatch})::tid AND ${t} IS NULL AND ${sourceSql} IS NOT NULL;\n` +
      `    COMMIT;\n    strata_lo := strata_lo + ${pagesPerBatch};\n` +
      `    PERFORM set_config('application_name', ${quoteLiteral(`${BACKFILL_APPLICATION_NAME} `)} || least(99, strata_lo * 100 / greatest(strata_pages, 1))::text || '% ' || strata_rel, false);\n` +
      `  END LOOP;\n  PERFORM set_config('application_name', strata_app, false);\nEND`,
  );
}
