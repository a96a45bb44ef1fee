import { StrataError } from '@strata/core';
import type { DatabaseClient } from '@strata/db';
import { assertFolderUsable } from './folder-errors.js';
import { deleteHeld, historyDisplayName, recordDownPart } from './history-table.js';
import { importDrizzleHistory, loadState } from './load-state.js';
import { prepareHistory, sessionSettingsSql, withMigrationLock } from './locked-run.js';
import type { AppliedRow, MigrationState } from './migration-state.js';
import type { Migration, MigrationFolder } from './migration.js';
import { runMigrationFile } from './run-migration-file.js';
import { resolveRunnerOptions, type RunnerOptions } from './runner-options.js';
import { assertRunnable } from './statement-rules.js';

export interface RollbackOptions extends RunnerOptions {
  /** How many applied migrations to revert, newest first; default 1. */
  steps?: number;
  /** Revert every migration applied after this one (it stays applied). */
  to?: string;
  /** Report what would run, with its SQL, and change nothing. */
  dryRun?: boolean;
}

export interface RollbackResult {
  dryRun: boolean;
  reverted: { name: string; durationMs: number }[];
  planned: {
    name: string; file: string; noTransaction: boolean; statements: { index: number; line: number; sql: string }[];
    parts: { index: number; noTransaction: boolean; statements: { index: number; line: number; sql: string }[] }[];
    partsTotal: number;
    /** > 1: resuming a partly reverted migration. */
    fromPart: number;
  }[];
}

/**
 * Reverts applied migrations with their down files, newest first (in the order they were
 * applied), each part of a down file in its own transaction with its history record (the last
 * part removes the row; a partly reverted migration resumes at its next down part). Checks
 * every migration to revert before running anything: one without a down file (or missing from
 * the folder) stops the rollback with a message naming it.
 *
 * @example
 * await rollback(db, readMigrationFolder('./migrations'), { steps: 2 });
 */
