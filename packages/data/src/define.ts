import type { DataMigrationDefinition } from './types.js';

export type {
  DataMigrationContext, DataMigrationDefinition, DataTx, DataLogger, BatchOptions, BatchInfo, BatchFn, BatchSummary, TableRef, KeyRef,
} from './types.js';

/** Marks a definition, across copies of this package (a loaded file may get another copy). */
const BRAND = Symbol.for('strata.dataMigration');

/** A data migration as a file's default export holds it. */
export type DataMigration = DataMigrationDefinition & { readonly [BRAND]: true };

/**
 * Declares a data migration: the default export of a file in the data-migration directory, run by
 * `strata data run`.
 *
 * @example
 * export default defineDataMigration({
 *   description: 'Fill users.full_name from users.name',
 *   async up(ctx) {
 *     await ctx.batch({ table: 'users', size: 5000 }, (tx, { ids }) =>
 *       tx.query('update users set full_name = name where id = any($1)', [ids]));
 *   },
 * });
 */
export function defineDataMigration(definition: DataMigrationDefinition): DataMigration {
  return Object.assign({}, definition, { [BRAND]: true as const });
}

/** True for what `defineDataMigration` returns, also from another copy of this package. */
export function isDataMigration(value: unknown): value is DataMigration {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true &&
    typeof (value as { up?: unknown }).up === 'function';
}
