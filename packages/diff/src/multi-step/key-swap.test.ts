import { describe, expect, it } from 'vitest';
import { check, col, fk, index, pk, schema, snap, table, unique } from '../../test/build.js';
import { renderMigration } from '../render-migration.js';
import type { MigrationPart } from '../types.js';
import { diffMultiStep } from './plan-multi-step.js';

// users.id (a key others reference, with a unique and an index on it) and posts.user_id widened
// together: the shapes and order of the statements, no database needed.
const keySchema = (idType: string, refType: string, extra: { checkOnId?: boolean } = {}) =>
  snap(schema('app', {
    tables: [
      table('app', 'users', [col('id', idType, { notNull: true }), col('code', idType, { notNull: true }), col('email', 'text')], {
        primaryKey: pk('users_pkey', 'id'), uniques: [unique('users_code_key', ['code'])], indexes: [index('users_id_email_idx', ['id', 'email'])],
        ...(extra.checkOnId ? { checks: [check('users_id_positive', '"id" > 0')] } : {}),
      }),
      table('app', 'posts', [col('id', 'integer', { notNull: true }), col('user_id', refType)], {
        primaryKey: pk('posts_pkey', 'id'), foreignKeys: [fk('posts_user_id_fkey', ['user_id'], ['app', 'users'], ['id'], { onDelete: 'cascade' })], indexes: [index('posts_user_id_idx', ['user_id'])],
      }),
    ],
  }));
const sqlOf = (parts: MigrationPart[]) => parts.map((p) => p.statements.map((s) => s.sql));

