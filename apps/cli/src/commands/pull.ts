import { existsSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { StrataError } from '@strata/core';
import { defaultPullDir as defaultDir, pull, type PullReport } from '@strata/workflow';
import type { CommandContext } from '../context.js';
import { action, EXIT } from '../run-action.js';

export type { PullReport } from '@strata/workflow';

export interface PullFlags {
  /** Output directory; see `defaultPullDir`. */
  out?: string;
  layout?: 'per-schema' | 'per-table';
}

/**
 * Where `pull` writes without `--out` (see @strata/workflow's `defaultPullDir`).
 *
 * @example
 * defaultPullDir(ctx) // => '/app/src/database/schema'
 */
export function defaultPullDir(ctx: CommandContext): string {
  return defaultDir(ctx.config);
}

/**
 * `strata pull` over @strata/workflow's `pull`: `--out` relative to the working directory, and
 * refused when it names a file.
 *
 * @example
 * const report = await pullCommand(ctx, { out: './src/db/schema' });
 */
export async function pullCommand(ctx: CommandContext, flags: PullFlags = {}): Promise<PullReport> {
  const out = flags.out ? (isAbsolute(flags.out) ? flags.out : resolve(ctx.cwd, flags.out)) : defaultPullDir(ctx);
  if (existsSync(out) && !statSync(out).isDirectory()) {
    throw new StrataError('USAGE', `--out ${out} is a file, not a directory`, { hint: 'Give a directory; pull writes one file per schema (or per table) into it.' });
  }
  return pull({ config: ctx.config, db: () => ctx.openDb(), out, ...(flags.layout ? { layout: flags.layout } : {}) });
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function registerPull(program: Command, state: { exitCode: number }): Command {
  return program
    .command('pull')
    .description('write drizzle pg-core TypeScript from the live database (overwrites only its own earlier output)')
    .option('--out <dir>', 'output directory (default: the config\'s schema directory, else ./src/database/schema)')
    .addOption(new Option('--layout <layout>', 'one file per schema or per table').choices(['per-schema', 'per-table']).default('per-schema'))
    .addHelpText('after', [
      '',
      'Managed schemas and tables follow the config (schemas, tablesFilter); without one, every schema but',
      'the system ones and the migration history schemas (strata, drizzle). Objects owned by extensions are left out.',
      '',
      'Examples:',
      '  $ strata pull',
      '  $ strata pull --url postgres://app@localhost:5432/app --out ./src/db/schema --layout per-table',
    ].join('\n'))
    .action(
      action(state, async (ctx, flags: PullFlags) => {
        const r = await pullCommand(ctx, flags);
        const c = ctx.out.colors;
        for (const s of r.schemas) {
          const parts = [plural(s.tables, 'table'), plural(s.enums, 'enum'), plural(s.views, 'view')];
          if (s.sequences > 0) parts.push(plural(s.sequences, 'sequence'));
          ctx.out.line(`${s.name.padEnd(20)} ${parts.join(', ')}`);
        }
        const written = r.files.filter((f) => f.status === 'written').length;
        const removed = r.files.filter((f) => f.status === 'removed').length;
        ctx.out.line(`wrote ${plural(written, 'file')} to ${r.out}${removed > 0 ? `, removed ${removed} stale` : ''} ${c.dim(`(${r.files.length - written - removed} unchanged, ${r.ms} ms)`)}`);
        ctx.out.result(r);
        return EXIT.ok;
      }),
    );
}
