import { beforeAll, describe, expect, it } from 'vitest';
import { loadSqlParser, type SqlParser } from '@strata/sql';
import { lintMigrations, parseMigration, RULES, type Finding, type RuleId, type RuleInfo } from './index.js';

let parser: SqlParser;
beforeAll(async () => { parser = await loadSqlParser(); });

/** The tables the examples change, created by an earlier migration of the folder (so they exist, maybe large). */
const HISTORY = `
create table users (id bigint primary key, email text, name varchar(50), n integer, legacy text, active boolean, mood text);
create index users_email on users (email);
create table orders (id bigint primary key, user_id bigint);
create table events (id bigint, at timestamptz) partition by range (at);
create table bookings (id bigint primary key, room int);
`;

function lint(sql: string): Finding[] {
  const history = [parseMigration(parser, { file: '0001_init.sql', sql: HISTORY })];
  return lintMigrations([parseMigration(parser, { file: '0002_change.sql', sql })], { history }).findings;
}

const active = (findings: Finding[], rule: RuleId) => findings.filter((f) => f.rule === rule && !f.suppressed);

/** One bad and one safe example per rule: the bad one is reported (with the severity given), the safe one is not. */
const CASES: Record<RuleId, { bad: string; safe: string; severity?: Finding['severity'] }> = {
  'require-concurrent-index': { bad: 'create index users_name on users (name)', safe: '--> strata:part no-transaction\ncreate index concurrently if not exists users_name on users (name)' },
  'require-concurrent-index-drop': { bad: 'drop index users_email', safe: '-- strata:no-transaction\ndrop index concurrently if exists users_email' },
  'require-concurrent-reindex': { bad: 'reindex table users', safe: '-- strata:no-transaction\nreindex table concurrently users' },
  'require-concurrent-detach': { bad: 'alter table events detach partition events_2020', safe: '-- strata:no-transaction\nalter table events detach partition events_2020 concurrently' },
  'concurrently-in-transaction': { bad: 'create index concurrently users_name on users (name)', safe: '--> strata:part no-transaction\ncreate index concurrently users_name on users (name)' },
  'constraint-missing-not-valid': {
    bad: 'alter table orders add constraint orders_user_fk foreign key (user_id) references users (id)',
    safe: 'alter table orders add constraint orders_user_fk foreign key (user_id) references users (id) not valid;\n--> strata:part\nalter table orders validate constraint orders_user_fk',
  },
  'validate-in-same-transaction': {
    bad: 'alter table users add constraint users_n_check check (n > 0) not valid;\nalter table users validate constraint users_n_check',
    safe: 'alter table users add constraint users_n_check check (n > 0) not valid;\n--> strata:part\nalter table users validate constraint users_n_check',
  },
  'set-not-null': {
    bad: 'alter table users alter column email set not null',
    safe: [
      'alter table users add constraint users_email_nn check (email is not null) not valid;',
      '--> strata:part',
      'alter table users validate constraint users_email_nn;',
      'alter table users alter column email set not null;',
      'alter table users drop constraint users_email_nn;',
    ].join('\n'),
  },
  'adding-required-column': { bad: 'alter table users add column age int not null', safe: 'alter table users add column age int not null default 0' },
  'column-type-rewrite': { bad: 'alter table users alter column n type bigint', safe: 'alter table users alter column name type varchar(100);\nalter table users alter column email type text' },
  'volatile-default': { bad: 'alter table users add column token uuid default gen_random_uuid()', safe: 'alter table users add column seen_at timestamptz default now()' },
  'stored-generated-column': {
    bad: 'alter table users add column email_lower text generated always as (lower(email)) stored',
    safe: 'create table profiles (email text, email_lower text generated always as (lower(email)) stored)',
  },
  'auto-increment-column': { bad: 'alter table users add column seq bigserial', safe: 'alter table users add column seq bigint' },
  'add-unique-constraint': {
    bad: 'alter table users add constraint users_email_key unique (email)',
    safe: '-- strata:no-transaction\ncreate unique index concurrently users_email_key on users (email);\n--> strata:part\nalter table users add constraint users_email_key unique using index users_email_key',
  },
  'add-primary-key': {
    bad: 'alter table orders drop constraint orders_pkey;\nalter table orders add primary key (id, user_id)',
    safe: [
      'alter table orders add constraint orders_user_nn check (user_id is not null) not valid;',
      '--> strata:part',
      'alter table orders validate constraint orders_user_nn;',
      'alter table orders alter column user_id set not null;',
      '--> strata:part no-transaction',
      'create unique index concurrently orders_id_user on orders (id, user_id);',
      '--> strata:part',
      'alter table orders drop constraint orders_pkey;',
      'alter table orders add constraint orders_id_user primary key using index orders_id_user;',
    ].join('\n'),
  },
  'exclusion-constraint': {
    bad: 'alter table bookings add constraint no_overlap exclude using gist (room with =)',
    safe: 'create table rooms (room int, constraint no_overlap exclude using gist (room with =))',
  },
  'table-rewrite': { bad: 'cluster users using users_email', safe: 'analyze users' },
  'lock-table': { bad: 'lock table users', safe: 'lock table users in access share mode' },
  'unbatched-backfill': { bad: 'update users set active = true', safe: 'update users set active = true where id between 1 and 1000' },
  'refresh-materialized-view': { bad: 'refresh materialized view user_stats', safe: 'refresh materialized view concurrently user_stats' },
  'domain-constraint': { bad: 'alter domain positive add constraint positive_check check (value > 0)', safe: 'alter domain positive add constraint positive_check check (value > 0) not valid', severity: 'warning' },
  'drop-column': { bad: 'alter table users drop column legacy', safe: '-- strata:ignore drop-column the app stopped reading it in 2.3\nalter table users drop column legacy' },
  'drop-table': { bad: 'drop table orders', safe: 'create table scratch (a int);\ndrop table scratch' },
  'rename-column': { bad: 'alter table users rename column name to full_name', safe: 'create table scratch (a int);\nalter table scratch rename column a to b' },
  'rename-table': { bad: 'alter table users rename to customers', safe: 'create table scratch (a int);\nalter table scratch rename to scratch2' },
  'rename-object': { bad: 'alter view active_users rename to current_users', safe: 'alter index users_email rename to users_email_idx', severity: 'warning' },
  'set-schema': { bad: 'alter table users set schema archive', safe: 'create table scratch (a int);\nalter table scratch set schema archive' },
  'drop-object': { bad: 'drop view active_users', safe: 'drop view active_users;\ncreate view active_users as select id from users where active', severity: 'warning' },
  'drop-not-null': { bad: 'alter table users alter column id drop not null', safe: 'create table scratch (a int not null);\nalter table scratch alter column a drop not null', severity: 'warning' },
  'drop-database': { bad: 'drop database production', safe: 'select 1' },
  'truncate-cascade': { bad: 'truncate users cascade', safe: 'truncate orders' },
  'transaction-control': { bad: 'begin;\ncreate table scratch (a int);\ncommit', safe: 'create table scratch (a int)' },
  'enum-value-used-in-transaction': {
    bad: "alter type mood add value 'meh';\nupdate users set mood = 'meh' where id = 1",
    safe: "alter type mood add value 'meh';\n--> strata:part\nupdate users set mood = 'meh' where id = 1",
  },
  'timeout-override': { bad: "set lock_timeout = '10s'", safe: "set work_mem = '64MB'", severity: 'warning' },
  'int-key': { bad: 'create table scratch (id integer primary key)', safe: 'create table scratch (id bigint primary key)', severity: 'warning' },
  'prefer-identity': { bad: 'create table scratch (id bigserial primary key)', safe: 'create table scratch (id bigint generated always as identity primary key)', severity: 'warning' },
  'varchar-length': { bad: 'create table scratch (code varchar(20))', safe: 'create table scratch (code text)', severity: 'warning' },
  'char-type': { bad: 'create table scratch (code char(2))', safe: 'create table scratch (code text)', severity: 'warning' },
  'timestamp-without-time-zone': { bad: 'create table scratch (at timestamp)', safe: 'create table scratch (at timestamptz)', severity: 'warning' },
  'json-column': { bad: 'create table scratch (doc json)', safe: 'create table scratch (doc jsonb)', severity: 'warning' },
  'index-too-many-columns': {
    bad: 'create table scratch (a int, b int, c int, d int);\ncreate index scratch_abcd on scratch (a, b, c, d)',
    safe: 'create table scratch (a int, b int, c int, d int);\ncreate index scratch_abc on scratch (a, b, c)', severity: 'warning',
  },
  'identifier-too-long': { bad: `create table ${'t'.repeat(64)} (a int)`, safe: `create table ${'t'.repeat(63)} (a int)`, severity: 'warning' },
  'prefer-robust-stmts': { bad: '-- strata:no-transaction\ncreate index concurrently users_name on users (name)', safe: '-- strata:no-transaction\ncreate index concurrently if not exists users_name on users (name)', severity: 'info' },
  'syntax-error': { bad: 'create tabel scratch (a int)', safe: 'create table scratch (a int)' },
  'invalid-ignore': { bad: '-- strata:ignore drop-column\nalter table users drop column legacy', safe: '-- strata:ignore drop-column no reader left since 2.3\nalter table users drop column legacy' },
};

