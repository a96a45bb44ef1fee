import { makeObjectName, qualify, quoteIdent, quoteLiteral } from '@strata/core';
import { baseType, castSql, collationSql, isSafeWidening, rewritesTable, serialKind, typeSql } from '../column-type.js';
import type { Column, Sequence } from '@strata/schema';
import { assertNever, type Change, type Hazard, type HazardKind, type ObjectRef, type Statement } from '../types.js';
import {
  checkSql, columnDef, createIndexSql, createPolicySql, createSequenceSql, createTableSql, createViewSql, enumValuesSql, foreignKeySql,
  identitySql, num, primaryKeySql, q, sequenceOptions, uniqueSql,
} from './ddl.js';
import { castGuard, doBlock, emptyTableGuard, enumValuesGuard, notNullGuard, restoreColumnGuard } from './guards.js';

export type Direction = 'up' | 'down';

const colRef = (t: ObjectRef, c: string) => `${q(t)}.${quoteIdent(c)}`;
const alterTable = (t: ObjectRef) => `ALTER TABLE ${q(t)}`;
const alterColumn = (t: ObjectRef, c: string) => `ALTER TABLE ${q(t)} ALTER COLUMN ${quoteIdent(c)}`;

function st(sql: string, hazards: Hazard[] = [], extra?: Partial<Statement>): Statement {
  // Without a spread when there is nothing to add (most statements): cheaper on cold code.
  return extra === undefined ? { sql, hazards, transactional: true } : { sql, hazards, transactional: true, ...extra };
}
const hz = (kind: HazardKind, object: string, message: string): Hazard => ({ kind, object, message });

/** SET SCHEMA then RENAME: one or two statements for an object that moves and/or changes name. */
function renameObject(keyword: string, from: ObjectRef, to: ObjectRef, what: string): Statement[] {
  const out: Statement[] = [];
  const broke = hz('breaks-running-code', q(from), `${what} ${q(from)} is renamed to ${q(to)}: code using the old name fails`);
  if (from.schema !== to.schema) out.push(st(`ALTER ${keyword} ${q(from)} SET SCHEMA ${quoteIdent(to.schema)}`, [broke]));
  if (from.name !== to.name) {
    out.push(st(`ALTER ${keyword} ${qualify(to.schema, from.name)} RENAME TO ${quoteIdent(to.name)}`, out.length ? [] : [broke]));
  }
  return out;
}

/** `setval` so a sequence that starts numbering an existing column continues after its largest value. */
function continueAfterMax(table: ObjectRef, column: string): Statement {
  return st(
    `SELECT setval(pg_get_serial_sequence(${quoteLiteral(q(table))}, ${quoteLiteral(column)}), max(${quoteIdent(column)})) FROM ${q(table)} HAVING max(${quoteIdent(column)}) IS NOT NULL`,
    [], { comment: 'continue numbering after the values the rows already hold' },
  );
}

/**
 * The statements for one change, with their hazards. `direction` only changes comments: a down
 * migration that brings back a dropped table or column says that its data does not come back.
 */
