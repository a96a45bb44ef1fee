import { Command, CommanderError, Help, Option } from 'commander';
import { COMMANDS } from './commands/index.js';
import { EXIT } from './exit-codes.js';
import { prefetchSources } from './prefetch.js';
import { VERSION } from './version.js';

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

/**
 * Builds the `strata` program; `state.exitCode` receives each action's exit code. With `only`,
 * just that command is registered (and its modules loaded); with `full`, every command is;
 * otherwise every command is listed by name and summary only, enough for `--help`, `--version`
 * and suggestions after a typo.
 *
 * @example
 * const program = await buildProgram({ exitCode: 0 }, undefined, true);
 */
export async function buildProgram(state: { exitCode: number; usageErrors?: string[] }, only?: string, full = false): Promise<Command> {
  const program = new Command('strata');
  // With --json, commander's own usage errors (an unknown command, a missing argument) are kept
  // for one JSON object on stdout instead of text on stderr. Set before any command is added:
  // commands copy their parent's output settings when they are created.
  const usageErrors = state.usageErrors;
  if (usageErrors) program.configureOutput({ writeErr: (s) => { usageErrors.push(s); } });
  // Every command's --help lists the global flags it honours (--url, --json, --yes, …).
  program.configureHelp({ showGlobalOptions: true });
  program
    .description('Schema migrations for PostgreSQL and drizzle-orm: generate, migrate, push, pull, check, rollback, backup.')
    .version(VERSION, '-V, --version')
    .option('--config <file>', 'config file (default: strata.config.{ts,mts,js,mjs} here)')
    .option('--url <url>', 'database URL: postgres://…, pglite:<dir> or pglite:memory')
    .option('--json', 'machine-readable output on stdout')
    .addOption(new Option('-y, --yes', 'answer yes to every confirmation'))
    .option('--verbose', 'more detail, and stack traces on errors')
    .showHelpAfterError('(run with --help for usage)')
    .showSuggestionAfterError(true)
    .enablePositionalOptions(false)
    .exitOverride();
  program.addHelpText('after', `
Database: --url › config dbUrl › DATABASE_URL › embedded PGlite in .strata/pglite beside the config
(the embedded default only with a terminal and CI unset for commands that change a database; an
explicit pglite: URL always works).
Exit codes: 0 success, 1 failure or problems found, 2 usage error or input needed.

Examples:
  $ strata generate --name add_phone_number
  $ strata migrate
  $ strata status --json
  $ strata doctor --url postgres://app@localhost:5432/app`);
  if (only === undefined && !full) {
    // No command named (`--help`, `--version`, a typo): the help lists every command, and a typo
    // gets a suggestion, from names and summaries alone — loading the commands' modules (drizzle,
    // esbuild, the studio's server…) would be most of the time `strata --version` takes.
    const terms = new Map(COMMANDS.map((c) => [c.name, c.term]));
    program.configureHelp({ showGlobalOptions: true, subcommandTerm: (cmd) => terms.get(cmd.name()) ?? new Help().subcommandTerm(cmd) });
    for (const c of COMMANDS) program.command(c.name).description(c.summary).exitOverride();
    return program;
  }
  const wanted = COMMANDS.filter((c) => only === undefined || c.name === only);
  for (const register of await Promise.all(wanted.map((c) => c.load()))) {
    const cmd = register(program, state);
    cmd.exitOverride();
  }
  return program;
}

/** True when `--json` comes before any `--` in argv. */
function jsonRequested(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes('--json');
}

/**
 * Runs `strata` with the given argv (as `process.argv`) and returns the exit code.
 *
 * @example
 * process.exitCode = await main(process.argv);
 */
export async function main(argv: string[]): Promise<number> {
  const json = jsonRequested(argv);
  const state = { exitCode: EXIT.ok as number, usageErrors: json ? ([] as string[]) : undefined };
  const command = commandOf(argv);
  prefetchSources(argv, command, process.cwd());
  const program = await buildProgram(state, command);
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT.ok;
      // commander exits 1 on usage errors; our contract says 2.
      if (json) {
        const text = (state.usageErrors ?? []).join('').replace(/\n?\(run with --help for usage\)\n?/, '').trim();
        const message = text.replace(/^error: /, '').split('\n')[0] ?? e.message;
        const hint = text.split('\n').slice(1).join(' ').trim().replace(/^\((.*)\)$/, '$1') || 'Run with --help for usage.';
        process.stdout.write(`${JSON.stringify({ ok: false, error: { code: 'USAGE', message, hint } }, null, 2)}\n`);
      }
      return EXIT.usage;
    }
    throw e;
  }
  return state.exitCode;
}
