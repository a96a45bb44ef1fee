import type { Command } from 'commander';
import { describePhase, status, type StatusReport } from '@strata/runner';
import type { CommandContext } from '../context.js';
import { action, EXIT } from '../run-action.js';
import { migrationFolder, runnerOptions } from './runner-setup.js';
import { addFleetOptions, isFleetRun, type FleetFlags } from './fleet-options.js';

/**
 * Applied, pending, out-of-order, changed and missing migrations; reads only.
 *
 * @example
 * const s = await statusCommand(ctx); if (!s.ok) …
 */
export async function statusCommand(ctx: CommandContext): Promise<StatusReport> {
  const folder = migrationFolder(ctx);
  const db = await ctx.openDb();
  return status(db, folder, runnerOptions(ctx));
}

export function registerStatus(program: Command, state: { exitCode: number }): Command {
  return addFleetOptions(program
    .command('status'))
    .description('show applied, pending, out-of-order, changed and missing migrations')
    .addHelpText('after', '\nExit code 1 when a migration was changed after being applied, is missing, is out of order, or the folder has problems.\n\nExamples:\n  $ strata status\n  $ strata status --json')
    .action(
      action(state, async (ctx, flags: FleetFlags) => {
        if (isFleetRun(flags)) return (await import('./fleet.js')).fleetCommand(ctx, 'status', flags);
        const r = await statusCommand(ctx);
        printStatus(ctx, r);
        ctx.out.result(r);
        return r.ok ? EXIT.ok : EXIT.failure;
      }),
    );
}

function printStatus(ctx: CommandContext, r: StatusReport): void {
  const c = ctx.out.colors;
  const paint = { applied: c.green, pending: c.yellow, 'out-of-order': c.red, changed: c.red, missing: c.red, partial: c.red, reverting: c.red } as const;
  if (r.migrations.length === 0) {
    ctx.out.line(`no migrations in ${ctx.config.out}`);
  } else {
    const rows = r.migrations.map((m) => [
      m.name,
      (m.state === 'partial' ? `partial (${m.parts.done}/${m.parts.total} parts)` : m.state === 'reverting' ? `reverting (${m.parts.done}/${m.parts.total} down parts)` : m.held ? 'held' : m.state) +
        (m.phase ? ` (${m.phase})` : ''),
      m.appliedAt ? m.appliedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC') : '',
      m.durationMs === null ? '' : `${m.durationMs} ms`,
    ]);
    const head = ['migration', 'state', 'applied at', 'duration'];
    const width = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
    const pad = (cells: string[]) => cells.map((x, i) => x.padEnd(width[i]!)).join('  ').trimEnd();
    ctx.out.line(c.bold(pad(head)));
    r.migrations.forEach((m, i) => {
      const cells = rows[i]!;
      const text = pad(cells);
      ctx.out.line(text.replace(cells[1]!.padEnd(width[1]!), paint[m.state](cells[1]!.padEnd(width[1]!))));
    });
  }
  for (const s of r.multiStep) {
    ctx.out.line(`${c.bold('multi-step')} ${s.expand}${s.contract ? ` → ${s.contract}` : ''}: ${c.cyan(describePhase(s))} ${c.dim(`(${s.columns.join(', ')})`)}`);
  }
  for (const p of r.problems) ctx.out.line(c.red(`problem: ${p.message}`));
  const counts = [`${r.applied.length} applied`, `${r.pending.length} pending`];
  if (r.outOfOrder.length) counts.push(`${r.outOfOrder.length} out of order`);
  if (r.changed.length) counts.push(`${r.changed.length} changed after being applied`);
  if (r.missing.length) counts.push(`${r.missing.length} missing from the folder`);
  if (r.partial.length) counts.push(`${r.partial.length} partly applied`);
  if (r.reverting.length) counts.push(`${r.reverting.length} partly rolled back`);
  ctx.out.line(counts.join(', '));
  if (r.changed.length) ctx.out.info(`${c.cyan('hint')} restore edited migrations as applied and put the change in a new migration (strata generate)`);
  if (r.partial.length) ctx.out.info(`${c.cyan('hint')} strata migrate resumes a partly applied migration at its first part not done`);
  if (r.reverting.length) ctx.out.info(`${c.cyan('hint')} strata rollback resumes a partly rolled back migration at its next down part`);
  if (r.outOfOrder.length) ctx.out.info(`${c.cyan('hint')} strata migrate --allow-out-of-order applies out-of-order migrations`);
  if (r.problems.some((p) => p.kind === 'integrity')) ctx.out.info(`${c.cyan('hint')} if the edit was intended and no database applied it yet: strata hash`);
}
