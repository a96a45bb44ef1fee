import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { BENCH_DIR } from '../tools.js';
import type { WriterLog } from './stall-figures.js';

/** How long the writer runs before the tool starts: its figures at rest, the machine's own noise. */
export const REST_MS = 1500;

/** A running writer process (fixtures/stall-writer.mjs). */
export interface StallWriter {
  /** Closes its stdin and returns every write it timed. */
  stop(): Promise<WriterLog>;
}

/**
 * Starts the application's writer on `url` (a process of its own, so the harness never delays a
 * write) and resolves once its first insert went through.
 *
 * @example
 * const w = await startStallWriter(url, 'stall_items'); … const log = await w.stop();
 */
export function startStallWriter(url: string, table: string, pauseMs = 2): Promise<StallWriter> {
  const child = spawn(process.execPath, [join(BENCH_DIR, 'fixtures/stall-writer.mjs')], {
    cwd: BENCH_DIR,
    env: { ...process.env, DATABASE_URL: url, STALL_TABLE: table, STALL_PAUSE_MS: String(pauseMs) },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      child.kill('SIGKILL');
      reject(new Error(`the stall writer ${why}: ${stderr.trim().slice(-500)}`));
    };
    const timer = setTimeout(() => fail('did not start within 30 s'), 30_000);
    void exited.then((code) => {
      clearTimeout(timer);
      if (!stdout.startsWith('ready')) fail(`exited ${code} before its first write`);
    });
    child.stdout.on('data', (d: Buffer) => {
      const wasReady = stdout.startsWith('ready');
      stdout += d.toString();
      if (!wasReady && stdout.startsWith('ready')) {
        clearTimeout(timer);
        resolve({
          async stop() {
            child.stdin.end();
            const code = await exited;
            const last = stdout.trim().split('\n').at(-1) ?? '';
            if (code !== 0 || !last.startsWith('{')) throw new Error(`the stall writer exited ${code}: ${stderr.trim().slice(-500)}`);
            return JSON.parse(last) as WriterLog;
          },
        });
      }
    });
  });
}
