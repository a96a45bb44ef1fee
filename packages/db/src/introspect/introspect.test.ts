import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, describeBackends, serverVersionNum, snapshotForServer, type TestDatabase } from '@strata/testing';
import { SNAPSHOT_VERSION, type Column, type Snapshot, type Table } from '@strata/schema';
import type { DatabaseClient, Queryable } from '../client.js';
import { introspect } from './introspect.js';

const W = 'We;ird --"schema';
const LONG = 'l'.repeat(70);
const LONG_63 = 'l'.repeat(63);

/** Every object kind the Snapshot holds, with names that need quoting, truncation and unicode. */
const SCHEMA_SQL = `
create schema "We;ird --""schema";
create collation "We;ird --""schema"."co.ll" from "C";
create collation public.nocase from "C";
create type "We;ird --""schema"."mo""od" as enum ('sad', 'happy ''quoted''');
alter type "We;ird --""schema"."mo""od" add value 'meh' before 'happy ''quoted''';
create sequence "We;ird --""schema"."Seq 1" as integer increment by 5 minvalue 10 maxvalue 1000 start 20 cache 3 cycle;
create table "We;ird --""schema"."Users Table" (
  "Id" serial primary key,
  "select" text not null default 'it''s',
  mood "We;ird --""schema"."mo""od" default 'sad',
  tags text[][],
  codes varchar(10)[],
  price numeric(10,2) constraint "price > 0; --" check (price > 0),
  total integer generated always as ((price * 2)::integer) stored,
  big bigint generated always as identity (start with 100 increment by 10),
  "café ☕" text collate "C",
  nick text collate "We;ird --""schema"."co.ll",
  constraint "uq select; mood" unique nulls not distinct ("select", mood)
);
create table public.posts (
  id bigserial primary key,
  author_id integer not null references "We;ird --""schema"."Users Table" ("Id") on delete cascade on update set null,
  title text,
  body text,
  created_at timestamp(3) with time zone default now(),
  slug text collate public.nocase,
  constraint posts_title_body_check check (length(title) < length(body))
);
create unique index "posts title idx" on public.posts (lower(title) desc nulls last, body text_pattern_ops, id nulls first) where created_at is not null;
create index posts_body_gin on public.posts using gin (to_tsvector('english'::regconfig, body)) with (fastupdate = off);
create index posts_title_c on public.posts ((title collate "C"));
create index posts_slug_coll on public.posts (slug collate "We;ird --""schema"."co.ll");
create table public.pairs (a integer, b integer, "Posts Id" bigint, primary key (a, b),
  constraint pairs_fk foreign key ("Posts Id") references public.posts (id));
create sequence public.counters_n_seq start 5;
create table public.counters (n integer not null default nextval('counters_n_seq'::regclass));
alter sequence public.counters_n_seq owned by public.counters.n;
create table public."${LONG}" (id serial primary key);
create view public.recent_posts with (security_barrier = on) as select id, title from public.posts where created_at > '2020-01-01';
create materialized view "We;ird --""schema".mv as select count(*) as n from public.posts with no data;
alter table public.posts enable row level security;
create policy "own; posts" on public.posts as restrictive for update to public using (author_id = 1) with check (author_id > 0);
create policy p_all on public.posts using (true);
create schema other_team;
create table other_team.theirs (id int);
create schema strata;
create table strata.migrations (id int);
create schema drizzle;
create table drizzle.__drizzle_migrations (id int);
create table public.ext_owned (id int);
alter extension plpgsql add table public.ext_owned;
create type public.ext_enum as enum ('x');
alter extension plpgsql add type public.ext_enum;
`;

const col = (name: string, type: string, extra: Partial<Column> = {}): Column => ({ name, type, dimensions: 0, notNull: false, ...extra });
const table = (schema: string, name: string, extra: Partial<Table>): Table => ({
  schema, name, columns: [], uniques: {}, checks: {}, foreignKeys: {}, indexes: {}, rlsEnabled: false, policies: {}, ...extra,
});

