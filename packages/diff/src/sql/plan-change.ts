import { qualify, quoteIdent, taggedObjectName } from '@strata/core';
import type { Column, Index } from '@strata/schema';
import { serialKind } from '../column-type.js';
import type { Change, ObjectRef, PlanNote, RecipeKind, Statement } from '../types.js';
import { createIndexSql, elementKeySql, q } from './ddl.js';
import { backfillInBatches, duplicateGuard, notNullGuard } from './guards.js';
import { addColumn, mayBeVolatile, renderChange, type Direction } from './render-change.js';

/**
 * Where a statement goes in a migration. A migration is one file whose parts run in this order;
 * an empty slot writes no part. `main` is the migration's transaction as before; the others hold
 * the steps of lock-safe recipes that must not share its exclusive locks.
 */
export type Slot = 'guard' | 'pre' | 'main' | 'build' | 'attach' | 'validate' | 'finish';

export const SLOTS: readonly Slot[] = ['guard', 'pre', 'main', 'build', 'attach', 'validate', 'finish'];

/** Whether a slot's part runs in a transaction, and why it is a part of its own. */
export const SLOT_INFO: Record<Slot, { transactional: boolean; reason?: string }> = {
  // Guards first: a part outside a transaction keeps what it did before a failing statement, so a
  // guard that stops the migration must come before anything that changes the database.
  guard: { transactional: false, reason: 'rows checked before anything changes' },
  pre: { transactional: false, reason: 'indexes dropped CONCURRENTLY, outside a transaction: writes continue' },
  main: { transactional: true, reason: 'the schema change, in one transaction' },
  build: { transactional: false, reason: 'outside a transaction: rows filled in batches and indexes built CONCURRENTLY while writes continue' },
  attach: { transactional: true, reason: 'constraints attached to the indexes just built (a brief lock, no scan)' },
  validate: { transactional: true, reason: 'constraints validated in a transaction of their own: the scan does not block writes' },
  finish: { transactional: true, reason: 'NOT NULL set from the validated checks (no scan), checks dropped, primary keys attached' },
};

export interface Step {
  slot: Slot;
  statement: Statement;
}

/** What planning one change needs to know about the whole plan. */
export interface PlanContext {
  /** False with `unsafePlans`: plain statements, except indexes whose hint asks for CONCURRENTLY. */
  lockSafe: boolean;
  /** Tables (`schema.name`, new names) that get a unique index built outside the main part: foreign keys to them wait for it. */
  lateKeyTables: Set<string>;
  /** Recipes used, for `diff.plans` (collected for the up direction). */
  notes: PlanNote[];
  facts: PlanFacts;
}

/** What the main part changes, so a guard can run before it (under the old names) only where that is the same. */
export interface PlanFacts {
  /** Tables (`schema.name`, new names) renamed or moved by the migration. */
  renamedTables: Set<string>;
  /** Columns (`schema.table.column`, new names) added, renamed or converted by the migration. */
  changedColumns: Set<string>;
  /** Columns that become identity columns: PostgreSQL wants them NOT NULL first, in the same part. */
  identityColumns: Set<string>;
  /** Tables (`schema.name`, old names) renamed or moved by the migration. */
  renamedFrom: Set<string>;
  /** Columns (`schema.table.column`, old names) the main part drops. */
  droppedColumns: Set<string>;
}

const tableKey = (t: ObjectRef) => `${t.schema}.${t.name}`;
const st = (sql: string, extra?: Partial<Statement>): Statement => (extra === undefined ? { sql, hazards: [], transactional: true } : { sql, hazards: [], transactional: true, ...extra });
const at = (slot: Slot, statements: Statement[]): Step[] => statements.map((statement) => ({ slot, statement }));

/** The name of the temporary check of the NOT NULL recipe (PostgreSQL 18 calls its own NOT NULL constraints `<t>_<c>_not_null`). */
// Tagged when long (taggedObjectName): two long columns of one table made NOT NULL together need two checks.
export const notNullCheckName = (table: ObjectRef, column: string) => taggedObjectName(`${table.name}_${column}`, 'strata_not_null');

