import { renderMigration, type Diff } from '@strata/diff';
import { writeMigration } from '@strata/runner';
import type { Snapshot } from '@strata/schema';

/** One migration `generate` wrote. */
export interface GeneratedMigration {
  name: string;
  files: string[];
  up: string;
  down: string;
  /** Why this migration is separate from the one before it (split parts), if it is. */
  reason?: string;
}

/**
 * Writes a diff as migrations into `out`, one per part (`<name>_1`, `<name>_2`… when the diff is
 * split), each with up, down, snapshot and the integrity file, as `generate` does. The last part
 * records `next` itself, so the next diff compares like with like.
 *
 * @example
 * const diff = await diffSnapshots(prev, next);
 * writeMigrations('./migrations', diff, next, { name: 'add_users' });
 */
export function writeMigrations(out: string, diff: Diff, next: Snapshot, options: { name: string; now?: Date }): GeneratedMigration[] {
  return diff.parts.map((part, i) => {
    const up = renderMigration(part.up);
    const down = renderMigration(part.down);
    const isLast = i === diff.parts.length - 1;
    const snapshot = isLast ? next : part.snapshot;
    const name = diff.parts.length > 1 ? `${options.name}_${i + 1}` : options.name;
    const written = writeMigration(out, { name, up, down, snapshot, ...(options.now ? { now: options.now } : {}) });
    return { ...written, up, down, ...(part.reason ? { reason: part.reason } : {}) };
  });
}
