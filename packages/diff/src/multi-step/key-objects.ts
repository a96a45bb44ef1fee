import { qualify, quoteIdent, taggedObjectName } from '@strata/core';
import type { ForeignKey, Index, Snapshot, Table } from '@strata/schema';
import { createIndexSql, foreignKeySql, q } from '../sql/ddl.js';
import type { ObjectRef, Statement } from '../types.js';

/**
 * The keys, uniques, indexes and foreign keys a type swap has to carry from one column to the
 * other (code: `type-swap.ts`). A swap never builds them under the swap's exclusive lock: the
 * indexes are built CONCURRENTLY on the incoming column beforehand under a prepared name, and the
 * swap transaction only attaches them (`PRIMARY KEY USING INDEX`, `UNIQUE USING INDEX`, a rename)
 * and adds the foreign keys NOT VALID (validated afterwards, without blocking writes).
 */
export interface KeyObjects {
  table: ObjectRef;
  primaryKey: Table['primaryKey'] | undefined;
  uniques: Table['uniques'][string][];
  indexes: Index[];
}

/** One foreign key touched by a swap (its columns or the columns it references are swapped), on its table. */
export interface TouchedForeignKey {
  table: ObjectRef;
  foreignKey: ForeignKey;
}

const st = (sql: string, comment?: string): Statement => ({ sql, hazards: [], transactional: true, ...(comment ? { comment } : {}) });

/** The name an index is built under before the swap attaches it: `<name>_strata_new` (or `_strata_old` on the way back). */
const preparedName = (name: string, side: 'new' | 'old'): string => taggedObjectName(name, `strata_${side}`);

/** The keys, uniques and indexes of `t` that use one of `columns` (by plain column elements). */
export function keyObjectsOn(t: Table, columns: ReadonlySet<string>): KeyObjects {
  const uses = (names: readonly string[]) => names.some((n) => columns.has(n));
  return {
    table: { schema: t.schema, name: t.name },
    primaryKey: t.primaryKey && uses(t.primaryKey.columns) ? t.primaryKey : undefined,
    uniques: Object.values(t.uniques).filter((u) => uses(u.columns)),
    indexes: Object.values(t.indexes).filter((ix) => uses(ix.elements.filter((e) => !e.expression).map((e) => e.value))),
  };
}

/** The foreign keys of `snapshot` whose own or referenced columns include a swapped one (`swapped(table, column)`). */
export function touchedForeignKeys(snapshot: Snapshot, swapped: (table: ObjectRef, column: string) => boolean): TouchedForeignKey[] {
  const out: TouchedForeignKey[] = [];
  for (const s of Object.values(snapshot.schemas)) {
    for (const t of Object.values(s.tables)) {
      const table = { schema: t.schema, name: t.name };
      for (const fk of Object.values(t.foreignKeys)) {
        const target = { schema: fk.foreignSchema, name: fk.foreignTable };
        if (fk.columns.some((c) => swapped(table, c)) || fk.foreignColumns.some((c) => swapped(target, c))) out.push({ table, foreignKey: fk });
      }
    }
  }
  return out;
}

/**
 * The unique indexes (for the primary key and the uniques) and the plain indexes of `k`, on the
 * incoming columns (`rename` maps a column to its incoming name) under their prepared names: what
 * the expand (or the contract's down) builds CONCURRENTLY, and what the window's snapshot holds.
 */
export function preparedIndexes(k: KeyObjects, rename: (column: string) => string, side: 'new' | 'old'): Index[] {
  const plain = (name: string, columns: string[], nullsNotDistinct: boolean): Index => ({
    name: preparedName(name, side), unique: true, method: 'btree', nullsNotDistinct,
    elements: columns.map((c) => ({ value: rename(c), expression: false, desc: false, nullsFirst: false })),
  });
  return [
    ...(k.primaryKey ? [plain(k.primaryKey.name, k.primaryKey.columns, false)] : []),
    ...k.uniques.map((u) => plain(u.name, u.columns, u.nullsNotDistinct)),
    ...k.indexes.map((ix) => ({
      ...ix, name: preparedName(ix.name, side), elements: ix.elements.map((e) => (e.expression ? e : { ...e, value: rename(e.value) })),
    })),
  ];
}

