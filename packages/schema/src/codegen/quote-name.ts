import { quoteIdent } from '@strata/core';

/**
 * A name as the snapshot keeps it (`C`, `public.my_ops`, or already quoted), quoted for SQL.
 *
 * @example
 * quoteName('public.my_ops') // => '"public"."my_ops"'
 */
export function quoteName(name: string): string {
  return name.includes('"') ? name : name.split('.').map(quoteIdent).join('.');
}
