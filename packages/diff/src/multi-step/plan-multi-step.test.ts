import { describe, expect, it } from 'vitest';
import { col, fk, index, pk, schema, snap, table } from '../../test/build.js';
import { hintResolver } from '../hint-resolver.js';
import { renderMigration } from '../render-migration.js';
import { diffMultiStep } from './plan-multi-step.js';

const users = (name: string, extra: { email?: boolean; indexed?: boolean } = {}) =>
  snap(schema('app', {
    tables: [table('app', 'users', [
      col('id', 'integer', { notNull: true }), col(name, 'text', { notNull: true, default: "''" }), ...(extra.email ? [col('email', 'text')] : []),
    ], { primaryKey: pk('users_pkey', 'id'), ...(extra.indexed ? { indexes: [index(`users_${name}_idx`, [name])] } : {}) })],
  }));

describe('diffMultiStep (no database)', () => {
  it('with nothing to expand (no column rename), there is no plan: the plain diff is the answer', async () => {
    const r = await diffMultiStep(users('name'), users('name', { email: true }));
    expect(r.multiStep).toBeNull();
    expect(r.diff.changes.map((c) => c.kind)).toEqual(['add-column']);
  });

  it('a column rename becomes expand (relaxed column, one trigger, backfill, then the new column\'s index) and contract (trigger dropped with the old column)', async () => {
    const r = await diffMultiStep(users('name', { indexed: true }), users('full_name', { indexed: true }), { resolver: hintResolver(['app.users.name=app.users.full_name']) });
    const plan = r.multiStep!;
    expect(plan.columns.map((c) => [c.from.name, c.to.name])).toEqual([['name', 'full_name']]);
    const expand = renderMigration(plan.expand.diff.upParts);
    expect(expand).toContain('ALTER TABLE "app"."users" ADD COLUMN "full_name" text;');
    expect(expand).not.toMatch(/RENAME COLUMN/);
    expect(expand.match(/CREATE TRIGGER/g)).toHaveLength(1);
    // The backfill, then the new column's index built CONCURRENTLY on the filled column: the new
    // code finds it indexed during the window.
    const parts = plan.expand.diff.upParts.map((p) => ({ transactional: p.transactional, sql: renderMigration([p]) }));
    const fill = parts.findIndex((p) => /SET "full_name" = "name" WHERE ctid >= .* AND "full_name" IS NULL AND "name" IS NOT NULL;\n\s+COMMIT;/.test(p.sql));
    const build = parts.findIndex((p) => p.sql.includes('CREATE INDEX CONCURRENTLY IF NOT EXISTS "users_full_name_idx" ON "app"."users" USING btree ("full_name")'));
    expect(fill).toBeGreaterThanOrEqual(0);
    expect(parts[fill]!.transactional).toBe(false);
    expect(build).toBeGreaterThan(fill);
    // The window: both columns, the old one whole, the new one relaxed, each with its index.
    const win = plan.expand.snapshot.schemas.app!.tables.users!;
    expect(win.columns.map((c) => [c.name, c.notNull, c.default ?? null])).toEqual([['id', true, null], ['name', true, "''"], ['full_name', false, null]]);
    expect(Object.keys(win.indexes).sort()).toEqual(['users_full_name_idx', 'users_name_idx']);
    const contract = plan.contract.diff.upParts;
    const withDrop = contract.find((p) => p.statements.some((s) => /DROP COLUMN "name"/.test(s.sql)))!;
    expect(withDrop.transactional).toBe(true);
    expect(withDrop.statements[0]!.sql).toBe('DROP TRIGGER IF EXISTS "strata_sync_users" ON "app"."users"');
    expect(renderMigration(contract)).not.toMatch(/CREATE (UNIQUE )?INDEX/);
    expect(plan.contract.diff.warnings.some((w) => w.includes('"name" is dropped'))).toBe(false);
    // The drop's comment says what its down does (no "adds it back empty": the values live on in full_name).
    expect(renderMigration(contract)).not.toMatch(/back empty|values are dropped/);
    expect(renderMigration(contract)).toContain('the down migration adds "app"."users"."name" back, keeps it in sync with "full_name" by the trigger and refills it');
    // Down migrations: expand's removes the trigger and the column; contract's refills the old one.
    expect(renderMigration(plan.expand.diff.downParts)).toMatch(/DROP INDEX CONCURRENTLY IF EXISTS "app"."users_full_name_idx"[\s\S]*DROP TRIGGER[\s\S]*DROP FUNCTION[\s\S]*DROP COLUMN "full_name"/);
    // …and ends with the window as the expand left it: the new column's index built again.
    expect(renderMigration(plan.contract.diff.downParts)).toMatch(/ADD COLUMN "name" text;[\s\S]*CREATE TRIGGER[\s\S]*SET "name" = "full_name"[\s\S]*SET NOT NULL[\s\S]*CREATE INDEX CONCURRENTLY IF NOT EXISTS "users_full_name_idx" ON "app"."users" USING btree \("full_name"\)/);
  });

  it('the expand builds the new column\'s unique index and unique constraint while the old column\'s hold; the contract renames them as it drops the old column, so the key never lapses', async () => {
    const emails = (column: string, indexName: string) => snap(schema('app', {
      tables: [table('app', 'users', [col('id', 'integer', { notNull: true }), col(column, 'text')], {
        primaryKey: pk('users_pkey', 'id'),
        indexes: [index(indexName, [column], { unique: true })],
        uniques: [{ name: `users_${column}_key`, columns: [column], nullsNotDistinct: false }],
      })],
    }));
    const statementsOf = (parts: { statements: { sql: string }[] }[]) => parts.flatMap((p, i) => p.statements.map((st) => ({ part: i, sql: st.sql })));

    // The index keeps its name in the code (users_email_idx on the new column "mail").
    const kept = (await diffMultiStep(emails('email', 'users_email_idx'), emails('mail', 'users_email_idx'), { resolver: hintResolver(['app.users.email=app.users.mail']) })).multiStep!;
    const expand = statementsOf(kept.expand.diff.upParts);
    const inExpand = (re: RegExp) => expand.findIndex((x) => re.test(x.sql));
    const fill = inExpand(/SET "mail" = "email"/);
    const build = inExpand(/^CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "users_email_idx_strata_new" ON "app"\."users" USING btree \("mail"\)/);
    const uniqueBuild = inExpand(/^CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "users_mail_key" ON "app"\."users"/);
    expect(fill).toBeGreaterThanOrEqual(0);
    expect(build).toBeGreaterThan(fill);
    expect(uniqueBuild).toBeGreaterThan(fill);
    // The constraint is attached to its index in the expand too.
    expect(inExpand(/^ALTER TABLE "app"\."users" ADD CONSTRAINT "users_mail_key" UNIQUE USING INDEX "users_mail_key"/)).toBeGreaterThan(uniqueBuild);
    expect(Object.keys(kept.expand.snapshot.schemas.app!.tables.users!.indexes).sort()).toEqual(['users_email_idx', 'users_email_idx_strata_new']);

    // The contract builds nothing: the rename to the declared name is in the drop's transaction.
    const sql = statementsOf(kept.contract.diff.upParts);
    const at = (re: RegExp) => sql.findIndex((x) => re.test(x.sql));
    const drop = at(/^ALTER TABLE "app"\."users" DROP COLUMN "email"/);
    const rename = at(/^ALTER INDEX "app"\."users_email_idx_strata_new" RENAME TO "users_email_idx"$/);
    expect(rename).toBeGreaterThan(drop);
    expect(sql[rename]!.part).toBe(sql[drop]!.part);
    expect(kept.contract.diff.upParts[sql[drop]!.part]!.transactional).toBe(true);
    expect(sql.some((x) => /^CREATE (UNIQUE )?INDEX/.test(x.sql))).toBe(false);

    // The contract's down, the other way: the old column's keys built before the new column's are dropped.
    const down = statementsOf(kept.contract.diff.downParts);
    const downAt = (re: RegExp) => down.findIndex((x) => re.test(x.sql));
    const rebuild = downAt(/^CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "users_email_idx_strata_new" ON "app"\."users" USING btree \("email"\)/);
    const dropNew = downAt(/^DROP INDEX (CONCURRENTLY IF EXISTS )?"app"\."users_email_idx"$/);
    expect(rebuild).toBeGreaterThanOrEqual(0);
    expect(rebuild).toBeLessThan(dropNew);
    expect(downAt(/^CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "users_email_key" ON "app"\."users"/)).toBeLessThan(downAt(/DROP CONSTRAINT "users_mail_key"/));
    const renameBack = downAt(/^ALTER INDEX "app"\."users_email_idx_strata_new" RENAME TO "users_email_idx"$/);
    expect(renameBack).toBeGreaterThan(dropNew);
    // …and the window as the expand left it: the new column's unique index built again under its stand-in name.
    expect(downAt(/^CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "users_email_idx_strata_new" ON "app"\."users" USING btree \("mail"\)/)).toBeGreaterThan(renameBack);

    // A new name for the index: built under it, nothing to rename.
    const renamed = (await diffMultiStep(emails('email', 'users_email_idx'), emails('mail', 'users_mail_idx'), { resolver: hintResolver(['app.users.email=app.users.mail']) })).multiStep!;
    expect(renderMigration(renamed.expand.diff.upParts)).toContain('CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "users_mail_idx" ON "app"."users" USING btree ("mail")');
    expect(statementsOf(renamed.contract.diff.upParts).some((x) => /RENAME TO|^CREATE (UNIQUE )?INDEX/.test(x.sql))).toBe(false);
  });

  it('a renamed primary-key column that another table references: the expand keeps the reference on the old column and prepares the key; the contract moves the key and the reference in one transaction', async () => {
    const keyed = (column: string) => snap(schema('app', {
      tables: [
        table('app', 'users', [col(column, 'text', { notNull: true }), col('name', 'text')], { primaryKey: pk('users_pkey', column) }),
        table('app', 'posts', [col('id', 'integer', { notNull: true }), col('user_code', 'text')], {
          primaryKey: pk('posts_pkey', 'id'), foreignKeys: [fk(`posts_user_code_users_${column}_fk`, ['user_code'], ['app', 'users'], [column])],
        }),
      ],
    }));
    const plan = (await diffMultiStep(keyed('code'), keyed('handle'), { resolver: hintResolver(['app.users.code=app.users.handle']) })).multiStep!;
    const statementsOf = (parts: { statements: { sql: string }[] }[]) => parts.flatMap((p, i) => p.statements.map((st) => ({ part: i, sql: st.sql })));

    // PostgreSQL refuses a foreign key to a column without a key: during the window it references the old column.
    expect(renderMigration(plan.expand.diff.upParts)).not.toMatch(/FOREIGN KEY|DROP CONSTRAINT "users_pkey"/);
    expect(Object.keys(plan.expand.snapshot.schemas.app!.tables.posts!.foreignKeys)).toEqual(['posts_user_code_users_code_fk']);

    // The expand prepares the key after the backfill: its unique index, and NOT NULL by the check
    // recipe — no hazard for running code, as the trigger fills "handle" on every write.
    const expand = statementsOf(plan.expand.diff.upParts);
    const inExpand = (re: RegExp) => expand.findIndex((x) => re.test(x.sql));
    const fill = inExpand(/SET "handle" = "code"/);
    const build = inExpand(/^CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "users_pkey_strata_new" ON "app"\."users" USING btree \("handle"\)$/);
    const notNull = inExpand(/^ALTER TABLE "app"\."users" ALTER COLUMN "handle" SET NOT NULL$/);
    expect([fill, build, notNull].every((i) => i >= 0), JSON.stringify(expand, null, 1)).toBe(true);
    expect(build).toBeGreaterThan(fill);
    expect(notNull).toBeGreaterThan(fill);
    expect(plan.expand.diff.hazards.filter((h) => h.kind === 'breaks-running-code')).toEqual([]);
    expect(plan.expand.snapshot.schemas.app!.tables.users!.columns.find((c) => c.name === 'handle')).toMatchObject({ notNull: true });

    const up = statementsOf(plan.contract.diff.upParts);
    const at = (re: RegExp) => up.findIndex((x) => re.test(x.sql));
    const dropKey = at(/^ALTER TABLE "app"\."users" DROP CONSTRAINT "users_pkey"$/);
    const drop = at(/^ALTER TABLE "app"\."users" DROP COLUMN "code"$/);
    const attach = at(/^ALTER TABLE "app"\."users" ADD CONSTRAINT "users_pkey" PRIMARY KEY USING INDEX "users_pkey_strata_new"$/);
    const reference = at(/^ALTER TABLE "app"\."posts" ADD CONSTRAINT "posts_user_code_users_handle_fk" FOREIGN KEY \("user_code"\) REFERENCES "app"\."users" \("handle"\) NOT VALID$/);
    expect([dropKey, drop, attach, reference].every((i) => i >= 0), JSON.stringify(up, null, 1)).toBe(true);
    // The old key goes and the new one comes in one transaction; nothing is built.
    expect(new Set([up[dropKey]!.part, up[drop]!.part, up[attach]!.part, up[reference]!.part]).size).toBe(1);
    expect(plan.contract.diff.upParts[up[attach]!.part]!.transactional).toBe(true);
    expect(up.some((x) => /^CREATE (UNIQUE )?INDEX/.test(x.sql))).toBe(false);

    // The contract's down, the other way: the old column's key prepared, then swapped in one transaction.
    const down = statementsOf(plan.contract.diff.downParts);
    const downAt = (re: RegExp) => down.findIndex((x) => re.test(x.sql));
    const rebuild = downAt(/^CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "users_pkey_strata_new" ON "app"\."users" USING btree \("code"\)$/);
    const dropNew = downAt(/^ALTER TABLE "app"\."users" DROP CONSTRAINT "users_pkey"$/);
    const attachOld = downAt(/^ALTER TABLE "app"\."users" ADD CONSTRAINT "users_pkey" PRIMARY KEY USING INDEX "users_pkey_strata_new"$/);
    expect(rebuild).toBeGreaterThanOrEqual(0);
    expect(rebuild).toBeLessThan(dropNew);
    expect(down[attachOld]!.part).toBe(down[dropNew]!.part);
  });

  it('the trigger: on INSERT the relaxed column wins when written; on UPDATE the new column wins over the old', async () => {
    const r = await diffMultiStep(users('name'), users('full_name'), { resolver: hintResolver(['app.users.name=app.users.full_name']) });
    const fn = r.multiStep!.expand.diff.upParts.flatMap((p) => p.statements).find((s) => s.sql.startsWith('CREATE OR REPLACE FUNCTION'))!.sql;
    expect(fn).toContain(`IF NEW."full_name" IS NULL THEN NEW."full_name" := NEW."name"; ELSE NEW."name" := NEW."full_name"; END IF;`);
    expect(fn.indexOf('NEW."full_name" IS DISTINCT FROM OLD."full_name"')).toBeLessThan(fn.indexOf('NEW."name" IS DISTINCT FROM OLD."name"'));
  });
});

