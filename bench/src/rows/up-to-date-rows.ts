import type { ProcessResult } from '../measure.js';
import { drizzleKit, strata } from '../tools.js';
import { expect, tableCount } from '../db-checks.js';
import { freshDatabase, type RowDef } from './row-def.js';

/**
 * `status`, nothing to do: the folder's one migration is applied. What a deploy script or a
 * developer runs most often; drizzle-kit has no status command, so the other side is not run.
 */
export const statusRow: RowDef = {
  id: 'status',
  title: 'status, nothing pending',
  needs: ['status'],
  sized: true,
  otherLabel: 'drizzle-kit (no status command)',
  scenario: ({ ctx, fixtures }, size) => {
    const fx = fixtures(size);
    return {
      row: 'status',
      size,
      strata: {
        label: 'strata status',
        async prepare() {
          const p = await fx.strataFolder.get();
          const db = await freshDatabase(ctx, 'st_s', await fx.strataDb.get());
          return {
            steps: [strata(['status'], { cwd: p.dir, config: p.config, url: db.url })],
            async verify([r]: ProcessResult[]) {
              expect(/^1 applied, 0 pending$/m.test(r!.stdout), `strata status printed ${JSON.stringify(r!.stdout.slice(-200))}`);
            },
            cleanup: db.drop,
          };
        },
      },
      other: { label: 'drizzle-kit (no status command)', skipped: 'drizzle-kit has no status command: not applicable' },
    };
  },
};

/** `migrate` with nothing to apply: the lock, the history read, done. */
export const migrateNoneRow: RowDef = {
  id: 'migrate-none',
  title: 'migrate, nothing to apply',
  needs: ['migrate'],
  sized: true,
  otherLabel: 'drizzle-kit migrate',
  scenario: ({ ctx, fixtures }, size) => {
    const fx = fixtures(size);
    const side = (label: string, tool: 'strata' | 'drizzle-kit') => ({
      label,
      async prepare() {
        const p = await (tool === 'strata' ? fx.strataFolder : fx.drizzleFolder).get();
        const db = await freshDatabase(ctx, tool === 'strata' ? 'mn_s' : 'mn_d', await (tool === 'strata' ? fx.strataDb : fx.drizzleDb).get());
        return {
          steps: [tool === 'strata'
            ? strata(['migrate'], { cwd: p.dir, config: p.config, url: db.url })
            : drizzleKit(['migrate'], { config: p.config, url: db.url })],
          async verify([r]: ProcessResult[]) {
            if (tool === 'strata') expect(/nothing to apply/.test(r!.stdout), `strata migrate printed ${JSON.stringify(r!.stdout.slice(-200))}`);
            const n = await tableCount(ctx.server, db.name);
            expect(n === size, `${label} left ${n} tables, expected ${size}`);
          },
          cleanup: db.drop,
        };
      },
    });
    return { row: 'migrate-none', size, strata: side('strata migrate', 'strata'), other: side('drizzle-kit migrate', 'drizzle-kit') };
  },
};
