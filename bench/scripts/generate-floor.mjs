#!/usr/bin/env node
// `node scripts/generate-floor.mjs [--tables N] [--reps N] [--out FILE]`: how much of `generate`'s
// time any drizzle-kit-compatible tool must spend (transform the schema, run it on drizzle-orm,
// read every table's config), beside `strata generate` and `drizzle-kit generate`. Needs the
// workspace installed and built (`npm run setup`); no database.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const benchDir = fileURLToPath(new URL('..', import.meta.url));
const child = spawn(`${benchDir}node_modules/.bin/tsx`, [`${benchDir}src/floor/main.ts`, ...process.argv.slice(2)], { stdio: 'inherit', cwd: benchDir });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('close', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