/** What PostgreSQL `version` (server_version_num) reads back; view text drops column qualification from 16 on. */
function expected(version: number): Snapshot {
  const pg18 = version >= 160000;
  return {
    version: SNAPSHOT_VERSION,
    dialect: 'postgresql',
    schemas: {
      [W]: {
        name: W,
        enums: { 'mo"od': { schema: W, name: 'mo"od', values: ['sad', 'meh', "happy 'quoted'"] } },
        sequences: {
          'Seq 1': { schema: W, name: 'Seq 1', dataType: 'integer', increment: '5', minValue: '10', maxValue: '1000', start: '20', cache: '3', cycle: true },
        },
        tables: {
          'Users Table': table(W, 'Users Table', {
            columns: [
              col('Id', 'serial', { notNull: true }),
              col('select', 'text', { notNull: true, default: `'it''s'::text` }),
              col('mood', 'mo"od', { typeSchema: W, default: `'sad'::"We;ird --""schema"."mo""od"` }),
              col('tags', 'text', { dimensions: 2 }),
              col('codes', 'character varying(10)', { dimensions: 1 }),
              col('price', 'numeric(10,2)'),
              col('total', 'integer', { generated: { expression: '((price * (2)::numeric))::integer' } }),
              col('big', 'bigint', {
                notNull: true,
                identity: { type: 'always', sequenceName: 'Users Table_big_seq', increment: '10', minValue: '1', maxValue: '9223372036854775807', start: '100', cache: '1', cycle: false },
              }),
              col('café ☕', 'text', { collation: 'C' }),
              // A collation outside pg_catalog and public keeps its schema: code written from the
              // snapshot must find it on a fresh database.
              col('nick', 'text', { collation: '"We;ird --""schema"."co.ll"' }),
            ],
            primaryKey: { name: 'Users Table_pkey', columns: ['Id'] },
            uniques: { 'uq select; mood': { name: 'uq select; mood', columns: ['select', 'mood'], nullsNotDistinct: true } },
            checks: { 'price > 0; --': { name: 'price > 0; --', expression: 'price > (0)::numeric' } },
          }),
        },
        views: {
          mv: { schema: W, name: 'mv', materialized: true, definition: pg18 ? 'SELECT count(*) AS n\n   FROM posts' : 'SELECT count(*) AS n\n   FROM posts', withNoData: true },
        },
      },
      public: {
        name: 'public',
        enums: {},
        sequences: {
          counters_n_seq: { schema: 'public', name: 'counters_n_seq', dataType: 'bigint', increment: '1', minValue: '1', maxValue: '9223372036854775807', start: '5', cache: '1', cycle: false },
        },
        tables: {
          posts: table('public', 'posts', {
            columns: [
              col('id', 'bigserial', { notNull: true }),
              col('author_id', 'integer', { notNull: true }),
              col('title', 'text'),
              col('body', 'text'),
              col('created_at', 'timestamp(3) with time zone', { default: 'now()' }),
              col('slug', 'text', { collation: 'nocase' }),
            ],
            primaryKey: { name: 'posts_pkey', columns: ['id'] },
            checks: { posts_title_body_check: { name: 'posts_title_body_check', expression: 'length(title) < length(body)' } },
            foreignKeys: {
              posts_author_id_fkey: {
                name: 'posts_author_id_fkey', columns: ['author_id'], foreignSchema: W, foreignTable: 'Users Table', foreignColumns: ['Id'],
                onDelete: 'cascade', onUpdate: 'set null',
              },
            },
            indexes: {
              'posts title idx': {
                name: 'posts title idx', unique: true, method: 'btree', nullsNotDistinct: false, where: 'created_at IS NOT NULL',
                elements: [
                  { value: 'lower(title)', expression: true, desc: true, nullsFirst: false },
                  { value: 'body', expression: false, desc: false, nullsFirst: false, opclass: 'text_pattern_ops' },
                  { value: 'id', expression: false, desc: false, nullsFirst: true },
                ],
              },
              posts_body_gin: {
                name: 'posts_body_gin', unique: false, method: 'gin', nullsNotDistinct: false, with: { fastupdate: 'false' },
                elements: [{ value: `to_tsvector('english'::regconfig, body)`, expression: true, desc: false, nullsFirst: false }],
              },
              posts_title_c: {
                name: 'posts_title_c', unique: false, method: 'btree', nullsNotDistinct: false,
                elements: [{ value: 'title', expression: false, desc: false, nullsFirst: false, collation: 'C' }],
              },
              posts_slug_coll: {
                name: 'posts_slug_coll', unique: false, method: 'btree', nullsNotDistinct: false,
                elements: [{ value: 'slug', expression: false, desc: false, nullsFirst: false, collation: '"We;ird --""schema"."co.ll"' }],
              },
            },
            rlsEnabled: true,
            policies: {
              'own; posts': { name: 'own; posts', as: 'restrictive', for: 'update', to: ['public'], using: 'author_id = 1', withCheck: 'author_id > 0' },
              p_all: { name: 'p_all', as: 'permissive', for: 'all', to: ['public'], using: 'true' },
            },
          }),
          pairs: table('public', 'pairs', {
            columns: [col('a', 'integer', { notNull: true }), col('b', 'integer', { notNull: true }), col('Posts Id', 'bigint')],
            primaryKey: { name: 'pairs_pkey', columns: ['a', 'b'] },
            foreignKeys: {
              pairs_fk: { name: 'pairs_fk', columns: ['Posts Id'], foreignSchema: 'public', foreignTable: 'posts', foreignColumns: ['id'], onDelete: 'no action', onUpdate: 'no action' },
            },
          }),
          counters: table('public', 'counters', {
            columns: [col('n', 'integer', { notNull: true, default: `nextval('counters_n_seq'::regclass)` })],
          }),
          [LONG_63]: table('public', LONG_63, {
            columns: [col('id', 'serial', { notNull: true })],
            primaryKey: { name: `${'l'.repeat(58)}_pkey`, columns: ['id'] },
          }),
        },
        views: {
          recent_posts: {
            schema: 'public', name: 'recent_posts', materialized: false, with: { security_barrier: 'true' },
            definition: pg18
              ? `SELECT id,\n    title\n   FROM posts\n  WHERE (created_at > '2020-01-01 00:00:00+00'::timestamp with time zone)`
              : `SELECT posts.id,\n    posts.title\n   FROM posts\n  WHERE (posts.created_at > '2020-01-01 00:00:00+00'::timestamp with time zone)`,
          },
        },
      },
      other_team: {
        name: 'other_team', enums: {}, sequences: {}, views: {},
        tables: { theirs: table('other_team', 'theirs', { columns: [col('id', 'integer')] }) },
      },
    },
  };
}