/** Collects the facts `planChange` needs about the whole list of changes. */
export function planFacts(changes: readonly Change[]): PlanFacts {
  const facts: PlanFacts = { renamedTables: new Set(), changedColumns: new Set(), identityColumns: new Set(), renamedFrom: new Set(), droppedColumns: new Set() };
  const renamedSchemas = new Set<string>();
  const schemasRenamedFrom = new Set<string>();
  for (const c of changes) {
    if (c.kind !== 'rename-schema') continue;
    renamedSchemas.add(c.to);
    schemasRenamedFrom.add(c.from);
  }
  for (const c of changes) {
    if (c.kind === 'rename-table') {
      facts.renamedTables.add(tableKey(c.to));
      facts.renamedFrom.add(tableKey(c.from));
    }
    if (c.kind === 'drop-index' && schemasRenamedFrom.has(c.table.schema)) facts.renamedFrom.add(tableKey(c.table));
    if (c.kind === 'drop-column') facts.droppedColumns.add(`${tableKey(c.table)}.${c.column.name}`);
    if (renamedSchemas.size > 0 && 'table' in c && typeof c.table === 'object' && 'schema' in c.table && renamedSchemas.has(c.table.schema)) facts.renamedTables.add(tableKey(c.table));
    if (c.kind === 'add-column') facts.changedColumns.add(`${tableKey(c.table)}.${c.column.name}`);
    if (c.kind === 'alter-column-type') facts.changedColumns.add(`${tableKey(c.table)}.${c.column}`);
    if (c.kind === 'rename-column') facts.changedColumns.add(`${tableKey(c.table)}.${c.to}`);
    if (c.kind === 'add-identity') facts.identityColumns.add(`${tableKey(c.table)}.${c.column}`);
  }
  return facts;
}

/**
 * Whether a guard over these columns can run in the first part, before the main part changes
 * anything (then a failing guard leaves the database as it was): the table and columns must have
 * the same names and types before and after.
 */
function guardFirst(ctx: PlanContext, table: ObjectRef, columns: string[] | null): boolean {
  return columns !== null && !ctx.facts.renamedTables.has(tableKey(table)) &&
    columns.every((c) => !ctx.facts.changedColumns.has(`${tableKey(table)}.${c}`));
}

/**
 * The tables whose unique keys a plan builds outside the main part (lock-safe recipes, or indexes
 * hinted CONCURRENTLY): a foreign key to one of them is added once the index exists.
 */
export function lateKeyTables(changes: readonly Change[], lockSafe: boolean): Set<string> {
  const out = new Set<string>();
  for (const c of changes) {
    if ((c.kind === 'add-unique' || c.kind === 'add-primary-key') && !c.newTable && lockSafe) out.add(tableKey(c.table));
    if (c.kind === 'create-index' && c.index.unique && !c.newTable && (lockSafe || c.concurrently)) out.add(tableKey(c.table));
  }
  return out;
}

/**
 * The steps of one change: the plain statements in the main part, or the lock-safe recipe's
 * statements spread over the parts they need. The first statement of a recipe says in its comment
 * which recipe it is and why.
 */
