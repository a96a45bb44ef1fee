import type { BenchReport, RowResult, SideResult } from './results.js';
import { isFleetRow, renderFleetSection } from './fleet/fleet-report.js';
import { isStallRow, renderStallSection } from './stall/stall-report.js';
import { judgeTargets, targetLine } from './targets.js';

const fmtS = (ms: number) => (ms < 10_000 ? `${(ms / 1000).toFixed(2)} s` : `${(ms / 1000).toFixed(1)} s`);
const fmtMb = (kb: number | null) => (kb === null ? '–' : `${Math.round(kb / 1024)} MB`);
const n = (v: number) => v.toLocaleString('en-US');

function sizeLabel(r: RowResult): string {
  if (r.size === null) return '';
  if (r.row === 'migrate-small') return `${n(r.size)} migrations`;
  if (r.row === 'backup' || r.row === 'restore' || r.row === 'data') return `${n(r.size)} rows`;
  return `${n(r.size)} tables`;
}

/** Footnotes shared by the table's cells. */
class Notes {
  readonly list: string[] = [];
  ref(notes: string[]): string {
    return notes.map((t) => {
      let i = this.list.indexOf(t);
      if (i < 0) i = this.list.push(t) - 1;
      return `[${i + 1}]`;
    }).join('');
  }
}

function cells(side: SideResult, notes: Notes): [string, string] {
  const mark = side.notes.length ? ` ${notes.ref(side.notes)}` : '';
  switch (side.status) {
    case 'ok':
      return [`${fmtS(side.medianMs!)}${mark}`, fmtMb(side.medianPeakKb)];
    case 'timeout':
      return [`timed out${mark}`, '–'];
    case 'failed':
      return [`failed${mark}`, '–'];
    case 'skipped':
      return [`not run${mark}`, '–'];
    case 'unavailable':
      return [`n/a${mark}`, '–'];
    default: {
      const never: never = side.status;
      throw new Error(`unknown status ${String(never)}`);
    }
  }
}

function ratio(r: RowResult): string {
  if (r.speedup === null) return '–';
  return r.speedup >= 1 ? `**${r.speedup >= 10 ? r.speedup.toFixed(0) : r.speedup.toFixed(1)}× faster**` : `${(1 / r.speedup).toFixed(1)}× slower`;
}

/**
 * The results page: the machine, how the numbers were taken, one table of every row, and the
 * speed targets of the other issues judged on it.
 *
 * @example
 * writeFileSync('bench/results/latest.md', renderMarkdown(report));
 */
