import { StrataError } from '@strata/core';
import { describeEvent, readMigrationFolder, type MigrationFolder, type RunnerEvent, type RunnerOptions } from '@strata/runner';
import type { CommandContext } from '../context.js';
import { startSpinner } from '../spinner.js';

/** The runner options the config sets (history table, timeouts), with progress printed on stderr. */
export function runnerOptions(ctx: CommandContext): RunnerOptions {
  const c = ctx.config;
  return {
    history: c.history,
    lockTimeoutMs: c.lockTimeoutMs,
    lockBudgetMs: c.lockBudgetMs,
    statementTimeoutMs: c.statementTimeoutMs,
    lockWaitMs: c.lockWaitMs,
    onEvent: progress(ctx),
  };
}

/**
 * Prints the runner's events as they happen. A migration says so as it starts: a line of its
 * own without a terminal; on one, a spinner with the time so far until it is done. Ctrl-C while
 * one runs prints what was applied (or reverted) and what becomes of the one that was running,
 * then exits 130.
 */
function progress(ctx: CommandContext): (e: RunnerEvent) => void {
  let running: { name: string; direction: 'up' | 'down'; startedAt: number; noTransaction: boolean; part: number; parts: number; stop: () => void; spin: () => () => void } | null = null;
  const done: string[] = [];
  let direction: 'up' | 'down' = 'up';
  const onInterrupt = () => {
    running?.stop();
    const verb = direction === 'up' ? 'applied' : 'reverted';
    const lines = [`interrupted (Ctrl-C): ${done.length === 0 ? `nothing was ${verb}` : `${verb}: ${done.join(', ')}`}`];
    if (running) {
      const r = running;
      lines.push(r.parts > 1
        // Parts say nothing here of how they run: say both cases.
        ? `${r.name}: part ${r.part} of ${r.parts} was interrupted: rolled back if it runs in a transaction; statements it committed stay if it runs outside one${r.part > 1 ? `; parts 1–${r.part - 1} are applied and recorded` : ''}; the next run resumes at part ${r.part}`
        : r.noTransaction
          ? `${r.name} runs outside a transaction: statements it committed before the interrupt stay; nothing of it was recorded, so the next run starts it again`
          // The part was sent with its COMMIT in one round trip: a server that already ran it
          // commits it, with its history row; one still running it rolls it back.
          : `${r.name} was interrupted: it is either rolled back, or applied and recorded if the server had already run it — never half applied; \`strata status\` says which`);
    }
    for (const l of lines) ctx.out.warn(l);
    process.exit(130);
  };
  return (e: RunnerEvent) => {
    switch (e.type) {
      case 'migration-started': {
        direction = e.direction;
        const text = describeEvent(e);
        if (!ctx.out.interactive || ctx.out.json) ctx.out.info(text);
        const startedAt = Date.now();
        const spin = () => startSpinner(ctx.out, () => `${text.replace(/…$/, '')} ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
        running = { name: e.name, direction: e.direction, startedAt, noTransaction: e.noTransaction, part: e.fromPart, parts: e.parts, stop: spin(), spin };
        process.once('SIGINT', onInterrupt);
        break;
      }
      case 'part-done':
        if (running) {
          running.stop();
          running.part = e.part + 1;
          // The part's line is printed below; the spinner goes on for the next part.
          if (running.part <= running.parts) {
            printEvent(ctx, e);
            running.stop = running.spin();
            return;
          }
        }
        break;
      case 'migration-applied':
      case 'migration-reverted':
        running?.stop();
        running = null;
        done.push(e.name);
        process.removeListener('SIGINT', onInterrupt);
        break;
      default:
        break;
    }
    printEvent(ctx, e);
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
