import { normalizeSnapshot, withCodeText } from '@strata/db';
import { StrataError } from '@strata/core';
import { diffMultiStep, diffSnapshots, noRenameResolver, type MultiStepPlan, renderMigration, rewriteQuestion, summarize, type Diff, type PlanNote, type RenameResolver } from '@strata/diff';
import { assertFolderUsable, latestSnapshot, readMigrationFolder, writeMigration, type MigrationFolder } from '@strata/runner';
import type { Snapshot } from '@strata/schema';
import { codeSnapshot } from './code-snapshot.js';
import type { Confirm } from './confirm-request.js';
import { hintedRenameResolver } from './hinted-rename-resolver.js';
import { buildSql } from './managed-schema.js';
import { replayOnScratch } from './replay-on-scratch.js';
import type { SchemaConfig } from './resolved-config.js';
import { inStep, type OnProgress } from './workflow-progress.js';
import { writeMigrations, writeMultiStep, type GeneratedMigration } from './write-migrations.js';

export interface GenerateInput {
  config: SchemaConfig;
  /** Migration name; default from the change (`create_users`, `alter_posts`, … or `migration`). */
  name?: string;
  /** Write an empty migration for hand-written SQL, recording the schema code as the state after it. */
  custom?: boolean;
  /** Answers rename questions; default `hintedRenameResolver([])` (an open question is an error). */
  resolver?: RenameResolver;
  /** Plain DDL instead of the lock-safe recipes; default `config.unsafePlans`. */
  unsafePlans?: boolean;
  /**
   * `server_version_num` of the server the migration is for, when known: the SQL may use what it
   * runs (PostgreSQL 17's SET EXPRESSION). Unknown: SQL every supported server runs.
   */
  serverVersionNum?: number;
  /**
   * Asked before writing a type change that rewrites a table that exists (no lock-safe recipe);
   * without it, that is an INPUT_REQUIRED error (the CLI's exit 2) naming the answers.
   */
  confirm?: Confirm;
  /**
   * Write a column rename on a table that exists as two linked migrations (expand, then contract)
   * that keep the old and the new code working; with nothing to expand, a plain migration.
   */
  multiStep?: boolean;
  onProgress?: OnProgress;
}

export interface GenerateResult {
  changed: boolean;
  migrations: GeneratedMigration[];
  summary: string[];
  hazards: Diff['hazards'];
  warnings: string[];
  /** The lock-safe recipes the migration uses (which, for what, why). */
  plans: PlanNote[];
  /** With `multiStep` and something to expand: the expand and contract migrations' names (also in `migrations`, in that order). */
  multiStep: { expand: string; contract: string; columns: string[] } | null;
}

/**
 * Compares the schema code with the newest migration's snapshot and writes the next migration
 * (up, down, snapshot, integrity file) into `config.out`. No change: no files.
 *
 * @example
 * const r = await generate({ config, name: 'add phone number', resolver: hintedRenameResolver(['users.name=users.full_name']) });
 * for (const m of r.migrations) console.log(m.files);
 */
