import type { ProcessResult } from '../measure.js';
import { drizzleKit, strata } from '../tools.js';
import { columnExists, expect, tableCount } from '../db-checks.js';
import type { SizeFixtures } from '../size-fixtures.js';
import { freshDatabase, jsonOut, type RowDef, type RowEnv } from './row-def.js';

/** What drizzle-kit push printed: whether it found anything to change. */
export function drizzleKitPushNote(r: ProcessResult): string | undefined {
  const text = r.stdout + r.stderr;
  if (/No changes detected/.test(text)) return undefined;
  return 'drizzle-kit push found changes in a database its own migration built and applied them (false drift)';
}

function pushScenario(env: RowEnv, size: number, row: 'push' | 'push-column') {
  const { ctx } = env;
  const fx: SizeFixtures = env.fixtures(size);
  const withColumn = row === 'push-column';
  const schema = withColumn ? fx.columnSchemaFile : fx.schemaFile;
  const side = (label: string, tool: 'strata' | 'drizzle-kit') => ({
    label,
    async prepare() {
      const db = await freshDatabase(ctx, tool === 'strata' ? 'u_s' : 'u_d', await (tool === 'strata' ? fx.strataDb : fx.drizzleDb).get());
      const p = tool === 'strata' ? fx.strataProject('s-push', schema) : fx.drizzleProject('d-push', schema);
      return {
        steps: [tool === 'strata'
          ? strata(['push', '--force', '--json'], { cwd: p.dir, config: p.config, url: db.url })
          : drizzleKit(['push', '--force'], { config: p.config, url: db.url })],
        async verify([r]: ProcessResult[]) {
          expect((await tableCount(ctx.server, db.name)) === size, `${label} changed the number of tables`);
          if (withColumn) {
            expect(await columnExists(ctx.server, db.name, fx.column.table, fx.column.column), `${label} did not add ${fx.column.table}.${fx.column.column}`);
            return;
          }
          if (tool === 'drizzle-kit') return drizzleKitPushNote(r!);
          const out = jsonOut<{ changed: boolean; summary?: string[] }>(r!.stdout);
          if (out.changed) return `strata push found changes in a database its own migration built: ${(out.summary ?? []).slice(0, 3).join('; ')}`;
        },
        async cleanup() {
          await db.drop();
          ctx.removeDir(p.dir);
        },
      };
    },
  });
  return {
    row,
    size,
    strata: side('strata push --force', 'strata'),
    other: side('drizzle-kit push --force', 'drizzle-kit'),
  };
}

/** `push` of the unchanged schema onto a database at that schema. */
export const pushRow: RowDef = {
  id: 'push',
  title: 'push, no change',
  needs: ['push'],
  sized: true,
  otherLabel: 'drizzle-kit push --force',
  scenario: (env, size) => pushScenario(env, size, 'push'),
};

/** `push` of the schema with one added column. */
export const pushColumnRow: RowDef = {
  id: 'push-column',
  title: 'push, one added column',
  needs: ['push'],
  sized: true,
  otherLabel: 'drizzle-kit push --force',
  scenario: (env, size) => pushScenario(env, size, 'push-column'),
};