/** A Queryable that counts what goes through it. */
function counting(db: Queryable): Queryable & { count: number } {
  const wrapper = {
    count: 0,
    query: ((sql: string, params?: readonly unknown[]) => {
      wrapper.count++;
      return db.query(sql, params);
    }) as Queryable['query'],
    exec: (sql: string) => {
      wrapper.count++;
      return db.exec(sql);
    },
  };
  return wrapper;
}

describeBackends('introspect', (backend) => {
  let tdb: TestDatabase;
  let db: DatabaseClient;
  let version: number;
  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    db = await tdb.client();
    version = await serverVersionNum(db);
    await db.exec(`set timezone = 'UTC'`);
    // NULLS NOT DISTINCT exists from PostgreSQL 15 on; older servers (compatibility run) get a plain unique.
    await db.exec(version >= 150000 ? SCHEMA_SQL : SCHEMA_SQL.replace('unique nulls not distinct', 'unique'));
  });
  afterAll(async () => tdb?.dispose());

  it('reads every object kind of a hand-written schema into the expected Snapshot', async () => {
    const snapshot = await introspect(db);
    expect(snapshot).toEqual(snapshotForServer(expected(version), version));
  });

  it('leaves out unmanaged schemas, the history schemas and extension-owned objects', async () => {
    const all = await introspect(db);
    expect(Object.keys(all.schemas).sort()).toEqual([W, 'other_team', 'public'].sort());
    expect(all.schemas.public!.tables.ext_owned).toBeUndefined();
    expect(all.schemas.public!.enums.ext_enum).toBeUndefined();

    const managed = await introspect(db, { schemas: ['public'] });
    expect(Object.keys(managed.schemas)).toEqual(['public']);
    // a foreign key into an unmanaged schema is still the managed table's own
    expect(managed.schemas.public!.tables.posts!.foreignKeys.posts_author_id_fkey!.foreignSchema).toBe(W);

    const withHistory = await introspect(db, { excludeSchemas: [] });
    expect(Object.keys(withHistory.schemas)).toContain('strata');
    expect(Object.keys(withHistory.schemas)).not.toContain('drizzle');

    const custom = await introspect(db, { excludeSchemas: ['other_team'] });
    expect(Object.keys(custom.schemas).sort()).toEqual([W, 'public', 'strata'].sort());
  });

  it('applies tablesFilter globs to tables and the views that depend on them', async () => {
    const withoutPosts = await introspect(db, { schemas: ['public', W], tablesFilter: ['!posts'] });
    expect(Object.keys(withoutPosts.schemas.public!.tables).sort()).toEqual(['counters', LONG_63, 'pairs'].sort());
    expect(withoutPosts.schemas.public!.views).toEqual({});
    expect(withoutPosts.schemas[W]!.views).toEqual({});

    const only = await introspect(db, { tablesFilter: ['p*', '!pairs', 'other_team.*'] });
    expect(Object.keys(only.schemas.public!.tables)).toEqual(['posts']);
    expect(Object.keys(only.schemas.other_team!.tables)).toEqual(['theirs']);
    expect(only.schemas[W]!.tables).toEqual({});
  });

  it('sends the same number of catalog queries for 5 tables as for 50', async () => {
    const make = (schema: string, n: number) =>
      `create schema ${schema};` +
      Array.from({ length: n }, (_, i) => `create table ${schema}.t${i} (id serial primary key, v text unique, r int references ${schema}.t0 (id) on delete cascade, check (length(v) > 0)); create index on ${schema}.t${i} (lower(v));`).join('\n');
    await db.exec(make('few', 5) + make('many', 50));
    const few = counting(db);
    const small = await introspect(few, { schemas: ['few'] });
    const many = counting(db);
    const large = await introspect(many, { schemas: ['many'] });
    expect(Object.keys(small.schemas.few!.tables)).toHaveLength(5);
    expect(Object.keys(large.schemas.many!.tables)).toHaveLength(50);
    expect(many.count).toBe(few.count);
    expect(few.count).toBeLessThanOrEqual(8);
  });

  it('names an operator class with its schema when the search path does not reach it', async () => {
    // As pg_trgm installed in Supabase's `extensions` schema: the code writes `extensions.gin_trgm_ops`.
    const opclass = (schema: string) =>
      `create operator class ${schema}.plain_text_ops for type text using btree as operator 1 <, operator 2 <=, operator 3 =, ` +
      `operator 4 >=, operator 5 >, function 1 bttextcmp(text, text);`;
    await db.exec(`create schema opc_home; ${opclass('opc_home')} ${opclass('public')}
      create schema opc_t; create table opc_t.words (w text);
      create index words_hidden_idx on opc_t.words (w opc_home.plain_text_ops);
      create index words_visible_idx on opc_t.words (w public.plain_text_ops);`);
    const indexes = (await introspect(db, { schemas: ['opc_t'] })).schemas.opc_t!.tables.words!.indexes;
    expect(indexes.words_hidden_idx!.elements[0]!.opclass).toBe('opc_home.plain_text_ops');
    expect(indexes.words_visible_idx!.elements[0]!.opclass).toBe('plain_text_ops');
  });
});
