import { defineConfig } from 'tsup';

// node-postgres bundled into one CommonJS file, dist/pg-driver.cjs (see src/pg-driver.cjs and
// load-pg.ts). A build of its own, run after the main one: two builds side by side would both
// clean dist.
export default defineConfig({
  entry: { 'pg-driver': 'src/pg-driver.cjs' },
  format: ['cjs'],
  platform: 'node',
  target: 'node20',
  noExternal: ['pg'],
  clean: false,
  dts: false,
  sourcemap: false,
});