export function planChange(c: Change, direction: Direction, ctx: PlanContext): Step[] {
  const note = (recipe: RecipeKind, object: string, message: string): string => {
    if (direction === 'up') ctx.notes.push({ recipe, object, message });
    return `lock-safe (${recipe}): ${message}`;
  };
  const comment = (...parts: (string | undefined)[]) => parts.filter((x) => x !== undefined).join('; ');
  switch (c.kind) {
    case 'create-index': {
      if (c.newTable || !(ctx.lockSafe || c.concurrently)) return at('main', renderChange({ ...c, concurrently: false }, direction));
      const name = qualify(c.table.schema, c.index.name);
      const why = note('concurrent-index', name, `index ${name} is built CONCURRENTLY outside a transaction, so writes to ${q(c.table)} continue while it builds`);
      return [
        ...(c.index.unique && ctx.lockSafe ? uniqueGuardFor(ctx, c.table, `unique index ${quoteIdent(c.index.name)}`, c.index) : []),
        ...at('build', [st(createIndexSql(c.table, c.index, true), { transactional: false, comment: comment(c.reason, why) })]),
      ];
    }
    case 'drop-index': {
      // Only an index dropped for itself (one dropped around another change goes with it). A plain
      // one goes first, under the old names; a unique one may back a foreign key the main part drops
      // first, so it goes after, when the main part neither renames its table nor drops its columns.
      if (!ctx.lockSafe || c.reason !== undefined) return at('main', renderChange(c, direction));
      const key = tableKey(c.table);
      const slot: Slot = !c.index.unique ? 'pre'
        : !ctx.facts.renamedFrom.has(key) && !c.index.where && c.index.elements.every((e) => !e.expression && !ctx.facts.droppedColumns.has(`${key}.${e.value}`)) ? 'build'
          : 'main';
      if (slot === 'main') return at('main', renderChange(c, direction));
      const name = qualify(c.table.schema, c.index.name);
      const why = note('concurrent-drop-index', name, `index ${name} is dropped CONCURRENTLY, without the exclusive lock that would make writes to ${q(c.table)} wait`);
      // IF EXISTS: a part outside a transaction runs again from its first statement after a later
      // statement failed, and this drop was committed then.
      return at(slot, [st(`DROP INDEX CONCURRENTLY IF EXISTS ${name}`, { transactional: false, comment: why })]);
    }
    case 'add-check': {
      if (c.newTable || !ctx.lockSafe) return at('main', renderChange(c, direction));
      const name = quoteIdent(c.check.name);
      const why = note('not-valid-then-validate', `${q(c.table)}.${name}`,
        `check ${name} is added NOT VALID (new rows are checked at once) and validated in a later transaction, whose scan does not block writes`);
      return [
        ...at('main', [st(`ALTER TABLE ${q(c.table)} ADD CONSTRAINT ${name} CHECK (${c.check.expression}) NOT VALID`, { comment: comment(c.reason, why) })]),
        ...at('validate', [st(`ALTER TABLE ${q(c.table)} VALIDATE CONSTRAINT ${name}`)]),
      ];
    }
    case 'add-foreign-key': {
      const late = ctx.lateKeyTables.has(`${c.foreignKey.foreignSchema}.${c.foreignKey.foreignTable}`);
      const slot: Slot = late ? 'attach' : 'main';
      const waits = late ? 'added once the unique index it references is built' : undefined;
      if (c.newTable || !ctx.lockSafe) {
        return at(slot, renderChange(c, direction).map((s) => ({ ...s, ...(waits ? { comment: comment(s.comment, waits) } : {}) })));
      }
      const name = quoteIdent(c.foreignKey.name);
      const why = note('not-valid-then-validate', `${q(c.table)}.${name}`,
        `foreign key ${name} is added NOT VALID (new rows are checked at once) and validated in a later transaction, whose scan does not block writes`);
      const [plain] = renderChange({ ...c, newTable: true }, direction);
      return [
        ...at(slot, [st(`${plain!.sql} NOT VALID`, { comment: comment(c.reason, waits, why) })]),
        ...at('validate', [st(`ALTER TABLE ${q(c.table)} VALIDATE CONSTRAINT ${name}`)]),
      ];
    }
    case 'set-not-null': {
      if (!ctx.lockSafe || ctx.facts.identityColumns.has(`${tableKey(c.table)}.${c.column}`)) return at('main', renderChange(c, direction));
      const o = `${q(c.table)}.${quoteIdent(c.column)}`;
      const why = note('not-null-via-check', o,
        `${o} gets a CHECK (… IS NOT NULL) NOT VALID, validated without blocking writes; SET NOT NULL then uses it instead of scanning under an exclusive lock`);
      const [, plain] = renderChange(c, direction);
      return notNullRecipe(c.table, c.column, why, plain!.hazards.filter((h) => h.kind !== 'blocking-lock'), guardFirst(ctx, c.table, [c.column]) ? 'guard' : 'validate');
    }
    case 'add-unique': {
      if (c.newTable || !ctx.lockSafe) return at('main', renderChange(c, direction));
      const name = quoteIdent(c.unique.name);
      const why = note('unique-using-index', `${q(c.table)}.${name}`,
        `the index of unique ${name} is built CONCURRENTLY, then attached with ADD CONSTRAINT … USING INDEX, so writes to ${q(c.table)} continue`);
      const index = keyIndex(c.unique.name, c.unique.columns, c.unique.nullsNotDistinct);
      return [
        ...uniqueGuardFor(ctx, c.table, `unique ${name}`, index),
        ...at('build', [st(createIndexSql(c.table, index, true), { transactional: false, comment: comment(c.reason, why) })]),
        ...at('attach', [st(`ALTER TABLE ${q(c.table)} ADD CONSTRAINT ${name} UNIQUE USING INDEX ${name}`)]),
      ];
    }
    case 'add-primary-key': {
      if (c.newTable || !ctx.lockSafe) return at('main', renderChange(c, direction));
      const name = quoteIdent(c.primaryKey.name);
      const why = note('primary-key-using-index', `${q(c.table)}.${name}`,
        `the index of primary key ${name} is built CONCURRENTLY, its columns made NOT NULL by the check recipe, then attached with ADD CONSTRAINT … USING INDEX (which would otherwise scan under an exclusive lock)`);
      const index = keyIndex(c.primaryKey.name, c.primaryKey.columns, false);
      return [
        ...uniqueGuardFor(ctx, c.table, `primary key ${name}`, index),
        ...at('build', [st(createIndexSql(c.table, index, true), { transactional: false, comment: comment(c.reason, why) })]),
        ...at('finish', [st(`ALTER TABLE ${q(c.table)} ADD CONSTRAINT ${name} PRIMARY KEY USING INDEX ${name}`)]),
      ];
    }
    case 'add-column': {
      if (!ctx.lockSafe || !needsBackfill(c.column)) return at('main', renderChange(c, direction));
      const o = `${q(c.table)}.${quoteIdent(c.column.name)}`;
      const why = note('backfill-in-batches', o,
        `${o} has a volatile default: it is added without it (no rewrite), the default is set for new rows, existing rows are filled in batches committed one by one` +
          (c.column.notNull ? ', then NOT NULL is set by the check recipe' : ''));
      const [added] = addColumn(c.table, { ...c.column, default: undefined, notNull: false }, direction, c.reason);
      const main: Statement[] = [
        { ...added!, comment: comment(added!.comment, why) },
        st(`ALTER TABLE ${q(c.table)} ALTER COLUMN ${quoteIdent(c.column.name)} SET DEFAULT ${c.column.default}`),
      ];
      const steps = [
        ...at('main', main),
        ...at('build', [st(backfillInBatches(c.table, c.column.name), { transactional: false, comment: `fill the existing rows of ${o}, one batch of pages per transaction` })]),
      ];
      return c.column.notNull ? [...steps, ...notNullRecipe(c.table, c.column.name, undefined, [], null)] : steps;
    }
    default:
      return at('main', renderChange(c, direction));
  }
}

