import { spawnSync, execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PgServer {
  url: string;
  dataDir: string;
  stop(): void;
}

/** The bin directory of the newest PostgreSQL installed from Debian's packages, or of pg_config. */
export function findPgBinDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(root, versions[0], 'bin');
  }
  const r = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  if (r.status === 0 && existsSync(join(r.stdout.trim(), 'initdb'))) return r.stdout.trim();
  return null;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** Runs a PostgreSQL binary as the `postgres` user when we are root (initdb refuses root). */
function runPg(bin: string, args: string[]): void {
  const [cmd, argv] = isRoot() ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  const r = spawnSync(cmd, argv as string[], { encoding: 'utf8' });
  if (r.status !== 0) {
    throw new Error(`${bin.split('/').pop()} failed (exit ${r.status}): ${(r.stderr || r.stdout || String(r.error)).trim()}`);
  }
}

/**
 * Starts a throwaway PostgreSQL server on 127.0.0.1 and a free port, data under a temp dir,
 * with durability off (it only lives for one test run). `binDir` picks the server's binaries
 * (default: Debian's newest; `startEmbeddedPgServer` passes another major's).
 *
 * @example
 * const server = await startPgServer(); … server.stop();
 */
export async function startPgServer(options: { binDir?: string } = {}): Promise<PgServer> {
  const bin = options.binDir ?? findPgBinDir();
  if (!bin) {
    throw new Error(
      'PostgreSQL is not installed, so the real-server tests cannot run. Install it (apt-get install -y postgresql) ' +
        'or set STRATA_TEST_PG_URL to a server (postgres://user@host:port/db) whose user may create databases.',
    );
  }
  const base = mkdtempSync(join(tmpdir(), 'strata-pg-'));
  chmodSync(base, 0o777);
  const dataDir = join(base, 'data');
  if (isRoot()) execFileSync('chown', ['postgres', base]);
  runPg(join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8', '--no-sync']);
  const port = await freePort();
  const opts = [
    `-c listen_addresses=127.0.0.1`, `-c port=${port}`, `-c unix_socket_directories=${base}`,
    '-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off', '-c max_connections=300',
    '-c shared_buffers=128MB',
  ].join(' ');
  runPg(join(bin, 'pg_ctl'), ['-D', dataDir, '-o', opts, '-l', join(base, 'server.log'), '-w', '-t', '60', 'start']);
  let stopped = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    dataDir,
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        runPg(join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(base, { recursive: true, force: true });
      }
    },
  };
}
