import { qualify, quoteIdent, quoteLiteral } from '@strata/core';
import type { Column, Snapshot } from '@strata/schema';
import { castSql, isSafeWidening, typeSql } from '../column-type.js';
import { q } from '../sql/ddl.js';
import { comparesByValue, doBlock } from '../sql/guards.js';
import type { MigrationPart, ObjectRef, Statement } from '../types.js';
import { helperName } from './helper-names.js';

/** What the guard of a type change needs to know of one swapped column. */
export interface GuardedColumn {
  table: ObjectRef;
  /** The column as the old side declares it. */
  from: Column;
  /** The column as the new side declares it (same name). */
  to: Column;
}

/** How many offending rows a guard names (it counts them all). */
const EXAMPLES = 3;
/** Longest value text a guard shows. */
const SHOWN = 40;

const st = (sql: string, comment?: string): Statement => ({ sql, hazards: [], transactional: true, ...(comment ? { comment } : {}) });
const where = (c: GuardedColumn) => `column ${quoteIdent(c.to.name)} of table ${q(c.table)}`;
const types = (c: GuardedColumn) => `from ${typeSql(c.from, { base: true })} to ${typeSql(c.to, { base: true })}`;

/** Whether some value of the old type may be refused or changed by the new one (text → varchar(50), text → integer, text → an enum…). */
function needsGuard(c: GuardedColumn): boolean {
  return !isSafeWidening(c.from, c.to);
}

/** `strata_fit_<table>_<column>` (cut and tagged when long, see `helperName`): the function that converts a value to the new type, or fails loudly. */
function fitFunctionName(c: GuardedColumn): string {
  return helperName('strata_fit_', [c.table.schema, c.table.name, c.to.name], 1);
}
const fitFn = (c: GuardedColumn) => `${quoteIdent(c.table.schema)}.${quoteIdent(fitFunctionName(c))}`;

/**
 * SQL that converts `value` (of the old type) to the new type. For a change that may not fit, a
 * call of the column's fit function, which refuses (rather than truncates or rounds) a value that
 * does not convert unchanged; otherwise the plain cast.
 *
 * @example
 * fitSql('NEW."code"', { table, from: textColumn, to: varchar50Column }) // => '"public"."strata_fit_items_code"(NEW."code")'
 */
export function fitSql(value: string, c: GuardedColumn): string {
  return needsGuard(c) ? `${fitFn(c)}(${value})` : castSql(value, c.from, c.to);
}

const STRINGS = new Set(['text', 'character varying', 'character', 'bpchar']);
const untyped = (c: Column) => c.type.replace(/\s*\([\d,\s]*\)/g, '');
const isString = (c: Column) => c.typeSchema === undefined && STRINGS.has(untyped(c));

/**
 * `v` does not survive the conversion (`converted`: `v` cast to the new type; a cast that fails
 * throws). From a string to another string type, or between non-string types: converted back, it
 * differs from `v` (a truncated string, a rounded number), compared in the old type where it has a
 * value equality, by text otherwise. From a string to a non-string type, the text form is only
 * input (`'A0EE…'` is the uuid `a0ee…`, `'2024-1-5'` the date 2024-01-05): what counts is a cast
 * that fails, or that rounds to the type's modifier (`'1.25'` into `numeric(5,1)`: compared with
 * the cast to `numeric`).
 */
function changedSql(v: string, c: GuardedColumn, converted = castSql(v, c.from, c.to)): string {
  if (isString(c.from) && !isString(c.to)) {
    const loose = { ...c.to, type: untyped(c.to) };
    if (loose.type !== c.to.type && comparesByValue(loose)) return `(${converted}) IS DISTINCT FROM (${castSql(v, c.from, loose)})`;
    return `(${converted}) IS NULL`;
  }
  const back = castSql(converted, c.to, c.from);
  return comparesByValue(c.from) ? `(${back}) IS DISTINCT FROM ${v}` : `(${back})::text IS DISTINCT FROM (${v})::text`;
}

/**
 * The fit function: converts a value of the old type to the new type, and raises (SQLSTATE 23514,
 * check_violation, naming the table, the column, the value and both types) when the cast fails or
 * changes the value. The sync trigger and the backfill convert through it, so a write by the old
 * code that does not fit the new type fails loudly instead of being truncated.
 *
 * @example
 * fitFunctionSql({ table: { schema: 'public', name: 'items' }, from, to })
 */
