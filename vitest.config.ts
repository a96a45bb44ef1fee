import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';
// @ts-expect-error plain ESM module shared with scripts/test.mjs (no type declarations)
import { COMPAT_FILES, LANES, slowFiles } from './scripts/test-lanes.mjs';

const root = fileURLToPath(new URL('.', import.meta.url));
const dirs = [
  ...readdirSync(`${root}packages`).map((d) => `packages/${d}`),
  ...readdirSync(`${root}apps`).map((d) => `apps/${d}`),
  ...(existsSync(`${root}examples`) ? readdirSync(`${root}examples`).map((d) => `examples/${d}`) : []),
  ...(existsSync(`${root}bench/package.json`) ? ['bench'] : []),
].filter((d) => existsSync(`${root}${d}/package.json`));

// Tests run against the sources of every workspace package, so a change is tested
// without rebuilding its dependencies first (CLI end-to-end tests use the built bin).
// A package's subpath exports (`@strata/schema/source-loader`) come first: an alias also matches
// the start of a longer name.
const subpaths = readdirSync(`${root}packages`).flatMap((d) => {
  const manifest = `${root}packages/${d}/package.json`;
  if (!existsSync(manifest)) return [];
  const exports = (JSON.parse(readFileSync(manifest, 'utf8')) as { exports?: Record<string, unknown> }).exports ?? {};
  return Object.keys(exports).filter((k) => k.startsWith('./')).map((k) => [`@strata/${d}/${k.slice(2)}`, `${root}packages/${d}/src/${k.slice(2)}.ts`]);
});
const alias = Object.fromEntries([
  ...subpaths,
  ...readdirSync(`${root}packages`)
    .filter((d) => existsSync(`${root}packages/${d}/src/index.ts`))
    .map((d) => [`@strata/${d}`, `${root}packages/${d}/src/index.ts`]),
]);

// Lanes (see scripts/test-lanes.mjs): STRATA_TEST_LANE=quick leaves the slow suites out, `slow`
// and `compat` run only their files. Unset, every file runs (e.g. `vitest run <file>` while working).
const lane = process.env.STRATA_TEST_LANE ?? '';
if (lane && !(LANES as string[]).includes(lane)) throw new Error(`STRATA_TEST_LANE=${lane}: expected one of ${LANES.join(', ')}`);
const DEFAULT_INCLUDE = ['src/**/*.test.ts', 'test/**/*.test.ts'];
const laneFiles: string[] = lane === 'compat' ? COMPAT_FILES : slowFiles();
/** The lane's paths that belong to project `d`, relative to it. */
const within = (d: string) => laneFiles.filter((f) => f.startsWith(`${d}/`)).map((f) => f.slice(d.length + 1));

const projectFiles = (d: string): { include: string[]; exclude: string[] } | null => {
  if (lane === 'slow' || lane === 'compat') {
    const mine = within(d);
    return mine.length > 0 ? { include: mine, exclude: configDefaults.exclude } : null;
  }
  return { include: DEFAULT_INCLUDE, exclude: lane === 'quick' ? [...configDefaults.exclude, ...within(d)] : configDefaults.exclude };
};

export default defineConfig({
  test: {
    globalSetup: [`${root}packages/testing/src/global-setup.ts`],
    projects: dirs.flatMap((d) => {
      const files = projectFiles(d);
      return files ? [{ d, files }] : [];
    }).map(({ d, files }) => ({
      resolve: { alias },
      test: {
        name: d.startsWith('packages/') ? `@strata/${d.slice(9)}` : d === 'apps/cli' ? '@strata/cli' : d,
        root: `${root}${d}`,
        include: files.include,
        exclude: files.exclude,
        testTimeout: 60_000,
        hookTimeout: 120_000,
        pool: 'forks',
        // As the CLI runs PGlite (apps/cli/src/wasm-tier.ts): tests open embedded databases
        // often and briefly, and V8's optimizing tier for PGlite costs ~1 s of CPU per open.
        execArgv: ['--liftoff-only'],
      },
    })),
  },
});
