import { sql } from 'drizzle-orm';
import {
  check,
  customType,
  decimal,
  geometry,
  halfvec,
  numeric,
  sparsevec,
  vector,
  foreignKey,
  index,
  integer,
  json,
  jsonb,
  pgEnum,
  pgPolicy,
  pgRole,
  pgSchema,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { describe, expect, test } from 'vitest';
import * as guide from '../test/fixtures/guide.js';
import { columnOf, tableOf } from '../test/helpers.js';
import { canonicalJson } from './canonical-json.js';
import { serializeSchema } from './serialize-schema.js';

// One schema, written with keys as names so that the casing option decides the column names.
function casingSchema() {
  const userAccounts = pgTable(
    'userAccounts',
    {
      accountId: uuid().primaryKey(),
      emailAddress: text().notNull().unique(),
      createdAt: timestamp({ withTimezone: true }).defaultNow(),
      explicit_Name: text('explicitName'),
    },
    (t) => [index().on(t.emailAddress, t.createdAt), unique().on(t.createdAt, t.explicit_Name), check('c', sql`${t.createdAt} is not null`)],
  );
  const orgMembers = pgTable(
    'orgMembers',
    {
      orgId: integer().notNull(),
      userAccountId: uuid()
        .notNull()
        .references(() => userAccounts.accountId),
      parentOrgId: integer(),
      parentUserAccountId: uuid(),
    },
    (t) => [
      primaryKey({ columns: [t.orgId, t.userAccountId] }),
      foreignKey({ columns: [t.parentOrgId, t.parentUserAccountId], foreignColumns: [t.orgId, t.userAccountId] }),
    ],
  );
  return { userAccounts, orgMembers };
}

describe('the casing option, with drizzle-kit 0.31’s names', () => {
  test('snake_case converts keys used as names, keeps explicit names, and names constraints as drizzle-kit does', () => {
    const snapshot = serializeSchema(casingSchema(), { casing: 'snake_case' });
    const users = tableOf(snapshot, 'public', 'userAccounts');
    expect(users.columns.map((c) => c.name)).toEqual(['account_id', 'email_address', 'created_at', 'explicitName']);
    expect(users.primaryKey).toEqual({ name: 'userAccounts_pkey', columns: ['account_id'] });
    // drizzle-kit names unique constraints from the keys, before casing.
    expect(Object.keys(users.uniques).sort()).toEqual(['userAccounts_createdAt_explicitName_unique', 'userAccounts_emailAddress_unique']);
    expect(users.uniques.userAccounts_emailAddress_unique?.columns).toEqual(['email_address']);
    expect(Object.keys(users.indexes)).toEqual(['userAccounts_email_address_created_at_index']);
    expect(users.checks.c?.expression).toBe('"userAccounts"."created_at" is not null');
    expect(users.columns.find((c) => c.name === 'created_at')?.default).toBe('now()');

    const members = tableOf(snapshot, 'public', 'orgMembers');
    expect(members.primaryKey).toEqual({ name: 'orgMembers_org_id_user_account_id_pk', columns: ['org_id', 'user_account_id'] });
    expect(Object.keys(members.foreignKeys).sort()).toEqual([
      // 64 bytes before PostgreSQL cuts it to 63
      'orgMembers_parent_org_id_parent_user_account_id_orgMembers_org_',
      'orgMembers_user_account_id_userAccounts_account_id_fk',
    ]);
    expect(members.foreignKeys.orgMembers_user_account_id_userAccounts_account_id_fk).toMatchObject({ columns: ['user_account_id'], foreignColumns: ['account_id'] });
  });

  test('camelCase', () => {
    const snapshot = serializeSchema(casingSchema(), { casing: 'camelCase' });
    expect(tableOf(snapshot, 'public', 'userAccounts').columns.map((c) => c.name)).toEqual(['accountId', 'emailAddress', 'createdAt', 'explicitName']);
    expect(tableOf(snapshot, 'public', 'orgMembers').primaryKey?.name).toBe('orgMembers_orgId_userAccountId_pk');
  });

  test('without casing, keys are the names', () => {
    const snapshot = serializeSchema(casingSchema());
    expect(tableOf(snapshot, 'public', 'orgMembers').columns.map((c) => c.name)).toEqual(['orgId', 'userAccountId', 'parentOrgId', 'parentUserAccountId']);
    expect(Object.keys(tableOf(snapshot, 'public', 'orgMembers').foreignKeys)).toContain('orgMembers_userAccountId_userAccounts_accountId_fk');
  });
});

describe('styles of schema code', () => {
  test('the third argument of pgTable may return an object (old style) or an array: same snapshot', () => {
    const asObject = pgTable(
      'items',
      { id: integer('id'), code: text('code'), owner: integer('owner') },
      (t) => ({
        pk: primaryKey({ columns: [t.id] }),
        codeIdx: index('items_code_idx').on(t.code),
        ownerCode: unique('items_owner_code').on(t.owner, t.code),
        positive: check('items_id_positive', sql`${t.id} > 0`),
      }),
    );
    const asArray = pgTable('items', { id: integer('id'), code: text('code'), owner: integer('owner') }, (t) => [
      primaryKey({ columns: [t.id] }),
      index('items_code_idx').on(t.code),
      unique('items_owner_code').on(t.owner, t.code),
      check('items_id_positive', sql`${t.id} > 0`),
    ]);
    const a = serializeSchema({ asObject });
    expect(canonicalJson(a)).toBe(canonicalJson(serializeSchema({ asArray })));
    expect(tableOf(a, 'public', 'items')).toMatchObject({
      primaryKey: { name: 'items_id_pk', columns: ['id'] },
      uniques: { items_owner_code: { columns: ['owner', 'code'] } },
      checks: { items_id_positive: { expression: '"items"."id" > 0' } },
    });
    expect(Object.keys(tableOf(a, 'public', 'items').indexes)).toEqual(['items_code_idx']);
  });

  test('old-style primaryKey(a, b) arguments', () => {
    const t = pgTable('pairs', { a: integer('a'), b: integer('b') }, (t) => ({ pk: primaryKey(t.a, t.b) }));
    expect(tableOf(serializeSchema({ t }), 'public', 'pairs').primaryKey).toEqual({ name: 'pairs_a_b_pk', columns: ['a', 'b'] });
  });

  test('an enum that is used by a column but not exported is still found', () => {
    const hidden = pgEnum('hidden_state', ['on', 'off']);
    const t = pgTable('switches', { state: hidden('state').array().default(['on']) });
    const snapshot = serializeSchema({ t });
    expect(snapshot.schemas.public?.enums.hidden_state).toEqual({ schema: 'public', name: 'hidden_state', values: ['on', 'off'] });
    expect(columnOf(tableOf(snapshot, 'public', 'switches'), 'state')).toEqual({
      name: 'state',
      type: 'hidden_state',
      typeSchema: 'public',
      dimensions: 1,
      notNull: false,
      default: `'{"on"}'`,
    });
  });

  test('an enum declared from a TypeScript enum-like object; .default(null) is no default, as in PostgreSQL', () => {
    const Color = { Red: 'red', Green: 'green' } as const;
    const color = pgEnum('color', Color);
    const t = pgTable('paint', { c: color('c').default('green'), n: text('n').default(null as unknown as string) });
    const snapshot = serializeSchema({ color, t });
    expect(snapshot.schemas.public?.enums.color?.values).toEqual(['red', 'green']);
    expect(tableOf(snapshot, 'public', 'paint').columns).toEqual([
      { name: 'c', type: 'color', typeSchema: 'public', dimensions: 0, notNull: false, default: `'green'` },
      { name: 'n', type: 'text', dimensions: 0, notNull: false },
    ]);
  });

  test('.default(null) on json and jsonb is the JSON null drizzle-kit writes, not no default (qwacko/totallatorv3)', () => {
    // drizzle-kit renders it `'null'::jsonb`: a value, which PostgreSQL keeps (unlike DEFAULT NULL).
    const t = pgTable('imports', { a: jsonb('a').default(null), b: json('b').default(null), c: jsonb('c').$type<{ n: number } | null>() });
    expect(tableOf(serializeSchema({ t }), 'public', 'imports').columns).toEqual([
      { name: 'a', type: 'jsonb', dimensions: 0, notNull: false, default: `'null'::jsonb` },
      { name: 'b', type: 'json', dimensions: 0, notNull: false, default: `'null'::json` },
      { name: 'c', type: 'jsonb', dimensions: 0, notNull: false },
    ]);
  });

  test('a pgSchema declared with nothing in it is listed', () => {
    const empty = pgSchema('staging');
    expect(serializeSchema({ empty }).schemas.staging).toEqual({ name: 'staging', tables: {}, enums: {}, sequences: {}, views: {} });
  });

  test('policy roles: strings and pgRole, sorted, a role named twice kept twice (as polroles keeps it); for/as default to all/permissive', () => {
    const admin = pgRole('admin');
    const t = pgTable('docs', { id: integer('id') }, () => [
      pgPolicy('docs_policy', { to: ['zeta', admin, 'alpha', 'zeta'], using: sql`${1} = 1` }),
    ]);
    expect(tableOf(serializeSchema({ t }), 'public', 'docs').policies.docs_policy).toEqual({
      name: 'docs_policy',
      as: 'permissive',
      for: 'all',
      to: ['admin', 'alpha', 'zeta', 'zeta'],
      using: '1 = 1',
    });
  });

  test('objects one level inside an exported object (`export const schema = { … }`) and in a default export are found', () => {
    const a = pgTable('a', { id: integer('id') });
    const b = pgTable('b', { id: integer('id') });
    const snapshot = serializeSchema([{ file: '/app/schema.ts', exports: { schema: { a }, default: { b } } }]);
    expect(Object.keys(snapshot.schemas.public?.tables ?? {}).sort()).toEqual(['a', 'b']);
  });
});

describe('column types that need an extension (not in the all-features fixture, which must load without one)', () => {
  test('PostGIS geometry and pgvector types keep their modifiers; their defaults use the column’s driver form', () => {
    const t = pgTable('places', {
      at: geometry('at', { type: 'point', mode: 'xy', srid: 4326 }).default({ x: 1, y: 2 }),
      embedding: vector('embedding', { dimensions: 3 }).default([0.5, 1, 2]),
      half: halfvec('half', { dimensions: 3 }),
      sparse: sparsevec('sparse', { dimensions: 5 }),
      amount: decimal('amount', { precision: 8, scale: 3, mode: 'number' }).default(1.25),
      big: numeric('big', { mode: 'bigint' }).default(12345678901234567890n),
    });
    const cols = tableOf(serializeSchema({ t }), 'public', 'places').columns;
    expect(cols.map((c) => [c.name, c.type, c.default])).toEqual([
      ['at', 'geometry(point)', `'point(1 2)'`],
      ['embedding', 'vector(3)', `'[0.5,1,2]'`],
      ['half', 'halfvec(3)', undefined],
      ['sparse', 'sparsevec(5)', undefined],
      ['amount', 'numeric(8,3)', '1.25'],
      ['big', 'numeric', '12345678901234567890'],
    ]);
  });

  test('a custom type returning a schema-qualified or aliased name is normalised', () => {
    const citext = customType<{ data: string }>({ dataType: () => 'extensions.CITEXT' });
    const int4 = customType<{ data: number }>({ dataType: () => 'int4[]' });
    const t = pgTable('custom', { a: citext('a'), b: int4('b') });
    expect(tableOf(serializeSchema({ t }), 'public', 'custom').columns).toEqual([
      { name: 'a', type: 'citext', typeSchema: 'extensions', dimensions: 0, notNull: false },
      { name: 'b', type: 'integer', dimensions: 1, notNull: false },
    ]);
  });
});

describe('the guide’s schema (old object style)', () => {
  const snapshot = serializeSchema(guide);

  test('users: uuid key with gen_random_uuid(), unique username, named index', () => {
    const users = tableOf(snapshot, 'public', 'users');
    expect(users.columns).toEqual([
      { name: 'id', type: 'uuid', dimensions: 0, notNull: true, default: 'gen_random_uuid()' },
      { name: 'username', type: 'character varying(100)', dimensions: 0, notNull: true },
      { name: 'email', type: 'character varying(255)', dimensions: 0, notNull: true },
      { name: 'new_field', type: 'text', dimensions: 0, notNull: false },
      { name: 'phone_number', type: 'character varying(20)', dimensions: 0, notNull: false },
    ]);
    expect(users.primaryKey).toEqual({ name: 'users_pkey', columns: ['id'] });
    expect(users.uniques).toEqual({ users_username_unique: { name: 'users_username_unique', columns: ['username'], nullsNotDistinct: false } });
    expect(users.indexes).toEqual({
      users_email_idx: {
        name: 'users_email_idx',
        unique: false,
        method: 'btree',
        elements: [{ value: 'email', expression: false, desc: false, nullsFirst: false }],
        nullsNotDistinct: false,
      },
    });
  });

  test('posts: the foreign key the guide shows, with ON DELETE CASCADE', () => {
    expect(tableOf(snapshot, 'public', 'posts').foreignKeys).toEqual({
      posts_user_id_users_id_fk: {
        name: 'posts_user_id_users_id_fk',
        columns: ['user_id'],
        foreignSchema: 'public',
        foreignTable: 'users',
        foreignColumns: ['id'],
        onDelete: 'cascade',
        onUpdate: 'no action',
      },
    });
  });
});
