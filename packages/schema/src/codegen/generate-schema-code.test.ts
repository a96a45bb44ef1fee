import { describe, expect, it } from 'vitest';
import { loadSchemaModules } from '../load-schema-modules.js';
import { serializeSchema } from '../serialize-schema.js';
import { splitIndexElements } from '../split-index-elements.js';
import { SNAPSHOT_VERSION, emptySchema, type Column, type Snapshot, type Table } from '../snapshot.js';
import { typecheck, writeGenerated } from './compile-check.test-support.js';
import { GENERATED_MARKER, generateSchemaCode, type GenerateOptions } from './generate-schema-code.js';

const W = 'We;ird --"schema';
const col = (name: string, type: string, extra: Partial<Column> = {}): Column => ({ name, type, dimensions: 0, notNull: false, ...extra });
const table = (schema: string, name: string, extra: Partial<Table>): Table => ({
  schema, name, columns: [], uniques: {}, checks: {}, foreignKeys: {}, indexes: {}, rlsEnabled: false, policies: {}, ...extra,
});
const MAX8 = '9223372036854775807';

/** A snapshot as `introspect` gives it, using every feature drizzle-orm can express, with awkward names. */
function fixture(): Snapshot {
  return {
    version: SNAPSHOT_VERSION,
    dialect: 'postgresql',
    schemas: {
      public: {
        ...emptySchema('public'),
        enums: { mood: { schema: 'public', name: 'mood', values: ['sad', "it's", 'back\\slash', '`tick` ${x}'] } },
        sequences: {
          order_no: { schema: 'public', name: 'order_no', dataType: 'bigint', increment: '5', minValue: '10', maxValue: '1000', start: '20', cache: '3', cycle: true },
          plain: { schema: 'public', name: 'plain', dataType: 'bigint', increment: '1', minValue: '1', maxValue: MAX8, start: '1', cache: '1', cycle: false },
        },
        tables: {
          'Users; --': table('public', 'Users; --', {
            columns: [
              col('id', 'serial', { notNull: true }),
              col('email', 'character varying(255)', { notNull: true }),
              col('select', 'text', { default: `'it''s \\ \`quoted\` \${not}'::text` }),
              col('mood', 'mood', { typeSchema: 'public', default: `'sad'::mood` }),
              col('tags', 'text', { dimensions: 2 }),
              col('created_at', 'timestamp(3) with time zone', { notNull: true, default: 'now()' }),
              col('price', 'numeric(10,2)'),
              col('ratio', 'double precision'),
              col('flags', 'bit(3)'),
              col('doc', 'tsvector'),
              col('span', 'interval day to second(3)'),
              col('total', 'integer', { generated: { expression: '((price * (2)::numeric))::integer' } }),
              col('big', 'bigint', { notNull: true, identity: { type: 'always', sequenceName: 'Users; --_big_seq', increment: '10', minValue: '1', maxValue: MAX8, start: '100', cache: '1', cycle: false } }),
              col('café ☕', 'character(2)'),
              col('uid', 'uuid', { notNull: true, default: 'gen_random_uuid()' }),
            ],
            primaryKey: { name: 'Users; --_pkey', columns: ['id'] },
            uniques: { 'uq email; --': { name: 'uq email; --', columns: ['email', 'mood'], nullsNotDistinct: true } },
            checks: { 'price > 0': { name: 'price > 0', expression: 'price > (0)::numeric' } },
            indexes: {
              'users lower': {
                name: 'users lower', unique: true, method: 'btree', nullsNotDistinct: false, where: 'created_at IS NOT NULL',
                elements: [
                  { value: 'lower((email)::text)', expression: true, desc: false, nullsFirst: false },
                  { value: 'select', expression: false, desc: true, nullsFirst: true, opclass: 'text_pattern_ops' },
                  { value: 'id', expression: false, desc: false, nullsFirst: true },
                ],
              },
              users_doc: {
                name: 'users_doc', unique: false, method: 'gin', nullsNotDistinct: false, with: { fastupdate: 'off' },
                elements: [{ value: 'doc', expression: false, desc: false, nullsFirst: false }],
              },
              // One column listed three times with different options (drizzle's .desc() cannot say that).
              users_id_twice: {
                name: 'users_id_twice', unique: false, method: 'btree', nullsNotDistinct: false,
                elements: [
                  { value: 'id', expression: false, desc: false, nullsFirst: false },
                  { value: 'id', expression: false, desc: true, nullsFirst: true },
                  { value: 'id', expression: false, desc: true, nullsFirst: false, opclass: 'int4_ops' },
                ],
              },
            },
            rlsEnabled: true,
            policies: {
              'own; posts': { name: 'own; posts', as: 'restrictive', for: 'update', to: ['admin', 'public'], using: 'id = 1', withCheck: 'id > 0' },
              p_all: { name: 'p_all', as: 'permissive', for: 'all', to: ['public'], using: 'true' },
            },
          }),
          pairs: table('public', 'pairs', {
            columns: [col('a', 'integer', { notNull: true }), col('b', 'smallint', { notNull: true }), col('parent_a', 'integer'), col('parent_b', 'smallint')],
            primaryKey: { name: 'pairs_pk', columns: ['a', 'b'] },
            foreignKeys: {
              pairs_self: { name: 'pairs_self', columns: ['parent_a', 'parent_b'], foreignSchema: 'public', foreignTable: 'pairs', foreignColumns: ['a', 'b'], onDelete: 'set null', onUpdate: 'cascade' },
            },
          }),
        },
        views: {
          active_users: {
            schema: 'public', name: 'active_users', materialized: false, with: { check_option: 'local', security_barrier: 'true' },
            definition: 'SELECT id,\n    email\n   FROM "Users; --"\n  WHERE (id > 1)',
          },
        },
      },
      [W]: {
        ...emptySchema(W),
        enums: { 'mo"od': { schema: W, name: 'mo"od', values: ['a', 'b'] } },
        tables: {
          posts: table(W, 'posts', {
            columns: [
              col('id', 'bigserial', { notNull: true }),
              col('author', 'integer', { notNull: true }),
              col('kind', 'mo"od', { typeSchema: W, dimensions: 1 }),
              col('mood', 'mood', { typeSchema: 'public' }),
              col('owner', 'uuid'),
            ],
            primaryKey: { name: 'posts_pkey', columns: ['id'] },
            foreignKeys: {
              posts_author_fk: { name: 'posts_author_fk', columns: ['author'], foreignSchema: 'public', foreignTable: 'Users; --', foreignColumns: ['id'], onDelete: 'cascade', onUpdate: 'no action' },
              posts_owner_fk: { name: 'posts_owner_fk', columns: ['owner'], foreignSchema: 'auth', foreignTable: 'users', foreignColumns: ['id'], onDelete: 'no action', onUpdate: 'no action' },
            },
          }),
        },
        views: {
          counts: {
            schema: W, name: 'counts', materialized: true, with: { fillfactor: '50', autovacuum_enabled: 'false' },
            definition: 'SELECT count(*) AS n\n   FROM "We;ird --""schema".posts',
          },
        },
      },
      empty: emptySchema('empty'),
    },
  };
}

