import { StrataError } from '@strata/core';
import type { Queryable } from '@strata/db';
import { readDrizzleHistory } from './drizzle-history.js';
import { historyDisplayName, insertHistory, readHistory } from './history-table.js';
import { compareWithHistory, type MigrationState } from './migration-state.js';
import type { MigrationFolder } from './migration.js';
import { RUNNER_VERSION, type ResolvedRunnerOptions } from './runner-options.js';

/** Reads Strata's history (and drizzle-kit's, when the folder has drizzle-kit migrations) and compares it with the folder. */
export async function loadState(q: Queryable, folder: MigrationFolder, opts: ResolvedRunnerOptions): Promise<MigrationState & { historyExists: boolean }> {
  const history = await readHistory(q, opts.history);
  const hasKit = folder.migrations.some((m) => m.source === 'drizzle-kit');
  const drizzle = hasKit && opts.drizzleHistory ? await readDrizzleHistory(q, opts.drizzleHistory) : null;
  return { ...compareWithHistory(folder, history ?? [], drizzle), historyExists: history !== null };
}

/**
 * Refuses to go on when an applied migration was edited or is gone from the folder, naming
 * each file and what to do.
 */
export function assertHistoryMatches(state: MigrationState, folder: MigrationFolder, opts: ResolvedRunnerOptions): void {
  if (state.changed.length === 0 && state.missing.length === 0) return;
  const details = [
    ...state.changed.map(({ migration, row }) => `${migration.up.file}: edited after it was applied on ${row.appliedAt} (applied ${row.checksum}, file now ${migration.checksum})`),
    ...state.missing.map((row) => `${row.name}: applied on ${row.appliedAt} (${historyDisplayName(opts.history)}) but not in ${folder.dir}`),
  ];
  const parts: string[] = [];
  if (state.changed.length) parts.push(`${state.changed.length} applied migration${state.changed.length === 1 ? ' was' : 's were'} edited`);
  if (state.missing.length) parts.push(`${state.missing.length} applied migration${state.missing.length === 1 ? ' is' : 's are'} missing from the folder`);
  const hints: string[] = [];
  if (state.changed.length) {
    hints.push('Restore each edited file as it was applied (e.g. `git checkout <commit> -- <file>`) and put the change in a new migration (`strata generate`, or `strata generate --custom` for hand-written SQL).');
  }
  if (state.missing.length) hints.push('Restore missing files from version control (or check that `out` points at the right folder); to undo one on this database, restore it and run `strata rollback`.');
  throw new StrataError('INTEGRITY_MISMATCH', `${parts.join(' and ')}; nothing was run`, { details, hint: hints.join(' ') });
}

/** Copies matched drizzle-kit history rows into Strata's history, keeping their time (adoption, once). */
export async function importDrizzleHistory(q: Queryable, state: MigrationState, opts: ResolvedRunnerOptions): Promise<string[]> {
  for (const row of state.toImport) {
    await insertHistory(q, opts.history, {
      name: row.name, checksum: row.checksum, durationMs: null, appliedBy: `drizzle-kit (recognised by strata ${RUNNER_VERSION})`, appliedAt: row.appliedAt,
    });
  }
  return state.toImport.map((r) => r.name);
}
