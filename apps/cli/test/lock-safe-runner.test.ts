import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptySnapshot } from '@strata/schema';
import { writeMigration } from '@strata/runner';
import { createPgClient, type DatabaseClient } from '@strata/db';
import { createTestDatabase, describeBackends, runCli, type TestDatabase } from '@strata/testing';
import { holdReadTransaction, waitUntilQueued } from './lock-queue-helpers.js';

let seq = 0;

/** A project whose migrations create objects in a schema of its own; `config` is the rest of the config object. */
function project(config = '') {
  const dir = mkdtempSync(join(tmpdir(), 'strata-cli-parts-'));
  const schema = `parts_${process.pid}_${++seq}`;
  writeFileSync(join(dir, 'strata.config.ts'), `export default { schema: './schema.ts', history: { schema: 'hist_${schema}' }${config ? `, ${config}` : ''} };`);
  let clock = Date.parse('2026-06-01T00:00:00Z');
  const out = join(dir, 'migrations');
  return {
    dir,
    schema,
    add(name: string, up: string, down: string | null = null): string {
      clock += 60_000;
      const s = (x: string) => x.replaceAll('${s}', schema);
      return writeMigration(out, { name, up: s(up), down: down === null ? null : s(down), snapshot: emptySnapshot(), now: new Date(clock) }).name;
    },
  };
}

describeBackends('strata migrate/status/rollback with migrations in parts', (backend) => {
  let tdb: TestDatabase;
  let db: DatabaseClient;
  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
  });
  afterAll(async () => tdb?.dispose());
  const strata = async (p: { dir: string }, ...args: string[]) => {
    await tdb.closeClient(); // an embedded directory belongs to one process at a time
    return runCli([...args, '--url', tdb.url], { cwd: p.dir, timeoutMs: 120_000 });
  };

  it('a failure in part 2 is named; status shows the migration partly applied (exit 1); migrate resumes it; the dry run shows parts', async () => {
    const p = project();
    const init = p.add('init', 'create schema ${s};\ncreate table ${s}.t (id int);\ninsert into ${s}.t values (1), (1);', 'drop schema ${s} cascade;');
    const m = p.add('unique_id', [
      'create table ${s}.first_part (id int);',
      '--> strata:part no-transaction',
      'create unique index concurrently if not exists t_id_key on ${s}.t (id);',
      '--> strata:part',
      'alter table ${s}.t add constraint t_id_key unique using index t_id_key;',
    ].join('\n'), 'alter table ${s}.t drop constraint t_id_key;\n--> strata:part\ndrop table ${s}.first_part;');

    const dry = await strata(p, 'migrate', '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`-- ${m}.sql\n-- part 1 of 3 (in a transaction)\ncreate table ${p.schema}.first_part (id int);\n-- part 2 of 3 (outside a transaction)\n`);

    const failed = await strata(p, 'migrate');
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain(`applied ${init}`);
    expect(failed.stderr).toContain(`migration ${m} failed at ${m}.sql:3 (part 2 of 3, statement 2): could not create unique index "t_id_key"`);
    expect(failed.stderr).toContain(`the INVALID index "${p.schema}"."t_id_key"; drop it with: DROP INDEX CONCURRENTLY IF EXISTS "${p.schema}"."t_id_key";`);

    const st = await strata(p, 'status');
    expect(st.code).toBe(1);
    expect(st.stdout).toMatch(new RegExp(`${m}\\s+partial \\(1/3 parts\\)`));
    expect(st.stdout).toContain('1 applied, 0 pending, 1 partly applied');
    expect(st.stderr).toContain('strata migrate resumes a partly applied migration');

    db = await tdb.client();
    await db.exec(`delete from "${p.schema}".t where ctid = (select max(ctid) from "${p.schema}".t)`);
    const resumed = await strata(p, 'migrate');
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain(`dropped the INVALID index "${p.schema}"."t_id_key"`);
    expect(resumed.stdout).toContain(`applied ${m}`);
    const json = JSON.parse((await strata(p, 'status', '--json')).stdout);
    expect(json).toMatchObject({ ok: true, applied: [init, m], partial: [] });
    expect(json.migrations[1]).toMatchObject({ state: 'applied', parts: { done: 3, total: 3 } });

    const rb = await strata(p, 'rollback');
    expect(rb.code).toBe(0);
    expect(rb.stdout).toContain(`reverted ${m}`);
  }, 240_000);

});

it('rejects a lockBudgetMs that is not a number of milliseconds', async () => {
  const p = project(`lockBudgetMs: 'soon'`);
  const r = await runCli(['status', '--url', 'pglite:memory'], { cwd: p.dir });
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('"lockBudgetMs" must be a number of milliseconds');
});

describe('strata migrate in the lock queue [postgres]', () => {
  let tdb: TestDatabase;
  let holder: DatabaseClient;
  beforeAll(async () => {
    tdb = await createTestDatabase('postgres');
    holder = await createPgClient(tdb.url);
  });
  afterAll(async () => {
    await holder?.close();
    await tdb?.dispose();
  });

  const reader = (table: string) => holdReadTransaction(holder, table);

  it('reads lockTimeoutMs and lockBudgetMs from the config, warns naming the blocker on each retry, and fails naming it when the budget is used up', async () => {
    const db = await tdb.client();
    const p = project('lockBudgetMs: 1500');
    await db.exec(`create schema "${p.schema}"; create table "${p.schema}".t (id int)`);
    p.add('alter_t', 'alter table ${s}.t add column c int;');
    // The reader stays until migrate has given up (however long the process takes to start).
    const r1 = await reader(`"${p.schema}".t`);
    const failed = await runCli(['migrate', '--url', tdb.url], { cwd: p.dir, timeoutMs: 120_000 });
    await r1.release();
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(new RegExp(`gave up waiting for a lock on ${p.schema}\\.t held by pid ${r1.pid} \\(reporting-job, idle in transaction for [\\d.]+ s: set application_name = 'reporting-job'; select count\\(\\*\\) from "${p.schema}"\\.t\\) after lock_timeout 100 ms; rolled back, retrying in \\d+ ms`));
    expect(failed.stderr).toContain('canceling statement due to lock timeout');
    expect(failed.stderr).toContain('raise lockBudgetMs');

    // The default budget (60 s) outlasts the reader: warnings while it stays, success once it ends.
    const q = project();
    await db.exec(`create schema "${q.schema}"; create table "${q.schema}".t (id int)`);
    q.add('alter_t', 'alter table ${s}.t add column c int;');
    const r2 = await reader(`"${q.schema}".t`);
    const run = runCli(['migrate', '--url', tdb.url], { cwd: q.dir, timeoutMs: 120_000 });
    await waitUntilQueued(db, `"${q.schema}".t`);
    await new Promise((res) => setTimeout(res, 1000));
    await r2.release();
    const ok = await run;
    expect(ok.code).toBe(0);
    expect(ok.stderr).toContain(`held by pid ${r2.pid} (reporting-job, idle in transaction for `);
    expect(ok.stderr).toMatch(/of the 60 s lockBudgetMs\)/);
    expect(ok.stdout).toMatch(/1 migration applied/);
  }, 240_000);
});
