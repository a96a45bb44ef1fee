// System packages the test suite needs, installed from Debian's packages when missing and we are
// root (CI and fresh machines); otherwise a clear message says what to install.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

const isRoot = () => process.getuid?.() === 0;
let updated = false;

function aptInstall(pkgs) {
  if (!isRoot()) return false;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!updated) {
    spawnSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 'ignore', 'inherit'], env });
    updated = true;
  }
  const r = spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...pkgs], { stdio: ['ignore', 'ignore', 'inherit'], env });
  return r.status === 0;
}

export function hasPostgres() {
  const root = '/usr/lib/postgresql';
  if (existsSync(root) && readdirSync(root).some((v) => existsSync(`${root}/${v}/bin/initdb`))) return true;
  return spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' }).status === 0;
}

/** Makes sure PostgreSQL server binaries exist; returns an error message or null. */
export function ensurePostgres() {
  if (hasPostgres()) return null;
  console.error('PostgreSQL is missing: installing it from Debian packages (apt-get install postgresql)…');
  if (aptInstall(['postgresql']) && hasPostgres()) {
    // Debian starts a cluster on install; the tests run their own server, so stop it.
    spawnSync('service', ['postgresql', 'stop'], { stdio: 'ignore' });
    return null;
  }
  return 'PostgreSQL is not installed and could not be installed. Run `apt-get install -y postgresql` as root, or set STRATA_TEST_PG_URL to a server.';
}

export function chromiumPath() {
  for (const p of ['/usr/bin/chromium', '/usr/bin/chromium-browser']) if (existsSync(p)) return p;
  return null;
}

/** Makes sure Debian's Chromium exists for the browser tests; returns an error message or null. */
export function ensureChromium() {
  if (chromiumPath()) return null;
  console.error('Chromium is missing: installing it from Debian packages (apt-get install chromium)…');
  if (aptInstall(['chromium']) && chromiumPath()) return null;
  return 'Chromium is not installed and could not be installed. Run `apt-get install -y chromium` as root.';
}
