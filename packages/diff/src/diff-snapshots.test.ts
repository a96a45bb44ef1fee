import { describe, expect, it } from 'vitest';
import { col, el, enumOf, identity, index, pk, schema, snap, table } from '../test/build.js';
import { createSnapshotSql, diffSnapshots } from './diff-snapshots.js';
import { hintResolver } from './hint-resolver.js';
import { summarize } from './summarize.js';
import type { RenameResolver } from './rename-resolver.js';

const users = (cols: string[], extras = {}) =>
  snap(schema('app', { tables: [table('app', 'users', [col('id', 'integer', { notNull: true }), ...cols.map((c) => col(c, 'text'))], { primaryKey: pk('users_pkey', 'id'), ...extras })] }));

describe('diffSnapshots (no database)', () => {
  it('finds no change between equal snapshots', async () => {
    const d = await diffSnapshots(users(['a']), users(['a']));
    expect(d).toMatchObject({ changes: [], up: [], down: [], hazards: [], warnings: [], upParts: [], downParts: [], plans: [], rewrites: [] });
    expect(summarize(d)).toEqual(['no schema changes']);
  });

  it('sets an identity\'s new bounds before a type change the old bounds do not fit, and after one the new bounds need', async () => {
    const ids = (type: string, maxValue: string) =>
      snap(schema('app', { tables: [table('app', 't', [col('id', type, { notNull: true, identity: identity('t_id_seq', { maxValue }) })])] }));
    const narrow = ids('integer', '1000');
    const wide = ids('bigint', '100000000000');
    const order = (sql: string[]) => sql.map((s) => (/ TYPE /.test(s) ? 'type' : /SET MAXVALUE/.test(s) ? 'identity' : 'other'));
    const d = await diffSnapshots(narrow, wide, { unsafePlans: true });
    // Up: integer → bigint first (10^11 does not fit integer); down: MAXVALUE 1000 first (10^11 does not fit the integer the column becomes).
    expect(order(d.up.map((s) => s.sql)).filter((k) => k !== 'other')).toEqual(['type', 'identity']);
    expect(order(d.down.map((s) => s.sql)).filter((k) => k !== 'other')).toEqual(['identity', 'type']);
  });

  it('without a resolver, a renamed column is a drop and an add (and says so)', async () => {
    const d = await diffSnapshots(users(['name']), users(['full_name']));
    expect(d.changes.map((c) => c.kind).sort()).toEqual(['add-column', 'drop-column']);
    expect(d.hazards.map((h) => h.kind)).toEqual(['data-loss', 'irreversible', 'breaks-running-code']);
  });

  it('asks the resolver per scope and applies its answer', async () => {
    const asked: string[] = [];
    const resolver: RenameResolver = {
      resolve(request) {
        asked.push(`${request.kind}: -${request.removed.map((c) => c.path.join('.'))} +${request.added.map((c) => c.path.join('.'))}`);
        return request.kind === 'column' ? [{ from: request.removed[0]!, to: request.added[0]! }] : [];
      },
    };
    const d = await diffSnapshots(users(['name']), users(['full_name']), { resolver });
    expect(asked).toEqual(['column: -app.users.name +app.users.full_name']);
    expect(d.renames).toEqual([{ kind: 'column', from: ['app', 'users', 'name'], to: ['app', 'users', 'full_name'] }]);
    expect(d.up.map((s) => s.sql)).toEqual(['ALTER TABLE "app"."users" RENAME COLUMN "name" TO "full_name"']);
    expect(d.down.map((s) => s.sql)).toEqual(['ALTER TABLE "app"."users" RENAME COLUMN "full_name" TO "name"']);
  });

  it('refuses a resolver answer that pairs objects it was not offered', async () => {
    const resolver: RenameResolver = { resolve: () => [{ from: { kind: 'column', path: ['app', 'users', 'nope'] }, to: { kind: 'column', path: ['app', 'users', 'full_name'] } }] };
    await expect(diffSnapshots(users(['name']), users(['full_name']), { resolver })).rejects.toThrow(/no removed column has that name/);
  });

  it('passes hint errors through: a hint that matched nothing', async () => {
    await expect(diffSnapshots(users(['name']), users(['full_name']), { resolver: hintResolver(['users.nme=users.full_name']) }))
      .rejects.toMatchObject({ code: 'USAGE' });
  });

  it('a --rename given twice, or one object renamed two ways, is a usage error that says so', () => {
    expect(() => hintResolver(['users.name=users.full_name', 'users.name=users.full_name'])).toThrow('--rename users.name=users.full_name is given twice');
    expect(() => hintResolver(['users.name=users.full_name', 'users.name=users.nick'])).toThrow('--rename gives "users.name" two new names: users.name=users.full_name and users.name=users.nick');
    expect(() => hintResolver(['users.name=users.full_name', 'users.nick=users.alias'])).not.toThrow();
  });

  it('summarizes created, altered, renamed and dropped objects, then lock-safe plans, rewrites, hazards and warnings', async () => {
    const prev = snap(schema('app', {
      enums: [enumOf('app', 'mood', ['a'])],
      tables: [table('app', 'users', [col('id', 'integer', { notNull: true }), col('name', 'text'), col('old', 'text')], { primaryKey: pk('users_pkey', 'id') })],
    }));
    const next = snap(schema('app', {
      enums: [enumOf('app', 'mood', ['a', 'b'])],
      tables: [table('app', 'users', [col('id', 'bigint', { notNull: true }), col('full_name', 'text')], {
        primaryKey: pk('users_pkey', 'id'), indexes: [index('users_full_name_index', ['full_name'])],
      })],
    }));
    const d = await diffSnapshots(prev, next, { resolver: hintResolver(['users.name=users.full_name']) });
    expect(summarize(d)).toEqual([
      '5 changes: 1 created, 2 altered, 1 renamed, 1 dropped',
      '+ index "users_full_name_index" on "app"."users"',
      '~ enum "app"."mood": add value "b"',
      '~ column "app"."users"."id": type integer → bigint',
      '> column "app"."users"."name" → "full_name"',
      '- column "app"."users"."old"',
      'lock-safe plans:',
      '= concurrent-index: index "app"."users_full_name_index" is built CONCURRENTLY outside a transaction, so writes to "app"."users" continue while it builds',
      'table rewrites (no lock-safe recipe):',
      '! changing "app"."users"."id" from integer to bigint rewrites "app"."users" and its indexes, blocking writes for the whole rewrite',
      'hazards:',
      '! data-loss: column "app"."users"."old" and its values are dropped',
      '! irreversible: the down migration adds "app"."users"."old" back empty',
      '! breaks-running-code: code using column "app"."users"."old" fails',
      '! breaks-running-code: column "app"."users"."name" is renamed to "full_name": code using the old name fails',
      '! table-rewrite: changing the type of "app"."users"."id" rewrites "app"."users" and its indexes',
      'warnings:',
      '* column "app"."users"."old" is dropped: the down migration adds it back empty (its values are not restored)',
      '* the down migration stops if "app"."users"."id" holds a value its old type cannot take',
    ]);
  });

  it('names the collations of a column whose type changes only in its collation', async () => {
    const d = await diffSnapshots(users(['sort_key'], {}), snap(schema('app', { tables: [table('app', 'users', [
      col('id', 'integer', { notNull: true }), col('sort_key', 'text', { collation: 'C' }),
    ], { primaryKey: pk('users_pkey', 'id') })] })));
    expect(summarize(d)).toContain('~ column "app"."users"."sort_key": type text → text COLLATE "C"');
  });

  it('a collation an older snapshot named public.x or pg_catalog.x is no change; another schema is one', async () => {
    const collated = (name: string, collation: string) => col(name, 'text', { collation });
    const withCollations = (a: string, b: string, i: string) => snap(schema('app', { tables: [table('app', 'users', [
      col('id', 'integer', { notNull: true }), collated('a', a), collated('b', b),
    ], { primaryKey: pk('users_pkey', 'id'), indexes: [index('users_a', [el('a', { collation: i })])] })] }));
    const before = withCollations('public.nocase', 'pg_catalog."C"', '"public"."nocase"');
    expect((await diffSnapshots(before, withCollations('nocase', 'C', 'nocase'))).changes).toEqual([]);
    const moved = await diffSnapshots(before, withCollations('other.nocase', 'C', 'nocase'));
    expect(summarize(moved)).toContain('~ column "app"."users"."a": type text COLLATE "public"."nocase" → text COLLATE "other"."nocase"');
  });

  it('createSnapshotSql builds types before tables and foreign keys after every table', () => {
    const s = snap(schema('app', {
      enums: [enumOf('app', 'mood', ['a'])],
      tables: [
        table('app', 'a', [col('id', 'integer', { notNull: true }), col('b_id', 'integer'), col('m', 'mood', { typeSchema: 'app' })], {
          primaryKey: pk('a_pkey', 'id'), foreignKeys: [{ name: 'a_b_fk', columns: ['b_id'], foreignSchema: 'app', foreignTable: 'b', foreignColumns: ['id'], onDelete: 'no action', onUpdate: 'no action' }],
        }),
        table('app', 'b', [col('id', 'integer', { notNull: true })], { primaryKey: pk('b_pkey', 'id') }),
      ],
    }));
    expect(createSnapshotSql(s).map((x) => x.sql.split('\n')[0])).toEqual([
      'CREATE SCHEMA "app"',
      `CREATE TYPE "app"."mood" AS ENUM ('a')`,
      'CREATE TABLE "app"."a" (',
      'CREATE TABLE "app"."b" (',
      'ALTER TABLE "app"."a" ADD CONSTRAINT "a_b_fk" FOREIGN KEY ("b_id") REFERENCES "app"."b" ("id")',
    ]);
  });
});
