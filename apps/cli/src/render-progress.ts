import { describeEvent } from '@strata/runner';
import type { OnProgress, WorkflowStep } from '@strata/workflow';
import type { CommandContext } from './context.js';
import { startSpinner } from './spinner.js';

/**
 * Renders a workflow's progress on stderr: a spinner per long step, notices for a replay of
 * drizzle-kit migrations and for a wait on the migration lock.
 *
 * @example
 * await push({ config, db, onProgress: progressPrinter(ctx) });
 */
export function progressPrinter(ctx: CommandContext): OnProgress {
  const spinners = new Map<WorkflowStep, () => void>();
  return (e) => {
    switch (e.type) {
      case 'step-started':
        spinners.get(e.step)?.();
        spinners.set(e.step, startSpinner(ctx.out, e.step));
        return;
      case 'step-finished':
        spinners.get(e.step)?.();
        spinners.delete(e.step);
        return;
      case 'replaying-drizzle-kit-migrations':
        ctx.out.info(ctx.out.colors.dim('Replaying drizzle-kit migrations on a scratch database to learn the current schema…'));
        return;
      case 'waiting-for-lock':
        ctx.out.info(`waiting for another Strata process${e.holderPid ? ` (pid ${e.holderPid})` : ''} to release the migration lock…`);
        return;
      case 'applying':
        // What an operator must see: a lock wait or retry and who blocks it; the rest with --verbose.
        if (e.event.type === 'lock-retry' || e.event.type === 'lock-waiting' || e.event.type === 'invalid-index-dropped') ctx.out.warn(describeEvent(e.event));
        else ctx.out.debug(describeEvent(e.event));
        return;
      default: {
        const never: never = e;
        throw new Error(`unknown workflow progress ${JSON.stringify(never)}`);
      }
    }
  };
}
