#!/usr/bin/env node
// `pnpm bench` / `npm run bench`: brings a fresh clone to a working state (install, build, the
// PostgreSQL binaries), then runs the benchmark with tsx. `--no-setup` skips the first step.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const benchDir = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);

if (!args.includes('--no-setup') && !args.includes('--help') && !args.includes('-h')) {
  const { setup } = await import('../../scripts/setup.mjs');
  const { ensurePostgres } = await import('../../scripts/system-deps.mjs');
  try {
    setup({ quiet: true });
  } catch (e) {
    console.error(`bench: ${e.message}`);
    process.exit(1);
  }
  const problem = ensurePostgres();
  if (problem) {
    console.error(`bench: ${problem}`);
    process.exit(1);
  }
}

const tsx = `${benchDir}node_modules/.bin/tsx`;
if (!existsSync(tsx)) {
  console.error('bench: tsx is missing: run `npm run setup` first');
  process.exit(1);
}
const child = spawn(tsx, [`${benchDir}src/main.ts`, ...args.filter((a) => a !== '--no-setup')], { stdio: 'inherit', cwd: benchDir });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('close', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