export function renderChange(c: Change, direction: Direction): Statement[] {
  switch (c.kind) {
    case 'create-schema':
      return [st(`CREATE SCHEMA ${quoteIdent(c.schema)}`)];
    case 'drop-schema':
      return [st(`DROP SCHEMA ${quoteIdent(c.schema)}`, [hz('breaks-running-code', quoteIdent(c.schema), `schema ${quoteIdent(c.schema)} is dropped`)])];
    case 'rename-schema':
      return [st(`ALTER SCHEMA ${quoteIdent(c.from)} RENAME TO ${quoteIdent(c.to)}`, [
        hz('breaks-running-code', quoteIdent(c.from), `schema ${quoteIdent(c.from)} is renamed to ${quoteIdent(c.to)}: code using the old name fails`),
      ])];
    case 'create-enum':
      return [st(`CREATE TYPE ${q(c.enum)} AS ENUM (${enumValuesSql(c.enum)})`)];
    case 'drop-enum':
      return [st(`DROP TYPE ${q(c.enum)}`)];
    case 'rename-enum':
      return renameObject('TYPE', c.from, c.to, 'type');
    case 'add-enum-value': {
      const pos = c.before !== undefined ? ` BEFORE ${quoteLiteral(c.before)}` : c.after !== undefined ? ` AFTER ${quoteLiteral(c.after)}` : '';
      return [st(`ALTER TYPE ${q(c.enum)} ADD VALUE ${quoteLiteral(c.value)}${pos}`)];
    }
    case 'rebuild-enum':
      return [
        st(`ALTER TYPE ${q(c.to)} RENAME TO ${quoteIdent(c.tempName)}`, [], {
          comment: `values of ${q(c.to)} removed or reordered: PostgreSQL cannot do that in place, so the type is built anew and its columns converted`,
        }),
        st(`CREATE TYPE ${q(c.to)} AS ENUM (${enumValuesSql(c.to)})`),
      ];
    case 'finish-enum-rebuild':
      return [st(`DROP TYPE ${qualify(c.enum.schema, c.tempName)}`)];
    case 'create-sequence':
      return [st(createSequenceSql(c.sequence))];
    case 'drop-sequence':
      return [st(`DROP SEQUENCE ${q(c.sequence)}`, [hz('breaks-running-code', q(c.sequence), `sequence ${q(c.sequence)} is dropped`)])];
    case 'alter-sequence':
      return [alterSequence(c.from, c.to)];
    case 'rename-sequence':
      return [st(`ALTER SEQUENCE ${qualify(c.schema, c.from)} RENAME TO ${quoteIdent(c.to)}`, [], {
        comment: 'the sequence follows its table or column to the name a fresh build gives it',
      })];
    case 'create-table':
      return [st(createTableSql(c.table), [], direction === 'down' ? {
        comment: `table ${q(c.table)} was dropped by the up migration: it comes back empty, its rows are not restored`,
      } : {})];
    case 'drop-table': {
      const o = q(c.table);
      return [st(`DROP TABLE ${o}`, [
        hz('data-loss', o, `table ${o} and all its rows are dropped`),
        hz('irreversible', o, `the down migration recreates ${o} empty`),
        hz('breaks-running-code', o, `code using table ${o} fails`),
      ])];
    }
    case 'rename-table':
      return renameObject('TABLE', c.from, c.to, 'table');
    case 'add-column':
      return addColumn(c.table, c.column, direction, c.reason);
    case 'drop-column': {
      const o = colRef(c.table, c.column.name);
      const derived = c.column.generated !== undefined;
      const hazards = c.reason !== undefined
        ? []
        : [
            ...(derived ? [] : [hz('data-loss', o, `column ${o} and its values are dropped`), hz('irreversible', o, `the down migration adds ${o} back empty`)]),
            hz('breaks-running-code', o, `code using column ${o} fails`),
          ];
      return [st(`${alterTable(c.table)} DROP COLUMN ${quoteIdent(c.column.name)}`, hazards, c.reason ? { comment: c.reason } : {})];
    }
    case 'rename-column':
      return [st(`${alterTable(c.table)} RENAME COLUMN ${quoteIdent(c.from)} TO ${quoteIdent(c.to)}`, [
        hz('breaks-running-code', colRef(c.table, c.from), `column ${colRef(c.table, c.from)} is renamed to ${quoteIdent(c.to)}: code using the old name fails`),
      ])];
    case 'alter-column-type':
      return alterColumnType(c);
    case 'set-column-default':
      return [st(`${alterColumn(c.table, c.column)} SET DEFAULT ${c.default}`)];
    case 'drop-column-default':
      return [st(`${alterColumn(c.table, c.column)} DROP DEFAULT`)];
    case 'set-not-null': {
      const o = colRef(c.table, c.column);
      return [
        st(notNullGuard(c.table, c.column), [], { comment: `stop if ${o} holds NULL` }),
        st(`${alterColumn(c.table, c.column)} SET NOT NULL`, [
          hz('blocking-lock', o, `SET NOT NULL scans ${q(c.table)} under an exclusive lock`),
          hz('breaks-running-code', o, `inserts that leave ${o} empty fail`),
        ]),
      ];
    }
    case 'drop-not-null':
      return [st(`${alterColumn(c.table, c.column)} DROP NOT NULL`)];
    case 'add-identity':
      return [
        st(`${alterColumn(c.table, c.column)} ADD ${identitySql(c.table, c.identity)}`),
        continueAfterMax(c.table, c.column),
      ];
    case 'drop-identity':
      return [st(`${alterColumn(c.table, c.column)} DROP IDENTITY`)];
    case 'alter-identity': {
      const t = c.to;
      const opts = [
        `SET GENERATED ${t.type === 'always' ? 'ALWAYS' : 'BY DEFAULT'}`, `SET INCREMENT BY ${num(t.increment)}`, `SET MINVALUE ${num(t.minValue)}`,
        `SET MAXVALUE ${num(t.maxValue)}`, `SET START WITH ${num(t.start)}`, `SET CACHE ${num(t.cache)}`, t.cycle ? 'SET CYCLE' : 'SET NO CYCLE',
      ];
      return [st(`${alterColumn(c.table, c.column)} ${opts.join(' ')}`)];
    }
    case 'add-serial': {
      const seq = makeObjectName(c.table.name, c.column, 'seq');
      const seqRef = qualify(c.table.schema, seq);
      return [
        st(`CREATE SEQUENCE ${seqRef} AS ${baseType(c.serialType)} OWNED BY ${colRef(c.table, c.column)}`),
        st(`${alterColumn(c.table, c.column)} SET DEFAULT nextval(${quoteLiteral(seqRef)}::regclass)`),
        continueAfterMax(c.table, c.column),
      ];
    }
    case 'drop-serial':
      return [
        st(`${alterColumn(c.table, c.column)} DROP DEFAULT`),
        st(`DROP SEQUENCE ${qualify(c.table.schema, c.sequence)}`),
      ];
    case 'set-generated-expression':
      return [st(`${alterColumn(c.table, c.column)} SET EXPRESSION AS (${c.expression})`,
        c.virtual ? [] : [hz('table-rewrite', q(c.table), `changing the expression of stored generated column ${colRef(c.table, c.column)} recomputes it for every row: the table is rewritten`)],
        { comment: 'PostgreSQL 17 or newer (the target server): older servers drop and add the column instead' })];
    case 'drop-generated-expression':
      return [st(`${alterColumn(c.table, c.column)} DROP EXPRESSION`, [], { comment: 'the column keeps its computed values' })];
    case 'add-primary-key':
      return [st(`${alterTable(c.table)} ADD ${primaryKeySql(c.primaryKey)}`, c.newTable ? [] : [
        hz('blocking-index-build', q(c.table), `the primary key's index is built while writes to ${q(c.table)} wait`),
      ])];
    case 'drop-primary-key':
      return [st(`${alterTable(c.table)} DROP CONSTRAINT ${quoteIdent(c.primaryKey.name)}`)];
    case 'add-unique':
      return [st(`${alterTable(c.table)} ADD ${uniqueSql(c.unique)}`, c.newTable ? [] : [
        hz('blocking-index-build', q(c.table), `the unique index ${quoteIdent(c.unique.name)} is built while writes to ${q(c.table)} wait`),
      ])];
    case 'drop-unique':
      return [st(`${alterTable(c.table)} DROP CONSTRAINT ${quoteIdent(c.unique.name)}`, [], c.reason ? { comment: c.reason } : {})];
    case 'add-check':
      return [st(`${alterTable(c.table)} ADD ${checkSql(c.check)}`, c.newTable ? [] : [
        hz('blocking-lock', q(c.table), `check ${quoteIdent(c.check.name)} scans ${q(c.table)} under an exclusive lock`),
      ])];
    case 'drop-check':
      return [st(`${alterTable(c.table)} DROP CONSTRAINT ${quoteIdent(c.check.name)}`)];
    case 'add-foreign-key':
      return [st(`${alterTable(c.table)} ADD ${foreignKeySql(c.foreignKey)}`, c.newTable ? [] : [
        hz('blocking-lock', q(c.table), `foreign key ${quoteIdent(c.foreignKey.name)} is checked against every row while writes to both tables wait`),
      ])];
    case 'drop-foreign-key':
      return [st(`${alterTable(c.table)} DROP CONSTRAINT ${quoteIdent(c.foreignKey.name)}`, [], c.reason ? { comment: c.reason } : {})];
    case 'rename-constraint':
      return [st(`${alterTable(c.table)} RENAME CONSTRAINT ${quoteIdent(c.from)} TO ${quoteIdent(c.to)}`)];
    case 'create-index':
      return [st(createIndexSql(c.table, c.index, c.concurrently), c.newTable || c.concurrently ? [] : [
        hz('blocking-index-build', qualify(c.table.schema, c.index.name), `index ${quoteIdent(c.index.name)} is built while writes to ${q(c.table)} wait`),
      ], { transactional: !c.concurrently, ...(c.reason ? { comment: c.reason } : {}) })];
    case 'drop-index':
      return [st(`DROP INDEX ${qualify(c.table.schema, c.index.name)}`, [], c.reason ? { comment: c.reason } : {})];
    case 'rename-index':
      return [st(`ALTER INDEX ${qualify(c.table.schema, c.from)} RENAME TO ${quoteIdent(c.to)}`)];
    case 'create-view':
      return [st(createViewSql(c.view), c.view.materialized ? [
        hz('blocking-lock', q(c.view), `materialized view ${q(c.view)} runs its query now`),
      ] : [], c.reason ? { comment: c.reason } : {})];
    case 'drop-view': {
      const o = q(c.view);
      const kind = c.view.materialized ? 'MATERIALIZED VIEW' : 'VIEW';
      return [st(`DROP ${kind} ${o}`, c.reason ? [] : [hz('breaks-running-code', o, `code reading ${o} fails`)],
        c.reason ? { comment: `${c.reason} (grants on it are lost)` } : {})];
    }
    case 'rename-view':
      return renameObject(c.materialized ? 'MATERIALIZED VIEW' : 'VIEW', c.from, c.to, 'view');
    case 'enable-rls':
      return [st(`${alterTable(c.table)} ENABLE ROW LEVEL SECURITY`, c.newTable ? [] : [
        hz('breaks-running-code', q(c.table), `roles without a policy no longer see rows of ${q(c.table)}`),
      ])];
    case 'disable-rls':
      return [st(`${alterTable(c.table)} DISABLE ROW LEVEL SECURITY`)];
    case 'create-policy':
      return [st(createPolicySql(c.table, c.policy), [], c.reason ? { comment: c.reason } : {})];
    case 'drop-policy':
      return [st(`DROP POLICY ${quoteIdent(c.policy.name)} ON ${q(c.table)}`, [], c.reason ? { comment: c.reason } : {})];
    case 'rename-policy':
      return [st(`ALTER POLICY ${quoteIdent(c.from)} ON ${q(c.table)} RENAME TO ${quoteIdent(c.to)}`)];
    default:
      return assertNever(c);
  }
}

