import { truncateIdentifier } from '@strata/core';
import type { PgSequence } from 'drizzle-orm/pg-core';
import { sequenceOptions } from './sequence-options.js';
import type { Sequence } from './snapshot.js';

/**
 * Turns a `pgSequence(…)` into a Snapshot sequence. drizzle sequences have no `AS` type, so they
 * are `bigint`, PostgreSQL's default; omitted options get PostgreSQL's defaults.
 *
 * @example
 * serializeSequence(pgSequence('order_no', { startWith: 1000 })).start // => '1000'
 */
export function serializeSequence(source: PgSequence): Sequence {
  const schema = truncateIdentifier(source.schema ?? 'public');
  const name = truncateIdentifier(source.seqName ?? '');
  const { cache, cycle, increment, maxValue, minValue, start } = sequenceOptions(source.seqOptions, 'bigint', `sequence ${schema}.${name}`);
  // In key order, as the snapshot is written (see canonicalJson).
  return { cache, cycle, dataType: 'bigint', increment, maxValue, minValue, name, schema, start };
}
