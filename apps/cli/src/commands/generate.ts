import { relative } from 'node:path';
import type { Command } from 'commander';
import { createPgliteClient, introspect, normalizeSnapshot } from '@strata/db';
import { diffSnapshots, hintResolver, noRenameResolver, renderMigration, summarize, type Diff, type RenameResolver } from '@strata/diff';
import { assertFolderUsable, latestSnapshot, readMigrationFolder, replayMigrations, writeMigration, type MigrationFolder } from '@strata/runner';
import { assertServerCanExpress, featuresBeyondServer, type Snapshot } from '@strata/schema';
import { codeSnapshot } from '../code-snapshot.js';
import { buildSql } from '../managed-schema.js';
import type { CommandContext } from '../context.js';
import { highlightSql } from '../highlight-sql.js';
import { promptRenameResolver } from '../prompt-rename-resolver.js';
import { action } from '../run-action.js';
import { withSpinner } from '../spinner.js';

export interface GenerateOptions {
  name?: string;
  custom?: boolean;
  rename?: string[];
}

export interface GeneratedMigration {
  name: string;
  files: string[];
  up: string;
  down: string;
  /** Why this migration is separate from the one before it (split parts), if it is. */
  reason?: string;
}

export interface GenerateResult {
  changed: boolean;
  migrations: GeneratedMigration[];
  summary: string[];
  hazards: Diff['hazards'];
  warnings: string[];
}


/**
 * The resolver for this run: `--rename` hints answer; what they leave open is asked on a terminal
 * and is an input-required error (exit 2, listing the flags to pass) without one.
 */
export function renameResolver(ctx: CommandContext, hints: string[]): RenameResolver {
  const strict = hintResolver(hints, { unanswered: ctx.canPrompt ? 'drop-and-create' : 'error' });
  if (!ctx.canPrompt) return strict;
  const prompt = promptRenameResolver();
  return {
    async resolve(request) {
      const answered = await strict.resolve(request);
      const removed = request.removed.filter((r) => !answered.some((p) => p.from === r));
      const added = request.added.filter((a) => !answered.some((p) => p.to === a));
      if (removed.length === 0 || added.length === 0) return answered;
      return [...answered, ...(await prompt.resolve({ ...request, removed, added }))];
    },
    finish: () => strict.finish?.(),
  };
}

/**
 * Compares the schema code with the newest migration's snapshot and writes the next migration
 * (up, down, snapshot, integrity file). No change: no files.
 *
 * @example
 * const r = await generate(ctx, { name: 'add phone number' });
 */
export async function generate(ctx: CommandContext, options: GenerateOptions): Promise<GenerateResult> {
  const config = ctx.requireSchemaConfig();
  const folder = readMigrationFolder(config.out);
  assertFolderUsable(folder);
  const { snapshot: next } = await withSpinner(ctx.out, 'loading the schema code', () => codeSnapshot(config));
  // With an explicit --url, generate knows the server the migration is for: a schema that server
  // cannot express stops here, not when migrate runs it.
  if (ctx.options.url && featuresBeyondServer(next, 0).length > 0) {
    assertServerCanExpress(next, await (await ctx.openDb()).serverInfo(), 'generate');
  }

  if (options.custom) {
    const written = writeMigration(config.out, {
      name: options.name ?? 'custom',
      up: '-- Write the SQL that brings the database to the schema code as it is now.\n',
      down: '-- Write the SQL that undoes this migration.\n',
      snapshot: next,
      custom: true,
    });
    return { changed: true, migrations: [{ ...written, up: '', down: '' }], summary: ['custom migration: edit its SQL'], hazards: [], warnings: [] };
  }

  const resolver = renameResolver(ctx, options.rename ?? []);
  const diff = await planGenerate(ctx, folder, next, resolver);
  if (diff.changes.length === 0) return { changed: false, migrations: [], summary: ['no schema changes'], hazards: [], warnings: [] };

  const migrations: GeneratedMigration[] = [];
  const base = options.name ?? defaultName(diff);
  diff.parts.forEach((part, i) => {
    const up = renderMigration(part.up);
    const down = renderMigration(part.down);
    const isLast = i === diff.parts.length - 1;
    // The last part records the code's own snapshot, so the next generate compares like with like.
    const snapshot = isLast ? next : part.snapshot;
    const name = diff.parts.length > 1 ? `${base}_${i + 1}` : base;
    const written = writeMigration(config.out, { name, up, down, snapshot });
    migrations.push({ ...written, up, down, ...(part.reason ? { reason: part.reason } : {}) });
  });
  return { changed: true, migrations, summary: summarize(diff), hazards: diff.hazards, warnings: diff.warnings };
}