describe('every rule', () => {
  it('has a bad and a safe example here', () => {
    expect(Object.keys(CASES).sort()).toEqual(Object.keys(RULES).sort());
  });

  for (const [rule, c] of Object.entries(CASES) as [RuleId, (typeof CASES)[RuleId]][]) {
    it(`${rule}: reports the bad form and not the safe one`, () => {
      const bad = active(lint(c.bad), rule);
      expect(bad.length, `${rule} on:\n${c.bad}`).toBeGreaterThan(0);
      const info: RuleInfo = RULES[rule];
      const usual = info.severity ?? (info.category === 'style' ? 'warning' : 'error');
      expect(bad[0]!.severity).toBe(c.severity ?? usual);
      expect(c.severity ?? usual, 'the catalog names the usual severity').toBe(usual);
      expect(active(lint(c.safe), rule), `${rule} on:\n${c.safe}`).toEqual([]);
    });
  }
});

describe('existing tables', () => {
  it('a table created earlier in the same migration is new: no lock finding', () => {
    const f = lint('create table scratch (id bigint primary key, a text);\ncreate index scratch_a on scratch (a);\nalter table scratch add constraint scratch_a_check check (a <> \'\');\nalter table scratch alter column a set not null');
    expect(f.filter((x) => RULES[x.rule].category === 'blocking')).toEqual([]);
  });

  it('without a database, a blocking change to a table an earlier migration created is an error that says so', () => {
    const [f] = active(lint('create index users_name on users (name)'), 'require-concurrent-index');
    expect(f).toMatchObject({ severity: 'error', file: '0002_change.sql', line: 1, table: { name: 'users', rows: null, basis: 'earlier-migration' } });
    expect(f!.message).toContain('users is created by an earlier migration');
  });

  it('a table no migration read creates exists already: still an error', () => {
    const r = lintMigrations([parseMigration(parser, { file: 'x.sql', sql: 'create index i on accounts (email)' })]);
    expect(r.findings[0]).toMatchObject({ rule: 'require-concurrent-index', severity: 'error', table: { basis: 'existing' } });
    expect(r.ok).toBe(false);
  });

  it('points at the line and column of the part of the statement concerned', () => {
    const [f] = active(lint('select 1;\n\nalter table users\n  add column token uuid default gen_random_uuid()'), 'volatile-default');
    expect(f).toMatchObject({ line: 4, column: 25 }); // the DEFAULT keyword
  });
});

