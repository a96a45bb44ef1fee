import { COMMANDS } from './commands/index.js';

/** Global options that take a value: the word after them is not the command's name. */
const VALUE_OPTIONS = new Set(['--config', '--url']);

/**
 * The command `argv` runs, when it names one; undefined for `--help`, `help <command>`, a typo, ….
 *
 * @example
 * commandOf(['node', 'strata', '--url', 'pglite:memory', 'push']) // => 'push'
 */
export function commandOf(argv: readonly string[]): string | undefined {
  for (let i = 2; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') return undefined;
    if (arg.startsWith('-')) {
      if (VALUE_OPTIONS.has(arg)) i++;
      continue;
    }
    // `strata help migrate` shows migrate's own help: load migrate.
    if (arg === 'help') {
      const next = argv[i + 1];
      return next !== undefined && COMMANDS.some((c) => c.name === next) ? next : undefined;
    }
    return COMMANDS.some((c) => c.name === arg) ? arg : undefined;
  }
  return undefined;
}