/**
 * The diff `generate` would write: the newest migration's snapshot (or, for drizzle-kit
 * migrations, what they build on a scratch database) against the schema code.
 *
 * @example
 * const diff = await planGenerate(ctx, readMigrationFolder(out), code, noRenameResolver);
 */
export async function planGenerate(ctx: CommandContext, folder: MigrationFolder, next: Snapshot, resolver: RenameResolver): Promise<Diff> {
  const latest = latestSnapshot(folder);
  let prev: Snapshot;
  let target = next;
  if (latest.kind === 'replay') {
    // The newest migrations come from drizzle-kit: learn what they build on a scratch database,
    // and let that same server spell the code's expressions, so only real changes show.
    ctx.out.info(ctx.out.colors.dim('Replaying drizzle-kit migrations on a scratch database to learn the current schema…'));
    const scratch = await createPgliteClient(null);
    try {
      await replayMigrations(scratch, folder);
      prev = await introspect(scratch);
      target = await normalizeSnapshot(scratch, next, { buildSql });
    } finally {
      await scratch.close();
    }
  } else {
    prev = latest.snapshot;
  }
  const diff = await diffSnapshots(prev, target, { resolver });
  await resolver.finish?.();
  return diff;
}

/**
 * The SQL `generate` would write now (renames not asked: drop and create), or null when the
 * schema code matches the newest migration. For the studio's "pending changes".
 */
export async function pendingMigrationSql(ctx: CommandContext): Promise<{ up: string; down: string } | null> {
  const config = ctx.requireSchemaConfig();
  const folder = readMigrationFolder(config.out);
  const { snapshot } = await codeSnapshot(config);
  const diff = await planGenerate(ctx, folder, snapshot, noRenameResolver);
  if (diff.changes.length === 0) return null;
  return { up: diff.parts.map((p) => renderMigration(p.up)).join('\n'), down: [...diff.parts].reverse().map((p) => renderMigration(p.down)).join('\n') };
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

export function registerGenerate(program: Command, state: { exitCode: number }): Command {
  return program
    .command('generate')
    .description('compare the schema code with the newest migration and write the next migration (up, down, snapshot)')
    .option('--name <name>', 'migration name (default: from the change)')
    .option('--custom', 'write an empty migration for hand-written SQL; records the schema code as the state after it')
    .option('--rename <from=to>', 'answer a rename question: [schema.]table[.column], an enum, view or schema (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .addHelpText('after', `
Examples:
  $ strata generate --name add_phone_number
  $ strata generate --rename users.name=users.full_name
  $ strata generate --rename products=catalog_items --name rename_products
  $ strata generate --custom --name backfill_full_name`)
    .action(
      action(state, async (ctx, opts: GenerateOptions) => {
        const r = await generate(ctx, opts);
        const c = ctx.out.colors;
        ctx.out.result(r);
        if (!r.changed) {
          ctx.out.line('no schema changes');
          return;
        }
        for (const line of r.summary) ctx.out.line(line.startsWith('!') ? c.yellow(line) : line.startsWith('*') ? c.magenta(line) : line);
        for (const m of r.migrations) {
          ctx.out.line('');
          ctx.out.line(c.bold(`${m.name}${m.reason ? c.dim(`  (${m.reason})`) : ''}`));
          for (const f of m.files) ctx.out.line(`  ${c.green('wrote')} ${relative(ctx.cwd, f) || f}`);
          if (m.up) {
            ctx.out.line('');
            ctx.out.line(highlightSql(m.up.trimEnd(), c));
          }
        }
        ctx.out.line('');
        ctx.out.line(
          c.dim(opts.custom
            ? 'Write the SQL in the .sql file and its reverse in the .down.sql file, run `strata hash` to record the edit, then `strata migrate`.'
            : 'Review the SQL, then apply it with `strata migrate`.'),
        );
      }),
    );
}


