import { qualify, quoteIdent } from '@strata/core';
import type { Statement } from '../types.js';
import type { SyncedColumn } from './window-snapshot.js';

/**
 * A contract's DROP COLUMN of an old column, with its comment and hazards told as they are. A plain
 * drop says "its values are dropped" and "the down migration adds it back empty"; neither is true
 * here: the values live on in the new column, and the contract's down migration adds the old
 * column back, keeps it in sync by the trigger and refills it from the new column in batches.
 * What stays: code still using the old column fails once it is gone (the lint ignore in `ignore`
 * says why that is expected).
 *
 * @example
 * contractDrop(statement, { table: { schema: 'public', name: 'users' }, from, to }, CONTRACT_IGNORE)
 */
export function contractDrop(s: Statement, c: SyncedColumn, ignore: string): Statement {
  const old = `${qualify(c.table.schema, c.table.name)}.${quoteIdent(c.from.name)}`;
  const to = quoteIdent(c.to.name);
  return {
    ...s,
    comment: `${ignore}; its values live on in ${to}: the down migration adds ${old} back, keeps it in sync with ${to} by the trigger and refills it from ${to} in batches`,
    hazards: s.hazards.filter((h) => h.kind !== 'data-loss' && h.kind !== 'irreversible'),
  };
}
