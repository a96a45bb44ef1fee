import pc from 'picocolors';
import { maskSecrets } from '@strata/core';

export type Colors = ReturnType<typeof pc.createColors>;

/**
 * Where a command writes. Results go to stdout (JSON with `--json`); notices, progress and
 * errors go to stderr, so `--json` output stays parseable. Every line, and every string of a
 * `--json` result, is passed through `maskSecrets`, so a password never reaches the terminal or a log.
 */
export interface Output {
  readonly json: boolean;
  readonly verbose: boolean;
  readonly colors: Colors;
  /** True when stderr is a terminal (spinners, progress bars). */
  readonly interactive: boolean;
  /** A line of the human result on stdout (not printed with --json). */
  line(text?: string): void;
  /** A notice on stderr. */
  info(text: string): void;
  warn(text: string): void;
  /** Detail shown only with --verbose. */
  debug(text: string): void;
  /** The machine-readable result (printed only with --json). */
  result(data: unknown): void;
}

export interface OutputStreams {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

export function colorEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if ('NO_COLOR' in env && env.NO_COLOR !== undefined) return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY) && env.TERM !== 'dumb';
}

export function createOutput(opts: { json: boolean; verbose: boolean; streams?: OutputStreams }): Output {
  const streams = opts.streams ?? { stdout: process.stdout, stderr: process.stderr };
  const colors = pc.createColors(colorEnabled(streams.stderr));
  const write = (s: NodeJS.WritableStream, text: string) => s.write(`${maskSecrets(text)}\n`);
  return {
    json: opts.json,
    verbose: opts.verbose,
    colors,
    interactive: Boolean(streams.stderr.isTTY),
    line: (text = '') => { if (!opts.json) write(streams.stdout, text); },
    info: (text) => write(streams.stderr, text),
    warn: (text) => write(streams.stderr, colors.yellow(`warning: ${text}`)),
    debug: (text) => { if (opts.verbose) write(streams.stderr, colors.dim(text)); },
    // Each string is masked on its own (not the printed JSON), so a masked value ends where its
    // string ends and the output stays valid JSON.
    result: (data) => {
      if (opts.json) streams.stdout.write(`${JSON.stringify(data, (_k, v: unknown) => (typeof v === 'string' ? maskSecrets(v) : v), 2)}\n`);
    },
  };
}