export async function rollback(client: DatabaseClient, folder: MigrationFolder, options: RollbackOptions = {}): Promise<RollbackResult> {
  const opts = resolveRunnerOptions(options);
  // A branch conflict is no reason to refuse: rolling one branch's migration back is how it gets resolved.
  assertFolderUsable(folder, { allow: ['branch-conflict'] });
  if (options.steps !== undefined && options.to !== undefined) throw new StrataError('USAGE', 'rollback takes --steps or --to, not both');
  if (options.steps !== undefined && (!Number.isInteger(options.steps) || options.steps < 1)) {
    throw new StrataError('USAGE', `--steps must be a whole number of at least 1, got ${options.steps}`);
  }
  const select = (state: MigrationState) => selectTargets(folder, state, options);
  if (options.dryRun) {
    const state = await loadState(client, folder, opts);
    return { dryRun: true, reverted: [], planned: select(state).map((m) => planOf(m, state)) };
  }
  return withMigrationLock(client, opts, async (session, watch) => {
    await prepareHistory(session, opts);
    const state = await loadState(session, folder, opts);
    const targets = select(state);
    if (state.toImport.length > 0) {
      const names = await session.transaction((tx) => importDrizzleHistory(tx, state, opts));
      opts.emit({ type: 'drizzle-history-imported', names });
    }
    const reverted: RollbackResult['reverted'] = [];
    for (const m of targets) {
      const parts = m.down!.parts.length;
      const durationMs = await runMigrationFile(session, {
        settings: sessionSettingsSql(opts),
        migration: m.name, file: m.down!, direction: 'down', opts, watch,
        fromPart: firstDownPart(m, state),
        record: (q, part) => recordDownPart(q, opts.history, { name: m.name, part: part.index, parts }),
      });
      // Its contract, if migrate held it, is simply pending again.
      if (m.meta?.multiStep?.phase === 'expand') {
        for (const c of folder.migrations) {
          if (c.meta?.multiStep?.phase === 'contract' && c.meta.multiStep.expand === m.name) await deleteHeld(session, opts.history, c.name);
        }
      }
      reverted.push({ name: m.name, durationMs });
      opts.emit({ type: 'migration-reverted', name: m.name, durationMs });
    }
    return { dryRun: false, reverted, planned: targets.map((m) => planOf(m, state)) };
  });

  /** 1, or the first down part not done for a partly reverted migration. */
  function firstDownPart(m: Migration, state: MigrationState): number {
    const row = state.reverting.find((r) => r.name === m.name);
    return row ? row.partsDone + 1 : 1;
  }

  function planOf(m: Migration, state: MigrationState): RollbackResult['planned'][number] {
    const d = m.down!;
    const fromPart = firstDownPart(m, state);
    const parts = d.parts.filter((p) => p.index >= fromPart).map((p) => ({
      index: p.index, noTransaction: p.noTransaction, statements: p.statements.map((s) => ({ index: s.index, line: s.line, sql: s.sql })),
    }));
    return {
      name: m.name, file: d.file, noTransaction: parts.length > 0 && parts.every((p) => p.noTransaction),
      statements: parts.flatMap((p) => p.statements), parts, partsTotal: d.parts.length, fromPart,
    };
  }

  function selectTargets(f: MigrationFolder, state: MigrationState, o: RollbackOptions): Migration[] {
    const newestFirst: AppliedRow[] = [...state.applied].reverse();
    let rows: AppliedRow[];
    if (o.to !== undefined) {
      const at = newestFirst.findIndex((r) => r.name === o.to);
      if (at < 0) {
        // A name that is no migration at all is a mistyped flag (usage); one that exists but is
        // not applied here is a fact about this database.
        const known = f.migrations.some((m) => m.name === o.to);
        throw new StrataError(known ? 'NOT_FOUND' : 'USAGE', `"${o.to}" is not applied on this database (${historyDisplayName(opts.history)}), so there is nothing to roll back to`, {
          hint: `Applied, newest first: ${newestFirst.slice(0, 5).map((r) => r.name).join(', ') || 'none'}.`,
        });
      }
      rows = newestFirst.slice(0, at);
    } else {
      rows = newestFirst.slice(0, o.steps ?? 1);
    }
    const targets = rows.map((row, i) => {
      const m = f.migrations.find((x) => x.name === row.name);
      if (!m) {
        throw new StrataError('NOT_FOUND', `cannot roll back ${row.name}: it is applied but not in ${f.dir}; nothing was rolled back`, {
          hint: 'Restore the migration (and its .down.sql) from version control.',
        });
      }
      if (row.state === 'applying') {
        throw new StrataError('REFUSED', `cannot roll back ${m.name}: it is partly applied (parts 1–${row.partsDone} of ${row.partsTotal}); nothing was rolled back`, {
          details: [`its down file reverts the whole migration, and parts ${row.partsDone + 1}–${row.partsTotal} never ran`],
          hint: 'Finish it first (`strata migrate` resumes it at its next part; fix what stopped it), then roll it back.',
        });
      }
      if (row.state === 'reverting' && m.down && m.down.parts.length !== row.partsTotal) {
        throw new StrataError('REFUSED', `cannot resume the rollback of ${m.name}: ${row.partsDone} of ${row.partsTotal} down parts are done, but ${m.down.file} now has ${m.down.parts.length} parts; nothing was rolled back`, {
          hint: `Restore ${m.down.file} as it was when the rollback started (version control), then run \`strata rollback\` again.`,
        });
      }
      if (!m.down) {
        const newer = rows.slice(0, i).map((r) => r.name);
        throw new StrataError('NO_DOWN_MIGRATION', `cannot roll back ${m.name}: it has no down file ${m.name}.down.sql; nothing was rolled back`, {
          details: newer.length ? [`the newer migrations ${newer.join(', ')} were not rolled back either`] : [],
          hint: `Write ${m.name}.down.sql (the SQL that undoes ${m.up.file}) and run \`strata hash\`, or restore the database from a backup.`,
        });
      }
      return m;
    });
    for (const m of targets) assertRunnable(m.down!, m.name);
    return targets;
  }
}
