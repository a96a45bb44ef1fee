import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { index, integer, pgTable, serial, text, timestamp, type PgColumnBuilderBase } from 'drizzle-orm/pg-core';
import { diffSnapshots } from '@strata/diff';
import { writeMigrations } from '@strata/workflow';
import { emptySnapshot, serializeSchema, type Snapshot } from '@strata/schema';
import type { BenchContext } from './bench-context.js';
import { Lazy } from './lazy.js';
import type { Project } from './size-fixtures.js';
import { writeDrizzleConfig, writeStrataConfig } from './tools.js';

interface TableState {
  name: string;
  ref: string | null;
  columns: { name: string; kind: 'text' | 'int' }[];
  indexes: string[];
}

/** The schema after `steps` small changes, and a description of the last one. */
function stateAfter(steps: number): { tables: TableState[]; last: { table: string; column?: string } } {
  const tables: TableState[] = [];
  let last: { table: string; column?: string } = { table: '' };
  let lastTextColumn: { table: TableState; column: string } | null = null;
  for (let i = 1; i <= steps; i++) {
    const target = tables.length ? tables[Math.floor(i / 4) % tables.length]! : null;
    switch (i % 4) {
      case 1: {
        const name = `m_${String(i).padStart(3, '0')}`;
        tables.push({ name, ref: tables.at(-1)?.name ?? null, columns: [], indexes: [] });
        last = { table: name };
        break;
      }
      case 2:
        target!.columns.push({ name: `c_${i}`, kind: 'text' });
        lastTextColumn = { table: target!, column: `c_${i}` };
        last = { table: target!.name, column: `c_${i}` };
        break;
      case 3:
        lastTextColumn!.table.indexes.push(lastTextColumn!.column);
        last = { table: lastTextColumn!.table.name, column: lastTextColumn!.column };
        break;
      default:
        target!.columns.push({ name: `n_${i}`, kind: 'int' });
        last = { table: target!.name, column: `n_${i}` };
    }
  }
  return { tables, last };
}

/** drizzle pg-core objects for a state, as a schema module's exports. */
function exportsOf(tables: TableState[]): Record<string, unknown> {
  const built = new Map<string, ReturnType<typeof pgTable>>();
  for (const t of tables) {
    const cols: Record<string, PgColumnBuilderBase> = {
      id: serial('id').primaryKey(),
      name: text('name').notNull(),
      createdAt: timestamp('created_at', { withTimezone: true }).defaultNow().notNull(),
    };
    const ref = t.ref ? built.get(t.ref)! : null;
    if (ref) cols.refId = integer('ref_id').references(() => (ref as unknown as { id: never }).id, { onDelete: 'cascade' });
    for (const c of t.columns) cols[c.name] = c.kind === 'text' ? text(c.name) : integer(c.name).default(0).notNull();
    const table = pgTable(t.name, cols, (tb) => t.indexes.map((c) => index(`${t.name}_${c}_idx`).on((tb as Record<string, never>)[c]!)));
    built.set(t.name, table);
  }
  return Object.fromEntries(built);
}

export interface SmallMigrationsFolders {
  strata: Project;
  drizzle: Project;
  count: number;
  tables: number;
  last: { table: string; column?: string };
}

/**
 * `count` small migrations (a new table, a new column, an index on it, a column with a default, in
 * turn), written as Strata's `generate` writes them (up, down, snapshot, integrity file; made here
 * in-process with the same functions, since 200 CLI runs would take minutes) and, with the same
 * SQL, as a drizzle-kit folder (`meta/_journal.json`), so both runners apply identical statements.
 */
export class SmallMigrations {
  constructor(private readonly ctx: BenchContext, readonly count: number) {}

  readonly folders = new Lazy(async (): Promise<SmallMigrationsFolders> => {
    const sDir = this.ctx.freshDir(`s-small-${this.count}`);
    const dDir = this.ctx.freshDir(`d-small-${this.count}`);
    const strata: Project = { dir: sDir, out: join(sDir, 'migrations'), config: '' };
    strata.config = writeStrataConfig(sDir, { out: strata.out });
    const drizzle: Project = { dir: dDir, out: join(dDir, 'drizzle'), config: '' };
    drizzle.config = writeDrizzleConfig(dDir, { out: drizzle.out });
    mkdirSync(join(drizzle.out, 'meta'), { recursive: true });

    const journal = { version: '7', dialect: 'postgresql', entries: [] as { idx: number; version: string; when: number; tag: string; breakpoints: boolean }[] };
    const start = Date.UTC(2025, 0, 1);
    let prev: Snapshot = emptySnapshot();
    for (let i = 1; i <= this.count; i++) {
      const next = serializeSchema(exportsOf(stateAfter(i).tables));
      const diff = await diffSnapshots(prev, next);
      // Written by generate's own writer; the parts of a split diff get the following seconds.
      const now = new Date(start + (journal.entries.length + 1) * 1000);
      for (const m of writeMigrations(strata.out, diff, next, { name: `step_${i}`, now })) {
        const tag = `${String(journal.entries.length).padStart(4, '0')}_${m.name.replace(/^\d+_/, '')}`;
        writeFileSync(join(drizzle.out, `${tag}.sql`), m.up);
        journal.entries.push({ idx: journal.entries.length, version: '7', when: start + (journal.entries.length + 1) * 1000, tag, breakpoints: true });
      }
      prev = next;
    }
    writeFileSync(join(drizzle.out, 'meta/_journal.json'), JSON.stringify(journal, null, 2));
    const final = stateAfter(this.count);
    return { strata, drizzle, count: journal.entries.length, tables: final.tables.length, last: final.last };
  });
}