function fitFunctionSql(c: GuardedColumn): string {
  const fail = (why: string) =>
    `RAISE EXCEPTION USING ERRCODE = 'check_violation', MESSAGE = ${quoteLiteral('strata: ')} || quote_literal(left(strata_v::text, ${SHOWN})) || ${quoteLiteral(` does not fit ${where(c)}: it ${why} (the column changes ${types(c)} in a multi-step change)`)}, ` +
    `HINT = ${quoteLiteral(`Write a value that fits ${typeSql(c.to, { base: true })}: the column takes that type when the contract migration runs.`)};`;
  const target = typeSql(c.to, { base: true });
  const body =
    `DECLARE\n  strata_r ${target};\nBEGIN\n  IF strata_v IS NULL THEN\n    RETURN NULL;\n  END IF;\n` +
    `  BEGIN\n    strata_r := ${castSql('strata_v', c.from, c.to)};\n  EXCEPTION WHEN others THEN\n    ${fail('is not a valid value of the new type')}\n  END;\n` +
    `  IF ${changedSql('strata_v', c, 'strata_r')} THEN\n    ${fail('would be changed by the conversion (truncated or rounded)')}\n  END IF;\n  RETURN strata_r;\nEND`;
  const tag = body.includes('$strata$') ? '$strata_fit$' : '$strata$';
  return `CREATE OR REPLACE FUNCTION ${fitFn(c)}(strata_v ${typeSql(c.from, { base: true })}) RETURNS ${target} LANGUAGE plpgsql AS ${tag}\n${body}\n${tag}`;
}

function dropFitFunctionStatement(c: GuardedColumn): Statement {
  return { ...st(`DROP FUNCTION IF EXISTS ${fitFn(c)}(${typeSql(c.from, { base: true })})`), comment: 'strata:ignore drop-object the fit function of a multi-step type change: only its sync trigger and backfill used it' };
}

/** A row's key as text for a guard's examples: `"id"=4`, or its ctid for a table without a primary key (`snapshot`: the old side, where the guard runs). */
function keySql(c: GuardedColumn, snapshot: Snapshot, alias: string): string {
  const pk = snapshot.schemas[c.table.schema]?.tables[c.table.name]?.primaryKey?.columns ?? [];
  if (pk.length === 0) return `'ctid ' || ${alias}.ctid::text`;
  return pk.map((k) => `${quoteLiteral(`${quoteIdent(k)}=`)} || coalesce(${alias}.${quoteIdent(k)}::text, 'NULL')`).join(` || ', ' || `);
}

/**
 * Whether `v` fits the new type, as SQL that never fails: for an enum, membership in its values as
 * the new side declares them (the type may not exist yet when the guard runs); null when only a
 * cast can tell (the guard then casts, row by row if the cast throws).
 */
function fitsByList(c: GuardedColumn, next: Snapshot, v: string): string | null {
  if (c.to.typeSchema === undefined || c.to.dimensions > 0) return null;
  const e = next.schemas[c.to.typeSchema]?.enums?.[c.to.type];
  if (!e) return null;
  return `(${v})::text = ANY (ARRAY[${e.values.map(quoteLiteral).join(', ')}]::text[])`;
}

/**
 * The guard of a type change that may not fit: counts the rows whose value the new type refuses
 * or changes, and raises (naming the table, the column, both types, how many rows and a few keys
 * and values, and what to do) before anything is changed. Set-based; when the cast itself throws,
 * the rows are tried one by one to count and name them.
 *
 * @example
 * typeGuardSql({ table, from: textColumn, to: varchar50Column }, prev, next)
 */
