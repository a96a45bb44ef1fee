import { makeObjectName } from '@strata/core';
import type { Column } from '@strata/model';
import type { SequenceRow } from './catalog-queries.js';

const SERIALS = {
  smallint: { type: 'smallserial', max: '32767' },
  integer: { type: 'serial', max: '2147483647' },
  bigint: { type: 'bigserial', max: '9223372036854775807' },
} as const;

/**
 * The serial pseudo-type a column was (as far as the catalog can tell) declared with: an integer
 * column whose default is `nextval` of the sequence it owns, named `<table>_<column>_seq` in the
 * table's schema, with the options `serial` gives it. Anything else stays a plain column with a
 * `nextval` default and a sequence of its own, so nothing is lost.
 */
export function serialType(
  schema: string,
  table: string,
  column: Column,
  owned: SequenceRow | undefined,
): 'serial' | 'bigserial' | 'smallserial' | null {
  if (!owned || column.dimensions !== 0 || column.default === undefined || column.identity || column.generated) return null;
  const serial = SERIALS[column.type as keyof typeof SERIALS];
  if (!serial || owned.data_type !== column.type) return null;
  if (owned.schema !== schema || owned.name !== makeObjectName(table, column.name, 'seq')) return null;
  if (column.default !== `nextval('${owned.regclass.replaceAll("'", "''")}'::regclass)`) return null;
  const defaults = owned.increment === '1' && owned.min_value === '1' && owned.start === '1' && owned.cache === '1' && !owned.cycle;
  if (!defaults || owned.max_value !== serial.max) return null;
  return serial.type;
}
