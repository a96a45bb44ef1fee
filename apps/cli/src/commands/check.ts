import type { Command } from 'commander';
import { createPgliteClient, introspect, type DatabaseClient } from '@strata/db';
import { describeChange, diffSnapshots, type Change } from '@strata/diff';
import { latestSnapshot, replayMigrations, status, type MigrationFolder, type StatusReport } from '@strata/runner';
import { emptySnapshot, type Snapshot } from '@strata/schema';
import { codeSnapshot } from '../code-snapshot.js';
import type { CommandContext } from '../context.js';
import { limitSnapshot, liveSnapshot, managedSchemas, serverSpelled } from '../managed-schema.js';
import { action, EXIT } from '../run-action.js';
import { withSpinner } from '../spinner.js';
import { migrationFolder } from './runner-setup.js';

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

const DRIFT_VERB = { create: 'added by hand', drop: 'dropped by hand', alter: 'changed by hand', rename: 'renamed by hand' } as const;
const CODE_VERB = { create: 'added in the schema code', drop: 'removed from the schema code', alter: 'changed in the schema code', rename: 'renamed in the schema code' } as const;

const describe = (changes: Change[], verbs: Record<'create' | 'drop' | 'alter' | 'rename', string>) =>
  changes.map((c) => {
    const d = describeChange(c);
    return { change: d.text, message: `${d.text}: ${verbs[d.verb]}` };
  });

/** The snapshot the applied migrations built, as far as the folder tells (replaying drizzle-kit ones). */
async function appliedSnapshot(folder: MigrationFolder, report: StatusReport): Promise<{ snapshot: Snapshot; fromDatabase: boolean }> {
  const applied = new Set(report.applied);
  const lastApplied = [...folder.migrations].reverse().find((m) => applied.has(m.name));
  if (!lastApplied) return { snapshot: emptySnapshot(), fromDatabase: false };
  if (lastApplied.meta) return { snapshot: lastApplied.meta.snapshot, fromDatabase: false };
  const scratch = await createPgliteClient(null);
  try {
    await replayMigrations(scratch, folder, { to: lastApplied.name });
    return { snapshot: await introspect(scratch), fromDatabase: true };
  } finally {
    await scratch.close();
  }
}

/**
 * Compares the live database, the state the applied migrations should have produced, and the
 * schema code. `ok` only when all three agree and nothing is pending.
 *
 * @example
 * const r = await check(ctx); process.exitCode = r.ok ? 0 : 1;
 */
export async function check(ctx: CommandContext): Promise<CheckReport> {
  const config = ctx.requireSchemaConfig();
  const folder = migrationFolder(ctx);
  const { snapshot: code } = await codeSnapshot(config);
  const db: DatabaseClient = await ctx.openDb();
  const schemas = managedSchemas(config, code);
  const problems: CheckProblem[] = [];

  const report = await status(db, folder, { history: config.history });
  for (const p of report.problems) problems.push({ kind: 'integrity', message: p.message });
  for (const m of report.migrations) {
    if (m.state === 'applied') continue;
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
  const live = await withSpinner(ctx.out, 'reading the database', () => liveSnapshot(db, config, schemas));
  const expectedHere = await withSpinner(ctx.out, 'comparing with the applied migrations', () => serverSpelled(db, expected.snapshot, config, schemas, live));
  const drift = await diffSnapshots(expectedHere, live);
  for (const d of describe(drift.changes, DRIFT_VERB)) problems.push({ kind: 'drift', ...d });

  // Code not generated: the schema code against the newest migration's snapshot (both code-spelled).
  const latest = latestSnapshot(folder);
  let newest: Snapshot;
  let codeSide = limitSnapshot(code, schemas, config.tablesFilter);
  if (latest.kind === 'replay') {
    const scratch = await createPgliteClient(null);
    try {
      await replayMigrations(scratch, folder);
      newest = limitSnapshot(await introspect(scratch), schemas, config.tablesFilter);
      codeSide = await serverSpelled(scratch, code, config, schemas, newest);
    } finally {
      await scratch.close();
    }
  } else {
    newest = limitSnapshot(latest.snapshot, schemas, config.tablesFilter);
  }
  const ungenerated = await diffSnapshots(newest, codeSide);
  for (const d of describe(ungenerated.changes, CODE_VERB)) problems.push({ kind: 'not-generated', ...d });

  return { ok: problems.length === 0, problems, checked: { migrations: folder.migrations.length, applied: report.applied.length, schemas } };
}

export function registerCheck(program: Command, state: { exitCode: number }): Command {
  return program
    .command('check')
    .description('exit 0 only when the database, the migration history and the schema code agree; report every difference')
    .addHelpText('after', `
Examples:
  $ strata check
  $ strata check --json     # { ok, problems: [{ kind, message }] }`)
    .action(
      action(state, async (ctx) => {
        const r = await check(ctx);
        const c = ctx.out.colors;
        ctx.out.result(r);
        if (r.ok) {
          ctx.out.line(c.green(`in sync: database, ${r.checked.applied} applied migration(s) and schema code agree (${r.checked.schemas.join(', ')})`));
          return EXIT.ok;
        }
        const titles: Record<CheckProblem['kind'], string> = {
          integrity: 'migration folder',
          pending: 'migrations not applied',
          'out-of-order': 'migrations out of order',
          changed: 'applied migrations edited',
          missing: 'applied migrations missing',
          partial: 'migrations partly applied',
          reverting: 'migrations partly rolled back',
          drift: 'database drift (not made by any migration)',
          'not-generated': 'schema changes not generated (run `strata generate`)',
        };
        for (const kind of Object.keys(titles) as CheckProblem['kind'][]) {
          const of = r.problems.filter((p) => p.kind === kind);
          if (of.length === 0) continue;
          ctx.out.line(c.bold(titles[kind]));
          for (const p of of) ctx.out.line(`  ${c.yellow('•')} ${p.message}`);
        }
        ctx.out.line(c.red(`${r.problems.length} problem(s) found`));
        return EXIT.failure;
      }),
    );
}
