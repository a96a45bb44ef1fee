import { closeSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { lockTimeoutError, sleep } from './migration-lock.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * An exclusive lock held as a file, polled like the advisory lock: for processes that share one
 * embedded database through a server socket, where every client lands on the same backend
 * session and an advisory lock would not exclude anyone. A lock left by a dead process is taken over.
 *
 * @example
 * const release = await acquireFileLock('/app/.strata/pglite.migrate.lock', { waitMs: 60_000 });
 */
export async function acquireFileLock(
  path: string,
  options: { waitMs: number; onWait?: (info: { holderPid: number | null }) => void },
): Promise<() => void> {
  const started = Date.now();
  let told = false;
  for (;;) {
    try {
      const fd = openSync(path, 'wx');
      writeFileSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }));
      closeSync(fd);
      const onExit = () => rmSync(path, { force: true });
      process.once('exit', onExit);
      return () => {
        process.removeListener('exit', onExit);
        rmSync(path, { force: true });
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let holder: { pid?: number; host?: string } = {};
    try {
      holder = JSON.parse(readFileSync(path, 'utf8')) as typeof holder;
    } catch {
      // Being written right now, or garbage: look again on the next round.
    }
    if (typeof holder.pid === 'number' && holder.host === hostname() && !alive(holder.pid)) {
      rmSync(path, { force: true });
      continue;
    }
    if (!told) {
      told = true;
      options.onWait?.({ holderPid: holder.pid ?? null });
    }
    if (Date.now() - started >= options.waitMs) throw lockTimeoutError(options.waitMs);
    await sleep(100);
  }
}