describe('diffMultiStep: a type change that rewrites the table (no database)', () => {
  const orders = (type: string, extra: { indexed?: boolean } = {}) =>
    snap(schema('app', {
      tables: [table('app', 'orders', [col('id', 'integer', { notNull: true }), col('amount', type, { notNull: true, default: '0' })], {
        primaryKey: pk('orders_pkey', 'id'), ...(extra.indexed ? { indexes: [index('orders_amount_idx', ['amount'])] } : {}),
      })],
    }));

  it('integer → bigint: expand adds a bigint shadow, its trigger and backfill; contract swaps it in one transaction', async () => {
    const r = await diffMultiStep(orders('integer'), orders('bigint'));
    const plan = r.multiStep!;
    expect(plan.swaps.map((s) => [s.from.name, s.shadow])).toEqual([['amount', 'amount_strata_new']]);
    const expand = renderMigration(plan.expand.diff.upParts);
    expect(expand).toContain('ADD COLUMN "amount_strata_new" bigint;');
    expect(expand).not.toMatch(/TYPE bigint/);
    expect(expand).toContain('NEW."amount_strata_new" := NEW."amount"::bigint');
    const swap = plan.contract.diff.upParts.at(-1)!;
    expect(swap.transactional).toBe(true);
    expect(swap.statements.map((s) => s.sql)).toEqual([
      'DROP TRIGGER IF EXISTS "strata_sync_orders" ON "app"."orders"',
      'DROP FUNCTION IF EXISTS "app"."strata_sync_orders"()',
      'ALTER TABLE "app"."orders" DROP COLUMN "amount"',
      'ALTER TABLE "app"."orders" RENAME COLUMN "amount_strata_new" TO "amount"',
      'ALTER TABLE "app"."orders" ALTER COLUMN "amount" SET NOT NULL',
      'ALTER TABLE "app"."orders" DROP CONSTRAINT "orders_amount_strata_new_strata_not_null"',
      'ALTER TABLE "app"."orders" ALTER COLUMN "amount" SET DEFAULT 0',
    ]);
    expect(renderMigration(plan.contract.diff.downParts)).toMatch(/ADD COLUMN "amount_strata_old" integer[\s\S]*RENAME COLUMN "amount" TO "amount_strata_new"[\s\S]*RENAME COLUMN "amount_strata_old" TO "amount"/);
  });

  it('an indexed column: the index is built concurrently on the shadow in the expand and renamed in the swap', async () => {
    const plan = (await diffMultiStep(orders('integer', { indexed: true }), orders('bigint', { indexed: true }))).multiStep!;
    expect(renderMigration(plan.expand.diff.upParts)).toContain('CREATE INDEX CONCURRENTLY IF NOT EXISTS "orders_amount_idx_strata_new" ON "app"."orders" USING btree ("amount_strata_new")');
    expect(plan.contract.diff.upParts.at(-1)!.statements.map((s) => s.sql)).toContain('ALTER INDEX "app"."orders_amount_idx_strata_new" RENAME TO "orders_amount_idx"');
  });
});

