import type { Command } from 'commander';
import { Option } from 'commander';
import { maskSecrets, StrataError } from '@strata/core';
import { githubAnnotations, lintFiles, toSarif, type Finding, type LintFilesResult } from '@strata/lint';
import type { CommandContext } from '../context.js';
import { action, EXIT } from '../run-action.js';
import { VERSION } from '../version.js';

const FORMATS = ['text', 'json', 'sarif'] as const;
type Format = (typeof FORMATS)[number];

interface LintFlags {
  format?: string;
  offline?: boolean;
}

/**
 * Lints migration files (or the folder's, or the pending ones with a database) and returns the report.
 *
 * @example
 * const report = await lintCommand(ctx, [], {}); if (!report.ok) …
 */
export async function lintCommand(ctx: CommandContext, files: string[], flags: LintFlags): Promise<LintFilesResult> {
  const url = flags.offline ? null : ctx.databaseUrl();
  // The embedded default database is never what a lint means: only a database the user names grades findings.
  const db = url && url.source !== 'default' ? await ctx.openDb() : null;
  return lintFiles({ files, folder: ctx.config.out, cwd: ctx.cwd, db, runner: { history: ctx.config.history } });
}

export function registerLint(program: Command, state: { exitCode: number }): Command {
  return program
    .command('lint')
    .description('check migration SQL for locks that stall writes, changes that break running code, and risky types')
    .argument('[files...]', 'migration files (default: the pending migrations with a database, every migration without one)')
    .addOption(new Option('--format <format>', 'output: text, json or sarif').choices(FORMATS))
    .option('--offline', 'ignore the configured database: grade findings without table sizes')
    .addHelpText('after', `
With a database (--url, the config's dbUrl or DATABASE_URL), the tables' real sizes grade each
finding; without one, a blocking change to a table that an earlier migration created is an error.
Silence a finding with \`-- strata:ignore <rule> <reason>\` on the line above the statement.
On GitHub Actions (GITHUB_ACTIONS set), findings are also printed as annotations.
Exit code 1 when a finding is an error, 2 on a usage error.

Examples:
  $ strata lint
  $ strata lint database/migrations/20260301000000_add_index.sql
  $ strata lint --url "$PRODUCTION_READ_ONLY_URL"
  $ strata lint --format sarif > lint.sarif`)
    .action(
      action(state, async (ctx, files: string[], flags: LintFlags) => {
        const format: Format = ctx.options.json ? 'json' : ((flags.format ?? 'text') as Format);
        if (ctx.options.json && flags.format && flags.format !== 'json') throw new StrataError('USAGE', `--json and --format ${flags.format} ask for two outputs`, { hint: 'Use one of them.' });
        const report = await lintCommand(ctx, files, flags);
        const annotate = Boolean(process.env.GITHUB_ACTIONS);
        switch (format) {
          case 'json':
            process.stdout.write(`${maskSecrets(JSON.stringify(report, null, 2))}\n`);
            if (annotate) for (const a of githubAnnotations(report)) process.stderr.write(`${a}\n`);
            break;
          case 'sarif':
            process.stdout.write(`${maskSecrets(JSON.stringify(toSarif(report, VERSION), null, 2))}\n`);
            if (annotate) for (const a of githubAnnotations(report)) process.stderr.write(`${a}\n`);
            break;
          case 'text':
            printText(ctx, report);
            if (annotate) for (const a of githubAnnotations(report)) ctx.out.line(a);
            break;
          default: {
            const never: never = format;
            throw new Error(`unknown format ${String(never)}`);
          }
        }
        return report.ok ? EXIT.ok : EXIT.failure;
      }),
    );
}

function printText(ctx: CommandContext, r: LintFilesResult): void {
  const c = ctx.out.colors;
  const paint = { error: c.red, warning: c.yellow, info: c.cyan } as const;
  if (r.files.length === 0) {
    ctx.out.line(r.selection === 'pending' ? 'no pending migrations to lint' : `no migrations in ${ctx.config.out}`);
    return;
  }
  const shown = r.findings.filter((f) => !f.suppressed || ctx.out.verbose);
  for (const f of shown) ctx.out.line(formatFinding(f, paint[f.severity], c.dim, c.cyan));
  const suppressed = r.findings.filter((f) => f.suppressed).length;
  const parts = [`${r.counts.error} error${r.counts.error === 1 ? '' : 's'}`, `${r.counts.warning} warning${r.counts.warning === 1 ? '' : 's'}`];
  if (r.counts.info) parts.push(`${r.counts.info} note${r.counts.info === 1 ? '' : 's'}`);
  if (suppressed) parts.push(`${suppressed} ignored`);
  const files = `${r.files.length} ${r.selection === 'pending' ? 'pending ' : ''}migration file${r.files.length === 1 ? '' : 's'}`;
  ctx.out.line(`${shown.length ? '\n' : ''}${parts.join(', ')} in ${files}${r.database ? ' (graded by the database\'s table sizes)' : ''}`);
}

type Paint = (s: string) => string;

function formatFinding(f: Finding, paint: Paint, dim: Paint, cyan: Paint): string {
  const head = `${f.file}:${f.line}:${f.column}  ${paint(f.severity)}  ${f.message}  ${dim(f.rule)}`;
  const lines = [head];
  if (f.statement) lines.push(dim(`    ${f.statement.length > 100 ? `${f.statement.slice(0, 99)}…` : f.statement}`));
  if (f.hint) lines.push(`    ${cyan('hint')} ${f.hint}`);
  if (f.suppressed) lines.push(dim(`    ignored (line ${f.suppressed.line}): ${f.suppressed.reason}`));
  return lines.join('\n');
}
