import { describe, expect, test } from 'vitest';
import { StrataError } from '@strata/core';
import { emptySnapshot, emptySchema, type Snapshot, type Table } from './snapshot.js';
import { assertServerCanExpress, featuresBeyondServer } from './server-support.js';

const table = (extras: Partial<Table> = {}): Table => ({
  schema: 'app', name: 'users', columns: [{ name: 'email', type: 'text', dimensions: 0, notNull: false }],
  uniques: {}, checks: {}, foreignKeys: {}, indexes: {}, rlsEnabled: false, policies: {}, ...extras,
});

function snapshotWith(t: Table, views: Snapshot['schemas'][string]['views'] = {}): Snapshot {
  const s = emptySnapshot();
  s.schemas.app = { ...emptySchema('app'), tables: { [t.name]: t }, views };
  return s;
}

const nnd = snapshotWith(table({ uniques: { users_email_key: { name: 'users_email_key', columns: ['email'], nullsNotDistinct: true } } }));
const nndIndex = snapshotWith(table({
  indexes: { users_email_idx: { name: 'users_email_idx', unique: true, method: 'btree', elements: [{ value: 'email', expression: false, desc: false, nullsFirst: false }], nullsNotDistinct: true } },
}));
const invoker = snapshotWith(table(), { v: { schema: 'app', name: 'v', materialized: false, definition: 'select 1', with: { security_invoker: 'true' } } });
const multirange = snapshotWith(table({ columns: [{ name: 'spans', type: 'int4multirange', dimensions: 0, notNull: false }] }));

describe('features newer than PostgreSQL 13, by server version', () => {
  test('NULLS NOT DISTINCT (constraint and index) needs 15: refused on 13 and 14, allowed on 15 and newer', () => {
    for (const s of [nnd, nndIndex]) {
      expect(featuresBeyondServer(s, 130023).map((u) => [u.feature, u.minMajor])).toEqual([['NULLS NOT DISTINCT', 15]]);
      expect(featuresBeyondServer(s, 140023)).toHaveLength(1);
      expect(featuresBeyondServer(s, 150000)).toEqual([]);
      expect(featuresBeyondServer(s, 180004)).toEqual([]);
    }
    expect(featuresBeyondServer(nnd, 130023)[0]!.object).toBe('unique constraint "users_email_key" on app.users');
    expect(featuresBeyondServer(nndIndex, 130023)[0]!.object).toBe('index "users_email_idx" on app.users');
  });

  test('security_invoker needs 15, multirange types need 14', () => {
    expect(featuresBeyondServer(invoker, 140000).map((u) => u.minMajor)).toEqual([15]);
    expect(featuresBeyondServer(invoker, 150002)).toEqual([]);
    expect(featuresBeyondServer(multirange, 130023).map((u) => u.object)).toEqual(['column "spans" (int4multirange) of app.users']);
    expect(featuresBeyondServer(multirange, 140000)).toEqual([]);
  });

  test('VIRTUAL generated columns need 18; stored ones run everywhere', () => {
    const col = (virtual: boolean) => ({ name: 'lower_email', type: 'text', dimensions: 0, notNull: false, generated: { expression: 'lower(email)', ...(virtual ? { virtual: true as const } : {}) } });
    const virtual = snapshotWith(table({ columns: [col(true)] }));
    expect(featuresBeyondServer(virtual, 170006)).toEqual([{ feature: 'VIRTUAL generated columns', minMajor: 18, object: 'column "lower_email" of app.users' }]);
    expect(featuresBeyondServer(virtual, 180000)).toEqual([]);
    expect(featuresBeyondServer(snapshotWith(table({ columns: [col(false)] })), 130000)).toEqual([]);
  });

  test('a schema without such features is expressible everywhere', () => {
    expect(featuresBeyondServer(snapshotWith(table()), 0)).toEqual([]);
  });

  test('the error names the command, server version, feature, minimum version and object', () => {
    let error: unknown;
    try {
      assertServerCanExpress(nnd, { versionNum: 130023, shortVersion: '13.23' }, 'push');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StrataError);
    const e = error as StrataError;
    expect(e.code).toBe('UNSUPPORTED_BY_SERVER');
    expect(e.message).toBe('push: PostgreSQL 13.23 cannot express NULLS NOT DISTINCT (PostgreSQL 15 or newer), used by unique constraint "users_email_key" on app.users');
    expect(e.hint).toContain('PostgreSQL 15 or newer');
    expect(() => assertServerCanExpress(nnd, { versionNum: 150018 }, 'push')).not.toThrow();
  });
});
