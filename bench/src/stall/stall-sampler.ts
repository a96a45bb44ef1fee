import pg from 'pg';

/** What blocked the writer, from sampling: one entry per blocking statement. */
export interface BlockerSample {
  /** The blocking session's statement (its first 160 characters). */
  query: string;
  /** The lock mode the writer waited for, when the server names it. */
  waitedFor: string;
  /** The time between samples that saw the writer blocked by it, summed: roughly how long it blocked, ms. */
  approxMs: number;
  /** When it was first seen, epoch ms. */
  firstAt: number;
}

/**
 * The statement a session runs, as shown in a note: the session settings and savepoint a tool sends
 * before it in the same string left out, whitespace collapsed, at most 160 characters.
 */
export function statementShown(query: string): string {
  const text = query.replace(/\s+/g, ' ').trim().replace(/^(?:(?:SET|SAVEPOINT|BEGIN|RESET)\b[^;]*;\s*)+/i, '');
  return text.length > 160 ? `${text.slice(0, 159)}…` : text;
}

/** A sampler running beside a timed run. */
export interface BlockerSampler {
  stop(): Promise<BlockerSample[]>;
}

/**
 * Every `intervalMs`, asks the server whether the writer (`application_name` = `app`) is waiting
 * for a lock and on whom (`pg_blocking_pids`): which statement of a migration stalls the writes.
 *
 * @example
 * const s = await sampleBlockers(url, 'bench-stall-writer'); … const blockers = await s.stop();
 */
export async function sampleBlockers(url: string, app: string, intervalMs = 10): Promise<BlockerSampler> {
  const client = new pg.Client({ connectionString: url, application_name: 'bench-stall-sampler' });
  await client.connect();
  const seen = new Map<string, BlockerSample>();
  let stop = false;
  let prevAt = performance.timeOrigin + performance.now();
  const loop = (async () => {
    while (!stop) {
      const r = await client.query<{ query: string; mode: string | null }>(
        `select left(b.query, 4000) as query,
                (select l.mode from pg_locks l where l.pid = w.pid and not l.granted limit 1) as mode
           from pg_stat_activity w
           cross join lateral unnest(pg_blocking_pids(w.pid)) as bp(pid)
           join pg_stat_activity b on b.pid = bp.pid
          where w.application_name = $1`,
        [app],
      );
      const at = performance.timeOrigin + performance.now();
      // The time since the previous sample (the query itself waits when the server is busy).
      const dt = at - prevAt;
      prevAt = at;
      for (const row of r.rows) {
        const key = `${row.query}\u0000${row.mode ?? ''}`;
        const s = seen.get(key) ?? { query: statementShown(row.query), waitedFor: row.mode ?? 'a lock', approxMs: 0, firstAt: Math.round(at) };
        s.approxMs += Math.round(dt);
        seen.set(key, s);
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    async stop() {
      stop = true;
      await loop.catch(() => undefined);
      await client.end().catch(() => undefined);
      return [...seen.values()].sort((a, b) => b.approxMs - a.approxMs);
    },
  };
}