describe('diffMultiStep: a key, its unique and indexes, and the columns that reference it (no database)', () => {
  it('expand: shadows on both tables, triggers, backfill, then the NOT NULL proof and the indexes built concurrently', async () => {
    const plan = (await diffMultiStep(keySchema('integer', 'integer'), keySchema('bigint', 'bigint'))).multiStep!;
    expect(plan.swaps.map((s) => `${s.table.name}.${s.from.name}`)).toEqual(['users.id', 'users.code', 'posts.user_id']);
    const up = plan.expand.diff.upParts;
    const text = renderMigration(up);
    expect(text).toContain('ALTER TABLE "app"."users" ADD COLUMN "id_strata_new" bigint;');
    expect(text).toContain('ALTER TABLE "app"."posts" ADD COLUMN "user_id_strata_new" bigint;');
    expect(text.match(/CREATE TRIGGER/g)).toHaveLength(2);
    const backfillAt = up.findIndex((p) => p.statements.some((s) => s.sql.includes('strata backfill')));
    const rest = up.slice(backfillAt + 1);
    // After the backfill: the check NOT VALID, its validation apart, then one concurrent build per index.
    expect(sqlOf(rest.slice(0, 2))).toEqual([
      ['ALTER TABLE "app"."users" ADD CONSTRAINT "users_id_strata_new_strata_not_null" CHECK ("id_strata_new" IS NOT NULL) NOT VALID',
        'ALTER TABLE "app"."users" ADD CONSTRAINT "users_code_strata_new_strata_not_null" CHECK ("code_strata_new" IS NOT NULL) NOT VALID'],
      ['ALTER TABLE "app"."users" VALIDATE CONSTRAINT "users_id_strata_new_strata_not_null"', 'ALTER TABLE "app"."users" VALIDATE CONSTRAINT "users_code_strata_new_strata_not_null"'],
    ]);
    expect(rest.slice(2).map((p) => [p.transactional, p.statements.map((s) => s.sql)])).toEqual([
      [false, ['CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "users_pkey_strata_new" ON "app"."users" USING btree ("id_strata_new")']],
      [false, ['CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "users_code_key_strata_new" ON "app"."users" USING btree ("code_strata_new")']],
      [false, ['CREATE INDEX CONCURRENTLY IF NOT EXISTS "users_id_email_idx_strata_new" ON "app"."users" USING btree ("id_strata_new", "email")']],
      [false, ['CREATE INDEX CONCURRENTLY IF NOT EXISTS "posts_user_id_idx_strata_new" ON "app"."posts" USING btree ("user_id_strata_new")']],
    ]);
    // No statement of the expand rewrites or scans a table under an exclusive lock.
    expect(text).not.toMatch(/TYPE bigint|SET NOT NULL|ADD CONSTRAINT "[^"]*" (PRIMARY KEY|UNIQUE|FOREIGN KEY)/);
    // The window holds what the expand prepared, so `check` agrees during it.
    const users = plan.expand.snapshot.schemas.app!.tables.users!;
    expect(Object.keys(users.indexes).sort()).toEqual(['users_code_key_strata_new', 'users_id_email_idx', 'users_id_email_idx_strata_new', 'users_pkey_strata_new']);
    expect(users.primaryKey).toEqual({ name: 'users_pkey', columns: ['id'] });
    expect(users.columns.map((c) => `${c.name}:${c.type}:${c.notNull}`)).toEqual(['id:integer:true', 'id_strata_new:bigint:false', 'code:integer:true', 'code_strata_new:bigint:false', 'email:text:false']);
    // Its down: triggers, prepared indexes and checks, then the shadows.
    expect(renderMigration(plan.expand.diff.downParts)).toMatch(/DROP TRIGGER[\s\S]*DROP INDEX IF EXISTS "app"."users_pkey_strata_new"[\s\S]*DROP CONSTRAINT IF EXISTS "users_id_strata_new_strata_not_null"[\s\S]*DROP COLUMN "id_strata_new"/);
  });

  it('contract: one transaction swaps both tables (keys attached USING INDEX, foreign key NOT VALID), then the foreign key is validated apart', async () => {
    const plan = (await diffMultiStep(keySchema('integer', 'integer'), keySchema('bigint', 'bigint'))).multiStep!;
    const [swap, ...after] = plan.contract.diff.upParts;
    expect(swap!.transactional).toBe(true);
    expect(swap!.statements.map((s) => s.sql)).toEqual([
      'LOCK TABLE "app"."posts", "app"."users" IN ACCESS EXCLUSIVE MODE',
      'DROP TRIGGER IF EXISTS "strata_sync_users" ON "app"."users"',
      'DROP FUNCTION IF EXISTS "app"."strata_sync_users"()',
      'DROP TRIGGER IF EXISTS "strata_sync_posts" ON "app"."posts"',
      'DROP FUNCTION IF EXISTS "app"."strata_sync_posts"()',
      'ALTER TABLE "app"."posts" DROP CONSTRAINT "posts_user_id_fkey"',
      'ALTER TABLE "app"."users" DROP COLUMN "id"',
      'ALTER TABLE "app"."users" RENAME COLUMN "id_strata_new" TO "id"',
      'ALTER TABLE "app"."users" ALTER COLUMN "id" SET NOT NULL',
      'ALTER TABLE "app"."users" DROP CONSTRAINT "users_id_strata_new_strata_not_null"',
      'ALTER TABLE "app"."users" DROP COLUMN "code"',
      'ALTER TABLE "app"."users" RENAME COLUMN "code_strata_new" TO "code"',
      'ALTER TABLE "app"."users" ALTER COLUMN "code" SET NOT NULL',
      'ALTER TABLE "app"."users" DROP CONSTRAINT "users_code_strata_new_strata_not_null"',
      'ALTER TABLE "app"."posts" DROP COLUMN "user_id"',
      'ALTER TABLE "app"."posts" RENAME COLUMN "user_id_strata_new" TO "user_id"',
      'ALTER TABLE "app"."users" ADD CONSTRAINT "users_pkey" PRIMARY KEY USING INDEX "users_pkey_strata_new"',
      'ALTER TABLE "app"."users" ADD CONSTRAINT "users_code_key" UNIQUE USING INDEX "users_code_key_strata_new"',
      'ALTER INDEX "app"."users_id_email_idx_strata_new" RENAME TO "users_id_email_idx"',
      'ALTER INDEX "app"."posts_user_id_idx_strata_new" RENAME TO "posts_user_id_idx"',
      'ALTER TABLE "app"."posts" ADD CONSTRAINT "posts_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app"."users" ("id") ON DELETE CASCADE NOT VALID',
    ]);
    expect(sqlOf(after)).toEqual([['ALTER TABLE "app"."posts" VALIDATE CONSTRAINT "posts_user_id_fkey"']]);
    // Nothing in the contract builds an index or scans under the swap's lock.
    expect(renderMigration(plan.contract.diff.upParts)).not.toMatch(/CREATE (UNIQUE )?INDEX|TYPE bigint/);
  });

  it('contract down: the old type prepared the same way, swapped back in one transaction, the window restored', async () => {
    const plan = (await diffMultiStep(keySchema('integer', 'integer'), keySchema('bigint', 'bigint'))).multiStep!;
    const down = plan.contract.diff.downParts;
    const text = renderMigration(down);
    expect(text).toMatch(/ADD COLUMN "id_strata_old" integer[\s\S]*CREATE TRIGGER[\s\S]*strata backfill[\s\S]*CHECK \("id_strata_old" IS NOT NULL\) NOT VALID[\s\S]*CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "users_pkey_strata_old"/);
    const swapBack = down.find((p) => p.statements.some((s) => s.sql.includes('RENAME COLUMN "id_strata_old" TO "id"')))!;
    expect(swapBack.transactional).toBe(true);
    const s = swapBack.statements.map((x) => x.sql);
    expect(s.indexOf('ALTER TABLE "app"."posts" DROP CONSTRAINT "posts_user_id_fkey"')).toBeLessThan(s.indexOf('ALTER TABLE "app"."users" DROP CONSTRAINT "users_pkey"'));
    expect(s).toContain('ALTER INDEX "app"."users_id_email_idx" RENAME TO "users_id_email_idx_strata_new"');
    expect(s).toContain('ALTER TABLE "app"."users" ADD CONSTRAINT "users_pkey" PRIMARY KEY USING INDEX "users_pkey_strata_old"');
    expect(s.at(-1)).toMatch(/^CREATE OR REPLACE FUNCTION "app"."strata_sync_posts"/);
    // After it: the foreign key validated, the window's checks validated, its unique indexes built again.
    const after = down.slice(down.indexOf(swapBack) + 1);
    expect(after.map((p) => p.statements.map((x) => x.sql).join(';'))).toEqual([
      'ALTER TABLE "app"."posts" VALIDATE CONSTRAINT "posts_user_id_fkey"',
      'ALTER TABLE "app"."users" VALIDATE CONSTRAINT "users_id_strata_new_strata_not_null"',
      'ALTER TABLE "app"."users" VALIDATE CONSTRAINT "users_code_strata_new_strata_not_null"',
      'CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "users_pkey_strata_new" ON "app"."users" USING btree ("id_strata_new")',
      'CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "users_code_key_strata_new" ON "app"."users" USING btree ("code_strata_new")',
    ]);
  });

  it('serial → bigserial: the shadow is a plain bigint; the swap moves the sequence to it and widens the sequence', async () => {
    const plan = (await diffMultiStep(keySchema('serial', 'integer'), keySchema('bigserial', 'bigint'))).multiStep!;
    expect(renderMigration(plan.expand.diff.upParts)).toContain('ADD COLUMN "id_strata_new" bigint;');
    const s = plan.contract.diff.upParts[0]!.statements.map((x) => x.sql);
    const owned = s.indexOf('ALTER SEQUENCE "app"."users_id_seq" OWNED BY "app"."users"."id_strata_new"');
    expect(owned).toBeGreaterThan(-1);
    expect(owned).toBeLessThan(s.indexOf('ALTER TABLE "app"."users" DROP COLUMN "id"'));
    expect(s).toContain('ALTER TABLE "app"."users" ALTER COLUMN "id" SET DEFAULT nextval(\'"app"."users_id_seq"\'::regclass)');
    expect(s).toContain('ALTER SEQUENCE "app"."users_id_seq" AS bigint');
    const back = renderMigration(plan.contract.diff.downParts);
    expect(back).toContain('ADD COLUMN "id_strata_old" integer;');
    expect(back).toMatch(/OWNED BY "app"."users"."id_strata_old"[\s\S]*ALTER COLUMN "id_strata_new" DROP DEFAULT[\s\S]*ALTER SEQUENCE "app"."users_id_seq" AS integer/);
  });

  it('a key widened without the columns that reference it: a usage error naming them', async () => {
    await expect(diffMultiStep(keySchema('integer', 'integer'), keySchema('bigint', 'integer'))).rejects.toThrow(/declare "app"."posts"."user_id" as bigint in the schema code too/);
  });

  it('a referencing column widened alone: its foreign key is added back NOT VALID to the unchanged key', async () => {
    const plan = (await diffMultiStep(keySchema('integer', 'integer'), keySchema('integer', 'bigint'))).multiStep!;
    expect(plan.swaps.map((s) => s.from.name)).toEqual(['user_id']);
    const s = plan.contract.diff.upParts[0]!.statements.map((x) => x.sql);
    expect(s).toContain('ALTER TABLE "app"."posts" ADD CONSTRAINT "posts_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app"."users" ("id") ON DELETE CASCADE NOT VALID');
  });

  it('a check on the column, or a generated column: a usage error with its hint', async () => {
    await expect(diffMultiStep(keySchema('integer', 'integer', { checkOnId: true }), keySchema('bigint', 'bigint', { checkOnId: true }))).rejects.toThrow(/a check constraint uses it/);
    const gen = (type: string) => snap(schema('app', { tables: [table('app', 't', [col('id', 'integer'), col('twice', type, { generated: { expression: 'id * 2' } })])] }));
    await expect(diffMultiStep(gen('integer'), gen('bigint'))).rejects.toThrow(/it is a generated column/);
  });

  it('an identity key: the swap hands the identity over to the shadow, its sequence going on from the old one\'s value', async () => {
    const identity = (max: string) => ({ type: 'always' as const, sequenceName: 't_id_seq', increment: '1', minValue: '1', maxValue: max, start: '1', cache: '1', cycle: false });
    const ident = (type: string, max: string) => snap(schema('app', { tables: [table('app', 't', [col('id', type, { notNull: true, identity: identity(max) })], { primaryKey: pk('t_pkey', 'id') })] }));
    const plan = (await diffMultiStep(ident('integer', '2147483647'), ident('bigint', '9223372036854775807'))).multiStep!;
    expect(plan.expand.snapshot.schemas.app!.tables.t!.columns.map((c) => [c.name, c.identity?.maxValue ?? null])).toEqual([['id', '2147483647'], ['id_strata_new', null]]);
    const s = plan.contract.diff.upParts[0]!.statements.map((x) => x.sql);
    expect(s.slice(2, 8)).toEqual([
      'ALTER TABLE "app"."t" ALTER COLUMN "id_strata_new" SET NOT NULL',
      'ALTER SEQUENCE "app"."t_id_seq" RENAME TO "t_id_seq_strata_old"',
      'ALTER TABLE "app"."t" ALTER COLUMN "id_strata_new" ADD GENERATED ALWAYS AS IDENTITY (SEQUENCE NAME "app"."t_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1 NO CYCLE)',
      'SELECT setval(\'"app"."t_id_seq"\', last_value, is_called) FROM "app"."t_id_seq_strata_old"',
      'ALTER TABLE "app"."t" DROP COLUMN "id"',
      'ALTER TABLE "app"."t" RENAME COLUMN "id_strata_new" TO "id"',
    ]);
    expect(renderMigration(plan.contract.diff.downParts)).toMatch(/ADD GENERATED ALWAYS AS IDENTITY \(SEQUENCE NAME "app"."t_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647[\s\S]*ALTER COLUMN "id" DROP IDENTITY;[\s\S]*RENAME COLUMN "id" TO "id_strata_new"/);
  });
});
