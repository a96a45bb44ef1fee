import { drizzleKit, strata } from '../tools.js';
import { columnExists, expect } from '../db-checks.js';
import { freshDatabase, type RowDef } from './row-def.js';

/**
 * Undoing the add-column migration. drizzle-kit has no rollback; the guide's option 1 is a
 * hand-written reverse migration, applied with `drizzle-kit migrate`.
 */
export const rollbackRow: RowDef = {
  id: 'rollback',
  title: 'rollback of the add-column migration',
  needs: ['rollback'],
  sized: true,
  otherLabel: 'drizzle-kit migrate (hand-written reverse)',
  scenario: ({ ctx, fixtures }, size) => {
    const fx = fixtures(size);
    const { table, column } = fx.column;
    return {
      row: 'rollback',
      size,
      strata: {
        label: 'strata rollback',
        async prepare() {
          const p = await fx.strataColumnFolder.get();
          const db = await freshDatabase(ctx, 'r_s', await fx.strataColumnDb.get());
          return {
            steps: [strata(['rollback'], { cwd: p.dir, config: p.config, url: db.url })],
            async verify() {
              expect(!(await columnExists(ctx.server, db.name, table, column)), `strata rollback left ${table}.${column}`);
            },
            cleanup: db.drop,
          };
        },
      },
      other: {
        label: 'drizzle-kit migrate (hand-written reverse)',
        async prepare() {
          const p = await fx.drizzleReverseFolder.get();
          const db = await freshDatabase(ctx, 'r_d', await fx.drizzleColumnDb.get());
          return {
            steps: [drizzleKit(['migrate'], { config: p.config, url: db.url })],
            async verify() {
              expect(!(await columnExists(ctx.server, db.name, table, column)), `drizzle-kit migrate left ${table}.${column}`);
            },
            cleanup: db.drop,
          };
        },
      },
    };
  },
};