export async function generate(input: GenerateInput): Promise<GenerateResult> {
  const { config } = input;
  const folder = readMigrationFolder(config.out);
  assertFolderUsable(folder);
  const { snapshot: next } = await inStep(input.onProgress, 'loading the schema code', () => codeSnapshot(config));

  if (input.custom) {
    // A custom migration records the code as it is now: changes not generated yet become its job.
    // Said out loud, because the drizzle-kit habit (a custom migration for CREATE EXTENSION, then
    // generate for the tables) otherwise leaves the tables to nobody.
    const pending = await planGenerate({ folder, code: next, resolver: noRenameResolver, unsafePlans: true });
    const unmade = pending.changes.length === 0 ? [] : [
      '* the schema code has changes no migration has made yet; this custom migration records them as made, so its SQL must make them (a CREATE EXTENSION their tables need goes first):',
      ...summarize(pending).filter((line) => /^[+~-] /.test(line)).map((line) => `  ${line}`),
    ];
    const written = writeMigration(config.out, {
      folder,
      name: input.name ?? 'custom',
      up: '-- Write the SQL that brings the database to the schema code as it is now.\n',
      down: '-- Write the SQL that undoes this migration.\n',
      snapshot: next,
      custom: true,
    });
    return {
      changed: true, migrations: [{ ...written, up: '', down: '', parts: 1 }], summary: ['custom migration: edit its SQL', ...unmade], hazards: [],
      warnings: unmade.length > 0 ? [unmade[0]!.slice(2)] : [], plans: [], multiStep: null,
    };
  }

  const unsafePlans = input.unsafePlans ?? config.unsafePlans ?? false;
  const { diff, multiStep } = await planGenerateSteps({
    folder, code: next, resolver: input.resolver ?? hintedRenameResolver([]), unsafePlans, multiStep: input.multiStep ?? false,
    ...(input.serverVersionNum !== undefined ? { serverVersionNum: input.serverVersionNum } : {}),
    ...(input.onProgress ? { onProgress: input.onProgress } : {}),
  });
  if (diff.changes.length === 0) return { changed: false, migrations: [], summary: ['no schema changes'], hazards: [], warnings: [], plans: [], multiStep: null };
  if (multiStep) {
    await confirmRewrites(multiStep.expand.diff, unsafePlans, input.confirm);
    await confirmRewrites(multiStep.contract.diff, unsafePlans, input.confirm);
    const written = writeMultiStep(config.out, multiStep, { name: input.name ?? defaultMultiStepName(multiStep) });
    const both = [multiStep.expand.diff, multiStep.contract.diff];
    return {
      changed: true, migrations: [written.expand, written.contract],
      summary: [...summarize(diff), `= multi-step: ${written.expand.name} (expand: ${multiStep.added?.length ? 'new columns nullable, filled' : 'new columns, sync trigger, backfill'}), then ${written.contract.name} (contract, held by \`strata migrate\` until \`strata migrate --contract\`)`],
      hazards: both.flatMap((d) => d.hazards), warnings: both.flatMap((d) => d.warnings), plans: both.flatMap((d) => d.plans),
      multiStep: { expand: written.expand.name, contract: written.contract.name, columns: written.columns },
    };
  }
  await confirmRewrites(diff, unsafePlans, input.confirm);
  const migrations = writeMigrations(config.out, diff, next, { name: input.name ?? defaultName(diff), folder });
  return { changed: true, migrations, summary: summarize(diff), hazards: diff.hazards, warnings: diff.warnings, plans: diff.plans, multiStep: null };
}

/**
 * No silent rewrite: a type change that rewrites a table that exists stops generate (INPUT_REQUIRED,
 * naming `--unsafe-plans` and `--multi-step`) unless plain plans were asked for or
 * `confirm` says yes.
 */
async function confirmRewrites(diff: Diff, unsafePlans: boolean, confirm: Confirm | undefined): Promise<void> {
  const q = unsafePlans ? null : rewriteQuestion(diff.rewrites);
  if (!q) return;
  if (!confirm) throw new StrataError('INPUT_REQUIRED', `generate stopped: ${q.message}`, { hint: q.hint });
  if (!(await confirm({ kind: 'generate-rewrite', message: `${q.message}\nWrite the migration with the rewrite anyway?`, hint: q.hint, rewrites: diff.rewrites }))) {
    throw new StrataError('REFUSED', 'generate cancelled: nothing was written', { hint: q.hint });
  }
}

export interface PlanGenerateInput {
  folder: MigrationFolder;
  /** The schema code's snapshot (`codeSnapshot`). */
  code: Snapshot;
  resolver: RenameResolver;
  /** Plain DDL instead of the lock-safe recipes (default false). */
  unsafePlans?: boolean;
  /** The target server's `server_version_num`, when known (see GenerateInput). */
  serverVersionNum?: number;
  onProgress?: OnProgress;
}

/**
 * `planGenerate`, and with `multiStep` the expand/contract plan of its column renames on tables
 * that exist (null when there is nothing to expand).
 *
 * @example
 * const { diff, multiStep } = await planGenerateSteps({ folder, code, resolver, multiStep: true });
 */
