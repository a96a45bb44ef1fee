/** The first wait after a lock timeout, ms; it doubles up to `BACKOFF_CAP_MS`. */
export const BACKOFF_BASE_MS = 100;
/** The longest wait between two attempts, ms: the migration goes on soon after the blocker ends. */
export const BACKOFF_CAP_MS = 2000;

/**
 * The wait before attempt `attempt + 1`: capped exponential backoff with "equal jitter" (half
 * fixed, half random), so runners that timed out together do not come back together.
 *
 * @example
 * backoffDelayMs(1) // => between 50 and 100
 */
export function backoffDelayMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/**
 * The retries of one part (or one statement outside a transaction) after lock timeouts, within
 * `budgetMs` from its first attempt.
 */
export class LockRetryPolicy {
  readonly #started = performance.now();
  attempt = 0;

  constructor(readonly budgetMs: number) {}

  elapsedMs(): number {
    return Math.round(performance.now() - this.#started);
  }

  /** True while there is budget left for another attempt. */
  canRetry(): boolean {
    return this.elapsedMs() < this.budgetMs;
  }

  /** Counts an attempt that timed out; returns how long to wait before the next (never past the budget). */
  next(): number {
    this.attempt++;
    return Math.max(0, Math.min(backoffDelayMs(this.attempt), this.budgetMs - this.elapsedMs()));
  }
}
