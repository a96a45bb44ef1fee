import type { RunnerEvent } from '@strata/runner';

/** A stretch of work that may take a while (a caller may show a spinner while it runs). */
export type WorkflowStep =
  | 'loading the schema code'
  | 'reading the database'
  | 'letting the server spell the schema code'
  | 'comparing with the applied migrations';

/**
 * What a workflow reports while it runs; it prints nothing itself.
 *
 * @example
 * const onProgress = (e: WorkflowProgress) => { if (e.type === 'waiting-for-lock') console.error('waiting…'); };
 */
export type WorkflowProgress =
  | { type: 'step-started'; step: WorkflowStep }
  /** Sent whether the step succeeded or failed. */
  | { type: 'step-finished'; step: WorkflowStep }
  /** The newest migrations come from drizzle-kit: they are being replayed on a scratch database. */
  | { type: 'replaying-drizzle-kit-migrations' }
  /** Another Strata process holds the migration lock. */
  | { type: 'waiting-for-lock'; holderPid: number | null }
  /** While changes are applied (push): a lock wait, a retry after a lock timeout naming the blocker, a part done. */
  | { type: 'applying'; event: RunnerEvent };

export type OnProgress = (event: WorkflowProgress) => void;

/** Runs `work` between a step's started and finished events. */
export async function inStep<T>(onProgress: OnProgress | undefined, step: WorkflowStep, work: () => Promise<T>): Promise<T> {
  onProgress?.({ type: 'step-started', step });
  try {
    return await work();
  } finally {
    onProgress?.({ type: 'step-finished', step });
  }
}
