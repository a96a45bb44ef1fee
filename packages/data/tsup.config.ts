import { defineConfig } from 'tsup';

// `define` is the small module a data-migration file's `import '@strata/data'` is pointed at when
// the CLI loads it (see load-data-migration.ts): it must not pull in drivers.
export default defineConfig({
  entry: ['src/index.ts', 'src/define.ts'],
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
});
