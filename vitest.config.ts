import { readdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));
const dirs = [
  ...readdirSync(`${root}packages`).map((d) => `packages/${d}`),
  ...readdirSync(`${root}apps`).map((d) => `apps/${d}`),
  ...(existsSync(`${root}examples`) ? readdirSync(`${root}examples`).map((d) => `examples/${d}`) : []),
  ...(existsSync(`${root}bench/package.json`) ? ['bench'] : []),
].filter((d) => existsSync(`${root}${d}/package.json`));

// Tests run against the sources of every workspace package, so a change is tested
// without rebuilding its dependencies first (CLI end-to-end tests use the built bin).
const alias = Object.fromEntries(
  readdirSync(`${root}packages`)
    .filter((d) => existsSync(`${root}packages/${d}/src/index.ts`))
    .map((d) => [`@strata/${d}`, `${root}packages/${d}/src/index.ts`]),
);

export default defineConfig({
  test: {
    globalSetup: [`${root}packages/testing/src/global-setup.ts`],
    projects: dirs.map((d) => ({
      resolve: { alias },
      test: {
        name: d.startsWith('packages/') ? `@strata/${d.slice(9)}` : d === 'apps/cli' ? '@strata/cli' : d,
        root: `${root}${d}`,
        include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
        testTimeout: 60_000,
        hookTimeout: 120_000,
        pool: 'forks',
      },
    })),
  },
});