describe('recipes', () => {
  it('the PRIMARY KEY recipe passes on a table no migration read creates', () => {
    const sql = [
      'alter table invoices add constraint invoices_id_nn check (id is not null) not valid;',
      '--> strata:part',
      'alter table invoices validate constraint invoices_id_nn;',
      'alter table invoices alter column id set not null;',
      'alter table invoices drop constraint invoices_id_nn;',
      '--> strata:part no-transaction',
      'create unique index concurrently invoices_pkey on invoices (id);',
      '--> strata:part',
      'alter table invoices add constraint invoices_pkey primary key using index invoices_pkey;',
    ].join('\n');
    const r = lintMigrations([parseMigration(parser, { file: 'x.sql', sql })]);
    expect(r.findings.filter((f) => !f.suppressed && f.severity === 'error')).toEqual([]);
    // without the NOT NULL steps, USING INDEX would scan the table
    const unsafe = lintMigrations([parseMigration(parser, { file: 'x.sql', sql: sql.split('\n').slice(5).join('\n') })]);
    expect(unsafe.findings.filter((f) => f.rule === 'add-primary-key').map((f) => f.message)).toEqual([expect.stringContaining('makes id NOT NULL, which scans invoices')]);
  });
});

describe('other SQL forms', () => {
  it('lints the statement inside a drizzle-kit DO … EXCEPTION block, at the block\'s line', () => {
    const sql = 'select 1;\nDO $$ BEGIN\n ALTER TABLE "orders" ADD CONSTRAINT "orders_user_fk" FOREIGN KEY ("user_id") REFERENCES "users"("id");\nEXCEPTION\n WHEN duplicate_object THEN null;\nEND $$;';
    expect(active(lint(sql), 'constraint-missing-not-valid').map((f) => [f.line, f.column])).toEqual([[2, 1]]);
    expect(lint('DO $$ BEGIN PERFORM 1; END $$;')).toEqual([]);
  });

  it('reports an int key once per column, in SQL spelling', () => {
    const f = active(lint('create table tags (id integer primary key);\ncreate table post_tags (tag_id integer, primary key (tag_id));\nalter table post_tags add constraint post_tags_tag_fk foreign key (tag_id) references tags (id)'), 'int-key');
    expect(f.map((x) => [x.line, x.message.split(':')[0]])).toEqual([[1, 'tags.id is an integer key'], [2, 'post_tags.tag_id is an integer key']]);
  });

  it('CREATE INDEX ON ONLY a partitioned parent builds nothing; CREATE TABLE AS makes a new table', () => {
    expect(active(lint('create index events_at on only events (at)'), 'require-concurrent-index')).toEqual([]);
    expect(active(lint('create table archive as select * from users;\ncreate index archive_email on archive (email)'), 'require-concurrent-index')).toEqual([]);
  });
});

