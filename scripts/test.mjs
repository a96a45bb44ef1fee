#!/usr/bin/env node
// `npm test`: sets up what it needs (install, build, PostgreSQL), typechecks and lints, then runs every lane:
// quick (unit, diff, runner, CLI on PGlite and a throwaway PostgreSQL 15), then slow (the
// compatibility run on PostgreSQL 13, 14, 16, 17 and 18 from npm packages, then the heavy suites: corpus,
// browser, …). Servers it starts are stopped, also on failure. Every run ends with the time of each
// lane and the ten slowest test files. Lanes are defined in scripts/test-lanes.mjs.
//
//   node scripts/test.mjs [--lane quick|slow|compat|all] [--majors 13,14,16,17,18] [--no-typecheck] [vitest args…]
//
// `--lane slow` runs the compatibility servers and the heavy suites; `--lane compat` only the
// servers. `--majors` (or STRATA_COMPAT_MAJORS) picks the compatibility majors.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { setup } from './setup.mjs';
import { ensureChromium, ensurePgvector, ensurePostgres } from './system-deps.mjs';
import { pnpmCommand } from './pnpm.mjs';
import { DEFAULT_COMPAT_MAJORS } from './test-lanes.mjs';

const root = new URL('..', import.meta.url).pathname;

function parseArgs(argv) {
  const opts = { lane: 'all', majors: null, typecheck: true, vitestArgs: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (name) => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (!v) throw new Error(`${name} needs a value`);
      return v;
    };
    if (a === '--no-typecheck') opts.typecheck = false;
    else if (a === '--lane' || a.startsWith('--lane=')) opts.lane = value('--lane');
    else if (a === '--majors' || a.startsWith('--majors=')) opts.majors = value('--majors');
    else opts.vitestArgs.push(a);
  }
  if (!['quick', 'slow', 'compat', 'all'].includes(opts.lane)) throw new Error(`--lane ${opts.lane}: expected quick, slow, compat or all`);
  const majors = opts.majors ?? process.env.STRATA_COMPAT_MAJORS ?? DEFAULT_COMPAT_MAJORS.join(',');
  opts.majors = majors.split(',').map((m) => Number(m.trim())).filter((m) => m > 0);
  return opts;
}

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

// One folder for the run: the JSON reports, and the temporary folder (TMPDIR) of every test
// process, so the projects, PGlite copies and server data the suites make are gone with it.
// Readable by all: test servers run as the postgres user, with their data under it.
const runDir = mkdtempSync(join(tmpdir(), 'strata-test-'));
chmodSync(runDir, 0o755);
const reportDir = join(runDir, 'reports');
mkdirSync(reportDir);
const testTmp = join(runDir, 'tmp');
mkdirSync(testTmp);
chmodSync(testTmp, 0o1777);

