import { pgTool } from '../bench-server.js';
import { strata } from '../tools.js';
import { expect, schemaExists, tableCount } from '../db-checks.js';
import { freshDatabase, type RowDef } from './row-def.js';

const DROP_SQL = 'DROP SCHEMA public CASCADE; CREATE SCHEMA public; DROP SCHEMA IF EXISTS drizzle CASCADE;';

/**
 * Dropping everything (the guide's `db:drop` reset). drizzle-kit's `drop` only deletes a migration
 * file, so the other side is what people run instead: psql dropping the schema.
 */
export const dropRow: RowDef = {
  id: 'drop',
  title: 'drop every object',
  needs: ['drop'],
  sized: true,
  otherLabel: 'psql: drop schema … cascade',
  scenario: ({ ctx, fixtures }, size) => {
    const fx = fixtures(size);
    return {
      row: 'drop',
      size,
      strata: {
        label: 'strata drop --force',
        async prepare() {
          const p = await fx.strataFolder.get();
          const db = await freshDatabase(ctx, 'x_s', await fx.strataDb.get());
          return {
            steps: [strata(['drop', '--force'], { cwd: p.dir, config: p.config, url: db.url })],
            async verify() {
              expect((await tableCount(ctx.server, db.name)) === 0, 'strata drop left tables in public');
              expect(!(await schemaExists(ctx.server, db.name, 'strata')), 'strata drop left its history schema');
            },
            cleanup: db.drop,
          };
        },
      },
      other: {
        label: 'psql: drop schema … cascade',
        async prepare() {
          const db = await freshDatabase(ctx, 'x_d', await fx.drizzleDb.get());
          return {
            steps: [{ cmd: pgTool(ctx.server, 'psql'), args: ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', db.url, '-c', DROP_SQL], cwd: ctx.workDir }],
            async verify() {
              expect((await tableCount(ctx.server, db.name)) === 0, 'psql left tables in public');
            },
            cleanup: db.drop,
          };
        },
      },
    };
  },
};
