import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BENCH_DIR } from '../tools.js';
import { measureFloor, renderFloor } from './generate-floor.js';

// `node scripts/generate-floor.mjs [--tables 1000] [--reps 10] [--out results/generate-floor.md]`:
// the floor, `strata generate` and `drizzle-kit generate` on one generated schema (see generate-floor.ts).
const { values } = parseArgs({
  options: {
    tables: { type: 'string', default: '1000' },
    reps: { type: 'string', default: '10' },
    out: { type: 'string', default: join(BENCH_DIR, 'results', 'generate-floor.md') },
  },
});
const tables = Number(values.tables);
const reps = Number(values.reps);
if (!Number.isInteger(tables) || tables < 1 || !Number.isInteger(reps) || reps < 1) {
  console.error('generate-floor: --tables and --reps take whole numbers of at least 1');
  process.exit(2);
}
const runs = await measureFloor({ dir: join(BENCH_DIR, '.work', `floor-${tables}`), tables, reps, log: (l) => console.error(l) });
const page = renderFloor(runs, tables);
writeFileSync(values.out, page);
process.stdout.write(page);
