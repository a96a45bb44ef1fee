import { join } from 'node:path';
import { drizzleKit, strata, writeDrizzleConfig } from '../tools.js';
import { expect } from '../db-checks.js';
import { freshDatabase, pgTableCount, type RowDef } from './row-def.js';

/** `pull`: the live database into drizzle schema code. */
export const pullRow: RowDef = {
  id: 'pull',
  title: 'pull (database → schema code)',
  needs: ['pull'],
  sized: true,
  otherLabel: 'drizzle-kit pull',
  scenario: ({ ctx, fixtures }, size) => {
    const fx = fixtures(size);
    const side = (label: string, tool: 'strata' | 'drizzle-kit') => ({
      label,
      async prepare() {
        const db = await freshDatabase(ctx, tool === 'strata' ? 'p_s' : 'p_d', await (tool === 'strata' ? fx.strataDb : fx.drizzleDb).get());
        const dir = ctx.freshDir(`pull-${size}`);
        const out = join(dir, 'schema');
        return {
          steps: [tool === 'strata'
            ? strata(['pull', '--out', out], { cwd: dir, url: db.url })
            : drizzleKit(['pull'], { config: writeDrizzleConfig(dir, { out }), url: db.url })],
          async verify() {
            const n = pgTableCount(out);
            expect(n === size, `${label} wrote ${n} tables, expected ${size}`);
          },
          async cleanup() {
            await db.drop();
            ctx.removeDir(dir);
          },
        };
      },
    });
    return { row: 'pull', size, strata: side('strata pull', 'strata'), other: side('drizzle-kit pull', 'drizzle-kit') };
  },
};
