import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from '../db-checks.js';
import type { ProcessResult } from '../measure.js';
import type { Side } from '../scenario.js';
import { drizzleKit } from '../tools.js';
import { generateRow } from './generate-row.js';
import { pullRow } from './pull-row.js';
import { drizzleKitPushNote, pushRow } from './push-rows.js';
import { createTableCount, freshDatabase, pgTableCount, type RowDef, type RowEnv } from './row-def.js';

// The same work as the generate, pull and push rows, beside drizzle-kit 1.0-rc instead of 0.31:
// Strata's side is those rows' own, measured again in the same run so each ratio is paired.

type Work = 'generate' | 'pull' | 'push';
const BASE: Record<Work, RowDef> = { generate: generateRow, pull: pullRow, push: pushRow };
const RC_ARGS: Record<Work, string[]> = { generate: ['generate', '--name', 'init'], pull: ['pull'], push: ['push', '--force'] };
/** What the table shows for drizzle-kit 1.0-rc's side (run or skipped). */
const RC_LABEL: Record<Work, string> = { generate: 'drizzle-kit 1.0-rc generate', pull: 'drizzle-kit 1.0-rc pull', push: 'drizzle-kit 1.0-rc push --force' };

/** `.sql` files anywhere under `dir` (drizzle-kit 1.0 writes a folder per migration). */
function sqlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.sql')).map((f) => join(dir, f));
}

function rcSide(env: RowEnv, size: number, work: Work): Side {
  const { ctx } = env;
  const rc = env.fixtures(size).rc;
  const label = RC_LABEL[work];
  return {
    label,
    async prepare() {
      const db = work === 'generate' ? null : await freshDatabase(ctx, 'r', await rc.db.get());
      const p = rc.project(`r-${work}`);
      return {
        steps: [drizzleKit(RC_ARGS[work], { config: p.config, release: 'rc', ...(db ? { url: db.url } : {}) })],
        async verify([r]: ProcessResult[]) {
          if (work === 'generate') {
            const files = sqlFiles(p.out);
            expect(files.length === 1, `${label} wrote ${files.length} migrations, expected 1`);
            const n = createTableCount(readFileSync(files[0]!, 'utf8'));
            expect(n === size, `${label} created ${n} tables, expected ${size}`);
          } else if (work === 'pull') {
            const n = pgTableCount(p.out);
            expect(n === size, `${label} wrote ${n} tables, expected ${size}`);
          } else {
            return drizzleKitPushNote(r!);
          }
        },
        async cleanup() {
          await db?.drop();
          ctx.removeDir(p.dir);
        },
      };
    },
  };
}

function rcRow(work: Work): RowDef {
  const base = BASE[work];
  return {
    id: `rc-${work}`,
    title: `${base.title}, beside drizzle-kit 1.0-rc`,
    needs: base.needs,
    sized: true,
    otherLabel: RC_LABEL[work],
    scenario: (env, size) => ({ row: `rc-${work}`, size, strata: base.scenario(env, size).strata, other: rcSide(env, size, work) }),
  };
}

/** generate, pull and push (no change) beside drizzle-kit 1.0-rc (`--only rc` runs the three). */
export const rcRows: readonly RowDef[] = [rcRow('generate'), rcRow('pull'), rcRow('push')];
