import { backupRow, restoreRow } from './backup-rows.js';
import { checkRow } from './check-row.js';
import { dataRow } from './data-row.js';
import { dropRow } from './drop-row.js';
import { embeddedMigrateApplyRow, embeddedMigrateNoneRow } from './embedded-rows.js';
import { fleetRow } from './fleet-row.js';
import { generateRow } from './generate-row.js';
import { migrateRow } from './migrate-row.js';
import { pullRow } from './pull-row.js';
import { pushColumnRow, pushRow } from './push-rows.js';
import { rcRows } from './rc-rows.js';
import { rollbackRow } from './rollback-row.js';
import type { RowDef } from './row-def.js';
import { smallMigrationsRow } from './small-migrations-row.js';
import { helpRow, versionRow } from './start-up-rows.js';
import { migrateNoneRow, statusRow } from './up-to-date-rows.js';
import { stallRows } from './stall-rows.js';

/** Every row of the results table, in the order it is run and shown. */
export const ROWS: readonly RowDef[] = [
  generateRow,
  migrateRow,
  statusRow,
  migrateNoneRow,
  embeddedMigrateApplyRow,
  embeddedMigrateNoneRow,
  pullRow,
  pushRow,
  pushColumnRow,
  checkRow,
  ...rcRows,
  rollbackRow,
  dropRow,
  smallMigrationsRow,
  backupRow,
  restoreRow,
  dataRow,
  versionRow,
  helpRow,
  ...stallRows,
  fleetRow,
];

/**
 * Names `--only` accepts for several rows at once: `stall` is every write-stall row, `rc` every
 * row beside drizzle-kit 1.0-rc.
 *
 * @example
 * expandRowIds(['pull', 'stall']); // ['pull', 'stall-index', 'stall-fk', …]
 */
export function expandRowIds(ids: string[]): string[] {
  return ids.flatMap((id) => (ROWS.some((r) => r.id === id) ? [id] : ROWS.filter((r) => r.id.startsWith(`${id}-`)).map((r) => r.id)));
}

export const ROW_GROUPS = ['stall', 'rc'];

export const ROW_IDS = ROWS.map((r) => r.id);