describe('diffMultiStep: text → a constrained type, with a data guard (no database)', () => {
  const items = (type: string, typeSchema?: string) =>
    snap(schema('app', {
      tables: [table('app', 'items', [col('id', 'integer', { notNull: true }), col('code', type, { ...(typeSchema ? { typeSchema } : {}) })], { primaryKey: pk('items_pkey', 'id') })],
      ...(typeSchema ? { enums: [{ schema: 'app', name: 'kind', values: ['a', 'b'] }] } : {}),
    }));

  it('text → varchar(50): the guard is the first part, the trigger and the backfill convert through the fit function (never a plain truncating cast)', async () => {
    const plan = (await diffMultiStep(items('text'), items('character varying(50)'))).multiStep!;
    const [guard, ...rest] = plan.expand.diff.upParts;
    expect(guard!.transactional).toBe(true);
    const g = renderMigration([guard!]);
    expect(g).toContain('does not fit');
    expect(g).toContain(`'"id"=' || coalesce(strata_t."id"::text, 'NULL')`);
    expect(g).toContain('::character varying(50)');
    const later = renderMigration(rest);
    expect(later).toContain('CREATE OR REPLACE FUNCTION "app"."strata_fit_items_code"(strata_v text) RETURNS character varying(50)');
    expect(later).toContain('NEW."code_strata_new" := "app"."strata_fit_items_code"(NEW."code")');
    expect(later).toContain('SET "code_strata_new" = "app"."strata_fit_items_code"("code")');
    expect(later).not.toMatch(/:= NEW\."code"::character varying/);
    // The fit function goes with the trigger: expand's down, the end of the contract; the contract's down brings it back.
    expect(renderMigration(plan.expand.diff.downParts)).toContain('DROP FUNCTION IF EXISTS "app"."strata_fit_items_code"(text)');
    expect(renderMigration(plan.contract.diff.upParts)).toMatch(/DROP COLUMN "code"[\s\S]*DROP FUNCTION IF EXISTS "app"."strata_fit_items_code"\(text\)/);
    expect(renderMigration([plan.contract.diff.downParts[0]!])).toContain('CREATE OR REPLACE FUNCTION "app"."strata_fit_items_code"');
  });

  it('text → an enum: the guard checks the values against the enum as declared (it may not exist yet)', async () => {
    const plan = (await diffMultiStep(items('text'), items('kind', 'app'))).multiStep!;
    const g = renderMigration([plan.expand.diff.upParts[0]!]);
    expect(g).toContain(`= ANY (ARRAY['a', 'b']::text[])`);
    expect(g).not.toContain('::"app"."kind"');
  });

  it('text → uuid or numeric(5,1): the text is only input (no round-trip by text); a modifier that rounds is compared by value', async () => {
    const uuid = renderMigration((await diffMultiStep(items('text'), items('uuid'))).multiStep!.expand.diff.upParts);
    expect(uuid).toContain('IF (strata_r) IS NULL THEN');
    expect(uuid).not.toMatch(/::uuid::text/);
    const num = renderMigration((await diffMultiStep(items('text'), items('numeric(5,1)'))).multiStep!.expand.diff.upParts);
    expect(num).toContain('IF (strata_r) IS DISTINCT FROM (strata_v::numeric) THEN');
  });

  it('integer → bigint widens: no guard, no fit function', async () => {
    const orders = (type: string) => snap(schema('app', { tables: [table('app', 'o', [col('id', 'integer', { notNull: true }), col('n', type)], { primaryKey: pk('o_pkey', 'id') })] }));
    const plan = (await diffMultiStep(orders('integer'), orders('bigint'))).multiStep!;
    expect(renderMigration(plan.expand.diff.upParts)).not.toMatch(/strata_fit|does not fit/);
  });
});

