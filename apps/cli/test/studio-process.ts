import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { expect } from 'vitest';
import { cliBinPath } from '@strata/testing';

/** A `strata studio` process of a test, with the base URL and token it printed. */
export interface RunningStudio {
  child: ChildProcessWithoutNullStreams;
  url: string;
  base: string;
  token: string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/**
 * Starts `strata studio --port 0` and waits for the URL it prints.
 *
 * @example
 * const studio = await startStudioCli(['--url', tdb.url], dir); await get(studio, '/api/tables');
 */
export function startStudioCli(args: string[], cwd: string): Promise<RunningStudio> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliBinPath(), 'studio', '--port', '0', ...args], {
      cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`no URL within 60 s\n${stdout}\n${stderr}`)); }, 60_000);
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const m = stdout.match(/(http:\/\/127\.0\.0\.1:\d+\/)\?token=([\w-]+)/);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[0], base: m[1]!, token: m[2]!, stderr: () => stderr, exited });
      }
    });
    void exited.then((code) => { clearTimeout(timer); reject(new Error(`studio exited (${code}) before printing its URL\n${stdout}\n${stderr}`)); });
  });
}

/**
 * GETs a studio API path with the token, expecting 200, and returns its JSON.
 *
 * @example
 * const tables = await get<{ name: string }[]>(studio, '/api/tables');
 */
export async function get<T>(s: RunningStudio, path: string): Promise<T> {
  const res = await fetch(`${s.base}${path.replace(/^\//, '')}`, { headers: { authorization: `Bearer ${s.token}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

/**
 * POSTs JSON to a studio API path with the token; the response as it comes.
 *
 * @example
 * const res = await post(studio, '/api/rows/update', { schema: 'public', table: 'notes', key: { id: 1 }, values: { body: 'x' } });
 */
export function post(s: RunningStudio, path: string, body: unknown): Promise<Response> {
  return fetch(`${s.base}${path.replace(/^\//, '')}`, {
    method: 'POST', headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
}
