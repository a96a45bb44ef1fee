import { drizzleKit, strata } from '../tools.js';
import { columnExists, expect, tableCount } from '../db-checks.js';
import { freshDatabase, type RowDef } from './row-def.js';

/** Applying many small migrations (identical SQL in each tool's folder format) to an empty database. */
export const smallMigrationsRow: RowDef = {
  id: 'migrate-small',
  title: 'migrate: apply N small migrations',
  needs: ['migrate'],
  sized: false,
  otherLabel: 'drizzle-kit migrate',
  scenario: ({ ctx, small }) => {
    const side = (label: string, tool: 'strata' | 'drizzle-kit') => ({
      label,
      async prepare() {
        const f = await small.folders.get();
        const p = tool === 'strata' ? f.strata : f.drizzle;
        const db = await freshDatabase(ctx, tool === 'strata' ? 'sm_s' : 'sm_d');
        return {
          steps: [tool === 'strata'
            ? strata(['migrate'], { cwd: p.dir, config: p.config, url: db.url })
            : drizzleKit(['migrate'], { config: p.config, url: db.url })],
          async verify() {
            const n = await tableCount(ctx.server, db.name);
            expect(n === f.tables, `${label} left ${n} tables, expected ${f.tables}`);
            if (f.last.column) expect(await columnExists(ctx.server, db.name, f.last.table, f.last.column), `${label} did not apply the last migration`);
          },
          cleanup: db.drop,
        };
      },
    });
    return { row: 'migrate-small', size: small.count, strata: side('strata migrate', 'strata'), other: side('drizzle-kit migrate', 'drizzle-kit') };
  },
};
