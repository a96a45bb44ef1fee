import { createPgClient } from '@strata/db';

/** Samples a server's connections to some databases; `stop` gives the peak. */
export interface ConnectionSampler {
  stop(): Promise<number>;
}

/**
 * Counts the connections to `databases` in `pg_stat_activity` every `everyMs` from its own
 * connection to `adminUrl` (not counted), keeping the peak: what the server saw, whichever
 * processes opened them. One sample at a time: a slow sample delays the next, never piles up.
 *
 * @example
 * const s = await sampleConnections(server.url('postgres'), names); …; const peak = await s.stop();
 */
export async function sampleConnections(adminUrl: string, databases: readonly string[], everyMs = 20): Promise<ConnectionSampler> {
  const client = await createPgClient(adminUrl, { max: 1 });
  let peak = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const r = await client.query<{ n: number }>('select count(*)::int as n from pg_stat_activity where datname = any($1::text[])', [databases]);
      peak = Math.max(peak, r.rows[0]?.n ?? 0);
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    async stop() {
      running = false;
      try {
        await loop;
      } finally {
        await client.close();
      }
      return peak;
    },
  };
}
