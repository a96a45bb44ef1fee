import { resolve } from 'node:path';
import type { LoadedModule } from './collect-entities.js';
import { findSchemaFiles } from './find-schema-files.js';
import { schemaLoadError } from './load-error.js';
import { tsconfigAliases } from './tsconfig-aliases.js';
import { createSourceLoader } from './source-loader.js';

export type { LoadedModule } from './collect-entities.js';

/**
 * Loads schema files: `patterns` are files, directories (searched recursively for
 * .ts/.mts/.cts/.js/.mjs/.cjs, skipping node_modules, `*.d.ts` and `*.test.*`) or globs, relative to
 * `cwd`. TypeScript runs without a build step (esbuild, on Node's loader or jiti); ESM and CommonJS both work; imports resolve
 * with Node's rules from each file, so a schema package from another workspace package loads
 * too, and `compilerOptions.paths` aliases of the tsconfig.json nearest to `cwd` work
 * (`import { users } from '@/db/users'`). Files are loaded in sorted order, each once per process.
 *
 * A file that does not compile or throws while it runs → `StrataError('SCHEMA_LOAD_FAILED')`
 * naming the file, the line and the message; no files → the same code, saying where it looked.
 * Types are not checked (run `tsc` for that).
 *
 * @example
 * const modules = await loadSchemaModules(['./src/database/schema'], { cwd: process.cwd() });
 * modules.map((m) => m.file); // => ['/app/src/database/schema/index.ts', '/app/src/database/schema/users.ts']
 */
export async function loadSchemaModules(patterns: readonly string[], options: { cwd: string }): Promise<LoadedModule[]> {
  const cwd = resolve(options.cwd);
  const files = await findSchemaFiles(patterns, { cwd });
  // Schema code reads drizzle's builders thousands of times: no interop Proxy around them.
  const loader = createSourceLoader(import.meta.url, { alias: tsconfigAliases(cwd), cache: true, interopDefault: false });
  const modules: LoadedModule[] = [];
  for (const file of files) {
    let exports: unknown;
    try {
      exports = await loader.import(file);
    } catch (error) {
      throw schemaLoadError(error, file, cwd);
    }
    modules.push({ file, exports: toRecord(exports) });
  }
  return modules;
}

function toRecord(exports: unknown): Record<string, unknown> {
  if (exports !== null && (typeof exports === 'object' || typeof exports === 'function')) {
    return Object.fromEntries(Object.keys(exports).map((key) => [key, (exports as Record<string, unknown>)[key]]));
  }
  return { default: exports };
}
