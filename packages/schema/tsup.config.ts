import { defineConfig } from 'tsup';

export default defineConfig({
  // source-loader alone: a config file is loaded without the model, drizzle-orm or codegen.
  entry: ['src/index.ts', 'src/source-loader.ts'],
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
});