export function addColumn(table: ObjectRef, column: Column, direction: Direction, reason: string | undefined): Statement[] {
  const o = colRef(table, column.name);
  const filled = column.identity !== undefined || column.generated !== undefined || serialKind(column.type) !== undefined;
  const rewrites = filled && !column.generated?.virtual; // a virtual column is computed when read: nothing is written
  const out: Statement[] = [];
  if (column.notNull && column.default === undefined && !filled) {
    out.push(st(direction === 'down' ? restoreColumnGuard(table, column.name) : emptyTableGuard(table, column.name, 'Rows need a value'), [], {
      comment: `stop if ${q(table)} holds rows: they would have no value for ${quoteIdent(column.name)}`,
    }));
  }
  const hazards: Hazard[] = [];
  if (rewrites) hazards.push(hz('table-rewrite', q(table), `${o} is filled in for every row: the table is rewritten`));
  else if (!filled && column.default !== undefined && mayBeVolatile(column.default)) {
    hazards.push(hz('table-rewrite', q(table), `the default of ${o} may be volatile: the table is then rewritten`));
  }
  const comment = direction === 'down' && !column.generated && reason === undefined
    ? `column ${o} was dropped by the up migration: it comes back empty, its values are not restored`
    : reason;
  out.push(st(`${alterTable(table)} ADD COLUMN ${columnDef(table, column)}`, hazards, comment ? { comment } : {}));
  return out;
}