describe('diffMultiStep: a new NOT NULL column with a default (no database)', () => {
  const users = (extra: ReturnType<typeof col>[] = []) =>
    snap(schema('app', { tables: [table('app', 'users', [col('id', 'integer', { notNull: true }), ...extra], { primaryKey: pk('users_pkey', 'id') })] }));

  it('a volatile default: expand adds it nullable, sets the default, fills existing rows in batches (last, with progress); contract makes it NOT NULL by the check recipe', async () => {
    const r = await diffMultiStep(users(), users([col('token', 'uuid', { notNull: true, default: 'gen_random_uuid()' })]));
    const plan = r.multiStep!;
    expect(plan.added!.map((a) => [a.column.name, a.backfilled])).toEqual([['token', true]]);
    const expand = renderMigration(plan.expand.diff.upParts);
    expect(expand).toContain('ADD COLUMN "token" uuid;');
    expect(expand).toContain('ALTER COLUMN "token" SET DEFAULT gen_random_uuid()');
    expect(expand).not.toMatch(/SET NOT NULL|NOT VALID/);
    const last = plan.expand.diff.upParts.at(-1)!;
    expect(last.transactional).toBe(false);
    expect(renderMigration([last])).toMatch(/strata backfill[\s\S]*SET "token" = gen_random_uuid\(\) WHERE ctid >= [\s\S]*COMMIT;/);
    expect(plan.expand.snapshot.schemas.app!.tables.users!.columns.find((c) => c.name === 'token')).toMatchObject({ notNull: false, default: 'gen_random_uuid()' });
    const contract = renderMigration(plan.contract.diff.upParts);
    expect(contract).toMatch(/CHECK \("token" IS NOT NULL\) NOT VALID[\s\S]*VALIDATE CONSTRAINT[\s\S]*SET NOT NULL[\s\S]*DROP CONSTRAINT/);
    expect(renderMigration(plan.contract.diff.downParts)).toContain('ALTER COLUMN "token" DROP NOT NULL');
    expect(renderMigration(plan.expand.diff.downParts)).toContain('DROP COLUMN "token"');
  });

  it('a constant default: added nullable with it (existing rows read it from the catalog: no backfill); a nullable column or one without a default is a plain migration', async () => {
    const plan = (await diffMultiStep(users(), users([col('plan', 'text', { notNull: true, default: "'free'" })]))).multiStep!;
    expect(plan.added!.map((a) => a.backfilled)).toEqual([false]);
    expect(renderMigration(plan.expand.diff.upParts)).toContain(`ADD COLUMN "plan" text DEFAULT 'free';`);
    expect(renderMigration(plan.contract.diff.upParts)).toContain('SET NOT NULL');
    expect((await diffMultiStep(users(), users([col('note', 'text', { default: "''" })]))).multiStep).toBeNull();
  });
});