async function roundTrip(snapshot: Snapshot, options: GenerateOptions = {}) {
  const files = generateSchemaCode(snapshot, options);
  const dir = writeGenerated(files);
  const diagnostics = typecheck(dir, files);
  const modules = await loadSchemaModules([dir], { cwd: dir });
  // as loadSchema reads schema code: index elements written as sql are split by the parser
  const back = await splitIndexElements(serializeSchema(modules, { casing: options.casing, schemas: Object.keys(snapshot.schemas) }));
  return { files, diagnostics, back };
}

describe('generateSchemaCode', () => {
  it('writes code that compiles and serialises back to the same snapshot (per schema)', async () => {
    const { files, diagnostics, back } = await roundTrip(fixture());
    expect(diagnostics).toEqual([]);
    expect(files.map((f) => f.path).sort()).toEqual(['empty.ts', 'index.ts', 'public.ts', 'public.types.ts', 'we-ird-schema.ts']);
    for (const f of files) expect(f.content.startsWith(GENERATED_MARKER)).toBe(true);
    expect(back).toEqual(fixture());
  });

  it('writes one file per table that round-trips as well', async () => {
    const { files, diagnostics, back } = await roundTrip(fixture(), { layout: 'per-table' });
    expect(diagnostics).toEqual([]);
    expect(files.map((f) => f.path)).toEqual(expect.arrayContaining(['public/users.ts', 'public/pairs.ts', 'public/_types.ts', 'public/_views.ts', 'we-ird-schema/posts.ts', 'index.ts']));
    expect(back).toEqual(fixture());
  });

  it('writes a multi-dimensional array for the drizzle-orm major asked: chained .array() calls for 0.x, the depth for 1.x', () => {
    const tagsOf = (options: GenerateOptions) => generateSchemaCode(fixture(), options).find((f) => f.path === 'public.ts')!.content.split('\n').filter((l) => /^\s+(tags|kind):/.test(l));
    expect(tagsOf({})).toEqual(['  tags: text().array().array(),']);
    expect(tagsOf({ drizzleOrmMajor: 1 })).toEqual([`  tags: text().array('[][]'),`]);
    // One dimension is `.array()` on both.
    const we = (options: GenerateOptions) => generateSchemaCode(fixture(), options).find((f) => f.path === 'we-ird-schema.ts')!.content;
    expect(we({ drizzleOrmMajor: 1 })).toContain('  kind: moOdEnum().array(),');
  });

  it('leaves out column names the casing option derives from the keys', async () => {
    const { files, diagnostics, back } = await roundTrip(fixture(), { casing: 'snake_case' });
    expect(diagnostics).toEqual([]);
    const pub = files.find((f) => f.path === 'public.ts')!.content;
    expect(pub).toContain('createdAt: timestamp({ precision: 3, withTimezone: true })');
    expect(pub).toContain(`café: char('café ☕', { length: 2 })`);
    expect(back).toEqual(fixture());
  });

  it('names properties safely and escapes every string', () => {
    const pub = generateSchemaCode(fixture()).find((f) => f.path === 'public.ts')!.content;
    expect(pub).toContain(`export const users = pgTable('Users; --', {`);
    expect(pub).toContain(`select: text().default(sql\`'it''s \\\\ \\\`quoted\\\` \\\${not}'::text\`)`);
    expect(pub).toContain(`import { moodEnum } from './public.types';`);
    const types = generateSchemaCode(fixture()).find((f) => f.path === 'public.types.ts')!.content;
    expect(types).toContain(`pgEnum('mood', ['sad', 'it\\'s', 'back\\\\slash', '\`tick\` \${x}'])`);
  });

  it('says in a comment what drizzle-orm cannot express', () => {
    const s = fixture();
    const users = s.schemas.public!.tables['Users; --']!;
    users.columns[1]!.collation = 'C';
    users.columns.push({ name: 'email_lower', type: 'text', dimensions: 0, notNull: false, generated: { expression: 'lower(email)', virtual: true } });
    users.columns.push({ name: 'labels', type: 'text', dimensions: 1, notNull: false, collation: 'C' });
    users.indexes.users_doc!.nullsNotDistinct = true;
    s.schemas.public!.sequences.plain!.dataType = 'integer';
    const pub = generateSchemaCode(s).map((f) => f.content).join('\n');
    expect(pub).toContain('// strata: column labels: COLLATE "C" cannot be written with drizzle-orm on an array column');
    expect(pub).not.toContain('column email: COLLATE');
    expect(pub).toContain('// strata: index users_doc: NULLS NOT DISTINCT cannot be written with drizzle-orm');
    expect(pub).toContain('// strata: column email_lower: VIRTUAL (PostgreSQL 18) cannot be written with drizzle-orm; the code says STORED');
    expect(pub).toContain("emailLower: text('email_lower').generatedAlwaysAs(sql`lower(email)`)");
    expect(pub).toContain('// strata: drizzle-orm sequences are bigint; this one is integer in the database');
  });

  it('handles odd types, colliding names, an empty enum and an integer sequence', async () => {
    const s: Snapshot = {
      version: SNAPSHOT_VERSION,
      dialect: 'postgresql',
      schemas: {
        public: {
          ...emptySchema('public'),
          enums: { nothing: { schema: 'public', name: 'nothing', values: [] } },
          sequences: { small: { schema: 'public', name: 'small', dataType: 'integer', increment: '1', minValue: '1', maxValue: '2147483647', start: '1', cache: '1', cycle: false } },
          tables: {
            text: table('public', 'text', {
              columns: [
                col('user_id', 'integer'), col('userId', 'integer'), col('c', '"char"'), col('bits', 'bit varying(5)'),
                col('mine', 'My Type'), col('vec', 'vector(3)', { typeSchema: 'ext' }), col('none', 'nothing', { typeSchema: 'public' }),
                col('code', 'character varying(32)', { collation: 'C' }), col('title', 'text', { collation: 'POSIX', notNull: true }),
              ],
            }),
          },
        },
      },
    };
    const { files, diagnostics, back } = await roundTrip(s);
    expect(diagnostics).toEqual([]);
    const pub = files.find((f) => f.path === 'public.ts')!.content;
    expect(pub).toContain(`export const text2 = pgTable('text', {`);
    expect(pub).toContain(`userId: integer('user_id'),`);
    expect(pub).toContain(`userId2: integer('userId'),`);
    expect(pub).toContain(`customType<{ data: string }>({ dataType: () => '"My Type"' })`);
    expect(pub).toContain(`dataType: () => '"ext".vector(3)'`);
    // a collated column: a customType whose SQL ends with the COLLATE, read back as the collation
    expect(pub).toContain(`dataType: () => 'character varying(32) COLLATE "C"'`);
    expect(pub).toContain(`dataType: () => 'text COLLATE "POSIX"'`);
    // drizzle-orm sequences are always bigint: everything else about the sequence survives
    const expected = structuredClone(s);
    expected.schemas.public!.sequences.small!.dataType = 'bigint';
    expect(back).toEqual(expected);
  });

  it("writes pgvector's columns with drizzle's vector, halfvec, sparsevec and bit builders, and index options as numbers", async () => {
    const s: Snapshot = {
      version: SNAPSHOT_VERSION,
      dialect: 'postgresql',
      schemas: {
        public: {
          ...emptySchema('public'),
          tables: {
            docs: table('public', 'docs', {
              columns: [
                col('embedding', 'vector(3)'), col('half', 'halfvec(4)'), col('sparse', 'sparsevec(5)'), col('bits', 'bit(8)'),
                col('many', 'vector(2)', { dimensions: 1 }), col('bare', 'vector'),
              ],
              indexes: {
                docs_embedding_idx: {
                  name: 'docs_embedding_idx', unique: false, method: 'hnsw', nullsNotDistinct: false, with: { ef_construction: '64', m: '16' },
                  elements: [{ value: 'embedding', expression: false, desc: false, nullsFirst: false, opclass: 'vector_cosine_ops' }],
                },
                docs_half_idx: {
                  name: 'docs_half_idx', unique: false, method: 'ivfflat', nullsNotDistinct: false, with: { lists: '100' },
                  elements: [{ value: 'half', expression: false, desc: false, nullsFirst: false, opclass: 'halfvec_l2_ops' }],
                },
              },
            }),
          },
        },
      },
    };
    const { files, diagnostics, back } = await roundTrip(s);
    expect(diagnostics).toEqual([]);
    const pub = files.find((f) => f.path === 'public.ts')!.content;
    expect(pub).toContain('embedding: vector({ dimensions: 3 }),');
    expect(pub).toContain('half: halfvec({ dimensions: 4 }),');
    expect(pub).toContain('sparse: sparsevec({ dimensions: 5 }),');
    expect(pub).toContain('bits: bit({ dimensions: 8 }),');
    expect(pub).toContain('many: vector({ dimensions: 2 }).array(),');
    // A vector without a size has no builder (drizzle's needs dimensions).
    expect(pub).toContain(`dataType: () => 'vector'`);
    expect(pub).toContain(`.using('hnsw', t.embedding.op('vector_cosine_ops')).with({ ef_construction: 64, m: 16 })`);
    expect(pub).toContain(`.with({ lists: 100 })`);
    expect(back).toEqual(s);
  });
});
