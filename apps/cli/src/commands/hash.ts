import type { Command } from 'commander';
import { readMigrationFolder, rehash } from '@strata/runner';
import type { CommandContext } from '../context.js';
import { action, EXIT } from '../run-action.js';

/**
 * Rewrites `meta/strata.sum` after an intended edit of a migration no database has applied yet.
 *
 * @example
 * const { file, files, accepted } = hashCommand(ctx);
 */
export function hashCommand(ctx: CommandContext): { file: string; files: number; accepted: string[] } {
  const before = readMigrationFolder(ctx.config.out).problems.flatMap((p) => (p.kind === 'integrity' ? p.files.map((f) => `${f.file} (${f.issue})`) : []));
  return { ...rehash(ctx.config.out), accepted: before };
}

export function registerHash(program: Command, state: { exitCode: number }): Command {
  return program
    .command('hash')
    .description('rewrite the integrity file (meta/strata.sum) after an intended edit of a migration not yet applied anywhere')
    .addHelpText('after', '\nAn applied migration stays checked against the history table: hash does not make an edit of one acceptable.\n\nExamples:\n  $ strata hash')
    .action(
      action(state, async (ctx) => {
        const r = hashCommand(ctx);
        for (const f of r.accepted) ctx.out.info(`accepted ${f}`);
        ctx.out.line(`wrote ${r.file} (${r.files} file${r.files === 1 ? '' : 's'})`);
        ctx.out.result({ ok: true, ...r });
        return EXIT.ok;
      }),
    );
}
