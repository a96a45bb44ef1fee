import type { DrizzleHistoryRow } from './drizzle-history.js';
import type { HistoryRow } from './history-table.js';
import type { Migration, MigrationFolder } from './migration.js';

/** A history row, with where it comes from: Strata's table, or drizzle-kit's not yet imported. */
export interface AppliedRow extends HistoryRow {
  source: 'strata' | 'drizzle-kit';
}

/** How the folder and the history compare. */
export interface MigrationState {
  /** Every applied row, in application order (drizzle-kit's first when not yet imported). */
  applied: AppliedRow[];
  /** Not in the history (or only `held` there), in folder order. */
  pending: Migration[];
  /** Some of its up parts done (`applying`): `migrate` resumes them at the next part. */
  partial: { migration: Migration; row: AppliedRow }[];
  /** Some of its down parts done (`reverting`): `rollback` resumes them; `migrate` refuses until then. */
  reverting: AppliedRow[];
  /** The pending migrations that sort before an applied one. */
  outOfOrder: Migration[];
  /** Applied, but the file's checksum is not the one applied. */
  changed: { migration: Migration; row: AppliedRow }[];
  /** Applied, but no longer in the folder. */
  missing: AppliedRow[];
  /** drizzle-kit history rows that match a folder migration and are not in Strata's history yet. */
  toImport: AppliedRow[];
  /** Contract migrations `migrate` reached and holds until `migrate --contract` (also in `pending`). */
  held: HistoryRow[];
}

/**
 * Compares the folder with the history: pending means "not in the history" (never "newer than
 * the last applied"), so a migration merged from an older branch is found, not skipped.
 * drizzle-kit history rows are matched to journal entries by `created_at` = `when` (that is
 * how drizzle-orm's migrator identifies them), then by hash.
 *
 * @example
 * const state = compareWithHistory(folder, await readHistory(db, h) ?? [], null);
 */
export function compareWithHistory(folder: MigrationFolder, history: readonly HistoryRow[], drizzle: readonly DrizzleHistoryRow[] | null): MigrationState {
  const byName = new Map(folder.migrations.map((m) => [m.name, m]));
  const applied: AppliedRow[] = [];
  const toImport: AppliedRow[] = [];
  const known = new Set(history.map((r) => r.name));
  if (drizzle) {
    const kit = folder.migrations.filter((m) => m.drizzleKit);
    for (const row of drizzle) {
      const m = kit.find((k) => k.drizzleKit!.when === row.createdAt) ?? kit.find((k) => k.drizzleKit!.hash === row.hash);
      const name = m?.name ?? `drizzle-kit migration #${row.id} (created_at ${row.createdAt})`;
      if (known.has(name)) continue;
      known.add(name);
      const virtual: AppliedRow = {
        id: `drizzle-${row.id}`,
        name,
        // Same file as applied: it gets the file's Strata checksum; otherwise one that cannot match.
        checksum: m && m.drizzleKit!.hash === row.hash ? m.checksum : `drizzle-sha256:${row.hash}`,
        appliedAt: Number.isFinite(row.createdAt) ? new Date(row.createdAt).toISOString() : new Date(0).toISOString(),
        durationMs: null,
        appliedBy: 'drizzle-kit',
        source: 'drizzle-kit',
        state: 'applied',
        partsDone: 1,
        partsTotal: 1,
        phase: null,
      };
      applied.push(virtual);
      if (m) toImport.push(virtual);
    }
  }
  // A held row (a contract migration waiting to be asked for) is not applied.
  applied.push(...history.filter((r) => r.state !== 'held').map((r) => ({ ...r, source: 'strata' as const })));

  const appliedNames = new Set(applied.map((r) => r.name));
  const pending = folder.migrations.filter((m) => !appliedNames.has(m.name));
  const index = new Map(folder.migrations.map((m, i) => [m.name, i]));
  const lastApplied = Math.max(-1, ...applied.map((r) => index.get(r.name) ?? -1));
  const outOfOrder = pending.filter((m) => index.get(m.name)! < lastApplied);
  const changed: MigrationState['changed'] = [];
  const missing: AppliedRow[] = [];
  for (const row of applied) {
    const m = byName.get(row.name);
    if (!m) missing.push(row);
    else if (m.checksum !== row.checksum) changed.push({ migration: m, row });
  }
  const partial = applied.filter((r) => r.state === 'applying' && byName.has(r.name)).map((row) => ({ migration: byName.get(row.name)!, row }));
  const reverting = applied.filter((r) => r.state === 'reverting');
  return { applied, pending, partial, reverting, outOfOrder, changed, missing, toImport, held: history.filter((r) => r.state === 'held') };
}
