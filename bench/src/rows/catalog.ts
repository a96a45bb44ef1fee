import { backupRow, restoreRow } from './backup-rows.js';
import { checkRow } from './check-row.js';
import { dataRow } from './data-row.js';
import { dropRow } from './drop-row.js';
import { generateRow } from './generate-row.js';
import { migrateRow } from './migrate-row.js';
import { pullRow } from './pull-row.js';
import { pushColumnRow, pushRow } from './push-rows.js';
import { rollbackRow } from './rollback-row.js';
import type { RowDef } from './row-def.js';
import { smallMigrationsRow } from './small-migrations-row.js';

/** Every row of the results table, in the order it is run and shown. */
export const ROWS: readonly RowDef[] = [
  generateRow,
  migrateRow,
  pullRow,
  pushRow,
  pushColumnRow,
  checkRow,
  rollbackRow,
  dropRow,
  smallMigrationsRow,
  backupRow,
  restoreRow,
  dataRow,
];

export const ROW_IDS = ROWS.map((r) => r.id);
