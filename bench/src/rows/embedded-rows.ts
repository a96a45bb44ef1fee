import { dirname } from 'node:path';
import { drizzleKit, strata } from '../tools.js';
import { expect, pgliteTableCount } from '../db-checks.js';
import { freshPgliteDir } from '../pglite-dirs.js';
import type { ProcessResult } from '../measure.js';
import type { RowDef, RowEnv } from './row-def.js';

type Tool = 'strata' | 'drizzle-kit';

/**
 * `migrate` on the embedded database (PGlite, a data directory in the project), the guide's
 * default for development: each tool's generated migration applied to a fresh copy of an empty
 * directory (`from: 'empty'`), or run again on a copy of one it migrated (`from: 'migrated'`,
 * what a developer runs most). drizzle-kit with `driver: 'pglite'`.
 */
function embeddedMigrateRow(id: string, title: string, from: 'empty' | 'migrated'): RowDef {
  return {
    id,
    title,
    needs: ['migrate'],
    sized: true,
    otherLabel: 'drizzle-kit migrate (driver pglite)',
    scenario: ({ ctx, fixtures }: RowEnv, size) => {
      const fx = fixtures(size);
      const side = (label: string, tool: Tool) => ({
        label,
        async prepare() {
          const template = from === 'empty' ? undefined : await (tool === 'strata' ? fx.strataPgliteDir : fx.drizzlePgliteDir).get();
          const dir = await freshPgliteDir(ctx, tool === 'strata' ? `${id}-s` : `${id}-d`, template);
          const step = tool === 'strata'
            ? await fx.strataFolder.get().then((p) => strata(['migrate'], { cwd: p.dir, config: p.config, url: `pglite:${dir}` }))
            : drizzleKit(['migrate'], { config: await fx.drizzlePgliteConfig.get(), url: dir });
          return {
            steps: [step],
            async verify([r]: ProcessResult[]) {
              if (tool === 'strata' && from === 'migrated') expect(/nothing to apply/.test(r!.stdout), `strata migrate printed ${JSON.stringify(r!.stdout.slice(-200))}`);
              const n = await pgliteTableCount(dir);
              expect(n === size, `${label} left ${n} tables, expected ${size}`);
            },
            async cleanup() {
              ctx.removeDir(dirname(dir));
            },
          };
        },
      });
      return { row: id, size, strata: side('strata migrate --url pglite:…', 'strata'), other: side('drizzle-kit migrate (driver pglite)', 'drizzle-kit') };
    },
  };
}

/** The generated migration applied to an empty embedded database. */
export const embeddedMigrateApplyRow = embeddedMigrateRow('migrate-embedded', 'migrate on the embedded database (PGlite)', 'empty');

/** `migrate` with nothing to apply on the embedded database. */
export const embeddedMigrateNoneRow = embeddedMigrateRow('migrate-none-embedded', 'migrate, nothing to apply, on the embedded database (PGlite)', 'migrated');
