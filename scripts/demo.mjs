#!/usr/bin/env node
// `npm run demo`: sets up the workspace, then walks Strata's main workflow on the embedded PGlite
// database in a scratch copy of examples/hivemind, printing each command and what it shows.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setup } from './setup.mjs';

const root = new URL('..', import.meta.url).pathname;
const bin = join(root, 'apps/cli/dist/bin.js');

console.log('Setting up (install and build)…');
setup({ quiet: true });

const work = mkdtempSync(join(tmpdir(), 'strata-demo-'));
const example = join(root, 'examples/hivemind');
if (existsSync(example)) cpSync(example, work, { recursive: true, filter: (p) => !/node_modules|\.strata/.test(p) });

function strata(...args) {
  console.log(`\n\x1b[1m$ strata ${args.join(' ')}\x1b[0m`);
  const env = { ...process.env };
  delete env.DATABASE_URL;
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: work, stdio: 'inherit', env });
  if (r.status !== 0) {
    console.error(`\nstrata ${args.join(' ')} exited with ${r.status}`);
    process.exit(r.status ?? 1);
  }
}

console.log(`Working in ${work} (embedded PGlite under .strata/pglite)`);
strata('doctor');
console.log(`\nNext: cd ${work} and try \`node ${bin} --help\`.`);
