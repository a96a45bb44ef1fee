import { drizzleKit, strata } from '../tools.js';
import { expect, tableCount } from '../db-checks.js';
import { freshDatabase, type RowDef } from './row-def.js';

/** `migrate`: applying the generated initial migration to an empty database. */
export const migrateRow: RowDef = {
  id: 'migrate',
  title: 'migrate (apply the generated migration)',
  needs: ['migrate'],
  sized: true,
  otherLabel: 'drizzle-kit migrate',
  scenario: ({ ctx, fixtures }, size) => {
    const fx = fixtures(size);
    const side = (label: string, tool: 'strata' | 'drizzle-kit') => ({
      label,
      async prepare() {
        const p = await (tool === 'strata' ? fx.strataFolder : fx.drizzleFolder).get();
        const db = await freshDatabase(ctx, tool === 'strata' ? 'm_s' : 'm_d');
        let kept = false;
        return {
          steps: [tool === 'strata'
            ? strata(['migrate'], { cwd: p.dir, config: p.config, url: db.url })
            : drizzleKit(['migrate'], { config: p.config, url: db.url })],
          async verify() {
            const n = await tableCount(ctx.server, db.name);
            expect(n === size, `${label} left ${n} tables, expected ${size}`);
            kept = (tool === 'strata' ? fx.strataDb : fx.drizzleDb).offer(db.name);
          },
          async cleanup() {
            if (!kept) await db.drop();
          },
        };
      },
    });
    return { row: 'migrate', size, strata: side('strata migrate', 'strata'), other: side('drizzle-kit migrate', 'drizzle-kit') };
  },
};
