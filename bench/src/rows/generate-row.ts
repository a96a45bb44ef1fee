import { readFileSync } from 'node:fs';
import { drizzleKit, strata } from '../tools.js';
import { expect } from '../db-checks.js';
import { createTableCount, upSqlFiles, type RowDef } from './row-def.js';

/** `generate` of the whole schema from an empty folder. */
export const generateRow: RowDef = {
  id: 'generate',
  title: 'generate from empty',
  needs: ['generate'],
  sized: true,
  otherLabel: 'drizzle-kit generate',
  scenario: ({ ctx, fixtures }, size) => {
    const fx = fixtures(size);
    const side = (label: string, tool: 'strata' | 'drizzle-kit') => ({
      label,
      async prepare() {
        const p = tool === 'strata' ? fx.strataProject('s-gen', fx.schemaFile) : fx.drizzleProject('d-gen', fx.schemaFile);
        let kept = false;
        return {
          steps: [tool === 'strata'
            ? strata(['generate', '--name', 'init'], { cwd: p.dir, config: p.config })
            : drizzleKit(['generate', '--name', 'init'], { config: p.config })],
          async verify() {
            const files = upSqlFiles(p.out);
            expect(files.length === 1, `${label} wrote ${files.length} migrations, expected 1`);
            const n = createTableCount(readFileSync(files[0]!, 'utf8'));
            expect(n === size, `${label} created ${n} tables, expected ${size}`);
            // The output is exactly the fixture later rows need.
            kept = tool === 'strata' ? fx.strataFolder.offer(p) : fx.drizzleFolder.offer(p);
          },
          async cleanup() {
            if (!kept) ctx.removeDir(p.dir);
          },
        };
      },
    });
    return { row: 'generate', size, strata: side('strata generate', 'strata'), other: side('drizzle-kit generate', 'drizzle-kit') };
  },
};
