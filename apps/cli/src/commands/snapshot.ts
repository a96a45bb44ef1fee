import type { Command } from 'commander';
import {
  createTableSnapshot, dropTableSnapshot, listTableSnapshots, parseTableList, restoreTableSnapshot,
  type SnapshotRestoreResult, type SnapshotResult, type SnapshotSummary,
} from '@strata/backup';
import { refuseInProduction, StrataError, formatCount } from '@strata/core';
import type { CommandContext } from '../context.js';
import { action, EXIT } from '../run-action.js';
import { formatBytes } from './backup-progress.js';

const plural = (n: number, word: string) => `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;

/**
 * Copies tables into the schema `strata_snapshot_<name>`: `tables` as `--tables a,b` gives them,
 * else every table of the managed schemas (config `schemas`, else every user schema).
 *
 * @example
 * await snapshotCreate(ctx, 'before-v2', { tables: 'users,orders' });
 */
export async function snapshotCreate(ctx: CommandContext, name: string, flags: { tables?: string } = {}): Promise<SnapshotResult> {
  const db = await ctx.openDb('default', 'write');
  return createTableSnapshot(db, name, {
    tables: flags.tables === undefined ? undefined : parseTableList(flags.tables),
    schemas: ctx.config.schemas,
    onProgress: (p) => { if (p.table) ctx.out.debug(`copying ${p.table}`); },
  });
}

/**
 * Puts a snapshot's rows back into its tables, in one transaction, after a confirmation (rows
 * written since the snapshot are lost): `--yes` answers it; on a terminal Enter answers No.
 *
 * @example
 * const r = await snapshotRestore(ctx, 'before-v2'); console.log(r.changed);
 */
export async function snapshotRestore(ctx: CommandContext, name: string): Promise<SnapshotRestoreResult> {
  refuseInProduction(ctx.config, 'snapshot restore', 'It replaces the rows of live tables. Restore into a copy of the database, or write a data migration.');
  const db = await ctx.openDb('default', 'write');
  const found = (await listTableSnapshots(db)).find((s) => s.name === name);
  // A snapshot that does not exist is reported by the restore itself (NOT_FOUND), without asking.
  if (found) {
    const tables = found.tables.map((t) => `${t.schema}.${t.name}`);
    const ok = await ctx.confirm(
      `Replace every row of ${plural(tables.length, 'table')} (${tables.slice(0, 5).join(', ')}${tables.length > 5 ? ', …' : ''}) in ${db.displayUrl} with snapshot ${name}'s ${plural(found.rows, 'row')}? Changes made since ${found.createdAt.slice(0, 19).replace('T', ' ')} UTC are lost.`,
      'Pass --yes to restore the snapshot without a terminal.',
    );
    if (!ok) throw new StrataError('REFUSED', 'snapshot restore cancelled: nothing was changed');
  }
  return restoreTableSnapshot(db, name, {
    onProgress: (p) => { if (p.table) ctx.out.debug(`restoring ${p.table}`); },
  });
}

/** Every snapshot in the database, newest first. */
export async function snapshotList(ctx: CommandContext): Promise<SnapshotSummary[]> {
  return listTableSnapshots(await ctx.openDb());
}

/** Drops a snapshot's schema. */
export async function snapshotDrop(ctx: CommandContext, name: string): Promise<{ name: string; tables: number }> {
  return dropTableSnapshot(await ctx.openDb('default', 'write'), name);
}

