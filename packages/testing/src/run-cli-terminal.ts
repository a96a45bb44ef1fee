import { spawn } from 'node:child_process';
import { cliBinPath } from './run-cli.js';

export interface TerminalStep {
  /** Text the program shows (ANSI codes stripped) before the keys are sent. */
  waitFor: string | RegExp;
  /** Keys to type, e.g. `'\r'` (Enter), `'y'`, `'\x1b[B'` (down). */
  keys: string;
}

export interface TerminalResult {
  code: number;
  /** Everything the terminal showed, ANSI codes stripped. */
  screen: string;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: ESC is what an ANSI sequence starts with
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[=>]|\r/g;
const shellWord = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;

/**
 * Runs the real `strata` binary on a pseudo-terminal (util-linux `script`), as a person would:
 * stdin and stderr are terminals, prompts are shown, and each step types its keys once its text
 * has appeared. Stdout and stderr both go to the terminal, so they arrive together in `screen`.
 *
 * @example
 * const r = await runCliOnTerminal(['drop', '--url', url], { cwd, steps: [{ waitFor: 'Drop all of them?', keys: '\r' }] });
 */
export function runCliOnTerminal(
  args: string[],
  options: { cwd?: string; env?: Record<string, string | undefined>; steps?: TerminalStep[]; timeoutMs?: number } = {},
): Promise<TerminalResult> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, CI: undefined, SHELL: '/bin/sh', TERM: 'xterm', ...options.env };
    // The terminal `script` opens takes its size from ours (none): give it one, or prompts wrap at every character.
    const command = `stty cols 200 rows 50; exec ${[process.execPath, cliBinPath(), ...args].map(shellWord).join(' ')}`;
    const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd: options.cwd, env: env as NodeJS.ProcessEnv, stdio: ['pipe', 'pipe', 'pipe'] });
    const steps = [...(options.steps ?? [])];
    let raw = '';
    let seenUpTo = 0;
    const advance = () => {
      const screen = raw.replace(ANSI, '');
      const step = steps[0];
      if (!step) return;
      const rest = screen.slice(seenUpTo);
      const at = typeof step.waitFor === 'string' ? rest.indexOf(step.waitFor) : rest.search(step.waitFor);
      if (at < 0) return;
      seenUpTo += at + 1;
      steps.shift();
      // Let the prompt finish drawing and switch the terminal to raw mode before typing.
      setTimeout(() => { child.stdin.write(step.keys); advance(); }, 300);
    };
    child.stdout.on('data', (d: Buffer) => { raw += d.toString(); advance(); });
    child.stderr.on('data', (d: Buffer) => { raw += d.toString(); });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`strata ${args.join(' ')} did not exit within ${options.timeoutMs ?? 120_000} ms; waiting for ${String(steps[0]?.waitFor)}\nscreen: ${raw.replace(ANSI, '')}`));
    }, options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, screen: raw.replace(ANSI, '') });
    });
  });
}