describe('type changes', () => {
  it('knows the binary-coercible changes from the column types earlier migrations gave', () => {
    const rewrites = (sql: string) => active(lint(sql), 'column-type-rewrite').length > 0;
    expect(rewrites('alter table users alter column name type varchar(100)')).toBe(false); // varchar(50) → varchar(100)
    expect(rewrites('alter table users alter column name type varchar')).toBe(false);
    expect(rewrites('alter table users alter column name type text')).toBe(false);
    expect(rewrites('alter table users alter column name type varchar(20)')).toBe(true); // shrinking checks and rewrites
    expect(rewrites('alter table users alter column email type varchar(20)')).toBe(true); // text → varchar(n)
    expect(rewrites('alter table users alter column n type bigint')).toBe(true);
    expect(rewrites('alter table users alter column n type bigint using n::bigint')).toBe(true);
    expect(rewrites('alter table users alter column name type text using name::text')).toBe(false);
    expect(rewrites('alter table users alter column name type text using upper(name)')).toBe(true);
    expect(rewrites('alter table users alter column ghost type text')).toBe(true); // old type unknown
  });
});

describe('-- strata:ignore', () => {
  it('silences only the named rule, for the statement right below, and keeps the reason', () => {
    const f = lint('-- strata:ignore drop-column nothing reads it since v2\nalter table users drop column legacy, alter column n type bigint;\nalter table users drop column name');
    const dropped = f.filter((x) => x.rule === 'drop-column');
    expect(dropped.map((x) => [x.line, x.suppressed?.reason])).toEqual([[2, 'nothing reads it since v2'], [3, undefined]]);
    expect(active(f, 'column-type-rewrite')).toHaveLength(1);
  });

  it('names several rules with commas, and reports an unknown rule', () => {
    const f = lint('-- strata:ignore drop-column,column-type-rewrite one-off cleanup\nalter table users drop column legacy, alter column n type bigint;\n-- strata:ignore drop-colum typo\nalter table users drop column name');
    expect(f.filter((x) => !x.suppressed).map((x) => x.rule).sort()).toEqual(['drop-column', 'invalid-ignore']);
    expect(f.find((x) => x.rule === 'invalid-ignore')).toMatchObject({ line: 3, message: expect.stringContaining('unknown rule drop-colum') });
  });
});
