import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One process to run and time. */
export interface ProcessSpec {
  cmd: string;
  args: string[];
  cwd: string;
  env?: Record<string, string | undefined>;
  /** Text written to its stdin (then closed). */
  input?: string;
}

/** What one timed process did. */
export interface ProcessResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Wall-clock time from spawn to exit. */
  ms: number;
  /** Peak resident set size in KiB (null when it could not be read). */
  peakKb: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

const GNU_TIME = '/usr/bin/time';

/** How peak memory is read: GNU time's `%M` when installed, else polling `/proc/<pid>/status`. */
export const memorySource = (): 'gnu-time' | 'proc-poll' => (existsSync(GNU_TIME) ? 'gnu-time' : 'proc-poll');

/** Reads VmHWM (the process's peak RSS so far) from /proc; null once it has exited. */
function readHwm(pid: number): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/**
 * `measure`, run again (up to twice, 10 s apart) when the CLI failed because its built files were
 * being rewritten by a concurrent build; `onRetry` is told each time.
 */
export async function measureRetrying(spec: ProcessSpec, timeoutMs: number, retryIf: (r: ProcessResult) => boolean, onRetry: () => void): Promise<ProcessResult> {
  for (let attempt = 0; ; attempt++) {
    const r = await measure(spec, timeoutMs);
    if (attempt >= 2 || r.code === 0 || r.timedOut || !retryIf(r)) return r;
    onRetry();
    await new Promise((resolve) => setTimeout(resolve, 10_000));
  }
}

/**
 * Runs a process to completion and reports its wall time and peak memory. The time includes the
 * process's start-up (Node, loading the tool), as a user waiting for the command sees it.
 *
 * @example
 * const r = await measure({ cmd: 'node', args: ['bin.js', 'pull'], cwd }, 60_000);
 */
export function measure(spec: ProcessSpec, timeoutMs: number): Promise<ProcessResult> {
  const useTime = memorySource() === 'gnu-time';
  const tmp = useTime ? mkdtempSync(join(tmpdir(), 'strata-bench-time-')) : null;
  const timeFile = tmp ? join(tmp, 'time.txt') : null;
  const [cmd, args] = timeFile ? [GNU_TIME, ['-f', '%M', '-o', timeFile, spec.cmd, ...spec.args]] : [spec.cmd, spec.args];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(cmd, args, {
      cwd: spec.cwd,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, ...spec.env } as NodeJS.ProcessEnv,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    let polled: number | null = null;
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const poll = timeFile ? null : setInterval(() => {
      const v = child.pid ? readHwm(child.pid) : null;
      if (v !== null) polled = Math.max(polled ?? 0, v);
    }, 20);
    const timer = setTimeout(() => {
      timedOut = true;
      // The whole group: GNU time and the tool under it.
      try { if (child.pid) process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      if (poll) clearInterval(poll);
      reject(e);
    });
    child.on('close', (code, signal) => {
      const ms = performance.now() - started;
      clearTimeout(timer);
      if (poll) clearInterval(poll);
      let peakKb = polled;
      if (timeFile) {
        // GNU time writes "Command exited with non-zero status n" before the numbers on failure.
        const text = existsSync(timeFile) ? readFileSync(timeFile, 'utf8').trim().split('\n').at(-1) ?? '' : '';
        peakKb = /^\d+$/.test(text) ? Number(text) : null;
        rmSync(tmp!, { recursive: true, force: true });
      }
      resolve({ code, signal, ms, peakKb, stdout, stderr, timedOut });
    });
    child.stdin.end(spec.input ?? '');
  });
}
