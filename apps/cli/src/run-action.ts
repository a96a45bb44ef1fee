import type { Command } from 'commander';
import { isStrataError, type ErrorCode } from '@strata/core';
import { createContext, type CommandContext, type GlobalOptions } from './context.js';
import { createOutput, type Output } from './output.js';

import { EXIT } from './exit-codes.js';

export { EXIT };

const USAGE_CODES: ReadonlySet<ErrorCode> = new Set(['USAGE', 'INPUT_REQUIRED', 'RENAME_AMBIGUOUS', 'URL_INVALID', 'CONFIG_NOT_FOUND']);

/** Prints an error as one clear paragraph; the stack only with --verbose. Returns the exit code. */
export function reportError(e: unknown, out: Output): number {
  const c = out.colors;
  if (isStrataError(e)) {
    out.info(`${c.red(c.bold('error'))} ${e.message}`);
    for (const d of e.details) out.info(`  ${d}`);
    if (e.hint) out.info(`${c.cyan('hint')} ${e.hint}`);
    if (out.verbose && e.stack) out.info(c.dim(e.stack));
    if (out.verbose && e.cause instanceof Error && e.cause.stack) out.info(c.dim(`caused by: ${e.cause.stack}`));
    if (out.json) out.result({ ok: false, error: { code: e.code, message: e.message, details: e.details, hint: e.hint } });
    return USAGE_CODES.has(e.code) ? EXIT.usage : EXIT.failure;
  }
  const err = e instanceof Error ? e : new Error(String(e));
  out.info(`${c.red(c.bold('error'))} ${err.message}`);
  if (out.verbose) out.info(c.dim(err.stack ?? ''));
  else out.info(c.dim('(run again with --verbose for the stack trace)'));
  if (out.json) out.result({ ok: false, error: { code: 'INTERNAL', message: err.message } });
  return EXIT.failure;
}

/** `snapshot restore` for the `restore` subcommand of `snapshot`: the words after `strata`. */
function commandPath(command: Command): string {
  const words: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) words.unshift(c.name());
  return words.join(' ');
}

/** What a command's action returns: an exit code, or nothing for success. */
export type ActionResult = number | void;

/**
 * Wraps a command's action: builds the context from the global flags, runs it, turns errors into
 * exit codes, closes databases. `state.exitCode` carries the result to `main`.
 */
export function action<A extends unknown[]>(
  state: { exitCode: number },
  fn: (ctx: CommandContext, ...args: A) => Promise<ActionResult>,
): (...args: unknown[]) => Promise<void> {
  return async (...args: unknown[]) => {
    const command = args[args.length - 1] as Command;
    const globals = command.optsWithGlobals() as GlobalOptions;
    let ctx: CommandContext | null = null;
    try {
      ctx = await createContext(globals, { command: commandPath(command) });
      const code = await fn(ctx, ...(args.slice(0, -1) as A));
      state.exitCode = typeof code === 'number' ? code : EXIT.ok;
    } catch (e) {
      state.exitCode = reportError(e, ctx?.out ?? createOutput({ json: Boolean(globals.json), verbose: Boolean(globals.verbose) }));
    } finally {
      await ctx?.dispose();
    }
  };
}