function typeGuardSql(c: GuardedColumn, prev: Snapshot, next: Snapshot): string {
  const col = `strata_t.${quoteIdent(c.from.name)}`;
  const src = `(SELECT ${keySql(c, prev, 'strata_t')} AS strata_k, ${col} AS strata_v FROM ${q(c.table)} AS strata_t WHERE ${col} IS NOT NULL) AS strata_s`;
  const byList = fitsByList(c, next, 'strata_s.strata_v');
  const bad = byList ? `NOT (${byList})` : changedSql('strata_s.strata_v', c);
  const example = `strata_s.strata_k || ': ' || quote_literal(left(strata_s.strata_v::text, ${SHOWN}))`;
  const rowBad = byList ? `NOT (${fitsByList(c, next, 'strata_row.strata_v')})` : changedSql('strata_row.strata_v', c);
  const count = `    FOR strata_row IN SELECT strata_s.strata_k, strata_s.strata_v FROM ${src} LOOP\n` +
    `      BEGIN\n        strata_bad := ${rowBad};\n      EXCEPTION WHEN others THEN\n        strata_bad := true;\n      END;\n` +
    `      IF strata_bad THEN\n        strata_n := strata_n + 1;\n        IF strata_n <= ${EXAMPLES} THEN\n          strata_ex := strata_ex || (strata_row.strata_k || ': ' || quote_literal(left(strata_row.strata_v::text, ${SHOWN})));\n        END IF;\n      END IF;\n    END LOOP;\n`;
  const message = `${quoteLiteral(`strata: cannot change ${where(c)} ${types(c)}: `)} || strata_n || ${quoteLiteral(' row(s) hold a value that does not fit (e.g. ')} || array_to_string(strata_ex, ', ') || ${quoteLiteral('); nothing was changed')}`;
  const hint = `Update or delete those rows (a data migration) so every value fits ${typeSql(c.to, { base: true })}, then run \`strata migrate\` again; or keep the old type.`;
  return doBlock(
    `#variable_conflict use_column\nDECLARE\n  strata_n bigint := 0;\n  strata_ex text[] := '{}';\n  strata_bad boolean;\n  strata_row record;\nBEGIN\n` +
      `  BEGIN\n    SELECT count(*) INTO strata_n FROM ${src} WHERE ${bad};\n` +
      `    IF strata_n > 0 THEN\n      SELECT array_agg(strata_e) INTO strata_ex FROM (SELECT ${example} AS strata_e FROM ${src} WHERE ${bad} LIMIT ${EXAMPLES}) AS strata_x;\n    END IF;\n` +
      `  EXCEPTION WHEN others THEN\n    -- the cast threw on some row: try them one by one\n    strata_n := 0;\n    strata_ex := '{}';\n${count}  END;\n` +
      `  IF strata_n > 0 THEN\n    RAISE EXCEPTION USING ERRCODE = 'check_violation', MESSAGE = ${message}, HINT = ${quoteLiteral(hint)};\n  END IF;\nEND`,
  );
}

/** What the swap SQL of a multi-step type change needs beside its own: the guard part, and the fit functions' create and drop statements. */
export interface SwapGuards {
  /** The expand's first part: every guard, in a transaction of its own, before anything changes. Null when no change needs one. */
  guard: MigrationPart | null;
  /** Creates the fit functions (before the sync trigger that calls them). */
  create: Statement[];
  /** Drops them (with the sync trigger). */
  drop: Statement[];
}

/**
 * The guards of the swapped columns whose values may not fit their new type (see `typeGuardSql`
 * and `fitFunctionSql`); empty for widening changes such as integer → bigint.
 *
 * @example
 * const g = swapGuards(swaps, prev, next);
 * const expandUp = [...(g.guard ? [g.guard] : []), ...diffParts];
 */
export function swapGuards(columns: readonly GuardedColumn[], prev: Snapshot, next: Snapshot): SwapGuards {
  const guarded = columns.filter(needsGuard);
  if (guarded.length === 0) return { guard: null, create: [], drop: [] };
  return {
    guard: {
      transactional: true,
      reason: `the data guard: stop before anything changes if a row of ${guarded.map((c) => `${qualify(c.table.schema, c.table.name)}.${quoteIdent(c.to.name)}`).join(', ')} does not fit its new type`,
      statements: guarded.map((c) => st(typeGuardSql(c, prev, next), `stop if a value of ${q(c.table)}.${quoteIdent(c.from.name)} does not fit ${typeSql(c.to, { base: true })}`)),
    },
    create: guarded.map((c) => st(fitFunctionSql(c), `converts to ${typeSql(c.to, { base: true })} for the sync trigger and the backfill, refusing a value that does not fit (no silent truncation)`)),
    drop: guarded.map(dropFitFunctionStatement),
  };
}

/** The parts of a swap that the fit functions go into (the shape `swapParts` returns). */
interface SwapSql {
  trigger: MigrationPart;
  backfill: MigrationPart;
  unprepare: MigrationPart;
  contract: MigrationPart[];
  contractDown: MigrationPart[];
}

const prepend = (p: MigrationPart, s: Statement[]): MigrationPart => ({ ...p, statements: [...s, ...p.statements] });
const append = (p: MigrationPart, s: Statement[]): MigrationPart => ({ ...p, statements: [...p.statements, ...s] });

/**
 * A swap's SQL with its fit functions: created before the window's sync trigger (and again at the
 * start of the contract's down migration, whose trigger and backfill call them), dropped with the
 * trigger (expand's down) and at the end of the contract's swap.
 *
 * @example
 * const sql = withFitFunctions(swapParts(swaps), swapGuards(swaps, prev, next));
 */
export function withFitFunctions<T extends SwapSql>(sql: T, g: SwapGuards): T {
  if (g.create.length === 0) return sql;
  return {
    ...sql,
    trigger: prepend(sql.trigger, g.create),
    unprepare: append(sql.unprepare, g.drop),
    // The swap is the contract's first part (the foreign keys' validations follow it).
    contract: sql.contract.map((p, i) => (i === 0 ? append(p, g.drop) : p)),
    contractDown: sql.contractDown.map((p, i) => (i === 0 ? prepend(p, g.create) : p)),
  };
}
