import { afterAll, beforeAll, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GENERATED_MARKER } from '@strata/schema';
import { createTestDatabase, describeBackends, type TestDatabase } from '@strata/testing';
import { drop, liveSnapshot, pull, push, type ConfirmRequest, type WorkflowProgress } from '../src/index.js';
import { createProject, NOTES, type TestProject } from './project.js';

const columns = async (tdb: TestDatabase) =>
  (await (await tdb.client()).query<{ c: string }>(`select column_name as c from information_schema.columns where table_schema = 'public' and table_name = 'notes' order by 1`)).rows.map((r) => r.c);

describeBackends('push, drop and pull as library calls', (backend) => {
  let tdb: TestDatabase;
  let p: TestProject;
  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    p = createProject(NOTES(`\n  title: text('title'),`));
  });
  afterAll(async () => {
    await tdb?.dispose();
    p?.remove();
  });

  it('a dry run plans without changing; push applies, reporting its steps; a second push finds nothing', async () => {
    const db = await tdb.client();
    const dry = await push({ config: p.config, db, dryRun: true });
    expect(dry).toMatchObject({ changed: true, applied: false, dataLoss: [] });
    expect(dry.sql).toContain('CREATE TABLE "public"."notes"');
    expect(await columns(tdb)).toEqual([]);

    const events: WorkflowProgress[] = [];
    const r = await push({ config: p.config, db: async () => db, onProgress: (e) => events.push(e) });
    expect(r.applied).toBe(true);
    expect(await columns(tdb)).toEqual(['body', 'id', 'rank', 'title']);
    const label = (e: WorkflowProgress) => (e.type === 'step-started' || e.type === 'step-finished' ? `${e.type} ${e.step}` : e.type === 'applying' ? `applying ${e.event.type}` : e.type);
    expect(events.map(label)).toEqual([
      'step-started reading the database', 'step-finished reading the database',
      'step-started letting the server spell the schema code', 'step-finished letting the server spell the schema code',
      // The plan is applied as migrate applies a migration: reported as it starts.
      ...events.filter((e) => e.type === 'applying').map(label),
    ]);
    expect(events.filter((e) => e.type === 'applying').map(label)).toContain('applying migration-started');
    expect(await push({ config: p.config, db })).toMatchObject({ changed: false, applied: false });
  });

  it('data loss: an error without confirm, nothing changed on no, applied on yes', async () => {
    const db = await tdb.client();
    await db.exec(`insert into notes (body, title) values ('kept', 'a title')`);
    p.writeSchema(NOTES());
    await expect(push({ config: p.config, db })).rejects.toMatchObject({ code: 'INPUT_REQUIRED' });
    const asked: ConfirmRequest[] = [];
    await expect(push({ config: p.config, db, confirm: async (r) => { asked.push(r); return false; } })).rejects.toMatchObject({ code: 'REFUSED' });
    expect(await columns(tdb)).toContain('title');
    expect(asked).toHaveLength(1);
    expect(asked[0]!.kind).toBe('push-data-loss');
    expect(asked[0]!.message).toContain('title');
    const r = await push({ config: p.config, db, confirm: async () => true });
    expect(r.applied).toBe(true);
    expect(r.dataLoss).toHaveLength(1);
    expect(await columns(tdb)).toEqual(['body', 'id', 'rank']);
  });

  it('refuses push and drop on a production config', async () => {
    const db = await tdb.client();
    const production = { ...p.config, production: true };
    await expect(push({ config: production, db })).rejects.toMatchObject({ code: 'REFUSED' });
    await expect(drop({ config: production, db, force: true })).rejects.toMatchObject({ code: 'REFUSED' });
    expect(await columns(tdb)).toEqual(['body', 'id', 'rank']);
  });

  it('pull writes the live schema as marked TypeScript and refuses to overwrite a file it did not write', async () => {
    const out = join(p.dir, 'pulled');
    const r = await pull({ config: p.config, db: await tdb.client(), out });
    const written = r.files.filter((f) => f.status === 'written');
    expect(written.length).toBeGreaterThan(0);
    const text = readFileSync(join(out, written[0]!.path), 'utf8');
    expect(text.startsWith(GENERATED_MARKER)).toBe(true);
    expect(text).toContain(`pgTable('notes'`);
    expect(r.schemas).toEqual([{ name: 'public', tables: 1, enums: 0, sequences: 0, views: 0 }]);
    expect((await pull({ config: p.config, db: await tdb.client(), out })).files.every((f) => f.status === 'unchanged')).toBe(true);

    const mine = join(p.dir, 'mine');
    mkdirSync(mine);
    writeFileSync(join(mine, written[0]!.path), '// my own code\n');
    await expect(pull({ config: p.config, db: await tdb.client(), out: mine })).rejects.toMatchObject({ code: 'REFUSED' });
    expect(readFileSync(join(mine, written[0]!.path), 'utf8')).toBe('// my own code\n');
  });

  it('drop asks with the list, then removes the managed objects, leaving the database empty', async () => {
    const db = await tdb.client();
    await expect(drop({ config: p.config, db })).rejects.toMatchObject({ code: 'INPUT_REQUIRED' });
    const asked: ConfirmRequest[] = [];
    const r = await drop({ config: p.config, db, confirm: async (q) => { asked.push(q); return true; } });
    expect(r.dropped).toBe(true);
    expect(asked[0]?.kind === 'drop' && asked[0].items.map((i) => i.name)).toEqual(['"public"."notes"']);
    const live = await liveSnapshot(db, p.config, ['public']);
    expect(Object.keys(live.schemas.public!.tables)).toEqual([]);
    expect(await drop({ config: p.config, db, force: true })).toEqual({ dropped: false, items: [] });
    expect(existsSync(p.config.out)).toBe(false);
  });
});
