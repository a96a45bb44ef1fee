import { describe, expect, it } from 'vitest';
import { col, index, pk, schema, snap, table } from '../../test/build.js';
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

  it('a column rename becomes expand (relaxed column, one trigger, backfill last) and contract (trigger dropped with the old column)', async () => {
    const r = await diffMultiStep(users('name', { indexed: true }), users('full_name', { indexed: true }), { resolver: hintResolver(['app.users.name=app.users.full_name']) });
    const plan = r.multiStep!;
    expect(plan.columns.map((c) => [c.from.name, c.to.name])).toEqual([['name', 'full_name']]);
    const expand = renderMigration(plan.expand.diff.upParts);
    expect(expand).toContain('ALTER TABLE "app"."users" ADD COLUMN "full_name" text;');
    expect(expand).not.toMatch(/RENAME COLUMN/);
    expect(expand.match(/CREATE TRIGGER/g)).toHaveLength(1);
    expect(plan.expand.diff.upParts.at(-1)).toMatchObject({ transactional: false });
    expect(renderMigration([plan.expand.diff.upParts.at(-1)!])).toMatch(/SET "full_name" = "name" WHERE ctid >= .* AND "full_name" IS NULL AND "name" IS NOT NULL;\n\s+COMMIT;/);
    // The window: both columns, the old one whole, the new one relaxed and without its index yet.
    const win = plan.expand.snapshot.schemas.app!.tables.users!;
    expect(win.columns.map((c) => [c.name, c.notNull, c.default ?? null])).toEqual([['id', true, null], ['name', true, "''"], ['full_name', false, null]]);
    expect(Object.keys(win.indexes)).toEqual(['users_name_idx']);
    const contract = plan.contract.diff.upParts;
    const withDrop = contract.find((p) => p.statements.some((s) => /DROP COLUMN "name"/.test(s.sql)))!;
    expect(withDrop.transactional).toBe(true);
    expect(withDrop.statements[0]!.sql).toBe('DROP TRIGGER IF EXISTS "strata_sync_users" ON "app"."users"');
    expect(renderMigration(contract)).toContain('CREATE INDEX CONCURRENTLY "users_full_name_idx" ON "app"."users"');
    expect(plan.contract.diff.warnings.some((w) => w.includes('"name" is dropped'))).toBe(false);
    // Down migrations: expand's removes the trigger and the column; contract's refills the old one.
    expect(renderMigration(plan.expand.diff.downParts)).toMatch(/DROP TRIGGER[\s\S]*DROP FUNCTION[\s\S]*DROP COLUMN "full_name"/);
    expect(renderMigration(plan.contract.diff.downParts)).toMatch(/ADD COLUMN "name" text;[\s\S]*CREATE TRIGGER[\s\S]*SET "name" = "full_name"[\s\S]*SET NOT NULL/);
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
    expect(renderMigration(plan.expand.diff.upParts)).toContain('CREATE INDEX CONCURRENTLY "orders_amount_idx_strata_new" ON "app"."orders" USING btree ("amount_strata_new")');
    expect(plan.contract.diff.upParts.at(-1)!.statements.map((s) => s.sql)).toContain('ALTER INDEX "app"."orders_amount_idx_strata_new" RENAME TO "orders_amount_idx"');
  });
});
