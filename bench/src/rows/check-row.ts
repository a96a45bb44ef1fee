import type { ProcessResult } from '../measure.js';
import { drizzleKit, strata } from '../tools.js';
import { expect } from '../db-checks.js';
import { drizzleKitPushNote } from './push-rows.js';
import { freshDatabase, jsonOut, type RowDef } from './row-def.js';

/**
 * `check` on a database, folder and schema code that agree. drizzle-kit has no such command: its
 * `check` only looks at the migration folder, and the only way it tells whether the database
 * matches the code is a push (which prints "No changes detected"), so the other side runs both.
 */
export const checkRow: RowDef = {
  id: 'check',
  title: 'check (database, history and code agree)',
  needs: ['check'],
  sized: true,
  otherLabel: 'drizzle-kit check + push (no change)',
  scenario: ({ ctx, fixtures }, size) => {
    const fx = fixtures(size);
    return {
      row: 'check',
      size,
      strata: {
        label: 'strata check',
        async prepare() {
          const p = await fx.strataFolder.get();
          const db = await freshDatabase(ctx, 'c_s', await fx.strataDb.get());
          return {
            steps: [strata(['check', '--json'], { cwd: p.dir, config: p.config, url: db.url })],
            async verify([r]: ProcessResult[]) {
              expect(jsonOut<{ ok: boolean }>(r!.stdout).ok === true, 'strata check did not report ok');
            },
            cleanup: db.drop,
          };
        },
      },
      other: {
        label: 'drizzle-kit check + push (no change)',
        async prepare() {
          const p = await fx.drizzleFolder.get();
          const db = await freshDatabase(ctx, 'c_d', await fx.drizzleDb.get());
          return {
            steps: [
              drizzleKit(['check'], { config: p.config, url: db.url }),
              drizzleKit(['push', '--force'], { config: p.config, url: db.url }),
            ],
            async verify(rs: ProcessResult[]) {
              return drizzleKitPushNote(rs[1]!);
            },
            cleanup: db.drop,
          };
        },
      },
    };
  },
};