/** NOT NULL without a scan under an exclusive lock: a NOT VALID check, validated apart, then SET NOT NULL (which uses it) and the check dropped. */
function notNullRecipe(table: ObjectRef, column: string, why: string | undefined, hazards: Statement['hazards'], guard: 'guard' | 'validate' | null): Step[] {
  const check = quoteIdent(notNullCheckName(table, column));
  const o = `${q(table)}.${quoteIdent(column)}`;
  const guardSt = st(notNullGuard(table, column), { transactional: guard !== 'guard', comment: `stop if ${o} holds NULL` });
  return [
    ...(guard === 'guard' ? at('guard', [guardSt]) : []),
    ...at('main', [st(`ALTER TABLE ${q(table)} ADD CONSTRAINT ${check} CHECK (${quoteIdent(column)} IS NOT NULL) NOT VALID`, why ? { comment: why } : {})]),
    ...at('validate', [
      ...(guard === 'validate' ? [guardSt] : []),
      st(`ALTER TABLE ${q(table)} VALIDATE CONSTRAINT ${check}`),
    ]),
    ...at('finish', [
      st(`ALTER TABLE ${q(table)} ALTER COLUMN ${quoteIdent(column)} SET NOT NULL`, { hazards }),
      st(`ALTER TABLE ${q(table)} DROP CONSTRAINT ${check}`),
    ]),
  ];
}

/** A column whose default must be computed per row: adding it with the default would rewrite the table. */
function needsBackfill(column: Column): boolean {
  return column.default !== undefined && mayBeVolatile(column.default) &&
    column.identity === undefined && column.generated === undefined && serialKind(column.type) === undefined;
}

/** The index a unique or primary key constraint builds for itself (same name, btree, plain columns). */
function keyIndex(name: string, columns: string[], nullsNotDistinct: boolean): Index {
  return {
    name, unique: true, method: 'btree', nullsNotDistinct,
    elements: columns.map((value) => ({ value, expression: false, desc: false, nullsFirst: false })),
  };
}

/** The duplicate-key guard of a unique build: first of all when it can (see guardFirst), else right before the build. */
function uniqueGuardFor(ctx: PlanContext, table: ObjectRef, what: string, index: Index): Step[] {
  const plain = index.elements.every((e) => !e.expression) && !index.where;
  const slot: Slot = guardFirst(ctx, table, plain ? index.elements.map((e) => e.value) : null) ? 'guard' : 'build';
  return at(slot, [duplicateGuardSt(table, what, index)]);
}

function duplicateGuardSt(table: ObjectRef, what: string, index: Index): Statement {
  return st(duplicateGuard(table, what, index.elements.map(elementKeySql), {
    ...(index.where ? { where: index.where } : {}), nullsNotDistinct: index.nullsNotDistinct,
  }), { transactional: false, comment: `stop before building if rows of ${q(table)} already share a key of ${what}` });
}