export function registerSnapshot(program: Command, state: { exitCode: number }): Command {
  const snapshot = program
    .command('snapshot')
    .description('in-database copies of tables (schema strata_snapshot_<name>) to put rows back after a change')
    .addHelpText('after', `
Snapshot names use letters, digits, "_" and "-". Tables are named as in SQL: schema.table, with
double quotes around a part that holds capitals, dots or spaces.

Examples:
  $ strata snapshot create before-v2
  $ strata snapshot create before-v2 --tables users,auth.sessions
  $ strata snapshot restore before-v2
  $ strata snapshot list --json
  $ strata snapshot drop before-v2`);

  snapshot
    .command('create')
    .argument('<name>', 'the snapshot name, e.g. before-v2')
    .option('--tables <list>', 'comma-separated tables (default: every table of the managed schemas)')
    .description('copy tables into the schema strata_snapshot_<name>')
    .addHelpText('after', '\nExamples:\n  $ strata snapshot create before-v2\n  $ strata snapshot create before-v2 --tables users,auth.sessions,\'"My Table"\'')
    .action(action(state, async (ctx, name: string, flags: { tables?: string }) => {
      const r = await snapshotCreate(ctx, name, flags);
      ctx.out.line(`Snapshot ${r.name}: ${plural(r.tables.length, 'table')}, ${plural(r.rows, 'row')} ${ctx.out.colors.dim(`(schema ${r.schema})`)}`);
      ctx.out.result({ ok: true, ...r });
      return EXIT.ok;
    }));

  snapshot
    .command('restore')
    .argument('<name>', 'the snapshot to put back')
    .description("replace the tables' rows with the snapshot's, in one transaction")
    .addHelpText('after', '\nAsks first (Enter answers No); --yes answers without a terminal.\n\nExamples:\n  $ strata snapshot restore before-v2\n  $ strata snapshot restore before-v2 --yes --json')
    .action(action(state, async (ctx, name: string) => {
      const r = await snapshotRestore(ctx, name);
      const c = ctx.out.colors;
      ctx.out.line(`Restored snapshot ${r.name}: ${plural(r.tables.length, 'table')}, ${plural(r.rows, 'row')}`);
      for (const t of r.tables) {
        const notes = [
          t.droppedColumns.length ? `not restored (column gone): ${t.droppedColumns.join(', ')}` : '',
          t.newColumns.length ? `filled by default (new column): ${t.newColumns.join(', ')}` : '',
          t.retypedColumns.length ? `cast to the new type: ${t.retypedColumns.map((x) => `${x.name} ${x.from} → ${x.to}`).join(', ')}` : '',
        ].filter(Boolean);
        if (notes.length) ctx.out.info(`${c.yellow('changed since the snapshot')} ${t.schema}.${t.name}: ${notes.join('; ')}`);
      }
      ctx.out.result({ ok: true, ...r });
      return EXIT.ok;
    }));

  snapshot
    .command('list')
    .description('list the snapshots: name, time, tables, rows, size')
    .addHelpText('after', '\nExamples:\n  $ strata snapshot list\n  $ strata snapshot list --json')
    .action(action(state, async (ctx) => {
      const list = await snapshotList(ctx);
      if (list.length === 0) ctx.out.line('No snapshots.');
      else {
        const w = Math.max(4, ...list.map((s) => s.name.length));
        ctx.out.line(`${'name'.padEnd(w)}  ${'created (UTC)'.padEnd(19)}  ${'tables'.padStart(6)}  ${'rows'.padStart(12)}  ${'size'.padStart(8)}`);
        for (const s of list) {
          ctx.out.line(`${s.name.padEnd(w)}  ${s.createdAt.slice(0, 19).replace('T', ' ')}  ${String(s.tables.length).padStart(6)}  ${formatCount(s.rows).padStart(12)}  ${formatBytes(s.bytes).padStart(8)}`);
        }
      }
      ctx.out.result({ ok: true, snapshots: list });
      return EXIT.ok;
    }));

  snapshot
    .command('drop')
    .argument('<name>', 'the snapshot to drop')
    .description('drop a snapshot (its schema and copies)')
    .addHelpText('after', '\nExamples:\n  $ strata snapshot drop before-v2')
    .action(action(state, async (ctx, name: string) => {
      const r = await snapshotDrop(ctx, name);
      ctx.out.line(`Dropped snapshot ${r.name} (${plural(r.tables, 'table')})`);
      ctx.out.result({ ok: true, ...r });
      return EXIT.ok;
    }));

  return snapshot;
}
