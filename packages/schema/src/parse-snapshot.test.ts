import { describe, expect, test } from 'vitest';
import * as allFeatures from '../test/fixtures/all-features.js';
import { strataErrorOf } from '../test/helpers.js';
import { canonicalJson } from './canonical-json.js';
import { formatPath, parseSnapshot } from './parse-snapshot.js';
import { serializeSchema } from './serialize-schema.js';
import { emptySnapshot } from './snapshot.js';
import type { SnapshotUpgrades } from './snapshot-upgrades.js';

// A fresh, valid, mutable copy of the all-features snapshot for each test to break.
const valid = () => JSON.parse(canonicalJson(serializeSchema(allFeatures))) as Record<string, any>;

describe('parseSnapshot', () => {
  test('accepts a valid snapshot and returns it unchanged', () => {
    const json = valid();
    expect(parseSnapshot(json, 'x.json')).toEqual(json);
    expect(parseSnapshot(emptySnapshot())).toEqual(emptySnapshot());
  });

  test('a wrong type names the path and what was expected', () => {
    const json = valid();
    json.schemas.public.tables.users.columns[2].type = 5;
    const e = strataErrorOf(() => parseSnapshot(json, 'meta/0003.json'), 'SNAPSHOT_INVALID');
    expect(e.message).toBe('meta/0003.json: schemas.public.tables.users.columns[2].type: expected string, got 5');
  });

  test('a missing field, an unknown field, and a bad enum value', () => {
    const missing = valid();
    delete missing.schemas.public.tables.users.rlsEnabled;
    expect(strataErrorOf(() => parseSnapshot(missing, 's'), 'SNAPSHOT_INVALID').message).toBe('s: schemas.public.tables.users.rlsEnabled: missing');

    const unknown = valid();
    unknown.schemas.public.tables.users.columns[0].primary = true;
    expect(strataErrorOf(() => parseSnapshot(unknown, 's'), 'SNAPSHOT_INVALID').message).toBe('s: schemas.public.tables.users.columns[0].primary: unknown field');

    const action = valid();
    action.schemas.public.tables.posts.policies.posts_read.for = 'SELECT';
    expect(strataErrorOf(() => parseSnapshot(action, 's'), 'SNAPSHOT_INVALID').message).toBe(
      's: schemas.public.tables.posts.policies.posts_read.for: expected all, select, insert, update or delete, got "SELECT"',
    );
  });

  test('keys that are not identifiers are quoted in the path', () => {
    expect(formatPath(['schemas', 'my schema', 'tables', 'Users', 'columns', 0, 'name'])).toBe('schemas["my schema"].tables.Users.columns[0].name');
    const json = valid();
    json.schemas.billing.tables.invoices.columns[0].notNull = 'yes';
    json.schemas['Odd "S"'] = json.schemas.billing;
    delete json.schemas.billing;
    const e = strataErrorOf(() => parseSnapshot(json, 's'), 'SNAPSHOT_INVALID');
    expect(e.message).toBe('s: schemas["Odd \\"S\\""].tables.invoices.columns[0].notNull: expected boolean, got "yes"');
  });

  test('names longer than 63 bytes and numbers that are not integer strings are rejected', () => {
    const long = valid();
    long.schemas.public.tables.users.columns[0].name = 'x'.repeat(64);
    expect(strataErrorOf(() => parseSnapshot(long, 's'), 'SNAPSHOT_INVALID').message).toContain('columns[0].name: longer than 63 bytes');
    const seq = valid();
    seq.schemas.public.sequences.order_number.start = '1.5';
    expect(strataErrorOf(() => parseSnapshot(seq, 's'), 'SNAPSHOT_INVALID').message).toContain('sequences.order_number.start: expected an integer written as a decimal string');
  });

  test('a key that does not match the name inside, or an object listed under another schema', () => {
    const json = valid();
    json.schemas.public.tables.people = json.schemas.public.tables.users;
    delete json.schemas.public.tables.users;
    expect(strataErrorOf(() => parseSnapshot(json, 's'), 'SNAPSHOT_INVALID').message).toBe('s: schemas.public.tables.people.name: is "users" but the key is "people"');

    const moved = valid();
    moved.schemas.public.enums.mood.schema = 'billing';
    expect(strataErrorOf(() => parseSnapshot(moved, 's'), 'SNAPSHOT_INVALID').message).toBe('s: schemas.public.enums.mood.schema: is "billing" but it is listed in schema "public"');

    const idx = valid();
    idx.schemas.public.tables.users.indexes.renamed = idx.schemas.public.tables.users.indexes.users_age_index;
    expect(strataErrorOf(() => parseSnapshot(idx, 's'), 'SNAPSHOT_INVALID').message).toBe('s: schemas.public.tables.users.indexes.renamed.name: is "users_age_index" but the key is "renamed"');
  });

  test('constraints and indexes must name columns the table has', () => {
    const json = valid();
    json.schemas.public.tables.accounts.primaryKey.columns = ['org', 'nope'];
    expect(strataErrorOf(() => parseSnapshot(json, 's'), 'SNAPSHOT_INVALID').message).toBe(
      's: schemas.public.tables.accounts.primaryKey.columns[1]: names column "nope", which the table does not have',
    );
    const idx = valid();
    idx.schemas.public.tables.users.indexes.users_age_index.elements[0].value = 'agee';
    expect(strataErrorOf(() => parseSnapshot(idx, 's'), 'SNAPSHOT_INVALID').message).toContain('indexes.users_age_index.elements[0].value: names column "agee"');
  });

  test('several problems: the first in the message, the others in the details', () => {
    const json = valid();
    json.schemas.public.tables.users.columns[0].type = 1;
    json.schemas.public.tables.users.columns[1].notNull = 1;
    const e = strataErrorOf(() => parseSnapshot(json, 's'), 'SNAPSHOT_INVALID');
    expect(e.message).toContain('columns[0].type');
    expect(e.details).toEqual(['schemas.public.tables.users.columns[1].notNull: expected boolean, got 1']);
  });

  test('not an object at all', () => {
    expect(strataErrorOf(() => parseSnapshot('hello', 's'), 'SNAPSHOT_INVALID').message).toBe('s: (root): expected object, got "hello"');
  });
});

