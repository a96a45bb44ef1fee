import { renderMigration, type Diff } from '@strata/diff';
import { writeMigration } from '@strata/runner';
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
export function writeMigrations(out: string, diff: Diff, next: Snapshot, options: { name: string; now?: Date }): GeneratedMigration[] {
  const up = renderMigration(diff.upParts);
  const down = renderMigration(diff.downParts);
  const written = writeMigration(out, { name: options.name, up, down, snapshot: next, ...(options.now ? { now: options.now } : {}) });
  return [{ ...written, up, down, parts: diff.upParts.length }];
}
