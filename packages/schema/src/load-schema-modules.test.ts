import { cpSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { strataErrorOfAsync } from '../test/helpers.js';
import { loadSchemaModules } from './load-schema-modules.js';
import { loadSchema } from './load-schema.js';

// The drizzle-orm this package uses; temp projects link to it (or copy it, to get a second copy).
const drizzleDir = realpathSync(join(dirname(fileURLToPath(import.meta.url)), '../node_modules/drizzle-orm'));

let root: string;
function project(files: Record<string, string>, name = 'p'): string {
  const dir = mkdtempSync(join(root, `${name}-`));
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  symlinkSync(drizzleDir, join(dir, 'node_modules', 'drizzle-orm'), 'dir');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const TABLE_TS = (name: string) => `import { pgTable, integer } from 'drizzle-orm/pg-core';
type Row = { id: number };
export const ${name} = pgTable('${name}', { id: integer('id').primaryKey() });
`;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'strata-schema-load-'));
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('loadSchemaModules', () => {
  test('a TypeScript file, without a build step', async () => {
    const dir = project({ 'schema.ts': TABLE_TS('users') });
    const modules = await loadSchemaModules(['schema.ts'], { cwd: dir });
    expect(modules.map((m) => m.file)).toEqual([join(dir, 'schema.ts')]);
    expect(Object.keys(modules[0]?.exports ?? {})).toEqual(['users']);
  });

  test('code only jiti\'s own transform loads (top-level await, import.meta, dynamic import), and CommonJS helpers imported by default or by namespace', async () => {
    const dir = project({
      'schema.ts': `import { integer, pgTable } from 'drizzle-orm/pg-core';
import * as core from 'drizzle-orm/pg-core';
import helpers from './helpers.cjs';
const here: string = import.meta.url;
await Promise.resolve(here);
const extra = await import('./extra.js');
export const users = pgTable(helpers.name('users'), { id: integer('id').primaryKey() });
export const posts = core.pgTable('posts', { id: integer('id').primaryKey() });
export const other = extra.other;
`,
      'extra.ts': TABLE_TS('other'),
      'helpers.cjs': "module.exports = { name: (n) => 'app_' + n };\n",
    });
    const { snapshot } = await loadSchema(['schema.ts'], { cwd: dir });
    expect(Object.keys(snapshot.schemas.public!.tables).sort()).toEqual(['app_users', 'other', 'posts']);
  });

  test('a directory: every .ts/.mts/.cts/.js/.mjs/.cjs inside, recursively, ESM and CommonJS; node_modules, tests and .d.ts skipped', async () => {
    const dir = project({
      'db/a.ts': TABLE_TS('a'),
      'db/nested/b.mts': TABLE_TS('b'),
      'db/nested/deeper/c.cts': `const { pgTable, integer } = require('drizzle-orm/pg-core');\nmodule.exports = { c: pgTable('c', { id: integer('id') }) };\n`,
      'db/d.mjs': `import { pgTable, integer } from 'drizzle-orm/pg-core';\nexport const d = pgTable('d', { id: integer('id') });\n`,
      'db/e.cjs': `const { pgTable, integer } = require('drizzle-orm/pg-core');\nexports.e = pgTable('e', { id: integer('id') });\n`,
      'db/f.js': `const { pgTable, integer } = require('drizzle-orm/pg-core');\nmodule.exports.f = pgTable('f', { id: integer('id') });\n`,
      'db/a.test.ts': `throw new Error('a test file must not be loaded');\n`,
      'db/types.d.ts': `export type X = number;\n`,
      'db/node_modules/junk/index.ts': `throw new Error('node_modules must not be loaded');\n`,
      'db/README.md': '# not code\n',
    });
    const modules = await loadSchemaModules(['db'], { cwd: dir });
    expect(modules.map((m) => m.file.slice(dir.length + 1))).toEqual(['db/a.ts', 'db/d.mjs', 'db/e.cjs', 'db/f.js', 'db/nested/b.mts', 'db/nested/deeper/c.cts']);
    // CommonJS modules also show their module.exports as `default`.
    expect(modules.flatMap((m) => Object.keys(m.exports)).filter((k) => k !== 'default').sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });

  test('globs, relative to cwd, and several patterns at once', async () => {
    const dir = project({
      'src/users.schema.ts': TABLE_TS('users'),
      'src/posts.schema.ts': TABLE_TS('posts'),
      'src/other.ts': `throw new Error('not matched');\n`,
      'lib/extra.ts': TABLE_TS('extra'),
    });
    const modules = await loadSchemaModules(['src/**/*.schema.ts', './lib/extra.ts'], { cwd: dir });
    expect(modules.map((m) => m.file.slice(dir.length + 1))).toEqual(['lib/extra.ts', 'src/posts.schema.ts', 'src/users.schema.ts']);
  });

  test('a path that does not exist says where it looked', async () => {
    const dir = project({});
    const e = await strataErrorOfAsync(loadSchemaModules(['./src/schema'], { cwd: dir }), 'SCHEMA_LOAD_FAILED');
    expect(e.message).toBe(`Schema path src/schema does not exist (looked for ${join(dir, 'src/schema')})`);
  });

  test('patterns that match nothing say what was looked for and where', async () => {
    const dir = project({ 'notes.md': '#' });
    const e = await strataErrorOfAsync(loadSchemaModules(['src/**/*.ts'], { cwd: dir }), 'SCHEMA_LOAD_FAILED');
    expect(e.message).toBe(`No schema files found: looked for "src/**/*.ts" in ${dir}`);
    const empty = project({ 'db/only-tests.test.ts': 'export {}' });
    const e2 = await strataErrorOfAsync(loadSchemaModules(['db'], { cwd: empty }), 'SCHEMA_LOAD_FAILED');
    expect(e2.message).toContain(`looked for "db" in ${empty}`);
  });

  test('a file that does not compile: file, line and message', async () => {
    const dir = project({ 'broken.ts': `import { pgTable } from 'drizzle-orm/pg-core';\n\nexport const t = pgTable('t', { id: integer( });\n` });
    const e = await strataErrorOfAsync(loadSchemaModules(['broken.ts'], { cwd: dir }), 'SCHEMA_LOAD_FAILED');
    expect(e.message).toMatch(/^Schema file failed to load: broken\.ts:3:\d+: syntax error: Unexpected token/);
    expect(e.details).toContain(`file: ${join(dir, 'broken.ts')}`);
    expect(e.details).toContain('line: 3');
  });

  test('a file that throws while it runs: file, line and message', async () => {
    const dir = project({
      'throws.ts': `import { pgTable, integer } from 'drizzle-orm/pg-core';\ninterface Unused { a: number }\nexport const t = pgTable('t', { id: integer('id') });\nif (t) throw new Error('DATABASE_URL is not set');\n`,
    });
    const e = await strataErrorOfAsync(loadSchemaModules(['throws.ts'], { cwd: dir }), 'SCHEMA_LOAD_FAILED');
    expect(e.message).toBe('Schema file failed to load: throws.ts:4:14: DATABASE_URL is not set');
  });

  test('an error thrown inside drizzle-orm points at the schema file’s line that called it', async () => {
    const dir = project({ 'public.ts': `import { pgSchema } from 'drizzle-orm/pg-core';\n\nexport const s = pgSchema('public');\n` });
    const e = await strataErrorOfAsync(loadSchemaModules(['public.ts'], { cwd: dir }), 'SCHEMA_LOAD_FAILED');
    expect(e.message).toMatch(/^Schema file failed to load: public\.ts:3:\d+: You can't specify 'public' as schema name/);
  });

  test('an error in a file the schema imports names that file and the schema file', async () => {
    const dir = project({
      'db/schema.ts': `import { prefix } from '../lib/helper';\nexport const name = prefix('x');\n`,
      'lib/helper.ts': `export function prefix(s: string): string {\n  throw new Error('helper failed for ' + s);\n}\n`,
    });
    const e = await strataErrorOfAsync(loadSchemaModules(['db/schema.ts'], { cwd: dir }), 'SCHEMA_LOAD_FAILED');
    expect(e.message).toBe('Schema file failed to load: lib/helper.ts:2:9: helper failed for x (while loading db/schema.ts)');
  });

  test('a missing import: the module, the importing file and the line', async () => {
    const dir = project({ 'schema.ts': `import { pgTable } from 'drizzle-orm/pg-core';\nimport { nope } from 'not-installed-anywhere';\nexport const x = nope;\n` });
    const e = await strataErrorOfAsync(loadSchemaModules(['schema.ts'], { cwd: dir }), 'SCHEMA_LOAD_FAILED');
    expect(e.message).toBe(`Schema file failed to load: schema.ts:2: cannot find module 'not-installed-anywhere'`);
    expect(e.hint).toContain('Install the missing package');
  });

  test('tsconfig.json paths aliases (with extends and baseUrl) resolve in schema files', async () => {
    const dir = project({
      'tsconfig.base.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@/*': ['./src/*'], '#columns': ['./src/lib/columns.ts'] } } }),
      // comments and trailing commas, as tsconfig files have them
      'tsconfig.json': `{\n  // the app's config\n  "extends": "./tsconfig.base.json",\n  "compilerOptions": { "strict": true, },\n}\n`,
      'src/lib/columns.ts': `import { integer } from 'drizzle-orm/pg-core';\nexport const id = () => integer('id').primaryKey();\n`,
      'src/db/users.ts': `import { pgTable } from 'drizzle-orm/pg-core';\nimport { id } from '#columns';\nexport const users = pgTable('users', { id: id() });\n`,
      'src/db/index.ts': `export * from '@/db/users';\n`,
    });
    const { snapshot } = await loadSchema(['src/db/index.ts'], { cwd: dir });
    expect(snapshot.schemas.public?.tables.users?.primaryKey).toEqual({ name: 'users_pkey', columns: ['id'] });
  });

  test('a tsconfig.json that cannot be read is named', async () => {
    const dir = project({ 'tsconfig.json': '{ "extends": "./missing-base.json" }', 'schema.ts': TABLE_TS('t') });
    const e = await strataErrorOfAsync(loadSchemaModules(['schema.ts'], { cwd: dir }), 'SCHEMA_LOAD_FAILED');
    expect(e.message).toContain(`Could not read the tsconfig.json above ${dir}`);
  });

  test('a schema package imported from another workspace package, with its own copy of drizzle-orm', async () => {
    const ws = mkdtempSync(join(root, 'ws-'));
    const pkg = join(ws, 'packages/db-schema');
    const app = join(ws, 'apps/api');
    mkdirSync(join(pkg, 'src'), { recursive: true });
    mkdirSync(join(pkg, 'node_modules'), { recursive: true });
    // A real second copy: its classes are not ours, so only drizzle's is() recognises its tables.
    cpSync(drizzleDir, join(pkg, 'node_modules/drizzle-orm'), { recursive: true, dereference: true });
    writeFileSync(
      join(pkg, 'package.json'),
      JSON.stringify({ name: '@acme/db-schema', type: 'module', exports: { '.': './src/index.ts' } }),
    );
    writeFileSync(join(pkg, 'src/index.ts'), `export * from './users';\n`);
    writeFileSync(
      join(pkg, 'src/users.ts'),
      `import { pgTable, uuid, text, pgEnum } from 'drizzle-orm/pg-core';\nexport const role = pgEnum('role', ['admin', 'member']);\nexport const users = pgTable('users', { id: uuid('id').primaryKey(), role: role('role').notNull() });\n`,
    );
    mkdirSync(join(app, 'node_modules/@acme'), { recursive: true });
    symlinkSync(drizzleDir, join(app, 'node_modules/drizzle-orm'), 'dir');
    symlinkSync(pkg, join(app, 'node_modules/@acme/db-schema'), 'dir');
    writeFileSync(
      join(app, 'schema.ts'),
      `import { pgTable, serial, uuid } from 'drizzle-orm/pg-core';\nimport { users } from '@acme/db-schema';\nexport * from '@acme/db-schema';\nexport const sessions = pgTable('sessions', { id: serial('id').primaryKey(), userId: uuid('user_id').references(() => users.id) });\n`,
    );

    const modules = await loadSchemaModules(['schema.ts'], { cwd: app });
    const imported = modules[0]?.exports.users;
    expect(imported instanceof PgTable).toBe(false);

    const { snapshot, files } = await loadSchema(['schema.ts'], { cwd: app });
    expect(files).toEqual([join(app, 'schema.ts')]);
    const tables = snapshot.schemas.public?.tables ?? {};
    expect(Object.keys(tables).sort()).toEqual(['sessions', 'users']);
    expect(tables.users?.columns[1]).toEqual({ name: 'role', type: 'role', typeSchema: 'public', dimensions: 0, notNull: true });
    expect(snapshot.schemas.public?.enums.role?.values).toEqual(['admin', 'member']);
    expect(tables.sessions?.foreignKeys.sessions_user_id_users_id_fk).toMatchObject({ foreignTable: 'users', foreignColumns: ['id'] });
  });
});