export function renderMarkdown(report: BenchReport): string {
  const m = report.machine;
  const o = report.options;
  const notes = new Notes();
  const lines: string[] = [
    '# Strata beside drizzle-kit',
    '',
    `Measured ${report.startedAt.slice(0, 16).replace('T', ' ')} UTC${o.quick ? ' (quick mode: small sizes, one run; not for comparison)' : ''} with \`pnpm bench${o.quick ? ' --quick' : ''}\`.`,
    '',
    `- Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB memory; ${m.os}`,
    `- Load average (1/5/15 min) at start ${m.loadAverage.join(' / ')}${m.loadAverageEnd ? `, at end ${m.loadAverageEnd.join(' / ')}` : ''} (other work on the machine slows both sides)`,
    `- Strata built from ${m.strataRevision ?? 'an unknown revision'}${m.buildChanged ? ' — **the build changed while the benchmark ran: rows measured before and after differ in Strata\'s code**' : ''}`,
    `- Node ${m.node}; ${m.postgres} (local${m.postgresSettings ? `; ${m.postgresSettings}` : ''}); drizzle-kit ${m.drizzleKit}${m.drizzleKitRc ? ` and ${m.drizzleKitRc} (the rows comparing with 1.0-rc)` : ''}`,
    `- Each time is the median of ${o.reps} run${o.reps > 1 ? 's' : ''} (fewer where a note says so), wall clock from process start to exit, as a user waits for the command: Node start-up and loading the tool included. The two sides alternate which goes first; every run starts from a fresh copy of the database or a fresh directory.`,
    '- Cold: every run is a fresh process, as a user runs the command (`node apps/cli/dist/bin.js …`, drizzle-kit from its bin), from the project folder with its config; no cache of any kind is kept between runs (jiti\'s file cache is off, Strata keeps none of its own), only the operating system\'s file cache is warm.',
    `- Peak memory: the largest process's peak RSS (${m.memorySource}); the PostgreSQL server's memory is not counted.`,
    `- Last column: the other side's time ÷ Strata's; "faster" means Strata took less time.`,
    ...(report.merged ?? []).map((m) => `- Re-measured ${m.at.slice(0, 16).replace('T', ' ')} UTC (\`--merge\`, Strata ${m.revision ?? 'unknown'}, ${m.reps} run${m.reps > 1 ? 's' : ''}, load ${m.loadAverage.join(' / ')}): ${m.rows.join(', ')}`),
    '',
    '| work | size | Strata | time | peak memory | compared with | time | peak memory | Strata is |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of report.rows.filter((row) => !isStallRow(row) && !isFleetRow(row))) {
    const [st, sm] = cells(r.strata, notes);
    const [ot, om] = cells(r.other, notes);
    lines.push(`| ${r.title} | ${sizeLabel(r)} | \`${r.strata.label}\` | ${st} | ${sm} | \`${r.other.label}\` | ${ot} | ${om} | ${ratio(r)} |`);
  }
  if (notes.list.length) {
    lines.push('');
    notes.list.forEach((t, i) => lines.push(`${i + 1}. ${t.replace(/\|/g, '\\|')}`));
  }
  lines.push('', ...renderStallSection(report.rows, o.stallReaderMs ?? 5000));
  if (lines.at(-1) !== '') lines.push('');
  lines.push(...renderFleetSection(report.rows));
  if (lines.at(-1) !== '') lines.push('');
  lines.push('## Targets from the issues', '');
  if (o.quick) lines.push('Quick mode measures start-up more than work: the targets are judged on a full run only.');
  else lines.push('| issue | target | verdict | measured |', '|---|---|---|---|');
  for (const v of o.quick ? [] : judgeTargets(report.rows)) {
    lines.push(targetLine(v));
  }
  lines.push(
    '',
    '## What each row does',
    '',
    '- Schemas: N tables of 8–12 columns (serial key, varchar, text, numeric, integer, boolean, jsonb, uuid, bigint, timestamps, dates, two enums), defaults, one or two indexes, one or two foreign keys to earlier tables; the same code for both tools.',
    '- generate / migrate: each tool generates its own folder from an empty one and applies it to an empty database. pull, push, check, drop run on a database the same tool migrated.',
    '- push, one added column: the schema code with one more nullable column; both tools with `--force`, checked by reading the catalog afterwards.',
    '- beside drizzle-kit 1.0-rc: the same generate, pull and push (no change); drizzle-kit 1.0-rc runs the same schema code on drizzle-orm 1.0-rc, pull and push on a database its own generate + migrate built; Strata\'s side is measured again in the same run, so each ratio is paired.',
    '- check: Strata compares database, history and code. drizzle-kit has no equivalent: its `check` only reads the folder, and a push printing "No changes detected" is its only way to see the database agrees, so it runs both.',
    '- rollback: Strata runs the add-column migration\'s down file. drizzle-kit has none; the guide\'s option 1 is a hand-written reverse migration (`generate --custom`) applied with `drizzle-kit migrate`.',
    '- drop: drizzle-kit `drop` only deletes a migration file, so psql dropping the schema stands in.',
    '- status / migrate, nothing to do: on a copy of the database the tool migrated, with its own folder (nothing pending); drizzle-kit has no status command, so that side is not applicable.',
    "- on the embedded database (PGlite): each tool's generated migration applied to a fresh copy of an empty PGlite data directory, and `migrate` run again on a copy of a directory the tool migrated (nothing to apply); drizzle-kit with `driver: 'pglite'`, both on PGlite 0.5.16. Strata runs PGlite's WebAssembly on V8's baseline compiler for these commands (docs/postgres-behaviour.md).",
    '- start-up (--version, --help): in an empty folder, no config and no database: what starting the tool costs.',
    `- apply N small migrations: a table, a column, an index, a column with a default, in turn; Strata's folder is written by its generator (in-process), the drizzle-kit folder holds the same SQL.`,
    '- backup / restore: a database of customers and orders (a foreign key, an enum, identity and serial keys, indexes) holding the row count shown; pg_dump in its custom format (compressed); both restore into an empty database in one transaction (`pg_restore --single-transaction`), as Strata always does.',
    '- write stalls: tables `stall_owners` (1,000 rows) and `stall_items` (the size shown: bigserial key, owner_id, amount integer, note text, created_at); the changes: an index on created_at, a foreign key owner_id → stall_owners, note SET NOT NULL, amount integer → bigint, and a nullable column added while another connection holds a read transaction on the table. Strata generates its lock-safe recipes by default (for integer → bigint it stops with exit 2 without a terminal, so that row runs with `--unsafe-plans`, and the multi-step row runs `generate --multi-step`, `migrate` (expand and backfill) and `migrate --contract` (the swap), all three timed); drizzle-kit its plain statements.',
    '- many databases (#22): N empty databases on the one server, each migrated to the generated migration of a small schema: `strata migrate --targets … --concurrency 8` against a shell loop of `strata migrate --url …`, one process per database; the server\'s connections sampled from `pg_stat_activity`.',
    '- data migration: the guide\'s example (fill `full_name` from `name`) on every row: `strata data run` with `ctx.batch`, beside the guide\'s script (select all users, update one at a time with drizzle-orm) run with node.',
    '',
  );
  return lines.join('\n');
}
