#!/usr/bin/env node
// Builds the studio page into dist/page (or the directory given as the first argument):
// page/src/main.tsx bundled with esbuild (Preact, dagre) into app.js, plus index.html and app.css.
// The SQL editor (CodeMirror) is a separate chunk-*.js the page imports when the SQL tab opens.
// Everything comes from node_modules: the page works offline and the build needs no network.
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const pkg = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = resolve(process.argv[2] ?? join(pkg, 'dist', 'page'));
mkdirSync(out, { recursive: true });
for (const f of readdirSync(out)) if (/^chunk-.*\.js$/.test(f)) rmSync(join(out, f));
await build({
  entryPoints: [join(pkg, 'page', 'src', 'main.tsx')],
  outdir: out,
  entryNames: 'app',
  chunkNames: 'chunk-[hash]',
  splitting: true,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2022'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
});
copyFileSync(join(pkg, 'page', 'index.html'), join(out, 'index.html'));
copyFileSync(join(pkg, 'page', 'app.css'), join(out, 'app.css'));
