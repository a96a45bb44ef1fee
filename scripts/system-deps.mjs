// System packages the test suite needs, installed from Debian's packages when missing and we are
// root (CI and fresh machines); otherwise a clear message says what to install.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

/** Whether the package lists (updated once, as for aptInstall) know `pkg`. */
function aptHasPackage(pkg) {
  if (!isRoot()) return false;
  if (!updated) {
    spawnSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 'ignore', 'inherit'] });
    updated = true;
  }
  const r = spawnSync('apt-cache', ['show', '--no-all-versions', pkg], { stdio: 'ignore' });
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

/** The newest PostgreSQL major installed from Debian's packages (the quick lane's server), or null. */
function debianPgMajor() {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const majors = readdirSync(root).filter((v) => existsSync(`${root}/${v}/bin/initdb`)).sort((a, b) => Number(b) - Number(a));
  return majors[0] ?? null;
}

const hasPgvector = (major) => existsSync(`/usr/share/postgresql/${major}/extension/vector.control`);

/**
 * Builds pgvector for `major` from Debian's own source package. Debian 12 packages pgvector for no
 * PostgreSQL of its own (only later releases do, for their newer servers), so its source comes
 * from the first release that has it, through a private apt state under /tmp (the machine's
 * sources are left as they are), and is compiled against `postgresql-server-dev-<major>`.
 */
function buildPgvectorFromDebianSource(major) {
  if (!aptInstall([`postgresql-server-dev-${major}`, 'build-essential'])) return false;
  const work = mkdtempSync(join(tmpdir(), 'strata-pgvector-'));
  try {
    const state = join(work, 'apt');
    mkdirSync(join(state, 'lists', 'partial'), { recursive: true });
    writeFileSync(join(state, 'sources.list'), 'deb-src http://deb.debian.org/debian trixie main\n');
    const apt = [
      '-o', `Dir::Etc::sourcelist=${join(state, 'sources.list')}`, '-o', 'Dir::Etc::sourceparts=-',
      '-o', `Dir::State::Lists=${join(state, 'lists')}`, '-o', 'APT::Get::List-Cleanup=0', '-o', 'APT::Sandbox::User=root',
    ];
    const quiet = { stdio: ['ignore', 'ignore', 'inherit'], cwd: work };
    if (spawnSync('apt-get', [...apt, 'update', '-qq'], quiet).status !== 0) return false;
    if (spawnSync('apt-get', [...apt, 'source', '--download-only', '-qq', 'pgvector'], quiet).status !== 0) return false;
    const orig = readdirSync(work).find((f) => /^pgvector_.*\.orig\.tar\.gz$/.test(f));
    if (!orig) return false;
    if (spawnSync('tar', ['xzf', orig], quiet).status !== 0) return false;
    const src = readdirSync(work).find((f) => f.startsWith('pgvector-') && statSync(join(work, f)).isDirectory());
    if (!src) return false;
    // No -march=native: the library may be used on another machine of the same architecture.
    const make = ['-C', join(work, src), `PG_CONFIG=/usr/lib/postgresql/${major}/bin/pg_config`, 'OPTFLAGS='];
    if (spawnSync('make', [...make, '-j2'], quiet).status !== 0) return false;
    return spawnSync('make', [...make, 'install'], quiet).status === 0;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Makes sure Debian's PostgreSQL (the quick lane's server) has the pgvector extension, which the
 * extension tests create: Debian's `postgresql-<major>-pgvector` where the release packages it,
 * else built from Debian's pgvector source. Returns an error message or null.
 */
export function ensurePgvector() {
  const major = debianPgMajor();
  if (major === null || hasPgvector(major)) return null;
  console.error(`pgvector is missing for PostgreSQL ${major}: installing it from Debian packages…`);
  // Only where the release packages it (asked quietly: on Debian 12 it does not, and apt's
  // "Unable to locate package" would read as a failure of the step).
  if (aptHasPackage(`postgresql-${major}-pgvector`) && aptInstall([`postgresql-${major}-pgvector`]) && hasPgvector(major)) return null;
  if (isRoot() && buildPgvectorFromDebianSource(major) && hasPgvector(major)) return null;
  return `pgvector is not installed for PostgreSQL ${major} and could not be installed. Run \`apt-get install -y postgresql-${major}-pgvector\` as root (or build pgvector against postgresql-server-dev-${major}).`;
}
