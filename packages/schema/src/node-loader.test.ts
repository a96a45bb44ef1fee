import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadWithNode, NeedsFullLoader, nodeLoaderHooksInstalled } from './node-loader.js';
import { sourceOnlyTransform } from './fast-transform.js';
import { createSourceLoader } from './source-loader.js';

const drizzleDir = realpathSync(join(dirname(fileURLToPath(import.meta.url)), '../node_modules/drizzle-orm'));
const cache = createRequire(import.meta.url).cache;

let root: string;
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(root, 'p-'));
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  symlinkSync(drizzleDir, join(dir, 'node_modules', 'drizzle-orm'), 'dir');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}
const options = { cache: false, transform: sourceOnlyTransform };
/** Source files of `dir` (outside node_modules) in Node's module cache. */
const cachedSources = (dir: string) => Object.keys(cache).filter((k) => k.startsWith(dir) && !k.includes('node_modules'));

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'strata-node-loader-'));
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('loadWithNode', () => {
  test('TypeScript importing TypeScript (extensionless, ESM-style .js, an alias) and a CommonJS helper by default', () => {
    const dir = project({
      'schema.ts': `import { pgTable, integer } from 'drizzle-orm/pg-core';
import { prefix } from './lib/names.js';
import { suffix } from './lib/more';
import { id } from '@/columns';
import helpers from './helpers.cjs';
type Unused = { a: number };
export const users = pgTable(helpers.wrap(prefix('users') + suffix), { id: id() , n: integer('n') });
`,
      'lib/names.ts': `export const prefix = (s: string): string => 'app_' + s;\n`,
      'lib/more.mts': `export const suffix: string = '_t';\n`,
      'src/columns.ts': `import { integer } from 'drizzle-orm/pg-core';\nexport const id = () => integer('id').primaryKey();\n`,
      'helpers.cjs': `module.exports = { wrap: (s) => s };\n`,
    });
    const exports = loadWithNode(join(dir, 'schema.ts'), { ...options, alias: { '@/': `${dir}/src/` } }) as { users: object };
    expect((exports.users as Record<symbol, unknown>)[Symbol.for('drizzle:Name')]).toBe('app_users_t');
    expect(nodeLoaderHooksInstalled()).toBe(false);
    expect(Object.keys(createRequire(import.meta.url)('node:module')._extensions as object)).toEqual(['.js', '.json', '.node']);
  });

  test('without caching, each load runs the file afresh and leaves no source in the module cache', () => {
    const dir = project({ 'schema.ts': `(globalThis as any).__strataRuns = ((globalThis as any).__strataRuns ?? 0) + 1;\nexport const n = 1;\n` });
    const g = globalThis as { __strataRuns?: number };
    g.__strataRuns = 0;
    loadWithNode(join(dir, 'schema.ts'), options);
    loadWithNode(join(dir, 'schema.ts'), options);
    expect(g.__strataRuns).toBe(2);
    expect(cachedSources(dir)).toEqual([]);
    loadWithNode(join(dir, 'schema.ts'), { ...options, cache: true });
    loadWithNode(join(dir, 'schema.ts'), { ...options, cache: true });
    expect(g.__strataRuns).toBe(3);
    for (const k of cachedSources(dir)) delete cache[k];
  });

  test('code only Babel runs (top-level await, import.meta), an ES module in node_modules, a syntax error: it throws, keeps nothing and unhooks', () => {
    const dir = project({
      'tla.ts': `import { other } from './uses-meta';\nexport const x = other;\n`,
      'uses-meta.ts': `export const other = import.meta.url;\n`,
      'esm-dep.ts': `import { hello } from 'esm-only';\nexport const x = hello;\n`,
      'node_modules/esm-only/package.json': JSON.stringify({ name: 'esm-only', type: 'module', main: 'index.js' }),
      'node_modules/esm-only/index.js': `export const hello = 'hi';\n`,
      'broken.ts': `export const t = (;\n`,
    });
    for (const file of ['tla.ts', 'esm-dep.ts']) {
      expect(() => loadWithNode(join(dir, file), options)).toThrow(NeedsFullLoader);
      expect(nodeLoaderHooksInstalled()).toBe(false);
      expect(cachedSources(dir)).toEqual([]);
    }
    expect(() => loadWithNode(join(dir, 'broken.ts'), options)).toThrow(NeedsFullLoader);
  });

  test('an error the code throws while it runs comes out as it is, and the hooks are gone', () => {
    const dir = project({ 'throws.ts': `export const a = 1;\nthrow new Error('DATABASE_URL is not set');\n` });
    expect(() => loadWithNode(join(dir, 'throws.ts'), { ...options, cache: true })).toThrow('DATABASE_URL is not set');
    expect(nodeLoaderHooksInstalled()).toBe(false);
    expect(cachedSources(dir)).toEqual([]);
  });
});

describe('createSourceLoader without interop', () => {
  test('loads through jiti what Node’s loader cannot (an ES module in node_modules, import.meta)', async () => {
    const dir = project({
      'schema.ts': `import { hello } from 'esm-only';\nimport { other } from './uses-meta';\nexport const x = hello + other.length;\n`,
      'uses-meta.ts': `export const other: string = import.meta.url;\n`,
      'node_modules/esm-only/package.json': JSON.stringify({ name: 'esm-only', type: 'module', main: 'index.js' }),
      'node_modules/esm-only/index.js': `export const hello = 'hi';\n`,
    });
    const loader = createSourceLoader(import.meta.url, { cache: false, interopDefault: false });
    const exports = (await loader.import(join(dir, 'schema.ts'))) as { x: string };
    expect(exports.x).toMatch(/^hi\d+$/);
  });
});