const servers = new Set();
const stopAll = () => {
  for (const s of servers) {
    try { s.stop(); } catch (e) { console.error(`could not stop a test PostgreSQL: ${e.message}`); }
  }
  servers.clear();
};
const stop = (s) => {
  servers.delete(s);
  try { s.stop(); } catch (e) { console.error(`could not stop a test PostgreSQL: ${e.message}`); }
};
process.on('exit', () => {
  stopAll();
  rmSync(runDir, { recursive: true, force: true });
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { stopAll(); process.exit(130); });

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const lanes = []; // { label, ms, passed, failed, code }
const files = []; // { label, file, ms }
const failures = []; // { label, file, name, message } — repeated at the end, where a CI log's tail shows them

/**
 * Test files run side by side, one per core, at most 4: each file has its own databases (a PGlite
 * copy of a template, a database created on the shared server). The slow lane too: none of its
 * suites asserts a time (the concurrent writers check what was written, the benchmark's small run
 * checks its report), and on 2 workers it took 404 s instead of 762 s. `--maxWorkers` on the
 * command line, or STRATA_TEST_WORKERS, overrides it.
 */
function workersFor(vitestArgs) {
  if (vitestArgs.some((a) => a.startsWith('--maxWorkers'))) return [];
  const fromEnv = Number(process.env.STRATA_TEST_WORKERS);
  const n = fromEnv > 0 ? fromEnv : Math.min(4, Math.max(1, availableParallelism()));
  return [`--maxWorkers=${n}`];
}

async function vitestLane(label, laneEnv, env, vitestArgs) {
  console.error(`\n── lane ${label} ──`);
  const report = join(reportDir, `${label.replace(/\W+/g, '-')}.json`);
  const [pnpmBin, pre] = pnpmCommand();
  const t0 = Date.now();
  const code = await run(
    pnpmBin,
    [...pre, 'exec', 'vitest', 'run', '--passWithNoTests', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...workersFor(vitestArgs), ...vitestArgs],
    { ...env, TMPDIR: testTmp, ...laneEnv },
  );
  const entry = { label, ms: Date.now() - t0, passed: 0, failed: 0, total: 0, code };
  if (existsSync(report)) {
    const r = JSON.parse(readFileSync(report, 'utf8'));
    entry.passed = r.numPassedTests;
    entry.failed = r.numFailedTests;
    entry.total = r.numTotalTests;
    for (const t of r.testResults ?? []) {
      const file = relative(root, t.name);
      files.push({ label, file, ms: (t.endTime ?? 0) - (t.startTime ?? 0) });
      for (const a of t.assertionResults ?? []) {
        if (a.status === 'failed') failures.push({ label, file, name: a.fullName ?? a.title, message: (a.failureMessages ?? []).join('\n') });
      }
      // A file that fails before any test runs (import error, hook timeout) has no failed assertion.
      if (t.status === 'failed' && !(t.assertionResults ?? []).some((a) => a.status === 'failed')) {
        failures.push({ label, file, name: '(the file itself)', message: t.message ?? '' });
      }
    }
  }
  lanes.push(entry);
  return entry;
}

function summary() {
  if (lanes.length === 0) return;
  console.log('\nlanes:');
  for (const l of lanes) {
    console.log(`  ${l.label.padEnd(12)} ${seconds(l.ms).padStart(9)}  ${l.passed} passed, ${l.failed} failed${l.code !== 0 ? ` (exit ${l.code})` : ''}`);
  }
  const slowest = [...files].sort((a, b) => b.ms - a.ms).slice(0, 10);
  if (slowest.length > 0) {
    console.log('ten slowest files:');
    for (const f of slowest) console.log(`  ${seconds(f.ms).padStart(9)}  [${f.label}] ${f.file}`);
  }
  if (failures.length > 0) {
    console.log('failed:');
    for (const f of failures) {
      console.log(`  [${f.label}] ${f.file} › ${f.name}`);
      const first = f.message.split('\n').filter((l) => l.trim() !== '').slice(0, 6);
      for (const l of first) console.log(`      ${l.slice(0, 240)}`);
    }
  }
  const passed = lanes.reduce((n, l) => n + l.passed, 0);
  const failed = lanes.reduce((n, l) => n + l.failed, 0);
  // One plain closing line that any CI reader understands.
  console.log(`\nvitest: ${passed} passed, ${failed} failed`);
}

let exitCode = 0;
try {
  const opts = parseArgs(process.argv.slice(2));
  const wants = (lane) => opts.lane === 'all' || opts.lane === lane || (opts.lane === 'slow' && lane === 'compat');
  setup();
  const env = { ...process.env };
  const { startPgServer, startEmbeddedPgServer, ensurePgliteTemplate, EMBEDDED_PG_VERSIONS } = await import('../packages/testing/dist/index.js');
  if (!env.STRATA_TEST_PGLITE_TEMPLATE) env.STRATA_TEST_PGLITE_TEMPLATE = await ensurePgliteTemplate();
  for (const m of opts.majors) {
    if (!(m in EMBEDDED_PG_VERSIONS)) throw new Error(`--majors: no server package for PostgreSQL ${m} (available: ${Object.keys(EMBEDDED_PG_VERSIONS).join(', ')}; 15 is the quick lane's server)`);
  }
  if (opts.typecheck) {
    const [pnpmBin, pre] = pnpmCommand();
    if ((await run(pnpmBin, [...pre, 'exec', 'tsc', '--noEmit', '-p', 'tsconfig.json'], env)) !== 0) throw new Error('typecheck failed (see above)');
    // The repository's own checks, with the typecheck: one linter (Biome), and manifests true to
    // the imports (knip: undeclared or unused dependencies, unused files). Package shape (publint,
    // arethetypeswrong) is checked on the packed tarballs by the packaging suite.
    if ((await run(pnpmBin, [...pre, 'exec', 'biome', 'lint', '.'], env)) !== 0) throw new Error('biome lint failed (see above)');
    if ((await run(pnpmBin, [...pre, 'exec', 'knip', '--no-progress'], env)) !== 0) throw new Error('knip found undeclared or unused dependencies or files (see above)');
  }

  // The quick lane and the heavy suites share one PostgreSQL 15 (Debian's), unless one is given.
  let pg15 = null;
  const pg15Env = async () => {
    if (env.STRATA_TEST_PG_URL) return {};
    if (!pg15) {
      const problem = ensurePostgres() ?? ensurePgvector();
      if (problem) throw new Error(problem);
      pg15 = await startPgServer();
      servers.add(pg15);
      console.error(`test PostgreSQL started at ${pg15.url}`);
    }
    return { STRATA_TEST_PG_URL: pg15.url };
  };

  if (wants('quick')) {
    await vitestLane('quick', { ...(await pg15Env()), STRATA_TEST_LANE: 'quick' }, env, opts.vitestArgs);
  }
  if (wants('compat')) {
    // Each major gets its own server; only the real-server half of the files runs (PGlite ran in quick).
    for (const major of opts.majors) {
      const t0 = Date.now();
      const server = await startEmbeddedPgServer(major);
      servers.add(server);
      console.error(`PostgreSQL ${major} (${EMBEDDED_PG_VERSIONS[major]}) started at ${server.url} in ${seconds(Date.now() - t0)}`);
      try {
        await vitestLane(`compat-pg${major}`, { STRATA_TEST_LANE: 'compat', STRATA_TEST_PG_URL: server.url, STRATA_TEST_BACKENDS: 'postgres' }, env, opts.vitestArgs);
      } finally {
        stop(server);
      }
    }
  }
  if (opts.lane === 'all' || opts.lane === 'slow') {
    // The studio's browser tests drive Debian's Chromium (no browser download).
    const noChromium = ensureChromium();
    if (noChromium) throw new Error(noChromium);
    await vitestLane('slow', { ...(await pg15Env()), STRATA_TEST_LANE: 'slow' }, env, opts.vitestArgs);
  }
  if (pg15) stop(pg15);
  summary();
  if (lanes.some((l) => l.code !== 0)) exitCode = 1;
  else if (lanes.every((l) => l.total === 0)) {
    console.error('npm test: no test ran');
    exitCode = 1;
  }
} catch (e) {
  summary();
  console.error(`npm test: ${e.message}`);
  exitCode = 1;
}
process.exit(exitCode);
