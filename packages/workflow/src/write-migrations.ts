import { qualify, quoteIdent } from '@strata/core';
import { renderMigration, sqlFeaturesUsed, type Diff, type MultiStepPlan } from '@strata/diff';
import { writeMigration, type MigrationFolder } from '@strata/runner';
import type { Snapshot } from '@strata/schema';

/** One migration `generate` wrote. */
export interface GeneratedMigration {
  name: string;
  files: string[];
  up: string;
  down: string;
  /** How many parts the migration has (`--> strata:part` lines split it). */
  parts: number;
}

/**
 * Writes a diff as ONE migration into `out` (up, down, snapshot and the integrity file), as
 * `generate` does: a diff whose recipes need commits in between or statements outside a transaction
 * is one file split into parts by `--> strata:part` lines, never sibling migrations. The snapshot
 * recorded is `next` itself, so the next diff compares like with like. Returns a list (of one) for
 * callers that loop.
 *
 * @example
 * const diff = await diffSnapshots(prev, next);
 * writeMigrations('./migrations', diff, next, { name: 'add_users' });
 */
export function writeMigrations(out: string, diff: Diff, next: Snapshot, options: { name: string; now?: Date; folder?: MigrationFolder }): GeneratedMigration[] {
  const up = renderMigration(diff.upParts);
  const down = renderMigration(diff.downParts);
  const serverFeatures = sqlFeaturesUsed(diff.changes);
  const written = writeMigration(out, { name: options.name, up, down, snapshot: next, serverFeatures, ...(options.now ? { now: options.now } : {}), ...(options.folder ? { folder: options.folder } : {}) });
  return [{ ...written, up, down, parts: diff.upParts.length }];
}

/**
 * Writes a multi-step change as two linked migrations: `<name>_expand` (its snapshot: the schema
 * during the window, both columns there) and `<name>_contract` one second later (so it sorts after;
 * its meta names the expand; its snapshot is `plan.contract.snapshot`, the schema code).
 *
 * @example
 * const { expand, contract } = writeMultiStep('./migrations', plan, { name: 'rename_users_name' });
 */
export function writeMultiStep(out: string, plan: MultiStepPlan, options: { name: string; now?: Date }): { expand: GeneratedMigration; contract: GeneratedMigration; columns: string[] } {
  const now = options.now ?? new Date();
  const write = (d: Diff, snapshot: MultiStepPlan['expand']['snapshot'], suffix: string, at: Date, multiStep: Parameters<typeof writeMigration>[1]['multiStep']): GeneratedMigration => {
    const up = renderMigration(d.upParts);
    const down = renderMigration(d.downParts);
    const written = writeMigration(out, { name: `${options.name}_${suffix}`, up, down, snapshot, now: at, serverFeatures: sqlFeaturesUsed(d.changes), ...(multiStep ? { multiStep } : {}) });
    return { ...written, up, down, parts: d.upParts.length };
  };
  const columns = [
    ...plan.columns.map((c) => ({ schema: c.table.schema, table: c.table.name, from: c.from.name, to: c.to.name })),
    ...plan.swaps.map((c) => ({ schema: c.table.schema, table: c.table.name, from: c.from.name, to: c.shadow })),
    ...(plan.added ?? []).map((c) => ({ schema: c.table.schema, table: c.table.name, from: c.column.name, to: c.column.name })),
  ];
  const expand = write(plan.expand.diff, plan.expand.snapshot, 'expand', now, { phase: 'expand', columns });
  const contract = write(plan.contract.diff, plan.contract.snapshot, 'contract', new Date(now.getTime() + 1000), { phase: 'contract', expand: expand.name });
  return { expand, contract, columns: columns.map((c) => `${qualify(c.schema, c.table)}.${quoteIdent(c.from)} → ${quoteIdent(c.to)}`) };
}
