import { StrataError } from '@strata/core';
import { describeEvent, readMigrationFolder, type MigrationFolder, type RunnerEvent, type RunnerOptions } from '@strata/runner';
import type { CommandContext } from '../context.js';

/** The runner options the config sets (history table, timeouts), with progress printed on stderr. */
export function runnerOptions(ctx: CommandContext): RunnerOptions {
  const c = ctx.config;
  return {
    history: c.history,
    lockTimeoutMs: c.lockTimeoutMs,
    lockBudgetMs: c.lockBudgetMs,
    statementTimeoutMs: c.statementTimeoutMs,
    lockWaitMs: c.lockWaitMs,
    onEvent: (e: RunnerEvent) => printEvent(ctx, e),
  };
}

function printEvent(ctx: CommandContext, e: RunnerEvent): void {
  const c = ctx.out.colors;
  switch (e.type) {
    case 'waiting-for-lock':
    case 'history-created':
    case 'history-upgraded':
    case 'drizzle-history-imported':
    case 'part-done':
      ctx.out.info(describeEvent(e));
      return;
    case 'lock-retry':
    case 'lock-waiting':
    case 'invalid-index-dropped':
      ctx.out.warn(describeEvent(e));
      return;
    case 'lock-acquired':
    case 'migration-started':
      ctx.out.debug(describeEvent(e));
      return;
    case 'migration-applied':
    case 'migration-reverted':
    case 'migration-baselined':
      // Printed on stdout as the command's result, one line per migration, as it happens.
      ctx.out.line(`${describeEvent(e).replace(/ \((\d+) ms\)$/, (_m, ms: string) => ` ${c.dim(`(${ms} ms)`)}`)}`);
      return;
    default: {
      const never: never = e;
      throw new Error(`unknown runner event ${JSON.stringify(never)}`);
    }
  }
}

/** The config's migration folder, read. */
export function migrationFolder(ctx: CommandContext): MigrationFolder {
  return readMigrationFolder(ctx.config.out);
}

/** Parses a positive whole number flag, or a usage error naming it. */
export function positiveInt(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new StrataError('USAGE', `${flag} must be a whole number of at least 1, got "${value}"`);
  return n;
}

/** Prints planned SQL for a dry run, one file after the other, part by part when a file has several. */
export function printPlannedSql(
  ctx: CommandContext,
  planned: { file: string; noTransaction: boolean; statements: { sql: string }[]; parts: { index: number; noTransaction: boolean; statements: { sql: string }[] }[]; partsTotal: number }[],
): void {
  for (const p of planned) {
    if (p.partsTotal <= 1) {
      ctx.out.line(`-- ${p.file}${p.noTransaction ? ' (runs outside a transaction)' : ''}`);
      for (const s of p.statements) ctx.out.line(`${s.sql};`);
    } else {
      ctx.out.line(`-- ${p.file}`);
      for (const part of p.parts) {
        ctx.out.line(`-- part ${part.index} of ${p.partsTotal}${part.noTransaction ? ' (outside a transaction)' : ' (in a transaction)'}`);
        for (const s of part.statements) ctx.out.line(`${s.sql};`);
      }
    }
    ctx.out.line();
  }
}
