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

/** One look at the writer's session. */
export interface WriterState {
  /** Epoch ms. */
  at: number;
  /** `Lock:relation`, `LWLock:WALWrite`, `IO:DataFileExtend`…, `running` (active, no wait) or `idle` (between writes). */
  wait: string;
  /** The statement it waited behind, for a lock wait. */
  blocker?: string;
}

/** What a sampler saw. */
export interface SamplerResult {
  /** Statements the writer waited behind, longest first. */
  blockers: BlockerSample[];
  /** Every look at the writer, in order. */
  states: WriterState[];
}

/** A sampler running beside a timed run. */
export interface BlockerSampler {
  stop(): Promise<SamplerResult>;
}

/**
 * What the writer was doing during one write (`from`, `ms`): the distinct states the sampler saw
 * in that window, most seen first, e.g. `Lock:relation behind \`ALTER TABLE …\` ×4, running ×1`.
 */
export function describeWindow(states: WriterState[], from: number, ms: number): string {
  const counts = new Map<string, number>();
  for (const s of states) {
    if (s.at < from || s.at > from + ms || s.wait === 'idle') continue;
    const key = s.blocker ? `${s.wait} behind \`${s.blocker}\`` : s.wait;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  if (counts.size === 0) return 'no sample fell inside it';
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ×${v}`).join(', ');
}

/**
 * Every `intervalMs`, asks the server what the writer (`application_name` = `app`) is doing: its
 * wait event, and for a lock wait on whom (`pg_blocking_pids`) — which statement of a migration
 * stalls the writes, or that a slow write waited for no lock at all (CPU, I/O, WAL).
 *
 * @example
 * const s = await sampleBlockers(url, 'bench-stall-writer'); … const { blockers, states } = await s.stop();
 */
export async function sampleBlockers(url: string, app: string, intervalMs = 10): Promise<BlockerSampler> {
  const client = new pg.Client({ connectionString: url, application_name: 'bench-stall-sampler' });
  await client.connect();
  const seen = new Map<string, BlockerSample>();
  const states: WriterState[] = [];
  let stop = false;
  let prevAt = performance.timeOrigin + performance.now();
  const loop = (async () => {
    while (!stop) {
      const r = await client.query<{ query: string | null; mode: string | null; state: string | null; wait_type: string | null; wait: string | null }>(
        `select w.state, w.wait_event_type as wait_type, w.wait_event as wait,
                (select l.mode from pg_locks l where l.pid = w.pid and not l.granted limit 1) as mode,
                (select left(b.query, 4000) from pg_stat_activity b where b.pid = any (pg_blocking_pids(w.pid)) limit 1) as query
           from pg_stat_activity w
          where w.application_name = $1`,
        [app],
      );
      const at = performance.timeOrigin + performance.now();
      // The time since the previous sample (the query itself waits when the server is busy).
      const dt = at - prevAt;
      prevAt = at;
      for (const row of r.rows) {
        const wait = row.wait_type ? `${row.wait_type}:${row.wait}` : row.state === 'active' ? 'running' : 'idle';
        states.push({ at: Math.round(at), wait, ...(row.query ? { blocker: statementShown(row.query) } : {}) });
        if (!row.query) continue;
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
      return { blockers: [...seen.values()].sort((a, b) => b.approxMs - a.approxMs), states };
    },
  };
}
