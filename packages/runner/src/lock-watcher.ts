import type { Queryable } from '@strata/db';
import type { LockBlocker } from './runner-events.js';

/** What the watcher saw the migration session wait for. */
export interface LockWait {
  relation: string | null;
  blockers: LockBlocker[];
  /** When the wait was first seen (performance.now()). */
  since: number;
}

// Cheap unless the session waits: pg_stat_activity is read from shared memory; pg_blocking_pids
// (which takes the lock manager's locks) and pg_locks are only read while it waits on a lock.
const WATCH_SQL = `select b.pid, coalesce(b.application_name, '') as application_name,
       coalesce(b.query, '') as query, coalesce(b.state, '') as state,
       least(extract(epoch from clock_timestamp() - coalesce(b.xact_start, b.query_start, b.backend_start)) * 1000, 2147483647)::int as held_ms,
       (select string_agg(distinct l.relation::regclass::text, ', ') from pg_locks l where l.pid = me.pid and not l.granted and l.relation is not null) as relation
  from pg_stat_activity me
  cross join lateral unnest(case when me.wait_event_type = 'Lock' then pg_blocking_pids(me.pid) else '{}'::int[] end) as bp(pid)
  join pg_stat_activity b on b.pid = bp.pid
 where me.pid = $1`;

/** One line, no secrets (`PASSWORD '…'`), at most 120 characters. */
function shortQuery(q: string): string {
  const one = q.replace(/\s+/g, ' ').trim().replace(/(password\s+)'(?:[^']|'')*'/gi, "$1'****'");
  return one.length > 120 ? `${one.slice(0, 119)}…` : one;
}

/**
 * Watches, from another connection, what the migration session (`pid`) waits for while a part
 * runs, so a lock timeout can name who held the lock (pid, application, query, how long): the
 * wait is over by the time the statement fails. Polls every `intervalMs` (a fraction of
 * `lock_timeout`, so a wait of that length is seen) and calls `onLongWait` once when one wait
 * lasts `longWaitMs` (statements that run without `lock_timeout`).
 *
 * @example
 * const w = new LockWatcher(client, lock.pid, 25); w.start(); … const seen = w.stop();
 */
export class LockWatcher {
  #timer: ReturnType<typeof setTimeout> | null = null;
  #last: LockWait | null = null;
  #current: LockWait | null = null;
  #told = false;
  #busy = false;

  constructor(
    private readonly monitor: Queryable,
    private readonly pid: number,
    private readonly intervalMs: number,
    private readonly longWait?: { ms: number; onLongWait: (w: LockWait, waitedMs: number) => void },
  ) {}

  start(): void {
    this.#last = null;
    this.#current = null;
    this.#told = false;
    this.#schedule();
  }

  /** Stops watching; returns the last wait seen since `start` (null when none was). */
  stop(): LockWait | null {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    return this.#last;
  }

  #schedule(): void {
    this.#timer = setTimeout(() => void this.#poll(), this.intervalMs);
    this.#timer.unref?.();
  }

  async #poll(): Promise<void> {
    if (this.#busy || this.#timer === null) return;
    this.#busy = true;
    try {
      const r = await this.monitor.query<{ pid: number; application_name: string; query: string; state: string; held_ms: number; relation: string | null }>(WATCH_SQL, [this.pid]);
      if (r.rows.length > 0) {
        const blockers = r.rows.map((x) => ({ pid: x.pid, applicationName: x.application_name, query: shortQuery(x.query), state: x.state, heldMs: x.held_ms }));
        const since = this.#current?.since ?? performance.now();
        this.#current = { relation: r.rows[0]!.relation, blockers, since };
        this.#last = this.#current;
        const waited = performance.now() - since;
        if (this.longWait && !this.#told && waited >= this.longWait.ms) {
          this.#told = true;
          this.longWait.onLongWait(this.#current, Math.round(waited));
        }
      } else {
        this.#current = null;
      }
    } catch {
      // Watching is best effort: a failed look must never fail the migration.
    } finally {
      this.#busy = false;
      if (this.#timer !== null) this.#schedule();
    }
  }
}
