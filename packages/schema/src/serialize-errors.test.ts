import { sql } from 'drizzle-orm';
import { foreignKey, index, uniqueIndex, integer, pgEnum, pgPolicy, pgSchema, pgSequence, pgTable, pgView, primaryKey, serial, text, uuid } from 'drizzle-orm/pg-core';
import { authenticatedRole, realtimeMessages } from 'drizzle-orm/supabase';
import { describe, expect, test } from 'vitest';
import { strataErrorOf } from '../test/helpers.js';
import { serializeSchema } from './serialize-schema.js';

// Each case is schema code PostgreSQL (or drizzle-kit) would reject: Strata says so before any SQL runs.
describe('serializeSchema rejects invalid schema code with a clear error', () => {
  test('two tables with the same name: the error names both exports', () => {
    const a = pgTable('users', { id: integer('id') });
    const b = pgTable('users', { id: integer('id') });
    const e = strataErrorOf(
      () => serializeSchema([
        { file: '/app/src/a.ts', exports: { users: a } },
        { file: '/app/src/b.ts', exports: { people: b } },
      ]),
      'SCHEMA_INVALID',
    );
    expect(e.message).toContain('Two objects are named "users" in schema "public"');
    expect(e.message).toContain('/app/src/a.ts: export users');
    expect(e.message).toContain('/app/src/b.ts: export people');
  });

  test('the same object exported twice is one object, not a duplicate', () => {
    const users = pgTable('users', { id: integer('id') });
    const snapshot = serializeSchema([
      { file: '/app/src/users.ts', exports: { users } },
      { file: '/app/src/index.ts', exports: { users, schema: { users } } },
    ]);
    expect(Object.keys(snapshot.schemas.public?.tables ?? {})).toEqual(['users']);
  });

  test('a table and a view with the same name', () => {
    const t = pgTable('report', { id: integer('id') });
    const v = pgView('report', { id: integer('id') }).as(sql`select 1 as id`);
    const e = strataErrorOf(() => serializeSchema({ t, v }), 'SCHEMA_INVALID');
    expect(e.message).toMatch(/table public\.report .* and view public\.report/);
  });

  test('an enum named like a table (they share the type namespace)', () => {
    const status = pgEnum('status', ['a']);
    const t = pgTable('status', { id: integer('id') });
    const e = strataErrorOf(() => serializeSchema({ status, t }), 'SCHEMA_INVALID');
    expect(e.message).toContain('table public.status');
    expect(e.message).toContain('enum public.status');
  });

  test('two enums with one name but different objects', () => {
    const a = pgEnum('mood', ['a']);
    const b = pgEnum('mood', ['b']);
    expect(strataErrorOf(() => serializeSchema({ a, b }), 'SCHEMA_INVALID').message).toContain('Two objects are named "mood"');
    // The same values in another order are another type too.
    const c = pgEnum('mood', ['a', 'b']);
    const d = pgEnum('mood', ['b', 'a']);
    expect(strataErrorOf(() => serializeSchema({ c, d }), 'SCHEMA_INVALID').message).toContain('Two objects are named "mood"');
  });

  test('an enum declared twice alike (an unexported copy used by a table, as in Fredkiss3/gh-next) is one enum', () => {
    const status = pgEnum('issue_status', ['OPEN', 'CLOSED']);
    const copy = pgEnum('issue_status', ['OPEN', 'CLOSED']);
    const issues = pgTable('issues', { status: status('status') });
    const events = pgTable('issue_events', { oldStatus: copy('old_status') });
    const snapshot = serializeSchema({ status, issues, events });
    expect(snapshot.schemas.public?.enums).toEqual({ issue_status: { name: 'issue_status', schema: 'public', values: ['OPEN', 'CLOSED'] } });
    expect(snapshot.schemas.public?.tables.issue_events?.columns[0]).toMatchObject({ type: 'issue_status', typeSchema: 'public' });
  });

  test('an index named like a table, and two indexes with one name on different tables', () => {
    const a = pgTable('a', { id: integer('id') }, (t) => [index('b').on(t.id)]);
    const b = pgTable('b', { id: integer('id') });
    expect(strataErrorOf(() => serializeSchema({ a, b }), 'SCHEMA_INVALID').message).toMatch(/index "b" on table public\.a/);
    const c = pgTable('c', { id: integer('id') }, (t) => [index('same_idx').on(t.id)]);
    const d = pgTable('d', { id: integer('id') }, (t) => [index('same_idx').on(t.id)]);
    const e = strataErrorOf(() => serializeSchema({ c, d }), 'SCHEMA_INVALID');
    expect(e.message).toContain('index "same_idx" on table public.c');
    expect(e.message).toContain('index "same_idx" on table public.d');
  });

  test('a sequence named like a table', () => {
    const s = pgSequence('things');
    const t = pgTable('things', { id: integer('id') });
    expect(strataErrorOf(() => serializeSchema({ s, t }), 'SCHEMA_INVALID').message).toContain('sequence public.things');
  });

  test('two names that only differ after the 63rd byte collide, as in PostgreSQL', () => {
    const long = 'x'.repeat(63);
    const a = pgTable(`${long}_a`, { id: integer('id') });
    const b = pgTable(`${long}_b`, { id: integer('id') });
    expect(strataErrorOf(() => serializeSchema({ a, b }), 'SCHEMA_INVALID').message).toContain(`"${long}"`);
  });

  test('two columns with one name after the casing option', () => {
    const t = pgTable('t', { userId: integer(), user_id: integer() });
    const e = strataErrorOf(() => serializeSchema({ t }, { casing: 'snake_case' }), 'SCHEMA_INVALID');
    expect(e.message).toContain('two columns named "user_id"');
  });

  test('one column builder under two keys: both columns get the first key\'s name, and the error says why', () => {
    // drizzle's setName keeps the first name, so `updatedAt` silently becomes a second "createdAt".
    const createdAt = integer().notNull();
    const t = pgTable('t', { id: integer(), createdAt, updatedAt: createdAt });
    const e = strataErrorOf(() => serializeSchema({ t }), 'SCHEMA_INVALID');
    expect(e.message).toContain('two columns named "createdAt"');
    expect(e.message).toContain('keys "createdAt" and "updatedAt" use one column builder object');
    expect(e.hint).toContain('its own builder');
  });

  test('two constraints with one name on a table', () => {
    const t = pgTable('t', { a: integer('a').unique('t_key'), b: integer('b').unique('t_key') });
    const e = strataErrorOf(() => serializeSchema({ t }), 'SCHEMA_INVALID');
    expect(e.message).toContain('two constraints named "t_key"');
    expect(e.message).toContain('unique constraint on (a)');
    expect(e.message).toContain('unique constraint on (b)');
  });

  test('one name for two different foreign keys; the same foreign key written twice under one name is one', () => {
    const users = pgTable('users', { id: text('id').primaryKey(), alt: text('alt').unique() });
    const sites = pgTable('sites', { by: text('by').notNull().references(() => users.id) }, (t) => [
      foreignKey({ columns: [t.by], foreignColumns: [users.id], name: 'sites_by_users_id_fk' }),
    ]);
    expect(serializeSchema({ users, sites }).schemas.public!.tables.sites!.foreignKeys).toEqual({
      sites_by_users_id_fk: {
        columns: ['by'], foreignColumns: ['id'], foreignSchema: 'public', foreignTable: 'users', name: 'sites_by_users_id_fk', onDelete: 'no action', onUpdate: 'no action',
      },
    });
    const other = pgTable('sites', { by: text('by').references(() => users.id) }, (t) => [
      foreignKey({ columns: [t.by], foreignColumns: [users.alt], name: 'sites_by_users_id_fk' }),
    ]);
    expect(strataErrorOf(() => serializeSchema({ users, other }), 'SCHEMA_INVALID').message).toContain('two constraints named "sites_by_users_id_fk"');
  });

  test('a foreign key to a table that is not in the schema names both tables', () => {
    const users = pgTable('users', { id: uuid('id').primaryKey() });
    const posts = pgTable('posts', { id: serial('id').primaryKey(), userId: uuid('user_id').references(() => users.id) });
    const e = strataErrorOf(() => serializeSchema([{ file: '/app/posts.ts', exports: { posts } }]), 'SCHEMA_INVALID');
    expect(e.message).toContain('foreign key "posts_user_id_users_id_fk" on table public.posts (/app/posts.ts: export posts)');
    expect(e.message).toContain('references table public.users, which is not in the schema');
    expect(e.hint).toContain('Export public.users');
  });

  test('a foreign key into a schema Strata does not manage is allowed (e.g. auth.users)', () => {
    const auth = pgSchema('auth');
    const authUsers = auth.table('users', { id: uuid('id').primaryKey() });
    const profiles = pgTable('profiles', { id: uuid('id').primaryKey().references(() => authUsers.id) });
    const snapshot = serializeSchema({ profiles });
    expect(Object.keys(snapshot.schemas)).toEqual(['public']);
    expect(snapshot.schemas.public?.tables.profiles?.foreignKeys.profiles_id_users_id_fk).toMatchObject({ foreignSchema: 'auth', foreignTable: 'users' });
  });

  test('a foreign key to columns without a primary key or unique constraint', () => {
    const a = pgTable('a', { id: integer('id'), code: text('code') });
    const b = pgTable('b', { code: text('code').references(() => a.code) });
    const e = strataErrorOf(() => serializeSchema({ a, b }), 'SCHEMA_INVALID');
    expect(e.message).toContain('references public.a(code)');
    expect(e.message).toContain('no primary key or unique constraint');
  });

  test('a unique index counts as a key for a foreign key, a partial one does not', () => {
    const a = pgTable('a', { code: text('code') }, (t) => [uniqueIndex('a_code_idx').on(t.code)]);
    const b = pgTable('b', { code: text('code').references(() => a.code) });
    expect(Object.keys(serializeSchema({ a, b }).schemas.public?.tables.b?.foreignKeys ?? {})).toEqual(['b_code_a_code_fk']);
    const c = pgTable('c', { code: text('code') }, (t) => [uniqueIndex('c_code_idx').on(t.code).where(sql`${t.code} <> ''`)]);
    const d = pgTable('d', { code: text('code').references(() => c.code) });
    expect(strataErrorOf(() => serializeSchema({ c, d }), 'SCHEMA_INVALID').message).toContain('no primary key or unique constraint');
  });

  test('an index on an expression without a name', () => {
    const t = pgTable('t', { email: text('email') }, (t) => [index().on(sql`lower(${t.email})`)]);
    const e = strataErrorOf(() => serializeSchema({ t }), 'SCHEMA_INVALID');
    expect(e.message).toContain('an index on an expression needs a name');
  });

  test('more than one primary key', () => {
    const t = pgTable('t', { a: integer('a').primaryKey(), b: integer('b').primaryKey() });
    expect(strataErrorOf(() => serializeSchema({ t }), 'SCHEMA_INVALID').message).toContain('more than one primary key');
    const u = pgTable('u', { a: integer('a').primaryKey(), b: integer('b') }, (t) => [primaryKey({ columns: [t.a, t.b] })]);
    expect(strataErrorOf(() => serializeSchema({ u }), 'SCHEMA_INVALID').message).toContain('more than one primary key');
  });

  test('a column with both a default and an identity, or a serial with a default', () => {
    const t = pgTable('t', { id: integer('id').generatedAlwaysAsIdentity().default(1) });
    expect(strataErrorOf(() => serializeSchema({ t }), 'SCHEMA_INVALID').message).toContain('has both a default and an identity');
    const u = pgTable('u', { id: serial('id').default(5) });
    expect(strataErrorOf(() => serializeSchema({ u }), 'SCHEMA_INVALID').message).toContain('type serial');
  });

  test('an expression with sql.placeholder() has no value', () => {
    const t = pgTable('t', { n: integer('n').default(sql`${sql.placeholder('x')}`) });
    expect(strataErrorOf(() => serializeSchema({ t }), 'SCHEMA_INVALID').message).toContain('sql.placeholder()');
  });

  test('an exported policy that is not linked to any table', () => {
    const p = pgPolicy('lonely', { using: sql`true` });
    expect(strataErrorOf(() => serializeSchema([{ file: '/app/p.ts', exports: { p } }]), 'SCHEMA_INVALID').message).toContain('policy "lonely" is not attached to a table (/app/p.ts: export p)');
  });

  test('a policy linked to a table that is not exported', () => {
    const t = pgTable('t', { id: integer('id') });
    const p = pgPolicy('p', { using: sql`true` }).link(t);
    expect(strataErrorOf(() => serializeSchema({ p }), 'SCHEMA_INVALID').message).toContain('is linked to table public.t, which is not in the schema');
  });

  test('a policy linked to a table outside the managed schemas that the code does not declare (drizzle-orm/supabase realtime) is refused, not lost', () => {
    // As rphlmr/drizzle-supabase-rls does: drizzle-kit creates these policies on realtime.messages.
    const rooms = pgTable('rooms', { topic: text('topic') });
    const p = pgPolicy('read presence', { for: 'select', to: authenticatedRole, using: sql`${realtimeMessages.extension} = 'presence'` }).link(realtimeMessages);
    const e = strataErrorOf(() => serializeSchema([{ file: '/app/schema.ts', exports: { rooms, p } }]), 'SCHEMA_INVALID');
    expect(e.message).toContain('policy "read presence" (/app/schema.ts: export p) is linked to table realtime.messages, outside the managed schemas');
    expect(e.hint).toContain('strata generate --custom');
    // A table the code declares in a schema the config leaves out goes with its policies, as before.
    const legacy = pgSchema('legacy');
    const old = legacy.table('old', { id: integer('id') });
    const q = pgPolicy('q', { using: sql`true` }).link(old);
    expect(Object.keys(serializeSchema({ old, q, rooms }, { schemas: ['public'] }).schemas)).toEqual(['public']);
  });

  test('a table outside the managed schemas is not looked at, even when its third argument would throw', () => {
    const legacy = pgSchema('legacy');
    const old = legacy.table('old', { id: integer('id') }, () => {
      throw new Error('never run');
    });
    const t = pgTable('t', { id: integer('id') });
    expect(Object.keys(serializeSchema({ old, t }, { schemas: ['public'] }).schemas)).toEqual(['public']);
  });

  test('a third argument that throws names the table', () => {
    const t = pgTable('t', { id: integer('id') }, () => {
      throw new Error('oops');
    });
    expect(strataErrorOf(() => serializeSchema({ t }), 'SCHEMA_INVALID').message).toBe('table "t": its third argument (indexes, constraints) failed: oops');
  });
});
