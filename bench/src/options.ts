import { parseArgs } from 'node:util';
import { expandRowIds, ROW_GROUPS, ROW_IDS } from './rows/catalog.js';

export interface BenchOptions {
  sizes: number[];
  reps: number;
  /** Row ids to run, or null for all. */
  only: string[] | null;
  quick: boolean;
  json: boolean;
  /** A PostgreSQL server to use instead of starting one (its user must create databases). */
  url: string | undefined;
  smallMigrations: number;
  /** Rows of the backup and data-migration databases. */
  rows: number;
  /** Rows of the large table in the write-stall rows, one result row each. */
  stallRows: number[];
  /** How long the lock-queue case's read transaction stays open, ms. */
  stallReaderMs: number;
  /** Databases of the fleet row. */
  fleetDbs: number;
  /** The other tool is not run above this many tables (null: no cap). */
  otherMaxTables: number | null;
  timeoutS: number;
  /** A side whose run took longer is not repeated. */
  onceAfterS: number;
  /** Where the Markdown goes; default results/latest.md for a full run, else results/partial.md. */
  out: string | undefined;
  keep: boolean;
  /** Put this run's rows into results/latest.md (and .json) in place of the same rows. */
  merge: boolean;
}

export const USAGE = `Usage: pnpm bench [options]

Times Strata and drizzle-kit (or the obvious alternative) on the same work, on a PostgreSQL 15
server it starts, and writes a Markdown table to bench/results/latest.md.

  --sizes 100,300,1000,3000   schema sizes in tables
  --reps 3                    repetitions per row and size (alternating which tool goes first)
  --only generate,pull        only these rows: ${ROW_IDS.join(', ')}
                              (or a group: ${ROW_GROUPS.join(', ')})
  --quick                     small sizes, one repetition, every row (the test suite runs this)
  --json                      print the report as JSON on stdout
  --url postgres://…          use this server instead of starting one (needs CREATEDB)
  --small-migrations 200      migrations in the "apply N small migrations" row
  --rows 1000000              rows for the backup/restore and data-migration rows
  --stall-rows 200000,2000000 rows of the table the write-stall rows change (one result row each)
  --stall-reader-ms 5000      how long the lock-queue row's reader stays open after the ALTER queued
  --fleet-dbs 200             databases of the fleet row (migrate --targets against a shell loop)
  --other-max-tables n        do not run the other tool above n tables
  --timeout 900               seconds before a run is stopped and reported as timed out
  --once-after 120            seconds after which a run is not repeated
  --out file.md               where to write the Markdown
  --merge                     put this run's rows into results/latest.md in place of the same rows
                              (without results/latest.json: --only stall replaces its own section,
                              --only other rows replace or add their lines in the table)
  --keep                      keep the work directory (bench/.work/…)`;

const int = (name: string, v: string, min = 1): number => {
  const n = Number(v.replace(/[_,]/g, ''));
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}, got "${v}"`);
  return n;
};

/**
 * Parses the command line.
 *
 * @example
 * parseOptions(['--sizes', '100,300', '--reps', '5']);
 */
export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      sizes: { type: 'string' },
      reps: { type: 'string' },
      only: { type: 'string' },
      quick: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      url: { type: 'string' },
      'small-migrations': { type: 'string' },
      rows: { type: 'string' },
      'stall-rows': { type: 'string' },
      'stall-reader-ms': { type: 'string' },
      'fleet-dbs': { type: 'string' },
      'other-max-tables': { type: 'string' },
      timeout: { type: 'string' },
      'once-after': { type: 'string' },
      out: { type: 'string' },
      keep: { type: 'boolean', default: false },
      merge: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) throw Object.assign(new Error(USAGE), { usage: true });
  const quick = values.quick!;
  const asked = values.only ? values.only.split(',').map((s) => s.trim()).filter(Boolean) : null;
  for (const id of asked ?? []) if (!ROW_IDS.includes(id) && !ROW_GROUPS.includes(id)) throw new Error(`--only: unknown row "${id}"; rows: ${ROW_IDS.join(', ')}; groups: ${ROW_GROUPS.join(', ')}`);
  const only = asked ? expandRowIds(asked) : null;
  return {
    sizes: values.sizes ? values.sizes.split(',').map((s) => int('sizes', s.trim(), 2)) : quick ? [20] : [100, 300, 1000, 3000],
    reps: values.reps ? int('reps', values.reps) : quick ? 1 : 3,
    only,
    quick,
    json: values.json!,
    url: values.url,
    smallMigrations: values['small-migrations'] ? int('small-migrations', values['small-migrations']) : quick ? 8 : 200,
    rows: values.rows ? int('rows', values.rows) : quick ? 5000 : 1_000_000,
    stallRows: values['stall-rows'] ? values['stall-rows'].split(',').map((s) => int('stall-rows', s.trim())) : quick ? [20_000] : [200_000, 2_000_000],
    stallReaderMs: values['stall-reader-ms'] ? int('stall-reader-ms', values['stall-reader-ms']) : quick ? 1500 : 5000,
    fleetDbs: values['fleet-dbs'] ? int('fleet-dbs', values['fleet-dbs']) : quick ? 6 : 200,
    otherMaxTables: values['other-max-tables'] ? int('other-max-tables', values['other-max-tables']) : null,
    timeoutS: values.timeout ? int('timeout', values.timeout) : 900,
    onceAfterS: values['once-after'] ? int('once-after', values['once-after']) : 120,
    out: values.out,
    keep: values.keep!,
    merge: values.merge!,
  };
}
