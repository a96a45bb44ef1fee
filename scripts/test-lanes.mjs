// The test lanes, shared by `vitest.config.ts` (which files a lane runs) and `scripts/test.mjs`
// (which lanes a command runs). Paths are relative to the repository root.
//
// - quick: everything not listed below — unit, diff, runner, CLI, on PGlite and PostgreSQL 15.
// - slow: the heavy suites, each file listed once under the suite it belongs to. A new heavy suite
//   (concurrency, packaging, fleet, …) adds its own key here; its files then leave the quick lane.
// - compat: COMPAT_FILES, run once per server major of the compatibility run (PostgreSQL 13, 14,
//   16, 17, 18 from npm packages) on that server only. They also run in the quick lane.

/** Heavy suites of the slow lane, by name. Globs are allowed. */
export const SLOW_SUITES = {
  corpus: ['packages/corpus/test/**/*.test.ts', 'apps/cli/test/push-check-real-world.test.ts'],
  // The example project end to end: the whole guide, and a fresh copy of its committed history.
  examples: ['examples/hivemind/test/**/*.test.ts'],
  // The benchmark harness run small (every row once), not Strata itself.
  bench: ['bench/src/bench-quick.test.ts'],
  browser: ['packages/studio/test/studio-browser.test.ts', 'packages/studio/test/studio-features.test.ts'],
  packaging: ['apps/cli/test/pack-install.test.ts'],
  concurrency: ['apps/cli/test/multi-step-writers.test.ts'],
  // Extensions end to end (pgvector, citext): every CLI run opens PGlite with pgvector registered.
  extensions: ['apps/cli/test/extensions.test.ts'],
  fleet: ['packages/fleet/test/fleet-scale.test.ts', 'packages/fleet/test/fleet.test.ts', 'packages/fleet/test/fleet-data.test.ts', 'apps/cli/test/fleet.test.ts'],
};

/**
 * Every test file that reads the catalog or emits version-dependent SQL: the diff suites (which
 * apply generated SQL and compare catalogs), introspection and normalisation, push/check/pull/drop,
 * the runner, and backup (it reads the catalog to copy tables).
 */
export const COMPAT_FILES = [
  'packages/diff/test/changes.test.ts',
  'packages/diff/test/fingerprint.test.ts',
  'packages/diff/test/guards.test.ts',
  'packages/diff/test/guide-scenarios.test.ts',
  'packages/diff/test/properties.test.ts',
  'packages/diff/test/weird-identifiers.test.ts',
  'packages/diff/test/guard-names-values.test.ts',
  'packages/diff/test/generated-by-server.test.ts',
  'packages/diff/test/index-elements.test.ts',
  'packages/diff/test/type-collation.test.ts',
  'packages/db/src/introspect/introspect.test.ts',
  'packages/db/src/introspect/generated-columns.test.ts',
  'packages/diff/test/normalize-fixtures.test.ts',
  'packages/diff/test/normalize-snapshot.test.ts',
  'packages/diff/test/normalize-settle.test.ts',
  'packages/runner/test/migrate.test.ts',
  'packages/runner/test/rollback-baseline.test.ts',
  'packages/runner/test/drizzle-kit-adoption.test.ts',
  'packages/runner/test/concurrency.test.ts',
  'packages/backup/src/backup-restore.test.ts',
  'apps/cli/test/push-check.test.ts',
  'apps/cli/test/pull.test.ts',
  'apps/cli/test/drop.test.ts',
  'apps/cli/test/runner-commands.test.ts',
  'apps/cli/test/server-version.test.ts',
];

/**
 * The majors `npm test` (and so CI) runs the compatibility lane on: every supported one besides 15
 * (the quick lane's server). Each costs about 90 s in CI, well inside its 90 minutes.
 */
export const DEFAULT_COMPAT_MAJORS = [13, 14, 16, 17, 18];

export const LANES = ['quick', 'slow', 'compat'];

/** The files of the slow lane (all suites, or the named ones). */
export function slowFiles(suites = Object.keys(SLOW_SUITES)) {
  return suites.flatMap((s) => {
    const files = SLOW_SUITES[s];
    if (!files) throw new Error(`unknown slow suite "${s}" (known: ${Object.keys(SLOW_SUITES).join(', ')})`);
    return files;
  });
}
