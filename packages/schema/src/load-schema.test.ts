import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fixturePath, strataErrorOfAsync } from '../test/helpers.js';
import { canonicalJson } from './canonical-json.js';
import { loadSchema } from './load-schema.js';

const drizzleDir = realpathSync(join(dirname(fileURLToPath(import.meta.url)), '../node_modules/drizzle-orm'));
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

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'strata-load-schema-'));
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('loadSchema', () => {
  test('loads the all-features fixture from disk to the same snapshot as the reviewed file', async () => {
    const { snapshot, files } = await loadSchema(['all-features.ts'], { cwd: fixturePath('.') });
    expect(files).toEqual([fixturePath('all-features.ts')]);
    expect(canonicalJson(snapshot)).toBe(readFileSync(fixturePath('all-features.snapshot.json'), 'utf8'));
  });

  test('the guide’s layout: a schema directory split into files, with the casing option', async () => {
    const dir = project({
      'src/database/schema/users.ts': `import { pgTable, uuid, varchar, timestamp } from 'drizzle-orm/pg-core';\nexport const users = pgTable('users', { id: uuid().primaryKey().defaultRandom(), username: varchar({ length: 100 }).notNull().unique(), createdAt: timestamp().defaultNow() });\n`,
      'src/database/schema/posts.ts': `import { pgTable, uuid } from 'drizzle-orm/pg-core';\nimport { users } from './users';\nexport const posts = pgTable('posts', { id: uuid().primaryKey().defaultRandom(), userId: uuid().notNull().references(() => users.id, { onDelete: 'cascade' }) });\n`,
      'src/database/schema/index.ts': `export * from './users';\nexport * from './posts';\n`,
    });
    const { snapshot, files } = await loadSchema(['./src/database/schema'], { cwd: dir, casing: 'snake_case' });
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual(['src/database/schema/index.ts', 'src/database/schema/posts.ts', 'src/database/schema/users.ts']);
    const tables = snapshot.schemas.public?.tables ?? {};
    expect(tables.users?.columns.map((c) => c.name)).toEqual(['id', 'username', 'created_at']);
    expect(Object.keys(tables.posts?.foreignKeys ?? {})).toEqual(['posts_user_id_users_id_fk']);
  });

  test('a schema of only enums is fine', async () => {
    const dir = project({ 'enums.ts': `import { pgEnum } from 'drizzle-orm/pg-core';\nexport const mood = pgEnum('mood', ['sad', 'happy']);\n` });
    const { snapshot } = await loadSchema(['enums.ts'], { cwd: dir });
    expect(snapshot.schemas.public?.enums.mood?.values).toEqual(['sad', 'happy']);
  });

  test('files without any exported drizzle object: says where it looked and that objects must be exported', async () => {
    const dir = project({
      'schema.ts': `import { pgTable, integer } from 'drizzle-orm/pg-core';\nconst users = pgTable('users', { id: integer('id') });\nexport const notATable = 42;\n`,
    });
    const e = await strataErrorOfAsync(loadSchema(['schema.ts'], { cwd: dir }), 'SCHEMA_INVALID');
    expect(e.message).toBe(`No tables, enums, sequences or views found in the schema files ("schema.ts" in ${dir})`);
    expect(e.details).toEqual(['loaded: schema.ts']);
    expect(e.hint).toContain('export const users = pgTable');
  });

  test('serializer errors name the files relative to cwd', async () => {
    const dir = project({
      'db/a.ts': `import { pgTable, integer } from 'drizzle-orm/pg-core';\nexport const users = pgTable('users', { id: integer('id') });\n`,
      'db/b.ts': `import { pgTable, integer } from 'drizzle-orm/pg-core';\nexport const people = pgTable('users', { id: integer('id') });\n`,
    });
    const e = await strataErrorOfAsync(loadSchema(['db'], { cwd: dir }), 'SCHEMA_INVALID');
    expect(e.message).toBe('Two objects are named "users" in schema "public": table public.users (db/a.ts: export users) and table public.users (db/b.ts: export people)');
  });

  test('the schemas option is passed on to the serializer', async () => {
    const dir = project({
      'schema.ts': `import { pgTable, pgSchema, integer } from 'drizzle-orm/pg-core';\nexport const app = pgSchema('app');\nexport const a = app.table('a', { id: integer('id') });\nexport const b = pgTable('b', { id: integer('id') });\n`,
    });
    const { snapshot } = await loadSchema(['schema.ts'], { cwd: dir, schemas: ['app'] });
    expect(Object.keys(snapshot.schemas.app?.tables ?? {})).toEqual(['a']);
    expect(snapshot.schemas.public?.tables).toEqual({});
  });
});
