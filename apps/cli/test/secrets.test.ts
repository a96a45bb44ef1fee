import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { createTestDatabase, runCli, type TestDatabase } from '@strata/testing';

// Passwords only matter for server URLs: the embedded database has none. The test server trusts
// local connections, so a URL carrying any password still connects, and every path that prints or
// stores the URL is exercised for real.
const SECRET = 'Zq9SECRETpw';

describe('no password is printed or stored, whatever form the URL takes [postgres]', () => {
  let tdb: TestDatabase;
  let dir: string;
  const forms: Record<string, (url: string) => string> = {
    'a ?password= query parameter': (url) => `${url}?sslmode=disable&password=${SECRET}`,
    'a libpq-style sslpassword parameter': (url) => `${url}?sslpassword=${SECRET}`,
    'a percent-encoded password with special characters': (url) => {
      const u = new URL(url);
      u.password = encodeURIComponent(`p@ss#w/rd ${SECRET}`);
      return u.toString();
    },
  };

  beforeAll(async () => {
    tdb = await createTestDatabase('postgres');
    dir = mkdtempSync(join(tmpdir(), 'strata-cli-secrets-'));
    writeFileSync(join(dir, 'schema.ts'), `export {};\n`);
    writeFileSync(join(dir, 'strata.config.ts'), `export default { schema: './schema.ts', out: './migrations' };\n`);
  });
  afterAll(async () => tdb?.dispose());

  for (const [form, make] of Object.entries(forms)) {
    it(`doctor, status, errors, --json and the backup header hide ${form}`, async () => {
      const url = make(tdb.url);
      const doctor = await runCli(['doctor', '--url', url], { cwd: dir });
      expect(doctor.code, doctor.stderr).toBe(0);
      expect(doctor.stdout).toMatch(/database {2}postgres:\/\/.*\*\*\*\*/);
      const doctorJson = await runCli(['doctor', '--json', '--url', url], { cwd: dir });
      expect(doctorJson.code, doctorJson.stderr).toBe(0);
      expect(JSON.parse(doctorJson.stdout).database.url).toContain('****');
      const status = await runCli(['status', '--json', '--url', url], { cwd: dir });
      expect(status.code, status.stderr).toBe(0);
      const backup = await runCli(['backup', '--out', `b-${Object.keys(forms).indexOf(form)}.strata.gz`, '--json', '--url', url], { cwd: dir });
      expect(backup.code, backup.stderr).toBe(0);
      const file = JSON.parse(backup.stdout).file as string;
      const header = gunzipSync(readFileSync(file)).toString('utf8').split('\n').slice(0, 3).join('\n');
      expect(header).toContain('"url":"postgres://');
      // An error that names the URL (a database that does not exist).
      const missing = url.replace(/\/strata_t_[0-9a-f]+/, '/no_such_database');
      const error = await runCli(['status', '--url', missing], { cwd: dir });
      expect(error.code).toBe(1);
      expect(error.stderr).toContain('does not exist');
      for (const r of [doctor, doctorJson, status, backup, error]) expect(r.stdout + r.stderr).not.toContain(SECRET);
      expect(header).not.toContain(SECRET);
      expect(header).not.toContain('w/rd');
    });
  }

  it('refuses an unencoded password that does not parse, hides everything before its last @ and says to percent-encode', async () => {
    const port = new URL(tdb.url).port;
    for (const url of [`postgres://app:p@ss#word${SECRET}@127.0.0.1:${port}/db`, `postgres://app:my ${SECRET}@127.0.0.1:${port}/db`, `postgres://app:12/${SECRET}@127.0.0.1:${port}/db`]) {
      for (const json of [false, true]) {
        const r = await runCli(['doctor', '--url', url, ...(json ? ['--json'] : [])], { cwd: dir });
        expect(r.code).toBe(2); // the --url flag is unusable: a usage error
        expect(r.stdout + r.stderr).not.toContain(SECRET);
        expect(r.stdout + r.stderr).not.toMatch(/ss#word|my |:12\//);
        expect(r.stdout + r.stderr).toContain(`postgres://****@127.0.0.1:${port}/db`);
        expect(r.stdout + r.stderr).toMatch(/Percent-encode special characters/);
      }
    }
  });

  it('hides the password of a libpq key=value string', async () => {
    const r = await runCli(['doctor', '--url', `host=127.0.0.1 user=app password='x ${SECRET}' dbname=app`], { cwd: dir });
    expect(r.code).toBe(2); // Strata takes URLs, not libpq strings: a usage error
    expect(r.stderr).toContain('host=127.0.0.1 user=app password=**** dbname=app');
    expect(r.stdout + r.stderr).not.toContain(SECRET);
  });

  it('stores no password in any backup file it wrote', () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.strata.gz'));
    expect(files).toHaveLength(Object.keys(forms).length);
    for (const f of files) expect(gunzipSync(readFileSync(join(dir, f))).toString('utf8')).not.toContain(SECRET);
  });
});
