import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import * as allFeatures from '../test/fixtures/all-features.js';
import { columnOf, fixturePath, tableOf } from '../test/helpers.js';
import { canonicalJson } from './canonical-json.js';
import { parseSnapshot } from './parse-snapshot.js';
import { serializeSchema } from './serialize-schema.js';

const snapshot = serializeSchema(allFeatures);
const publicSchema = snapshot.schemas.public;
const billing = snapshot.schemas.billing;

describe('serializeSchema on the all-features fixture', () => {
  test('matches the reviewed snapshot file (test/fixtures/all-features.snapshot.json)', () => {
    const golden = fixturePath('all-features.snapshot.json');
    const text = canonicalJson(snapshot);
    // Regenerate after an intended change with STRATA_UPDATE_GOLDEN=1, then review the diff.
    if (process.env.STRATA_UPDATE_GOLDEN === '1') writeFileSync(golden, text);
    expect(text).toBe(readFileSync(golden, 'utf8'));
  });

  test('round-trips through canonical JSON and parseSnapshot unchanged', () => {
    const text = canonicalJson(snapshot);
    const reparsed = parseSnapshot(JSON.parse(text), 'all-features');
    expect(reparsed).toEqual(snapshot);
    expect(canonicalJson(reparsed)).toBe(text);
  });

  test('builds every object with its fields in key order, so canonicalJson writes it natively', () => {
    // Only speed depends on this (canonicalJson sorts what is out of order): a field added out of
    // order makes `generate` write the snapshot piece by piece again. Name-keyed maps keep the
    // code's order (the SQL lists objects in it).
    const MAPS = new Set(['schemas', 'tables', 'enums', 'sequences', 'views', 'uniques', 'checks', 'foreignKeys', 'indexes', 'policies', 'with']);
    const outOfOrder: string[] = [];
    const walk = (v: unknown, path: string, isMap: boolean): void => {
      if (Array.isArray(v)) {
        v.forEach((x, i) => walk(x, `${path}[${i}]`, false));
        return;
      }
      if (v === null || typeof v !== 'object') return;
      const keys = Object.keys(v);
      if (!isMap && keys.some((k, i) => i > 0 && keys[i - 1]! >= k)) outOfOrder.push(`${path}: ${keys.join(', ')}`);
      for (const k of keys) walk((v as Record<string, unknown>)[k], `${path}.${k}`, !isMap && MAPS.has(k));
    };
    walk(snapshot, 'snapshot', false);
    expect(outOfOrder).toEqual([]);
    expect(Object.keys(publicSchema?.tables.all_types ?? {}).length).toBeGreaterThan(5);
  });

  test('is deterministic: serializing twice gives byte-identical JSON', () => {
    expect(canonicalJson(serializeSchema(allFeatures))).toBe(canonicalJson(snapshot));
  });

  test('lists public and every declared schema', () => {
    expect(Object.keys(snapshot.schemas).sort()).toEqual(['billing', 'public']);
    expect(snapshot.version).toBe(1);
    expect(snapshot.dialect).toBe('postgresql');
  });

  test('every column type gets PostgreSQL’s format_type spelling', () => {
    const t = tableOf(snapshot, 'public', 'all_types');
    const types = Object.fromEntries(t.columns.map((c) => [c.name, [c.type, c.dimensions, c.typeSchema]]));
    expect(types).toEqual({
      id: ['serial', 0, undefined],
      small: ['smallint', 0, undefined],
      int: ['integer', 0, undefined],
      big: ['bigint', 0, undefined],
      big_as_bigint: ['bigint', 0, undefined],
      small_serial: ['smallserial', 0, undefined],
      big_serial: ['bigserial', 0, undefined],
      num: ['numeric', 0, undefined],
      num_p: ['numeric(10,0)', 0, undefined],
      num_ps: ['numeric(10,2)', 0, undefined],
      flt: ['real', 0, undefined],
      dbl: ['double precision', 0, undefined],
      flag: ['boolean', 0, undefined],
      txt: ['text', 0, undefined],
      txt_enum: ['text', 0, undefined],
      vc: ['character varying', 0, undefined],
      vc255: ['character varying(255)', 0, undefined],
      ch: ['character(1)', 0, undefined],
      ch3: ['character(3)', 0, undefined],
      d: ['date', 0, undefined],
      d_str: ['date', 0, undefined],
      t: ['time without time zone', 0, undefined],
      t3tz: ['time(3) with time zone', 0, undefined],
      ts: ['timestamp without time zone', 0, undefined],
      ts3: ['timestamp(3) without time zone', 0, undefined],
      tstz6: ['timestamp(6) with time zone', 0, undefined],
      iv: ['interval', 0, undefined],
      iv_ds: ['interval day to second(3)', 0, undefined],
      iv_year: ['interval year', 0, undefined],
      js: ['json', 0, undefined],
      jsb: ['jsonb', 0, undefined],
      id2: ['uuid', 0, undefined],
      ip: ['inet', 0, undefined],
      net: ['cidr', 0, undefined],
      mac: ['macaddr', 0, undefined],
      mac8: ['macaddr8', 0, undefined],
      pt: ['point', 0, undefined],
      pt_xy: ['point', 0, undefined],
      ln: ['line', 0, undefined],
      ln_abc: ['line', 0, undefined],
      bits: ['bit(3)', 0, undefined],
      feeling: ['mood', 0, 'public'],
      feelings: ['mood', 1, 'public'],
      money: ['currency', 0, 'billing'],
      ints: ['integer', 1, undefined],
      matrix: ['text', 2, undefined],
      tags: ['character varying(20)', 1, undefined],
      blob: ['bytea', 0, undefined],
      search: ['tsvector', 0, undefined],
      keyAsName: ['text', 0, undefined],
    });
  });

  test('serial columns are NOT NULL and have no default (the sequence is implied)', () => {
    const t = tableOf(snapshot, 'public', 'all_types');
    for (const name of ['id', 'small_serial', 'big_serial']) {
      expect(columnOf(t, name)).toMatchObject({ notNull: true });
      expect(columnOf(t, name).default).toBeUndefined();
    }
  });

  test('defaults of every kind are rendered as drizzle-kit writes them, values inlined', () => {
    const t = tableOf(snapshot, 'public', 'defaults');
    const defaults = Object.fromEntries(t.columns.map((c) => [c.name, c.default]));
    expect(defaults).toEqual({
      id: undefined,
      quoted: `'it''s "quoted"'`,
      backslash: `E'a\\\\b'`,
      answer: '42',
      negative: '-1',
      ratio: '1.5',
      huge: '9007199254740993',
      price: `'9.99'`,
      yes: 'true',
      no: 'false',
      doc: `'{"a":1,"b":"x"}'::jsonb`,
      list: `'[1,"two"]'::json`,
      ints: `'{1,2,3}'`,
      words: `E'{"a","b \\\\"q\\\\""}'`,
      empty: `'{}'`,
      created: 'now()',
      uid: 'gen_random_uuid()',
      meta: `'{}'::jsonb`,
      sum: '(1 + 2)',
      day: `'2024-01-02'`,
      at: `'2024-01-02 03:04:05.678'`,
      feeling: `'ok'`,
      where: `'(1,2)'`,
      span: `'1 day'`,
      // $defaultFn / $onUpdateFn run in the application: never database defaults.
      app_only: undefined,
      touched: undefined,
    });
  });

  test('identity columns carry their options with PostgreSQL’s defaults filled in', () => {
    const t = tableOf(snapshot, 'public', 'identities');
    expect(columnOf(t, 'always')).toEqual({
      name: 'always',
      type: 'integer',
      dimensions: 0,
      notNull: true,
      identity: { type: 'always', sequenceName: 'identities_always_custom_seq', increment: '5', minValue: '10', maxValue: '100000', start: '10', cache: '20', cycle: true },
    });
    expect(columnOf(t, 'by_default').identity).toEqual({
      type: 'byDefault',
      sequenceName: 'identities_by_default_seq',
      increment: '1',
      minValue: '1',
      maxValue: '9223372036854775807',
      start: '1',
      cache: '1',
      cycle: false,
    });
    // Descending: PostgreSQL counts from -1 down to the type's minimum.
    expect(columnOf(t, 'down').identity).toMatchObject({ increment: '-1', minValue: '-32768', maxValue: '-1', start: '-1' });
  });

  test('stored generated columns keep their expression (sql, or a function returning sql)', () => {
    const t = tableOf(snapshot, 'public', 'identities');
    expect(columnOf(t, 'doubled')).toEqual({ name: 'doubled', type: 'integer', dimensions: 0, notNull: false, generated: { expression: '"identities"."a" * 2' } });
    expect(columnOf(t, 'label').generated).toEqual({ expression: `'#' || 'x'` });
  });

  test('primary keys: column-level is <table>_pkey, composite gets drizzle-kit’s name or its own, and makes its columns NOT NULL', () => {
    expect(tableOf(snapshot, 'public', 'users').primaryKey).toEqual({ name: 'users_pkey', columns: ['id'] });
    expect(tableOf(snapshot, 'public', 'accounts').primaryKey).toEqual({ name: 'accounts_org_slug_pk', columns: ['org', 'slug'] });
    const memberships = tableOf(snapshot, 'public', 'memberships');
    expect(memberships.primaryKey).toEqual({ name: 'memberships_pk', columns: ['user_id', 'org', 'slug'] });
    expect(tableOf(snapshot, 'public', 'identities').primaryKey).toBeUndefined();
  });

  test('unique constraints: column-level, named, NULLS NOT DISTINCT and composite', () => {
    expect(tableOf(snapshot, 'public', 'users').uniques).toEqual({
      users_handle_unique: { name: 'users_handle_unique', columns: ['handle'], nullsNotDistinct: false },
      users_nick_key: { name: 'users_nick_key', columns: ['nick'], nullsNotDistinct: true },
    });
    expect(tableOf(snapshot, 'public', 'accounts').uniques).toEqual({
      accounts_name_region_unique: { name: 'accounts_name_region_unique', columns: ['name', 'region'], nullsNotDistinct: true },
    });
  });

  test('check constraints render with their values inlined', () => {
    expect(tableOf(snapshot, 'public', 'users').checks).toEqual({
      users_age_check: { name: 'users_age_check', expression: '"users"."age" between 0 and 150' },
    });
  });

  test('foreign keys: actions, composite, self-references and both directions across schemas', () => {
    expect(tableOf(snapshot, 'public', 'memberships').foreignKeys).toEqual({
      memberships_user_id_users_id_fk: {
        name: 'memberships_user_id_users_id_fk',
        columns: ['user_id'],
        foreignSchema: 'public',
        foreignTable: 'users',
        foreignColumns: ['id'],
        onDelete: 'cascade',
        onUpdate: 'cascade',
      },
      memberships_org_slug_accounts_org_slug_fk: {
        name: 'memberships_org_slug_accounts_org_slug_fk',
        columns: ['org', 'slug'],
        foreignSchema: 'public',
        foreignTable: 'accounts',
        foreignColumns: ['org', 'slug'],
        onDelete: 'restrict',
        onUpdate: 'no action',
      },
    });
    const categories = tableOf(snapshot, 'public', 'categories').foreignKeys;
    expect(categories.categories_parent_id_categories_id_fk).toMatchObject({ foreignTable: 'categories', onDelete: 'set null' });
    expect(categories.categories_fallback_id_categories_id_fk).toMatchObject({ foreignTable: 'categories', onDelete: 'set default' });
    expect(tableOf(snapshot, 'billing', 'invoices').foreignKeys.invoices_user_id_users_id_fk).toMatchObject({ foreignSchema: 'public', foreignTable: 'users' });
    expect(tableOf(snapshot, 'public', 'payments').foreignKeys.payments_invoice_id_invoices_id_fk).toMatchObject({ foreignSchema: 'billing', foreignTable: 'invoices' });
  });

  test('indexes: unique, methods, where, expressions, order, nulls, opclass, with, concurrently', () => {
    const idx = tableOf(snapshot, 'public', 'users').indexes;
    const plain = { desc: false, expression: false, nullsFirst: false };
    expect(idx.users_email_lower_idx).toEqual({
      name: 'users_email_lower_idx',
      unique: true,
      method: 'btree',
      elements: [{ value: 'lower("email")', expression: true, desc: false, nullsFirst: false }],
      nullsNotDistinct: false,
    });
    expect(idx.users_age_index).toEqual({ name: 'users_age_index', unique: false, method: 'btree', elements: [{ value: 'age', ...plain }], nullsNotDistinct: false });
    expect(idx.users_age_bio_idx?.elements).toEqual([
      { value: 'age', expression: false, desc: true, nullsFirst: true },
      { value: 'bio', ...plain },
    ]);
    expect(idx.users_bio_pattern_idx?.elements).toEqual([{ value: 'bio', ...plain, opclass: 'text_pattern_ops' }]);
    expect(idx.users_profile_gin_idx?.method).toBe('gin');
    expect(idx.users_email_hash_idx?.method).toBe('hash');
    expect(idx.users_live_idx?.where).toBe('"users"."deleted_at" is null');
    expect(idx.users_ff_idx?.with).toEqual({ fillfactor: '70' });
    expect(idx.users_conc_idx?.concurrently).toBe(true);
    expect(idx.users_age_index?.concurrently).toBeUndefined();
  });

  test('enums (also in a pgSchema) keep their values in order', () => {
    expect(publicSchema?.enums).toEqual({ mood: { schema: 'public', name: 'mood', values: ['sad', 'ok', 'happy'] } });
    expect(billing?.enums).toEqual({ currency: { schema: 'billing', name: 'currency', values: ['EUR', 'USD', "it's"] } });
  });

  test('sequences with options, also descending and cycling', () => {
    expect(publicSchema?.sequences.order_number).toEqual({
      schema: 'public',
      name: 'order_number',
      dataType: 'bigint',
      increment: '1',
      minValue: '1',
      maxValue: '9223372036854775807',
      start: '1000',
      cache: '10',
      cycle: false,
    });
    expect(billing?.sequences.countdown).toEqual({
      schema: 'billing',
      name: 'countdown',
      dataType: 'bigint',
      increment: '-1',
      minValue: '-1000',
      maxValue: '-1',
      start: '-1',
      cache: '1',
      cycle: true,
    });
  });

  test('views from the query builder and from sql, with options; a materialized view with storage parameters and WITH NO DATA', () => {
    expect(publicSchema?.views.published_posts).toEqual({
      schema: 'public',
      name: 'published_posts',
      materialized: false,
      definition: 'select "id", "author_id" from "posts" where "posts"."published" = true',
      with: { security_barrier: 'true', check_option: 'local' },
    });
    expect(publicSchema?.views.adults).toEqual({
      schema: 'public',
      name: 'adults',
      materialized: false,
      definition: 'select "users"."id", "users"."email" from "users" where "users"."age" >= 18',
    });
    expect(billing?.views.invoice_totals).toEqual({
      schema: 'billing',
      name: 'invoice_totals',
      materialized: true,
      definition: 'select "currency", sum("amount") as "total" from "billing"."invoices" group by "billing"."invoices"."currency"',
      with: { fillfactor: '70' },
      withNoData: true,
    });
  });

  test('RLS: enabled by .enableRLS() or by having policies; policies from the third argument and from .link()', () => {
    expect(tableOf(snapshot, 'public', 'secrets')).toMatchObject({ rlsEnabled: true, policies: {} });
    expect(tableOf(snapshot, 'public', 'users').rlsEnabled).toBe(false);
    const posts = tableOf(snapshot, 'public', 'posts');
    expect(posts.rlsEnabled).toBe(true);
    expect(posts.policies).toEqual({
      posts_read: { name: 'posts_read', as: 'permissive', for: 'select', to: ['public'], using: '"posts"."published" = true' },
      posts_write: { name: 'posts_write', as: 'restrictive', for: 'insert', to: ['public'], withCheck: '"posts"."author_id" is not null' },
      posts_update: { name: 'posts_update', as: 'permissive', for: 'update', to: ['public'], using: 'true', withCheck: 'true' },
      posts_delete: { name: 'posts_delete', as: 'permissive', for: 'delete', to: ['public'], using: 'false' },
    });
  });

  test('the `schemas` option keeps only the managed schemas (public is always listed)', () => {
    const onlyBilling = serializeSchema(allFeatures, { schemas: ['billing'] });
    expect(Object.keys(onlyBilling.schemas).sort()).toEqual(['billing', 'public']);
    expect(onlyBilling.schemas.public?.tables).toEqual({});
    // billing.invoices references public.users, which is now outside the managed schemas: allowed.
    expect(Object.keys(onlyBilling.schemas.billing?.tables ?? {})).toEqual(['invoices']);
  });
});
