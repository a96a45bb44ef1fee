import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, describeBackends, runCli, type TestDatabase } from '@strata/testing';

const tempDir = () => mkdtempSync(join(tmpdir(), 'strata-cli-'));

describeBackends('strata doctor', (backend) => {
  let tdb: TestDatabase;
  beforeAll(async () => { tdb = await createTestDatabase(backend); });
  afterAll(async () => tdb?.dispose());

  it('reports the database, its version and that it is reachable', async () => {
    const r = await runCli(['doctor', '--url', tdb.url, '--json'], { cwd: tempDir() });
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ ok: true, reachable: true, database: { backend, source: 'flag' } });
    expect(report.server.version).toMatch(backend === 'pglite' ? /PGlite/ : /^PostgreSQL 1\d/);
  });

  it('takes the URL from the config, then DATABASE_URL', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'strata.config.ts'), `export default { schema: './schema.ts', dbUrl: process.env.MY_URL };`);
    const fromConfig = await runCli(['doctor', '--json'], { cwd: dir, env: { MY_URL: tdb.url, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/x' } });
    expect(JSON.parse(fromConfig.stdout).database.source).toBe('config');
    const fromEnv = await runCli(['doctor', '--json'], { cwd: dir, env: { MY_URL: '', DATABASE_URL: tdb.url } });
    expect(JSON.parse(fromEnv.stdout).database.source).toBe('env');
    expect(fromEnv.code).toBe(0);
  });
});

describe('strata doctor without a server', () => {
  it('uses embedded PGlite in .strata/pglite beside the config by default, with a notice', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'strata.config.ts'), `export default { schema: './schema.ts' };`);
    mkdirSync(join(dir, 'sub'));
    const r = await runCli(['doctor', '--config', join(dir, 'strata.config.ts')], { cwd: join(dir, 'sub'), env: { DATABASE_URL: '' } });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Using the embedded database');
    expect(r.stdout).toContain(`pglite:${join(dir, '.strata/pglite')}`);
    expect(r.stdout).toMatch(/PGlite/);
  });

  it('fails with one clear line and a masked password when the server refuses', async () => {
    const r = await runCli(['doctor', '--url', 'postgres://app:hunter2@127.0.0.1:1/appdb'], { cwd: tempDir() });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('could not connect to 127.0.0.1:1/appdb: connection refused');
    expect(r.stderr + r.stdout).not.toContain('hunter2');
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace without --verbose
  });

  it('names a missing database and a wrong password', async () => {
    const server = new URL(process.env.STRATA_TEST_PG_URL!);
    const missing = new URL(server); missing.pathname = '/no_such_db_here';
    const r = await runCli(['doctor', '--url', missing.toString()], { cwd: tempDir() });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('database "no_such_db_here" does not exist');
    const bad = new URL(server); bad.username = 'no_such_role'; bad.password = 'sekret';
    const r2 = await runCli(['doctor', '--url', bad.toString()], { cwd: tempDir() });
    expect(r2.code).toBe(1);
    expect(r2.stderr).toMatch(/no_such_role/);
    expect(r2.stderr + r2.stdout).not.toContain('sekret');
  });

  it('rejects a malformed URL', async () => {
    const r = await runCli(['doctor', '--url', 'mysql://root:pw@h/db'], { cwd: tempDir() });
    expect(r.code).toBe(2); // a usage error: the flag is wrong
    expect(r.stderr).toContain('unsupported database URL: mysql://root:****@h/db');
  });

  it('tells a second process who holds an embedded directory', async () => {
    const tdb = await createTestDatabase('pglite');
    await tdb.client();
    const r = await runCli(['doctor', '--url', tdb.url], { cwd: tempDir() });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`in use by process ${process.pid}`));
    await tdb.dispose();
  });
});

describe('strata usage and config errors', () => {
  it('exits 2 on an unknown command or flag', async () => {
    expect((await runCli(['frobnicate'], { cwd: tempDir() })).code).toBe(2);
    const r = await runCli(['doctor', '--nope'], { cwd: tempDir() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--nope'");
  });

  it('prints help with examples and exits 0', async () => {
    const r = await runCli(['doctor', '--help'], { cwd: tempDir() });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Examples:');
  });

  it('names the config file and the reason when it does not load', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'strata.config.ts'), `export default {\n  schema: './s.ts',\n  out: ,\n};\n`);
    const r = await runCli(['doctor'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(join(dir, 'strata.config.ts'));
    expect(r.stderr).toMatch(/:3:\d+/);
  });

  it('rejects unknown keys and wrong types in the config', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'strata.config.ts'), `export default { schema: './s.ts', shema: 1 };`);
    const r = await runCli(['doctor'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('unknown key "shema"');
    writeFileSync(join(dir, 'strata.config.ts'), `export default { schema: './s.ts', lockWaitMs: 'soon' };`);
    const r2 = await runCli(['doctor'], { cwd: dir });
    expect(r2.stderr).toContain('"lockWaitMs" must be a number of milliseconds');
  });

  it('an error in a config file points at the line and column of the source, also in a one-line file', async () => {
    const dir = tempDir();
    const config = join(dir, 'strata.config.ts');
    writeFileSync(config, `export default { schema: './s.ts', out: './m', lockTimeoutMs: oops };`);
    const one = await runCli(['doctor', '--url', 'pglite:memory'], { cwd: dir });
    expect(one.code).toBe(1);
    expect(one.stderr).toContain(`could not load ${config}:1:63: oops is not defined`);
    writeFileSync(config, `export default {\n  schema: './s.ts',\n  out: notDefinedHere,\n};\n`);
    const three = await runCli(['doctor', '--url', 'pglite:memory'], { cwd: dir });
    expect(three.stderr).toContain(`could not load ${config}:3:8: notDefinedHere is not defined`);
  });

  it("loads a config that imports defineConfig from '@strata/cli', even where that package does not resolve", async () => {
    const dir = tempDir(); // no node_modules here: a global `strata` run in a project without @strata/cli
    writeFileSync(join(dir, 'strata.config.ts'), `import { defineConfig } from '@strata/cli';\nimport type { StrataConfig } from '@strata/cli/config';\nconst c: StrataConfig = { lockWaitMs: 1234 };\nexport default defineConfig({ ...c, out: './db/migrations' });\n`);
    const r = await runCli(['doctor', '--url', 'pglite:memory', '--json'], { cwd: dir });
    expect(r.stderr).not.toContain('could not load');
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { config: string | null }).config).toBe(join(dir, 'strata.config.ts'));
    // and what defineConfig returned is the config that is checked
    writeFileSync(join(dir, 'strata.config.ts'), `import { defineConfig } from '@strata/cli';\nexport default defineConfig({ lockWaitMs: 'soon' } as never);\n`);
    const bad = await runCli(['doctor', '--url', 'pglite:memory'], { cwd: dir });
    expect(bad.stderr).toContain('"lockWaitMs" must be a number of milliseconds');
  });

  it('reports a missing --config file', async () => {
    const r = await runCli(['doctor', '--config', 'nope.config.ts'], { cwd: tempDir() });
    expect(r.code).toBe(2); // a usage error: the flag names no file
    expect(r.stderr).toContain('config file not found');
  });
});