/** `CREATE [UNIQUE] INDEX CONCURRENTLY` of a prepared index (a no-transaction part of its own; a failed build is dropped and retried by the runner). */
export function buildPreparedSql(table: ObjectRef, ix: Index): string {
  const { concurrently: _c, ...index } = ix;
  return createIndexSql(table, index, true);
}

/**
 * In the swap transaction, once the incoming columns carry their real names: the primary key and
 * the uniques attached to their prepared unique indexes (which PostgreSQL renames to the
 * constraint's name), the plain indexes renamed to their declared names. No index is built here.
 */
export function attachStatements(k: KeyObjects, side: 'new' | 'old'): Statement[] {
  const t = q(k.table);
  const idx = (name: string) => qualify(k.table.schema, preparedName(name, side));
  return [
    ...(k.primaryKey ? [st(`ALTER TABLE ${t} ADD CONSTRAINT ${quoteIdent(k.primaryKey.name)} PRIMARY KEY USING INDEX ${quoteIdent(preparedName(k.primaryKey.name, side))}`,
      'strata:ignore add-primary-key its unique index was built concurrently before, and its columns are NOT NULL already (set above): nothing is scanned')] : []),
    ...k.uniques.map((u) => st(`ALTER TABLE ${t} ADD CONSTRAINT ${quoteIdent(u.name)} UNIQUE USING INDEX ${quoteIdent(preparedName(u.name, side))}`)),
    ...k.indexes.map((ix) => st(`ALTER INDEX ${idx(ix.name)} RENAME TO ${quoteIdent(ix.name)}`)),
  ];
}

/**
 * On the way back (the contract's down), before the outgoing columns lose their names: the primary
 * key and uniques dropped (their indexes go with them and are built again concurrently for the
 * window afterwards), the plain indexes kept and renamed to their prepared names.
 */
export function detachStatements(k: KeyObjects, side: 'new' | 'old'): Statement[] {
  const t = q(k.table);
  return [
    ...(k.primaryKey ? [st(`ALTER TABLE ${t} DROP CONSTRAINT ${quoteIdent(k.primaryKey.name)}`)] : []),
    ...k.uniques.map((u) => st(`ALTER TABLE ${t} DROP CONSTRAINT ${quoteIdent(u.name)}`)),
    ...k.indexes.map((ix) => st(`ALTER INDEX ${qualify(k.table.schema, ix.name)} RENAME TO ${quoteIdent(preparedName(ix.name, side))}`)),
  ];
}

/** The touched foreign keys dropped (first thing in the swap: the key they reference is about to go). */
export const dropForeignKeys = (fks: readonly TouchedForeignKey[]): Statement[] =>
  fks.map((f) => st(`ALTER TABLE ${q(f.table)} DROP CONSTRAINT ${quoteIdent(f.foreignKey.name)}`));

/** The touched foreign keys added back NOT VALID on the swapped-in columns (new rows are checked at once). */
export const addForeignKeys = (fks: readonly TouchedForeignKey[]): Statement[] =>
  fks.map((f) => st(`ALTER TABLE ${q(f.table)} ADD ${foreignKeySql(f.foreignKey)} NOT VALID`, 'validated in a later transaction, whose scan does not block writes'));

/** Their validation, one statement each (a part of its own each: SHARE UPDATE EXCLUSIVE, writes go on). */
export const validateForeignKeys = (fks: readonly TouchedForeignKey[]): Statement[] =>
  fks.map((f) => st(`ALTER TABLE ${q(f.table)} VALIDATE CONSTRAINT ${quoteIdent(f.foreignKey.name)}`));
