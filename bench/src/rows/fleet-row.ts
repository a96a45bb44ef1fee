import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sampleConnections, type ConnectionSampler } from '../fleet/connection-sampler.js';
import { expect, tableCount } from '../db-checks.js';
import type { ProcessSpec } from '../measure.js';
import type { VerifiedRun } from '../scenario.js';
import { strata, strataBin } from '../tools.js';
import { jsonOut, type RowDef } from './row-def.js';

/** Targets at once on the server in the `--all` run (and so its connections). */
export const FLEET_CONCURRENCY = 8;
/** Tables of the schema every database is migrated to (the generated migration of that size). */
export const FLEET_TABLES = 20;

/**
 * Issue 22's row: N databases on one server, each migrated to the same schema, by
 * `strata migrate --targets … --concurrency 8` against a shell loop running `strata migrate --url …`
 * once per database (fresh processes, as a user's script runs them). Beside the time, the peak
 * number of connections the server saw (`pg_stat_activity`, sampled every 20 ms).
 */
export const fleetRow: RowDef = {
  id: 'fleet',
  title: 'fleet: migrate N databases on one server',
  needs: ['migrate'],
  sized: false,
  otherLabel: 'shell loop: strata migrate --url … per database',
  scenario: ({ ctx, fixtures, fleetDbs }) => {
    const fx = fixtures(FLEET_TABLES);
    const side = (label: string, tool: 'all' | 'loop') => ({
      label,
      async prepare() {
        const p = await fx.strataFolder.get();
        const names: string[] = [];
        for (let i = 0; i < fleetDbs; i++) names.push(await ctx.server.createDatabase(tool === 'all' ? 'fl_a' : 'fl_l'));
        const urls = names.map((n) => ctx.server.url(n));
        const dir = ctx.freshDir('fleet');
        let step: ProcessSpec;
        if (tool === 'all') {
          const targets = join(dir, 'targets.json');
          writeFileSync(targets, JSON.stringify(urls));
          step = strata(['migrate', '--targets', targets, '--concurrency', String(FLEET_CONCURRENCY), '--json'], { cwd: p.dir, config: p.config });
        } else {
          const list = join(dir, 'urls.txt');
          writeFileSync(list, `${urls.join('\n')}\n`);
          const script = 'while IFS= read -r u; do "$NODE" "$STRATA" migrate --config "$CONFIG" --url "$u" || exit 1; done < "$LIST"';
          step = { cmd: '/bin/sh', args: ['-c', script], cwd: p.dir, env: { NODE: process.execPath, STRATA: strataBin(), CONFIG: p.config, LIST: list, DATABASE_URL: undefined, JITI_FS_CACHE: 'false' } };
        }
        let sampler: ConnectionSampler | null = null;
        const stopSampler = async () => {
          const peak = sampler ? await sampler.stop() : 0;
          sampler = null;
          return peak;
        };
        return {
          steps: [step],
          async beforeStep() {
            sampler = await sampleConnections(ctx.server.url('postgres'), names);
          },
          async verify(results: { stdout: string }[]): Promise<VerifiedRun> {
            const connections = await stopSampler();
            if (tool === 'all') {
              const report = jsonOut<{ ok: boolean; counts: { applied: number }; peakConnections: Record<string, number> }>(results[0]!.stdout);
              expect(report.ok && report.counts.applied === fleetDbs, `${label}: ${report.counts.applied} of ${fleetDbs} databases migrated`);
            }
            for (const name of names) {
              const n = await tableCount(ctx.server, name);
              expect(n === FLEET_TABLES, `${label} left ${n} tables in ${name}, expected ${FLEET_TABLES}`);
            }
            return { connections };
          },
          async cleanup() {
            await stopSampler().catch(() => 0);
            for (const name of names) await ctx.server.dropDatabase(name);
            ctx.removeDir(dir);
          },
        };
      },
    });
    return {
      row: 'fleet',
      size: fleetDbs,
      strata: side(`strata migrate --targets … --concurrency ${FLEET_CONCURRENCY}`, 'all'),
      other: side('shell loop: strata migrate --url … per database', 'loop'),
    };
  },
};
