import { StrataError } from './errors.js';

/** What a guard needs to know about the config. */
export interface ProductionFlag {
  /** The config's `production` key. */
  production: boolean;
  /** The config file that says so, for the message. */
  file: string | null;
}

/**
 * Refuses a destructive operation when the config says `production: true` (push, drop,
 * `restore --clean`, `snapshot restore`): on a production database these only ever lose data
 * that a migration would have kept.
 *
 * @example
 * refuseInProduction(config, 'snapshot restore', 'Restore rows with a data migration, or run it against a copy.');
 * // throws REFUSED: snapshot restore refuses to run: /app/strata.config.ts says production: true
 */
export function refuseInProduction(config: ProductionFlag, operation: string, hint: string): void {
  if (!config.production) return;
  throw new StrataError('REFUSED', `${operation} refuses to run: ${config.file ?? 'the config'} says production: true`, { hint });
}
