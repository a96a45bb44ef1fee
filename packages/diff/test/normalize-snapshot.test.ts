import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, describeBackends, type TestDatabase } from '@strata/testing';
import { SNAPSHOT_VERSION, canonicalJson, emptySchema, type Column, type Snapshot, type Table } from '@strata/schema';
import type { DatabaseClient } from '@strata/db';
import { introspect } from '@strata/db';
// db's normalisation is tested here, beside the builder (createSnapshotSql) it is checked against:
// @strata/db does not depend on @strata/diff, so these tests cannot live in db.
import { createSnapshotSql } from '@strata/diff';
import { normalizeSnapshot } from '@strata/db';

const W = 'We;ird --"schema';
const buildSql = (s: Snapshot) => createSnapshotSql(s).map((st) => st.sql);

const col = (name: string, type: string, extra: Partial<Column> = {}): Column => ({ name, type, dimensions: 0, notNull: false, ...extra });
const table = (schema: string, name: string, extra: Partial<Table>): Table => ({
  schema, name, columns: [], uniques: {}, checks: {}, foreignKeys: {}, indexes: {}, rlsEnabled: false, policies: {}, ...extra,
});

/** A snapshot spelled the way drizzle renders schema code, not the way the catalog prints it. */
function codeSnapshot(): Snapshot {
  return {
    version: SNAPSHOT_VERSION,
    dialect: 'postgresql',
    schemas: {
      public: {
        ...emptySchema('public'),
        enums: { mood: { schema: 'public', name: 'mood', values: ['sad', 'ok'] } },
        tables: {
          'Users; --': table('public', 'Users; --', {
            columns: [
              col('id', 'serial', { notNull: true }),
              col('email', 'character varying(255)', { notNull: true }),
              col('mood', 'mood', { typeSchema: 'public', default: `'sad'` }),
              col('tier', 'integer', { notNull: true, default: '1' }),
              col('tags', 'text', { dimensions: 1, default: `'{}'` }),
              col('created_at', 'timestamp(3) with time zone', { default: 'now()' }),
              col('double_tier', 'integer', { generated: { expression: '"tier" * 2' } }),
            ],
            primaryKey: { name: 'Users; --_pkey', columns: ['id'] },
            uniques: { 'Users; --_email_unique': { name: 'Users; --_email_unique', columns: ['email'], nullsNotDistinct: false } },
            checks: { tier_range: { name: 'tier_range', expression: '"Users; --"."tier" between 1 and 5' } },
            indexes: {
              users_lower_email: {
                name: 'users_lower_email', unique: true, method: 'btree', nullsNotDistinct: false, concurrently: true,
                elements: [{ value: 'lower("email")', expression: true, desc: false, nullsFirst: false }],
                where: '"Users; --"."tier" > 1',
              },
            },
            rlsEnabled: true,
            policies: { own: { name: 'own', as: 'permissive', for: 'select', to: ['public'], using: '"Users; --"."id" = 1' } },
          }),
        },
        views: {
          active_users: {
            schema: 'public', name: 'active_users', materialized: false,
            definition: `select "id", "email" from "Users; --" where "Users; --"."tier" between 2 and 3`,
          },
        },
      },
      [W]: {
        ...emptySchema(W),
        enums: { 'mo"od': { schema: W, name: 'mo"od', values: ['a', "b'c"] } },
        sequences: {
          counter: { schema: W, name: 'counter', dataType: 'bigint', increment: '1', minValue: '1', maxValue: '9223372036854775807', start: '1', cache: '1', cycle: false },
        },
        tables: {
          posts: table(W, 'posts', {
            columns: [
              col('id', 'bigint', { notNull: true, identity: { type: 'always', sequenceName: 'posts_id_seq', increment: '1', minValue: '1', maxValue: '9223372036854775807', start: '1', cache: '1', cycle: false } }),
              col('author', 'integer', { notNull: true }),
              col('theirs', 'integer'),
              col('kind', 'mo"od', { typeSchema: W, dimensions: 1 }),
              col('n', 'bigint', { default: `nextval('"We;ird --""schema"."counter"'::regclass)` }),
            ],
            primaryKey: { name: 'posts_pkey', columns: ['id'] },
            foreignKeys: {
              posts_author_fk: { name: 'posts_author_fk', columns: ['author'], foreignSchema: 'public', foreignTable: 'Users; --', foreignColumns: ['id'], onDelete: 'cascade', onUpdate: 'no action' },
              posts_theirs_fk: { name: 'posts_theirs_fk', columns: ['theirs'], foreignSchema: 'other_team', foreignTable: 'theirs', foreignColumns: ['id'], onDelete: 'no action', onUpdate: 'no action' },
            },
          }),
        },
        views: {
          post_counts: {
            schema: W, name: 'post_counts', materialized: true, withNoData: true,
            definition: `select "author", count(*) as "n" from "We;ird --""schema"."posts" group by "author"`,
          },
        },
      },
    },
  };
}

