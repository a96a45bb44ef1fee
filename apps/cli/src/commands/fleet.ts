import { StrataError } from '@strata/core';
import { listTargets, parseTargetsSource, readTargetsFile, runFleet, type FleetAction, type FleetReport } from '@strata/fleet';
import { resolve } from 'node:path';
import type { CommandContext } from '../context.js';
import { EXIT } from '../run-action.js';
import { createFleetRenderer, targetLine } from './fleet-table.js';
import { migrationFolder, positiveInt } from './runner-setup.js';

export { addFleetOptions, isFleetRun, type FleetFlags } from './fleet-options.js';
import type { FleetFlags } from './fleet-options.js';

/**
 * Runs `action` over the targets (`--targets` file, else the config's `targets`): a live table on
 * a terminal, a line per target otherwise, the report (`--json`); exit 1 when a target failed,
 * was locked or skipped, or (status, check, data status) differs.
 *
 * @example
 * if (isFleetRun(flags)) return fleetCommand(ctx, 'migrate', flags);
 */
export async function fleetCommand(ctx: CommandContext, action: FleetAction, flags: FleetFlags & { allowOutOfOrder?: boolean; to?: string; dryRun?: boolean; backup?: boolean; steps?: string | number }): Promise<number> {
  const unsupported = [action !== 'rollback' && flags.to !== undefined && '--to', flags.dryRun && '--dry-run', flags.backup && '--backup', flags.steps !== undefined && '--steps'].filter(Boolean);
  if (unsupported.length > 0) throw new StrataError('USAGE', `${unsupported.join(', ')} cannot be combined with --all or --targets yet`, { hint: 'Run them on one database with --url, or drop them.' });
  const report = await runFleetFor(ctx, action, flags);
  printReport(ctx, report);
  ctx.out.result(report);
  return report.ok ? EXIT.ok : EXIT.failure;
}

/** The fleet run behind `fleetCommand`, without the summary (for tests and programs). */
export async function runFleetFor(ctx: CommandContext, action: FleetAction, flags: FleetFlags & { allowOutOfOrder?: boolean; to?: string }): Promise<FleetReport> {
  if (ctx.options.url) throw new StrataError('USAGE', '--url names one database; --all and --targets run on a list of them', { hint: 'Drop --url, or drop --all/--targets.' });
  const source = flags.targets
    ? readTargetsFile(resolve(ctx.cwd, flags.targets))
    : ctx.config.targets
      ? parseTargetsSource(ctx.config.targets, ctx.config.file ?? 'the config')
      : null;
  if (!source) {
    throw new StrataError('CONFIG_INVALID', '--all: the config has no `targets`', {
      hint: 'Add targets: ["postgres://…/tenant_1", …] to strata.config.ts, or pass --targets <file.json> (docs/fleet.md).',
    });
  }
  const targets = await listTargets(source, { baseDir: ctx.config.dir });
  const renderer = createFleetRenderer(ctx.out, targets.length);
  try {
    return await runFleet({
      action,
      targets,
      folder: migrationFolder(ctx),
      config: ctx.config,
      concurrency: positiveInt('--concurrency', flags.concurrency),
      failFast: flags.failFast,
      canary: positiveInt('--canary', flags.canary),
      allowOutOfOrder: flags.allowOutOfOrder || ctx.config.outOfOrder === 'allow',
      rollbackTo: action === 'rollback' ? flags.to : undefined,
      onEvent: (e) => renderer.event(e),
    });
  } finally {
    renderer.stop();
  }
}

function printReport(ctx: CommandContext, r: FleetReport): void {
  const c = ctx.out.colors;
  const bad = r.targets.filter((t) => t.outcome === 'failed' || t.outcome === 'locked');
  if (bad.length > 0) {
    ctx.out.line(c.bold(`${bad.length} target(s) failed or locked`));
    for (const t of bad) {
      ctx.out.line(`  ${targetLine(ctx.out, t)}`);
      for (const d of t.error?.details ?? []) ctx.out.line(`    ${d}`);
      if (t.error?.hint) ctx.out.line(`    ${c.cyan('hint')} ${t.error.hint}`);
      if (t.pending.length) ctx.out.line(`    still to apply: ${t.pending.join(', ')}`);
    }
  }
  for (const g of r.groups) {
    ctx.out.line(c.bold(`${g.targets.length} target(s) differ: ${g.targets.join(', ')}`));
    for (const p of g.problems) ctx.out.line(`  ${c.yellow('•')} ${p}`);
  }
  const counts = Object.entries(r.counts).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`);
  const skipped = r.counts.skipped > 0 ? ` (${r.canary && !r.canary.passed ? 'the canary failed' : '--fail-fast'})` : '';
  ctx.out.line(`${r.targets.length} target(s): ${counts.join(', ')}${skipped} ${c.dim(`(${(r.durationMs / 1000).toFixed(1)} s)`)}`);
  if (bad.length > 0 && (r.action === 'migrate' || r.action === 'data')) ctx.out.info(`${c.cyan('hint')} fix the failed targets and run the same command again: it does only what is left`);
}
