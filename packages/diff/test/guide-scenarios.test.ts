import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Snapshot } from '@strata/schema';
import { catalogFingerprint, describeBackends } from '@strata/testing';
import { diffSnapshots, hintResolver, type Diff } from '../src/index.js';
import { col, fk, index, pk, schema, snap, table } from './build.js';
import { applyDown, applyUp, build, dropSchemas, openHarness, type Harness } from './harness.js';

const s = 'guide';
const uuid = (name: string, extras = {}) => col(name, 'uuid', { notNull: true, ...extras });

/** The seed guide's schema at each step of its "Common Migration Scenarios". */
function users(extra: ReturnType<typeof col>[], indexes = false) {
  return table(s, 'users', [uuid('id', { default: 'gen_random_uuid()' }), col('email', 'character varying(255)', { notNull: true }), ...extra], {
    primaryKey: pk('users_pkey', 'id'), ...(indexes ? { indexes: [index('users_email_idx', ['email'])] } : {}),
  });
}
const posts = (withFk: boolean) => table(s, 'posts', [uuid('id', { default: 'gen_random_uuid()' }), uuid('user_id')], {
  primaryKey: pk('posts_pkey', 'id'),
  ...(withFk ? { foreignKeys: [fk('posts_user_id_users_id_fk', ['user_id'], [s, 'users'], ['id'], { onDelete: 'cascade' })] } : {}),
});

/** `sql`: the up statements, in order (lock-safe plans: the index is built CONCURRENTLY, the foreign key added NOT VALID then validated). */
const steps: { name: string; snapshot: Snapshot; renames?: string[]; sql: RegExp[] }[] = [
  {
    name: 'add a column',
    snapshot: snap(schema(s, { tables: [users([col('old_name', 'text'), col('old_field', 'text'), col('phone_number', 'character varying(20)')]), posts(false)] })),
    sql: [/^ALTER TABLE "guide"\."users" ADD COLUMN "phone_number" character varying\(20\)$/],
  },
  {
    name: 'rename a column (with a hint)',
    snapshot: snap(schema(s, { tables: [users([col('new_name', 'text'), col('old_field', 'text'), col('phone_number', 'character varying(20)')]), posts(false)] })),
    renames: ['users.old_name=users.new_name'],
    sql: [/^ALTER TABLE "guide"\."users" RENAME COLUMN "old_name" TO "new_name"$/],
  },
  {
    name: 'add an index',
    snapshot: snap(schema(s, { tables: [users([col('new_name', 'text'), col('old_field', 'text'), col('phone_number', 'character varying(20)')], true), posts(false)] })),
    sql: [/^CREATE INDEX CONCURRENTLY IF NOT EXISTS "users_email_idx" ON "guide"\."users" USING btree \("email"\)$/],
  },
  {
    name: 'add a foreign key',
    snapshot: snap(schema(s, { tables: [users([col('new_name', 'text'), col('old_field', 'text'), col('phone_number', 'character varying(20)')], true), posts(true)] })),
    sql: [
      /^ALTER TABLE "guide"\."posts" ADD CONSTRAINT "posts_user_id_users_id_fk" FOREIGN KEY \("user_id"\) REFERENCES "guide"\."users" \("id"\) ON DELETE CASCADE NOT VALID$/,
      /^ALTER TABLE "guide"\."posts" VALIDATE CONSTRAINT "posts_user_id_users_id_fk"$/,
    ],
  },
  {
    name: 'drop a column',
    snapshot: snap(schema(s, { tables: [users([col('new_name', 'text'), col('phone_number', 'character varying(20)')], true), posts(true)] })),
    sql: [/^ALTER TABLE "guide"\."users" DROP COLUMN "old_field"$/],
  },
];

describeBackends("the guide's scenarios on tables holding rows", (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness(backend);
    await dropSchemas(h.migrated, [s]);
  });
  afterAll(async () => h?.dispose());

  it('goes forward step by step keeping rows, matching a fresh build each time, then rolls all the way back', async () => {
    const start = snap(schema(s, { tables: [users([col('old_name', 'text'), col('old_field', 'text')]), posts(false)] }));
    await build(h.migrated, start);
    await h.migrated.exec(`
      insert into guide.users (id, email, old_name, old_field) values
        ('00000000-0000-0000-0000-00000000000a', 'ann@example.com', 'Ann', 'x'), ('00000000-0000-0000-0000-00000000000b', 'bob@example.com', 'Bob', 'y');
      insert into guide.posts (user_id) values ('00000000-0000-0000-0000-00000000000a'), ('00000000-0000-0000-0000-00000000000b');`);
    const diffs: Diff[] = [];
    let prev = start;
    for (const step of steps) {
      const diff = await diffSnapshots(prev, step.snapshot, step.renames ? { resolver: hintResolver(step.renames) } : {});
      expect(diff.up.map((x) => x.sql), step.name).toEqual(step.sql.map((re) => expect.stringMatching(re)));
      await applyUp(h.migrated, diff);
      await dropSchemas(h.fresh, [s]);
      await build(h.fresh, step.snapshot);
      expect(await catalogFingerprint(h.migrated, [s]), step.name).toEqual(await catalogFingerprint(h.fresh, [s]));
      diffs.push(diff);
      prev = step.snapshot;
    }
    expect((await h.migrated.query(`select email, new_name from guide.users order by email`)).rows).toEqual([
      { email: 'ann@example.com', new_name: 'Ann' }, { email: 'bob@example.com', new_name: 'Bob' },
    ]);
    expect((await h.migrated.query(`select count(*)::int as n from guide.posts`)).rows).toEqual([{ n: 2 }]);

    for (const diff of [...diffs].reverse()) await applyDown(h.migrated, diff);
    await dropSchemas(h.fresh, [s]);
    await build(h.fresh, start);
    expect(await catalogFingerprint(h.migrated, [s])).toEqual(await catalogFingerprint(h.fresh, [s]));
    // The rename came back with its values; the dropped column came back empty.
    expect((await h.migrated.query(`select old_name, old_field from guide.users order by email`)).rows).toEqual([
      { old_name: 'Ann', old_field: null }, { old_name: 'Bob', old_field: null },
    ]);
    await dropSchemas(h.migrated, [s]);
  });
});
