import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_DIR, strata, writeStrataConfig } from '../tools.js';
import { expect } from '../db-checks.js';
import { freshDatabase, type RowDef } from './row-def.js';

/** The batch size of the Strata side (the size its README's example uses). */
export const DATA_BATCH_SIZE = 5000;

const MIGRATION = `import { defineDataMigration } from '@strata/data';

export default defineDataMigration({
  description: 'Fill users.full_name from users.name',
  async up(ctx) {
    await ctx.batch({ table: 'users', size: ${DATA_BATCH_SIZE} }, (tx, { ids }) =>
      tx.query('update users set full_name = name where id = any($1)', [ids]),
    );
  },
});
`;

/**
 * The guide's data migration (fill full_name from name) on every row: `strata data run` with
 * ctx.batch, beside the guide's own script (select every user, update them one at a time with
 * drizzle-orm), run with node.
 */
export const dataRow: RowDef = {
  id: 'data',
  title: 'data migration: fill a column on every row',
  needs: ['data'],
  sized: false,
  minTimeoutS: 3600,
  otherLabel: "guide's row-by-row loop (node + drizzle-orm)",
  scenario: ({ ctx, data }) => {
    const side = (label: string, tool: 'strata' | 'guide') => ({
      label,
      async prepare() {
        const db = await freshDatabase(ctx, tool === 'strata' ? 'dm_s' : 'dm_d', await data.usersDb.get());
        const dir = ctx.freshDir('data');
        let step: ReturnType<typeof strata>;
        if (tool === 'strata') {
          mkdirSync(join(dir, 'data'));
          writeFileSync(join(dir, 'data', '20250101000000_fill_full_name.ts'), MIGRATION);
          const config = writeStrataConfig(dir, { dataDir: './data' });
          step = strata(['data', 'run'], { cwd: dir, config, url: db.url });
        } else {
          step = { cmd: process.execPath, args: [join(BENCH_DIR, 'fixtures/guide-row-by-row.mjs')], cwd: dir, env: { DATABASE_URL: db.url } };
        }
        return {
          steps: [step],
          async verify() {
            await ctx.server.withClient(db.name, async (c) => {
              const r = await c.query<{ n: string }>('select count(*)::text as n from users where full_name is distinct from name');
              expect(r.rows[0]?.n === '0', `${label} left ${r.rows[0]?.n} rows without full_name`);
            });
            return undefined;
          },
          async cleanup() {
            await db.drop();
            ctx.removeDir(dir);
          },
        };
      },
    });
    return { row: 'data', size: data.rows, strata: side(`strata data run (ctx.batch, ${DATA_BATCH_SIZE} rows a batch)`, 'strata'), other: side("guide's row-by-row loop (node + drizzle-orm)", 'guide') };
  },
};