describe('snapshot versions', () => {
  test('a newer version than this Strata knows is refused with advice', () => {
    const json = { ...valid(), version: 2 };
    const e = strataErrorOf(() => parseSnapshot(json, 'meta/x.json'), 'SNAPSHOT_INVALID');
    expect(e.message).toBe('meta/x.json: snapshot version 2 is newer than this Strata understands (1)');
    expect(e.hint).toContain('Upgrade Strata');
  });

  test('an older version without an upgrade step is refused', () => {
    const e = strataErrorOf(() => parseSnapshot({ version: 0, tables: {} }, 'old.json'), 'SNAPSHOT_INVALID');
    expect(e.message).toBe('old.json: no upgrade from snapshot version 0 to 1');
  });

  test('an older version is upgraded step by step before validation (synthetic version 0: flat tables keyed "schema.table")', () => {
    // Version 0 (made up for this test): tables in one flat map, columns as a map, no dialect.
    const v0 = {
      version: 0,
      tables: {
        'public.users': { schema: 'public', name: 'users', columns: { id: { type: 'integer', notNull: true } } },
      },
    };
    const upgrades: SnapshotUpgrades = {
      0: (old) => {
        const snapshot = emptySnapshot() as unknown as Record<string, any>;
        for (const t of Object.values(old.tables as Record<string, any>)) {
          snapshot.schemas[t.schema] ??= { name: t.schema, tables: {}, enums: {}, sequences: {}, views: {} };
          snapshot.schemas[t.schema].tables[t.name] = {
            schema: t.schema,
            name: t.name,
            columns: Object.entries(t.columns as Record<string, any>).map(([name, c]) => ({ name, type: c.type, dimensions: 0, notNull: c.notNull })),
            uniques: {},
            checks: {},
            foreignKeys: {},
            indexes: {},
            rlsEnabled: false,
            policies: {},
          };
        }
        return snapshot;
      },
    };
    const upgraded = parseSnapshot(v0, 'v0.json', { upgrades });
    expect(upgraded.version).toBe(1);
    expect(upgraded.schemas.public?.tables.users?.columns).toEqual([{ name: 'id', type: 'integer', dimensions: 0, notNull: true }]);
  });

  test('an upgrade step that produces a wrong shape is caught by validation', () => {
    const upgrades: SnapshotUpgrades = { 0: (old) => ({ ...old, version: 1 }) };
    const e = strataErrorOf(() => parseSnapshot({ version: 0, tables: {} }, 'v0.json', { upgrades }), 'SNAPSHOT_INVALID');
    expect(e.message).toBe('v0.json: dialect: missing');
  });
});
