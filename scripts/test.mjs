#!/usr/bin/env node
// `npm test`: sets up what it needs (install, build, PostgreSQL), starts a throwaway PostgreSQL,
// typechecks, runs every test on PGlite and on that server, and stops the server, also on failure.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setup } from './setup.mjs';
import { ensureChromium, ensurePostgres } from './system-deps.mjs';
import { pnpmCommand } from './pnpm.mjs';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);

function run(cmd, argv, env) {
  return new Promise((resolve) => {
    const child = spawn(cmd, argv, { cwd: root, stdio: 'inherit', env });
    const forward = (sig) => child.kill(sig);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('close', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

let server = null;
const stop = () => {
  try { server?.stop(); } catch (e) { console.error(`could not stop the test PostgreSQL: ${e.message}`); }
  server = null;
};
process.on('exit', stop);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { stop(); process.exit(130); });

try {
  setup();
  // The studio's browser tests drive Debian's Chromium (no browser download).
  const noChromium = ensureChromium();
  if (noChromium) throw new Error(noChromium);
  const env = { ...process.env };
  if (!env.STRATA_TEST_PG_URL) {
    const problem = ensurePostgres();
    if (problem) throw new Error(problem);
    const { startPgServer, ensurePgliteTemplate } = await import('../packages/testing/dist/index.js');
    server = await startPgServer();
    env.STRATA_TEST_PG_URL = server.url;
    env.STRATA_TEST_PGLITE_TEMPLATE = await ensurePgliteTemplate();
    console.error(`test PostgreSQL started at ${server.url}`);
  }
  const [pnpmBin, pre] = pnpmCommand();
  if (!args.includes('--no-typecheck')) {
    const tc = await run(pnpmBin, [...pre, 'exec', 'tsc', '--noEmit', '-p', 'tsconfig.json'], env);
    if (tc !== 0) throw new Error('typecheck failed (see above)');
  }
  const report = join(mkdtempSync(join(tmpdir(), 'strata-vitest-')), 'report.json');
  const code = await run(
    pnpmBin,
    [...pre, 'exec', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...args.filter((a) => a !== '--no-typecheck')],
    env,
  );
  stop();
  // One plain closing line that any CI reader understands.
  if (existsSync(report)) {
    const r = JSON.parse(readFileSync(report, 'utf8'));
    console.log(`\nvitest: ${r.numPassedTests} passed, ${r.numFailedTests} failed`);
    if (r.numTotalTests === 0) {
      console.error('npm test: no test ran');
      process.exit(1);
    }
  }
  process.exit(code);
} catch (e) {
  console.error(`npm test: ${e.message}`);
  stop();
  process.exit(1);
}