function alterColumnType(c: Extract<Change, { kind: 'alter-column-type' }>): Statement[] {
  const o = colRef(c.table, c.column);
  const from = { ...c.from, name: c.column };
  const out: Statement[] = [];
  const hazards: Hazard[] = [];
  if (c.enumRebuild) {
    out.push(st(enumValuesGuard(c.table, from, c.enumRebuild.enum, c.enumRebuild.allowed), [], { comment: `stop if ${o} holds a value the type loses` }));
  } else if (!isSafeWidening(c.from, c.to)) {
    out.push(st(castGuard(c.table, from, c.to), [], { comment: `stop if a value of ${o} does not convert unchanged` }));
    hazards.push(hz('data-loss', o, `${o} narrows from ${typeSql(c.from, { base: true })} to ${typeSql(c.to, { base: true })} (the migration stops if a row does not fit)`));
  }
  if (c.enumRebuild || rewritesTable(c.from, c.to)) hazards.push(hz('table-rewrite', q(c.table), `changing the type of ${o} rewrites ${q(c.table)} and its indexes`));
  const collate = c.to.collation ? ` ${collationSql(c.to.collation)}` : '';
  const using = castSql(quoteIdent(c.column), c.from, c.to, { viaText: c.enumRebuild !== undefined });
  out.push(st(`${alterColumn(c.table, c.column)} TYPE ${typeSql(c.to, { base: true })}${collate} USING ${using}`, hazards));
  const fromSerial = serialKind(c.from.type);
  const toSerial = serialKind(c.to.type);
  if (fromSerial && toSerial && fromSerial !== toSerial) {
    out.push(st(`ALTER SEQUENCE ${qualify(c.table.schema, makeObjectName(c.table.name, c.column, 'seq'))} AS ${baseType(toSerial)}`));
  }
  return out;
}