export async function planGenerateSteps(input: PlanGenerateInput & { multiStep: boolean }): Promise<{ diff: Diff; multiStep: MultiStepPlan | null }> {
  const { prev, target } = await generateSides(input);
  const options = {
    resolver: input.resolver, unsafePlans: input.unsafePlans ?? false,
    ...(input.serverVersionNum !== undefined ? { serverVersionNum: input.serverVersionNum } : {}),
  };
  const r = input.multiStep
    ? await diffMultiStep(prev, target, options)
    : { diff: await diffSnapshots(prev, target, options), multiStep: null };
  await input.resolver.finish?.();
  return r;
}

/**
 * The diff `generate` would write: the newest migration's snapshot (or, for drizzle-kit
 * migrations, what they build on a scratch database) against the schema code.
 *
 * @example
 * const diff = await planGenerate({ folder: readMigrationFolder(config.out), code, resolver: noRenameResolver });
 */
export async function planGenerate(input: PlanGenerateInput): Promise<Diff> {
  return (await planGenerateSteps({ ...input, multiStep: false })).diff;
}

/** Both sides of the diff `generate` writes: the newest migration's snapshot and the schema code. */
async function generateSides(input: PlanGenerateInput): Promise<{ prev: Snapshot; target: Snapshot }> {
  const { folder, code } = input;
  const latest = latestSnapshot(folder);
  let prev: Snapshot;
  let target = code;
  if (latest.kind === 'replay') {
    // The newest migrations come from drizzle-kit: learn what they build on a scratch database,
    // and let that same server spell the code's expressions, so only real changes show. What the
    // migration creates or changes is written as the code writes it (see withCodeText).
    input.onProgress?.({ type: 'replaying-drizzle-kit-migrations' });
    [prev, target] = await replayOnScratch(folder, {}, async (scratch, built) => [built, withCodeText(await normalizeSnapshot(scratch, code, { buildSql }), code, built)] as const);
  } else {
    prev = latest.snapshot;
  }
  return { prev, target };
}

/**
 * The SQL `generate` would write now (renames not asked: drop and create), or null when the
 * schema code matches the newest migration. For the studio's "pending changes".
 *
 * @example
 * const pending = await pendingMigrationSql({ config }); // => { up: 'ALTER TABLE …', down: '…' } | null
 */
export async function pendingMigrationSql(input: { config: SchemaConfig; onProgress?: OnProgress }): Promise<{ up: string; down: string } | null> {
  const folder = readMigrationFolder(input.config.out);
  const { snapshot } = await codeSnapshot(input.config);
  const diff = await planGenerate({
    folder, code: snapshot, resolver: noRenameResolver, unsafePlans: input.config.unsafePlans ?? false, ...(input.onProgress ? { onProgress: input.onProgress } : {}),
  });
  if (diff.changes.length === 0) return null;
  return { up: renderMigration(diff.upParts), down: renderMigration(diff.downParts) };
}

/** `rename_users_name` for a multi-step change of one column; `multi_step` otherwise. */
function defaultMultiStepName(plan: MultiStepPlan): string {
  const c = plan.columns;
  const s = plan.swaps;
  if (s.length > 0) return `retype_${s[0]!.table.name}_${s[0]!.from.name}`.slice(0, 50);
  const a = plan.added ?? [];
  if (a.length === 1) return `add_${a[0]!.table.name}_${a[0]!.column.name}`.slice(0, 50);
  return (c.length === 1 ? `rename_${c[0]!.table.name}_${c[0]!.from.name}` : 'multi_step').slice(0, 50);
}

/** A name from the change itself when none is given: `create_users`, `alter_posts`, … */
function defaultName(diff: Diff): string {
  const first = diff.changes[0]!;
  const objectName = (() => {
    switch (first.kind) {
      case 'create-table':
      case 'drop-table':
        return first.table.name;
      default:
        return 'table' in first && first.table && typeof first.table === 'object' && 'name' in first.table ? String(first.table.name) : '';
    }
  })();
  const verb = first.kind.split('-')[0] ?? 'change';
  const name = diff.changes.length === 1 && objectName ? `${verb}_${objectName}` : `migration`;
  return name.slice(0, 60);
}
