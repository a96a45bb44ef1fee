import { Option, type Command } from 'commander';

// Apart from fleet.ts, which loads @strata/fleet (and with it the diff and the schema loader):
// migrate, status, check and rollback declare the options without loading any of that.

/** The flags that make migrate, status and check run over many targets (docs/fleet.md). */
export interface FleetFlags {
  all?: boolean;
  targets?: string;
  concurrency?: string;
  failFast?: boolean;
  canary?: string;
}

/**
 * Adds `--all`, `--targets`, `--concurrency`, `--fail-fast` and `--canary` to a command.
 *
 * @example
 * addFleetOptions(program.command('migrate'))
 */
export function addFleetOptions(cmd: Command): Command {
  return cmd
    .option('--all', 'run on every target of the config\'s `targets` (docs/fleet.md)')
    .option('--targets <file>', 'run on every target of this JSON file (an array of URLs, or of { url, schema?, name? })')
    .addOption(new Option('--concurrency <n>', 'with --all/--targets: targets at once per server, one connection each (default 4)'))
    .option('--fail-fast', 'with --all/--targets: start no further target once one failed')
    .option('--canary <n>', 'with --all/--targets: run the first n targets first; stop if one fails');
}

/** True when the flags ask for a fleet run. */
export const isFleetRun = (flags: FleetFlags): boolean => Boolean(flags.all || flags.targets);