/** Functions in a default may be volatile (then ADD COLUMN rewrites the table); the clock functions are not. */
export function mayBeVolatile(expression: string): boolean {
  const calls = expression.match(/[A-Za-z_][\w.]*\s*\(/g) ?? [];
  return calls.some((call) => !/^(now|statement_timestamp|transaction_timestamp|pg_catalog\.now)\s*\($/i.test(call));
}

/**
 * New options for a sequence. When its bounds narrow, PostgreSQL checks the current value against
 * them: a sequence never used yet restarts at its new start (as a fresh build would); one in use
 * keeps its position (and PostgreSQL refuses if that is out of the new bounds).
 */
function alterSequence(from: Sequence, to: Sequence): Statement {
  const alter = `ALTER SEQUENCE ${q(to)} AS ${to.dataType} ${sequenceOptions(to)}`;
  const narrows = BigInt(to.minValue) > BigInt(from.minValue) || BigInt(to.maxValue) < BigInt(from.maxValue);
  if (!narrows) return st(alter);
  return st(doBlock(`BEGIN\n  IF (SELECT NOT is_called FROM ${q(to)}) THEN\n    ${alter} RESTART;\n  ELSE\n    ${alter};\n  END IF;\nEND`), [], {
    comment: `the bounds of ${q(to)} narrow: restart it at its start if it was never used`,
  });
}
