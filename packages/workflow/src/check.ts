import { recognizeAbsorbedUniques } from '@strata/db';
import { describeChange, diffSnapshots, type Change } from '@strata/diff';
import { latestSnapshot, readMigrationFolder, status, type MigrationFolder, type StatusReport } from '@strata/runner';
import { emptySnapshot, type Snapshot } from '@strata/schema';
import { codeSnapshot } from './code-snapshot.js';
import { createdByMigrations, createdObject } from './created-by-migrations.js';
import { openDatabaseInput, type DatabaseInput } from './database-input.js';
import { limitSnapshot, liveSnapshot, managedSchemas, serverSpelled } from './managed-schema.js';
import { replayOnScratch } from './replay-on-scratch.js';
import type { SchemaConfig } from './resolved-config.js';
import { inStep, type OnProgress } from './workflow-progress.js';

/** One disagreement between the database, the migration history and the schema code. */
export type CheckProblem =
  | { kind: 'integrity'; message: string }
  | { kind: 'pending' | 'out-of-order' | 'changed' | 'missing' | 'partial' | 'reverting'; migration: string; message: string }
  /** The database differs from what the applied migrations built (DDL run by hand). */
  | { kind: 'drift'; change: string; message: string }
  /** The schema code differs from the newest migration's snapshot (`generate` not run). */
  | { kind: 'not-generated'; change: string; message: string };

export interface CheckReport {
  ok: boolean;
  problems: CheckProblem[];
  /** What each comparison covered. */
  checked: { migrations: number; applied: number; schemas: string[] };
}

export interface CheckInput {
  config: SchemaConfig;
  db: DatabaseInput;
  onProgress?: OnProgress;
}

const DRIFT_VERB = { create: 'added by hand', drop: 'dropped by hand', alter: 'changed by hand', rename: 'renamed by hand' } as const;
const CODE_VERB = { create: 'added in the schema code', drop: 'removed from the schema code', alter: 'changed in the schema code', rename: 'renamed in the schema code' } as const;

const describe = (changes: Change[], verbs: Record<'create' | 'drop' | 'alter' | 'rename', string>) =>
  changes.map((c) => {
    const d = describeChange(c);
    return { change: d.text, message: `${d.text}: ${verbs[d.verb]}` };
  });

/** The snapshot the applied migrations built, as far as the folder tells (replaying drizzle-kit ones). */
async function appliedSnapshot(folder: MigrationFolder, report: StatusReport): Promise<Snapshot> {
  const applied = new Set(report.applied);
  const lastApplied = [...folder.migrations].reverse().find((m) => applied.has(m.name));
  if (!lastApplied) return emptySnapshot();
  if (lastApplied.meta) return lastApplied.meta.snapshot;
  return replayOnScratch(folder, { to: lastApplied.name }, async (_scratch, built) => built);
}

/**
 * Compares the live database, the state the applied migrations should have produced, and the
 * schema code. `ok` only when all three agree and nothing is pending.
 *
 * @example
 * const r = await check({ config, db });
 * process.exitCode = r.ok ? 0 : 1;
 */
export async function check(input: CheckInput): Promise<CheckReport> {
  const { config, onProgress } = input;
  const folder = readMigrationFolder(config.out);
  const { snapshot: code } = await codeSnapshot(config);
  const db = await openDatabaseInput(input.db);
  const schemas = managedSchemas(config, code);
  const problems: CheckProblem[] = [];

  const report = await status(db, folder, { history: config.history });
  for (const p of report.problems) problems.push({ kind: 'integrity', message: p.message });
  // During a multi-step window (expand applied, contract pending) both columns are expected: the
  // contract is no problem, and the database is compared with the expand migration's snapshot.
  const inWindow = new Set(report.multiStep.filter((s) => s.phase === 'ready to contract' && s.contract).map((s) => s.contract!));
  for (const m of report.migrations) {
    if (m.state === 'applied' || (m.state === 'pending' && inWindow.has(m.name))) continue;
    const what = {
      pending: 'not applied yet (run `strata migrate`)',
      'out-of-order': 'not applied, and older than an applied migration (see `strata status`)',
      changed: 'edited after it was applied',
      missing: 'applied, but missing from the migration folder',
      partial: `partly applied (${m.parts.done} of ${m.parts.total} parts; \`strata migrate\` resumes it)`,
      reverting: `partly rolled back (${m.parts.done} of ${m.parts.total} down parts; \`strata rollback\` resumes it)`,
    }[m.state];
    problems.push({ kind: m.state, migration: m.name, message: `migration ${m.name}: ${what}` });
  }

  // Drift: the database against what its applied migrations built, both spelled by this server.
  const expected = await appliedSnapshot(folder, report);
  const live = await inStep(onProgress, 'reading the database', () => liveSnapshot(db, config, schemas));
  const expectedHere = await inStep(onProgress, 'comparing with the applied migrations', () => serverSpelled(db, expected, config, schemas, live));
  // PostgreSQL absorbs a UNIQUE on the primary key's columns (drizzle-kit's `.primaryKey().unique()`).
  const drift = await diffSnapshots(expectedHere, recognizeAbsorbedUniques(live, expected, expectedHere));
  const described = describe(drift.changes, DRIFT_VERB);
  // An object the code does not declare may come from a custom migration's SQL: name it.
  const creates = drift.changes.map(createdObject);
  if (creates.some((x) => x !== null)) {
    const applied = new Set(report.applied);
    const made = await createdByMigrations(folder.migrations.filter((m) => applied.has(m.name)));
    drift.changes.forEach((c, k) => {
      const by = creates[k] ? made.get(creates[k]) : undefined;
      if (by) {
        const text = describeChange(c).text;
        described[k] = { change: text, message: `${text}: made by migration ${by}, not declared in the schema code (declare it there, or list it in the config's ownedBySql)` };
      }
    });
  }
  for (const d of described) problems.push({ kind: 'drift', ...d });

  // Code not generated: the schema code against the newest migration's snapshot (both code-spelled).
  const latest = latestSnapshot(folder);
  let newest: Snapshot;
  let codeSide = limitSnapshot(code, schemas, config.tablesFilter);
  if (latest.kind === 'replay') {
    [newest, codeSide] = await replayOnScratch(folder, {}, async (scratch, built) => {
      const limited = limitSnapshot(built, schemas, config.tablesFilter);
      return [limited, await serverSpelled(scratch, code, config, schemas, limited)] as const;
    });
  } else {
    newest = limitSnapshot(latest.snapshot, schemas, config.tablesFilter);
  }
  const ungenerated = await diffSnapshots(newest, codeSide);
  for (const d of describe(ungenerated.changes, CODE_VERB)) problems.push({ kind: 'not-generated', ...d });

  return { ok: problems.length === 0, problems, checked: { migrations: folder.migrations.length, applied: report.applied.length, schemas } };
}
