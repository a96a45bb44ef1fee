import { describe, expect, it } from 'vitest';
import { substituteSchema } from './substitute-schema.js';

describe('substituteSchema', () => {
  it('replaces the schema part of qualified names, quoted or not, and leaves a column of that name alone', () => {
    expect(substituteSchema('CREATE TABLE "tenant"."orders" ("tenant" text, id int REFERENCES tenant.users (id));', 'tenant', 'acme'))
      .toBe('CREATE TABLE "acme"."orders" ("tenant" text, id int REFERENCES "acme".users (id));');
    expect(substituteSchema('SELECT "orders"."tenant" FROM "tenant"."orders"', 'tenant', 'acme')).toBe('SELECT "orders"."tenant" FROM "acme"."orders"');
  });

  it('replaces a schema named after SCHEMA', () => {
    expect(substituteSchema('CREATE SCHEMA "tenant";\nCREATE SCHEMA IF NOT EXISTS tenant;\nALTER TABLE x SET SCHEMA "tenant";', 'tenant', 'acme'))
      .toBe('CREATE SCHEMA "acme";\nCREATE SCHEMA IF NOT EXISTS "acme";\nALTER TABLE x SET SCHEMA "acme";');
  });

  it('replaces names inside string literals, quoting only when needed there', () => {
    expect(substituteSchema(`DEFAULT nextval('tenant.seq'::regclass)`, 'tenant', 'acme')).toBe(`DEFAULT nextval('acme.seq'::regclass)`);
    expect(substituteSchema(`DEFAULT nextval('"tenant"."seq"')`, 'tenant', 'acme')).toBe(`DEFAULT nextval('"acme"."seq"')`);
    expect(substituteSchema(`DEFAULT nextval('tenant.seq')`, 'tenant', 'Acme Co')).toBe(`DEFAULT nextval('"Acme Co".seq')`);
    expect(substituteSchema(`select 'it''s tenant.x', 'mytenant.x', 'tenant'`, 'tenant', "o'brien")).toBe(`select 'it''s "o''brien".x', 'mytenant.x', 'tenant'`);
  });

  it('rewrites dollar-quoted bodies as SQL and leaves comments alone', () => {
    const fn = `CREATE FUNCTION "tenant"."f"() RETURNS int AS $$ SELECT count(*) FROM tenant.t $$ LANGUAGE sql; -- tenant.t here\n/* tenant.t */`;
    expect(substituteSchema(fn, 'tenant', 'acme')).toBe(`CREATE FUNCTION "acme"."f"() RETURNS int AS $$ SELECT count(*) FROM "acme".t $$ LANGUAGE sql; -- tenant.t here\n/* tenant.t */`);
  });

  it('quotes the new name as an identifier, doubling quotes', () => {
    expect(substituteSchema('CREATE TABLE "public"."t" (id int)', 'public', 'we"ird')).toBe('CREATE TABLE "we""ird"."t" (id int)');
  });

  it('drops the qualifier when the new schema is null (text read with it on the search_path)', () => {
    expect(substituteSchema(`nextval('acme.user_no'::regclass)`, 'acme', null)).toBe(`nextval('user_no'::regclass)`);
    expect(substituteSchema(`nextval('"Acme Co".user_no'::regclass)`, 'Acme Co', null)).toBe(`nextval('user_no'::regclass)`);
    expect(substituteSchema('SELECT "acme"."t".id, acme . u.x FROM acme.t, "other"."acme"', 'acme', null)).toBe('SELECT "t".id, u.x FROM t, "other"."acme"');
  });

  it('keeps line breaks, so statement lines do not move', () => {
    const sql = 'CREATE TABLE "tenant"."a" (id int);\n--> statement-breakpoint\nCREATE TABLE "tenant"."b" (id int);\n';
    expect(substituteSchema(sql, 'tenant', 'a_much_longer_tenant_name').split('\n').length).toBe(sql.split('\n').length);
  });
});
