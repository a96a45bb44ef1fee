import { SERVER_FEATURES, type ServerFeatureUse } from '@strata/schema';
import type { Change } from './types.js';

/**
 * The statements of a diff that only newer servers run, as feature uses: what `generate --url`
 * chose for the server it was given (PostgreSQL 17's SET EXPRESSION). The snapshot cannot show
 * these, so `generate` records them in the migration's meta and `migrate` stops on an older
 * server before running anything, instead of failing halfway with a syntax error.
 *
 * @example
 * sqlFeaturesUsed(diff.changes) // => [{ feature: 'ALTER COLUMN … SET EXPRESSION', minMajor: 17, object: 'column "g" of public.totals' }]
 */
export function sqlFeaturesUsed(changes: readonly Change[]): ServerFeatureUse[] {
  const uses: ServerFeatureUse[] = [];
  for (const c of changes) {
    if (c.kind === 'set-generated-expression') {
      uses.push({ ...SERVER_FEATURES.setExpression, object: `column "${c.column}" of ${c.table.schema}.${c.table.name}` });
    }
  }
  return uses;
}
