#!/usr/bin/env node
// The work every drizzle-kit-compatible `generate` must do before it can write anything, and no
// more: transform the TypeScript schema (esbuild, started at once, beside loading drizzle-orm, as
// Strata does), run it on drizzle-orm, and ask drizzle-orm for every table's config
// (`getTableConfig`, which runs each table's third argument). No serializing, no diff, no files.
// Prints the number of tables. Run by `src/floor/main.ts` as a process of its own:
//   node scripts/generate-floor-work.mjs <schema.ts>
import { readFile } from 'node:fs/promises';
import Module, { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';

const file = resolve(process.argv[2] ?? '');
const require = createRequire(import.meta.url);
const esbuild = require('esbuild');
const transformed = readFile(file, 'utf8').then((source) =>
  esbuild.transform(source, { loader: 'ts', format: 'cjs', target: 'node20', sourcefile: file }),
);
// drizzle-orm as the schema resolves it (its CommonJS build, the one its `require` loads).
const schemaRequire = createRequire(file);
const { getTableConfig, PgTable } = schemaRequire('drizzle-orm/pg-core');
const { is } = schemaRequire('drizzle-orm');
const { code } = await transformed;
const mod = new Module(file);
mod.filename = file;
mod.paths = Module._nodeModulePaths(dirname(file));
mod._compile(code, file);
let tables = 0;
for (const value of Object.values(mod.exports)) {
  if (!is(value, PgTable)) continue;
  getTableConfig(value);
  tables++;
}
process.stdout.write(`${tables}\n`);
// esbuild's service would keep the process alive.
process.exit(0);
