import { Command, CommanderError, Help, Option } from 'commander';
import { COMMANDS } from './commands/index.js';
import { commandOf } from './command-of.js';
import { EXIT } from './exit-codes.js';
import { VERSION } from './version.js';

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
