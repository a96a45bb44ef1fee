import { recognizeAbsorbedUniques, type DatabaseClient } from '@strata/db';
import { describeChange, diffSnapshots } from '@strata/diff';
import { emptySnapshot, type Snapshot } from '@strata/model';
import { status, type HistoryOptions, type MigrationFolder, type StatusReport } from '@strata/runner';
import { liveSnapshot, managedSchemas, replayOnScratch, serverSpelled, type ResolvedConfig } from '@strata/workflow';
import { renameSnapshotSchema } from './rename-snapshot-schema.js';

const VERB = { create: 'added by hand', drop: 'dropped by hand', alter: 'changed by hand', rename: 'renamed by hand' } as const;

/** What `checkTarget` found on one target. */
export interface TargetCheck {
  status: StatusReport;
  /** Not applied yet. */
  pending: string[];
  /** Everything else that differs, worded the same on every target (tenant schemas read as the managed schema). */
  problems: string[];
}

/**
 * One target against its migrations: its history against the folder (changed, missing, partly
 * applied, out of order) and its schema against what the applied migrations built (drift). A
 * tenant schema is read and then renamed to the managed schema, so identical drift on two
 * tenants reads identically and groups. `folder` is the target's (substituted) folder;
 * `original` the folder as written (its snapshots name the managed schema).
 *
 * @example
 * const r = await checkTarget(db, { config, folder, original: folder, history: config.history, schema: null, managed: 'public' });
 */
export async function checkTarget(
  db: DatabaseClient,
  input: { config: ResolvedConfig; folder: MigrationFolder; original: MigrationFolder; history: HistoryOptions; schema: string | null; managed: string },
): Promise<TargetCheck> {
  const { config, folder, original, history, schema, managed } = input;
  const report = await status(db, folder, { history });
  const problems = historyProblems(report);
  const expected = await appliedSnapshot(original, report);
  const cfg: ResolvedConfig = { ...config, history };
  let live: Snapshot;
  let schemas: string[];
  if (schema === null) {
    schemas = managedSchemas(config, expected);
    live = await liveSnapshot(db, cfg, schemas);
  } else {
    schemas = [managed];
    const onPath = await db.query<{ on: boolean }>('select $1::text = any (current_schemas(false)) as on', [managed]);
    live = renameSnapshotSchema(await liveSnapshot(db, cfg, [schema]), schema, managed, { toOnSearchPath: onPath.rows[0]?.on === true });
  }
  const expectedHere = await serverSpelled(db, expected, cfg, schemas, live);
  const drift = await diffSnapshots(expectedHere, recognizeAbsorbedUniques(live, expected, expectedHere));
  for (const c of drift.changes) {
    const d = describeChange(c);
    problems.push(`${d.text}: ${VERB[d.verb]}`);
  }
  return { status: report, pending: report.pending, problems };
}

/**
 * What a status report says needs attention (folder problems; changed, missing, partly applied,
 * partly reverted, out-of-order migrations), one line each, worded the same for every target.
 *
 * @example
 * historyProblems(await status(db, folder)) // => ['migration 20261201000000_a: edited after it was applied']
 */
export function historyProblems(report: StatusReport): string[] {
  const problems = report.problems.map((p) => p.message);
  for (const m of report.migrations) {
    const what = {
      applied: null,
      pending: null,
      'out-of-order': 'not applied, and older than an applied migration',
      changed: 'edited after it was applied',
      missing: 'applied, but missing from the migration folder',
      partial: `partly applied (${m.parts.done} of ${m.parts.total} parts)`,
      reverting: `partly rolled back (${m.parts.done} of ${m.parts.total} down parts)`,
    }[m.state];
    if (what) problems.push(`migration ${m.name}: ${what}`);
  }
  return problems;
}

/** The snapshot the applied migrations built, as far as the folder tells (replaying drizzle-kit ones). */
async function appliedSnapshot(folder: MigrationFolder, report: StatusReport): Promise<Snapshot> {
  const applied = new Set(report.applied);
  const last = [...folder.migrations].reverse().find((m) => applied.has(m.name));
  if (!last) return emptySnapshot();
  if (last.meta) return last.meta.snapshot;
  return replayOnScratch(folder, { to: last.name }, async (_scratch, built) => built);
}
