import { createRequire } from 'node:module';
import { hostname, userInfo } from 'node:os';
import { DEFAULT_DRIZZLE_HISTORY } from './drizzle-history.js';
import { DEFAULT_HISTORY, type HistoryOptions } from './history-table.js';
import type { RunnerEvent } from './runner-events.js';

/** Options shared by migrate, rollback, baseline and status. Every one has a default. */
export interface RunnerOptions {
  /** Strata's history table; default `strata.migrations`. */
  history?: HistoryOptions;
  /** drizzle-orm's history table to recognise (adopting drizzle-kit); default `drizzle.__drizzle_migrations`; false to ignore it. */
  drizzleHistory?: HistoryOptions | false;
  /**
   * `lock_timeout` for each statement, ms; default 100; 0 waits forever. Short on purpose: a
   * statement waiting for a lock makes every later query on that table wait behind it.
   */
  lockTimeoutMs?: number;
  /**
   * How long a part may keep retrying after lock timeouts, ms (capped exponential backoff with
   * jitter; each retry reruns the part's whole transaction); default 60 000; 0 never retries.
   */
  lockBudgetMs?: number;
  /** `statement_timeout`, ms; default 0 (none). */
  statementTimeoutMs?: number;
  /** How long to wait for another process's migration lock, ms; default 60 000. */
  lockWaitMs?: number;
  /** Recorded in the history; default `user@host (strata <version>)`. */
  appliedBy?: string;
  /**
   * The `search_path` every applying session runs with; default `['public']`. A tenant schema's
   * run passes `[tenant, 'public']`, so a hand-written `create table foo` lands in the tenant's
   * schema while extensions installed in `public` still resolve.
   */
  searchPath?: readonly string[];
  onEvent?: (event: RunnerEvent) => void;
}

export const DEFAULT_LOCK_TIMEOUT_MS = 100;
export const DEFAULT_LOCK_BUDGET_MS = 60_000;

export const RUNNER_VERSION: string = (createRequire(import.meta.url)('../package.json') as { version: string }).version;

export interface ResolvedRunnerOptions {
  history: HistoryOptions;
  drizzleHistory: HistoryOptions | false;
  lockTimeoutMs: number;
  lockBudgetMs: number;
  statementTimeoutMs: number;
  lockWaitMs: number;
  appliedBy: string;
  searchPath: readonly string[];
  emit: (event: RunnerEvent) => void;
}

function whoAmI(): string {
  let user = process.env.USER ?? 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (some containers): keep $USER.
  }
  return `${user}@${hostname()} (strata ${RUNNER_VERSION})`;
}

export function resolveRunnerOptions(o: RunnerOptions): ResolvedRunnerOptions {
  return {
    history: o.history ?? DEFAULT_HISTORY,
    drizzleHistory: o.drizzleHistory === undefined ? DEFAULT_DRIZZLE_HISTORY : o.drizzleHistory,
    lockTimeoutMs: o.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS,
    lockBudgetMs: Math.max(0, o.lockBudgetMs ?? DEFAULT_LOCK_BUDGET_MS),
    statementTimeoutMs: o.statementTimeoutMs ?? 0,
    lockWaitMs: o.lockWaitMs ?? 60_000,
    appliedBy: o.appliedBy ?? whoAmI(),
    searchPath: o.searchPath && o.searchPath.length > 0 ? o.searchPath : ['public'],
    emit: o.onEvent ?? (() => {}),
  };
}