/** Hints say how to build and are never compared. */
function withoutHints(s: Snapshot): Snapshot {
  const copy = JSON.parse(canonicalJson(s)) as Snapshot;
  for (const d of Object.values(copy.schemas)) {
    for (const t of Object.values(d.tables)) for (const i of Object.values(t.indexes)) delete i.concurrently;
    for (const v of Object.values(d.views)) delete v.withNoData;
  }
  return copy;
}

describeBackends('normalizeSnapshot', (backend) => {
  let tdb: TestDatabase;
  let db: DatabaseClient;
  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    db = await tdb.client();
    await db.exec('create schema other_team; create table other_team.theirs (id integer primary key);');
  });
  afterAll(async () => tdb?.dispose());

  it('renders a code snapshot exactly as introspecting a database built from it', async () => {
    const code = codeSnapshot();
    for (const statement of buildSql(code)) await db.exec(statement);
    const live = await introspect(db, { schemas: ['public', W] });
    // the real objects now exist with the same names: the scratch build must not touch them
    const normalized = await normalizeSnapshot(db, code, { buildSql });
    expect(withoutHints(normalized)).toEqual(withoutHints(live));
    // with the live database as reference (views and policies open: the whole snapshot is built)
    const viaReference = await normalizeSnapshot(db, code, { buildSql, reference: live });
    expect(withoutHints(viaReference)).toEqual(withoutHints(live));
    // what the catalog spells differently from the code
    const users = normalized.schemas.public!.tables['Users; --']!;
    expect(users.checks.tier_range!.expression).toBe('(tier >= 1) AND (tier <= 5)');
    expect(users.columns.find((c) => c.name === 'mood')!.default).toBe(`'sad'::mood`);
    expect(normalized.schemas[W]!.tables.posts!.columns.find((c) => c.name === 'n')!.default)
      .toBe(`nextval('"We;ird --""schema".counter'::regclass)`);
    expect(normalized.schemas[W]!.views.post_counts!.definition).toContain('"We;ird --""schema".posts');
  });

  it('keeps the hints of the input and leaves the database as it was', async () => {
    const before = await db.query(`select current_setting('search_path') as p, (select count(*) from pg_namespace)::int as n`);
    const normalized = await normalizeSnapshot(db, codeSnapshot(), { buildSql });
    expect(normalized.schemas.public!.tables['Users; --']!.indexes.users_lower_email!.concurrently).toBe(true);
    expect(normalized.schemas[W]!.views.post_counts!.withNoData).toBe(true);
    const after = await db.query(`select current_setting('search_path') as p, (select count(*) from pg_namespace)::int as n`);
    expect(after.rows).toEqual(before.rows);
    const leftovers = await db.query(`select nspname from pg_namespace where nspname like 'strata_norm%'`);
    expect(leftovers.rows).toEqual([]);
  });

  it('names the object whose expression the server refused', async () => {
    const code = codeSnapshot();
    code.schemas.public!.tables['Users; --']!.checks.bad = { name: 'bad', expression: '"Users; --"."nope" > 0' };
    const error = await normalizeSnapshot(db, code, { buildSql }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'StrataError', code: 'SCHEMA_INVALID' });
    const e = error as Error & { details: string[] };
    expect(e.message).toContain('check "bad" of table public.Users; --');
    expect(e.message).toContain('nope');
    expect(e.details[0]).toBe('expression: "Users; --"."nope" > 0');
    expect(e.details.join('\n')).not.toContain('strata_norm');
    const leftovers = await db.query(`select nspname from pg_namespace where nspname like 'strata_norm%'`);
    expect(leftovers.rows).toEqual([]);
  });

  it('moves relation names inside string literals with the scratch schema (issue 15, defect 2)', async () => {
    const seq = (schema: string, name: string) => ({ schema, name, dataType: 'bigint' as const, increment: '1', minValue: '1', maxValue: '9223372036854775807', start: '1', cache: '1', cycle: false });
    const code: Snapshot = {
      version: SNAPSHOT_VERSION,
      dialect: 'postgresql',
      schemas: {
        public: { ...emptySchema('public'), sequences: { invoice_numbers: seq('public', 'invoice_numbers') } },
        'Bill ing': {
          ...emptySchema('Bill ing'),
          sequences: { 'N"o': seq('Bill ing', 'N"o') },
          tables: {
            invoices: table('Bill ing', 'invoices', {
              columns: [
                col('n', 'bigint', { default: `nextval('public.invoice_numbers')` }),
                col('m', 'bigint', { default: `nextval('"Bill ing"."N""o"'::regclass)` }),
                col('k', 'boolean', { default: `('public.invoice_numbers'::regclass is not null)` }),
              ],
              checks: { seq_ok: { name: 'seq_ok', expression: `currval('"Bill ing"."N""o"') > 0 or "m" is not null` } },
            }),
          },
        },
      },
    };
    // the sequences do not exist in the database yet: the scratch build must use its own copies
    const normalized = await normalizeSnapshot(db, code, { buildSql });
    for (const statement of buildSql(code)) await db.exec(statement);
    const live = await introspect(db, { schemas: ['public', 'Bill ing'] });
    expect(normalized.schemas['Bill ing']).toEqual(live.schemas['Bill ing']);
    expect(normalized.schemas.public!.sequences).toEqual({ invoice_numbers: live.schemas.public!.sequences.invoice_numbers });
    expect(normalized.schemas['Bill ing']!.tables.invoices!.columns.map((c) => c.default)).toEqual([
      `nextval('invoice_numbers'::regclass)`, `nextval('"Bill ing"."N""o"'::regclass)`, `'invoice_numbers'::regclass IS NOT NULL`,
    ]);
  });

  it('maps string literals back to the right schema with 11 schemas or more (scratch _1 is a prefix of _12; rashikbuksh/FZL-ERP-Backend)', async () => {
    const seq = (schema: string) => ({ schema, name: 'batch_seq', dataType: 'bigint' as const, increment: '1', minValue: '1', maxValue: '9223372036854775807', start: '1', cache: '1', cycle: false });
    const names = Array.from({ length: 12 }, (_, i) => `team_${String.fromCharCode(97 + i)}`);
    const code: Snapshot = { version: SNAPSHOT_VERSION, dialect: 'postgresql', schemas: { public: emptySchema('public') } };
    for (const name of names) {
      code.schemas[name] = {
        ...emptySchema(name),
        sequences: { batch_seq: seq(name) },
        tables: { batch: table(name, 'batch', { columns: [col('id', 'bigint', { default: `nextval('${name}.batch_seq')` })] }) },
      };
    }
    const normalized = await normalizeSnapshot(db, code, { buildSql });
    for (const name of names) {
      expect(normalized.schemas[name]!.tables.batch!.columns[0]!.default).toBe(`nextval('${name}.batch_seq'::regclass)`);
    }
  });

  it('runs inside a caller transaction on a savepoint, leaving the transaction usable', async () => {
    await db.transaction(async (tx) => {
      await tx.exec('create table inside_tx (id int)');
      const normalized = await normalizeSnapshot(tx, codeSnapshot(), { buildSql });
      expect(Object.keys(normalized.schemas).sort()).toEqual([W, 'public'].sort());
      const r = await tx.query(`select to_regclass('inside_tx') is not null as ok`);
      expect(r.rows).toEqual([{ ok: true }]);
    });
  });
});
