import { Command, CommanderError, Option } from 'commander';
import { COMMANDS } from './commands/index.js';
import { EXIT } from './run-action.js';
import { VERSION } from './version.js';

/** Builds the `strata` program; `state.exitCode` receives each action's exit code. */
export function buildProgram(state: { exitCode: number }): Command {
  const program = new Command('strata')
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
Database: --url › config dbUrl › DATABASE_URL › embedded PGlite in .strata/pglite beside the config.
Exit codes: 0 success, 1 failure or problems found, 2 usage error or input needed.

Examples:
  $ strata generate --name add_phone_number
  $ strata migrate
  $ strata status --json
  $ strata doctor --url postgres://app@localhost:5432/app`);
  for (const register of COMMANDS) {
    const cmd = register(program, state);
    cmd.exitOverride();
  }
  return program;
}

/**
 * Runs `strata` with the given argv (as `process.argv`) and returns the exit code.
 *
 * @example
 * process.exitCode = await main(process.argv);
 */
export async function main(argv: string[]): Promise<number> {
  const state = { exitCode: EXIT.ok as number };
  const program = buildProgram(state);
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT.ok;
      // commander exits 1 on usage errors; our contract says 2.
      return EXIT.usage;
    }
    throw e;
  }
  return state.exitCode;
}
