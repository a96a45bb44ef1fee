import { afterAll, beforeAll, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { noRenameResolver, renderMigration } from '@strata/diff';
import { migrate, readMigrationFolder } from '@strata/runner';
import { createTestDatabase, describeBackends, type TestDatabase } from '@strata/testing';
import { check, codeSnapshot, generate, hintedRenameResolver, planGenerate, pendingMigrationSql, replayOnScratch, type WorkflowProgress } from '../src/index.js';
import { createProject, NOTES, type TestProject } from './project.js';

describeBackends('generate, then check against a migrated database', (backend) => {
  let tdb: TestDatabase;
  let p: TestProject;
  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    p = createProject(NOTES());
  });
  afterAll(async () => {
    await tdb?.dispose();
    p?.remove();
  });

  it('generates the first migration into the folder and reports the step it took', async () => {
    const events: WorkflowProgress[] = [];
    const r = await generate({ config: p.config, name: 'init', onProgress: (e) => events.push(e) });
    expect(r.changed).toBe(true);
    expect(r.migrations).toHaveLength(1);
    const m = r.migrations[0]!;
    expect(m.name).toMatch(/^\d{14}_init$/);
    expect(m.up).toContain('CREATE TABLE "public"."notes"');
    expect(m.down).toContain('DROP TABLE "public"."notes"');
    for (const f of m.files) expect(existsSync(f)).toBe(true);
    expect(readFileSync(join(p.config.out, `${m.name}.sql`), 'utf8')).toBe(m.up);
    expect(events).toEqual([{ type: 'step-started', step: 'loading the schema code' }, { type: 'step-finished', step: 'loading the schema code' }]);
    expect(await pendingMigrationSql({ config: p.config })).toBeNull();
    expect((await generate({ config: p.config })).changed).toBe(false);
  });

  it('check: pending before migrate, clean after, drift once the database is changed by hand', async () => {
    const db = await tdb.client();
    const before = await check({ config: p.config, db });
    expect(before.ok).toBe(false);
    expect(before.problems.map((x) => x.kind)).toEqual(['pending']);

    await migrate(db, readMigrationFolder(p.config.out));
    const clean = await check({ config: p.config, db: async () => db });
    expect(clean).toEqual({ ok: true, problems: [], checked: { migrations: 1, applied: 1, schemas: ['public'] } });

    await db.exec('alter table notes add column by_hand text');
    const drift = await check({ config: p.config, db });
    expect(drift.ok).toBe(false);
    expect(drift.problems).toHaveLength(1);
    expect(drift.problems[0]).toMatchObject({ kind: 'drift' });
    expect(drift.problems[0]!.message).toContain('by_hand');
    expect(drift.problems[0]!.message).toContain('added by hand');
    await db.exec('alter table notes drop column by_hand');
  });

  it('check reports code not generated; pendingMigrationSql shows it; generate writes it with a hinted rename', async () => {
    p.writeSchema(NOTES(`\n  title: text('title'),`).replace("body: text('body')", "content: text('content')"));
    const db = await tdb.client();
    const r = await check({ config: p.config, db });
    expect(r.problems.every((x) => x.kind === 'not-generated')).toBe(true);
    expect(r.problems.map((x) => x.message).join('\n')).toContain('title');

    const pending = await pendingMigrationSql({ config: p.config });
    // Renames are never asked for the pending view: the renamed column is dropped and added.
    expect(pending?.up).toContain('DROP COLUMN "body"');
    expect(pending?.up).toContain('ADD COLUMN "title" text');

    // Without a hint and without a way to ask, the open rename question is an error, and nothing is written.
    await expect(generate({ config: p.config })).rejects.toMatchObject({ code: 'INPUT_REQUIRED' });
    expect(readMigrationFolder(p.config.out).migrations).toHaveLength(1);

    const g = await generate({ config: p.config, name: 'rename body', resolver: hintedRenameResolver(['notes.body=notes.content']) });
    expect(g.migrations[0]!.up).toContain('RENAME COLUMN "body" TO "content"');
    expect(g.migrations[0]!.up).not.toContain('DROP COLUMN');
    await migrate(db, readMigrationFolder(p.config.out));
    expect((await check({ config: p.config, db })).ok).toBe(true);
  });
});

it('replayOnScratch and planGenerate learn the state of a drizzle-kit folder on a scratch database', async () => {
  const p = createProject(NOTES());
  try {
    const out = join(p.dir, 'drizzle');
    mkdirSync(join(out, 'meta'), { recursive: true });
    writeFileSync(join(out, '0000_init.sql'), `CREATE TABLE "notes" ("id" serial PRIMARY KEY NOT NULL, "body" text DEFAULT '' NOT NULL, "rank" integer DEFAULT -1);\n`);
    writeFileSync(join(out, 'meta/_journal.json'), JSON.stringify({ version: '7', dialect: 'postgresql', entries: [{ idx: 0, version: '7', when: 1735689600000, tag: '0000_init', breakpoints: true }] }));
    const folder = readMigrationFolder(out);
    const tables = await replayOnScratch(folder, {}, async (_scratch, built) => Object.keys(built.schemas.public?.tables ?? {}));
    expect(tables).toEqual(['notes']);

    const events: WorkflowProgress[] = [];
    const { snapshot: code } = await codeSnapshot(p.config);
    const same = await planGenerate({ folder, code, resolver: noRenameResolver, onProgress: (e) => events.push(e) });
    expect(events).toEqual([{ type: 'replaying-drizzle-kit-migrations' }]);
    expect(same.changes).toEqual([]);

    p.writeSchema(NOTES(`\n  title: text('title'),`));
    const { snapshot: changed } = await codeSnapshot(p.config);
    const diff = await planGenerate({ folder, code: changed, resolver: noRenameResolver });
    expect(diff.changes.map((c) => c.kind)).toEqual(['add-column']);
  } finally {
    p.remove();
  }
});

it('generate after drizzle-kit migrations writes a new check as the code writes it, not as the server prints it', async () => {
  // Printed, `state IN (…)` on a varchar reads `(state)::text = ANY ((ARRAY[…])::text[])`, which
  // parsed again is stored as another expression: the migration must carry the code's text.
  const withState = (extra: string) => `import { sql } from 'drizzle-orm';
import { check, pgTable, serial, varchar } from 'drizzle-orm/pg-core';

export const parts = pgTable('parts', {
  id: serial('id').primaryKey(),
  state: varchar('state', { length: 32 }),
}${extra});
`;
  const p = createProject(withState(`, () => [check('state_valid', sql\`state IN ('open', 'done')\`)]`));
  try {
    const out = join(p.dir, 'drizzle');
    mkdirSync(join(out, 'meta'), { recursive: true });
    writeFileSync(join(out, '0000_init.sql'), `CREATE TABLE "parts" ("id" serial PRIMARY KEY NOT NULL, "state" varchar(32));\n`);
    writeFileSync(join(out, 'meta/_journal.json'), JSON.stringify({ version: '7', dialect: 'postgresql', entries: [{ idx: 0, version: '7', when: 1735689600000, tag: '0000_init', breakpoints: true }] }));
    const { snapshot: code } = await codeSnapshot(p.config);
    const diff = await planGenerate({ folder: readMigrationFolder(out), code, resolver: noRenameResolver, unsafePlans: true });
    expect(diff.changes.map((c) => c.kind)).toEqual(['add-check']);
    expect(renderMigration(diff.upParts)).toContain(`state IN ('open', 'done')`);
  } finally {
    p.remove();
  }
});
