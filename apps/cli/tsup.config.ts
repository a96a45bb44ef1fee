import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/bin.ts', 'src/define-config.ts'],
  format: ['esm'],
  dts: { entry: ['src/index.ts', 'src/define-config.ts'] },
  sourcemap: true,
  clean: true,
  target: 'node20',
  banner: ({ format }) => (format === 'esm' ? {} : {}),
});
