import { StrataError } from '@strata/core';
import type { PgSequenceOptions } from 'drizzle-orm/pg-core';
import type { Sequence } from './snapshot.js';

type IntegerType = Sequence['dataType'];
type Options = Omit<Sequence, 'schema' | 'name' | 'dataType'>;

const RANGE: Record<IntegerType, { min: string; max: string }> = {
  smallint: { min: '-32768', max: '32767' },
  integer: { min: '-2147483648', max: '2147483647' },
  bigint: { min: '-9223372036854775808', max: '9223372036854775807' },
};

/**
 * Fills in a sequence's options the way PostgreSQL does when they are left out (ascending:
 * 1 … type max, descending: type min … -1, start at the near end, cache 1, no cycle), so that code
 * and catalog agree. Numbers become decimal strings.
 *
 * @example
 * sequenceOptions({ increment: -1 }, 'integer', 'seq').minValue // => '-2147483648'
 */
export function sequenceOptions(options: PgSequenceOptions | undefined, dataType: IntegerType, what: string): Options {
  const text = (field: keyof PgSequenceOptions): string | undefined => {
    const v = options?.[field];
    if (v === undefined || v === null || typeof v === 'boolean') return undefined;
    const s = String(v).trim();
    if (!/^[+-]?\d+$/.test(s)) {
      throw new StrataError('SCHEMA_INVALID', `${what}: sequence option ${field} must be an integer, got ${JSON.stringify(v)}`);
    }
    return BigInt(s).toString();
  };
  const increment = text('increment') ?? '1';
  if (increment === '0') throw new StrataError('SCHEMA_INVALID', `${what}: sequence increment must not be zero`);
  const descending = increment.startsWith('-');
  const range = RANGE[dataType];
  const minValue = text('minValue') ?? (descending ? range.min : '1');
  const maxValue = text('maxValue') ?? (descending ? '-1' : range.max);
  const start = text('startWith') ?? (descending ? maxValue : minValue);
  // In key order, as the snapshot is written (see canonicalJson).
  return { cache: text('cache') ?? '1', cycle: options?.cycle ?? false, increment, maxValue, minValue, start };
}

/** The integer type a sequence or identity counts in, from a normalised column type. */
export function integerType(type: string): IntegerType | undefined {
  return type === 'smallint' || type === 'integer' || type === 'bigint' ? type : undefined;
}
