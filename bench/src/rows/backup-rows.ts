import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pgTool, type BenchServer } from '../bench-server.js';
import { backupTables } from '../data-fixtures.js';
import { strata } from '../tools.js';
import { expect } from '../db-checks.js';
import { freshDatabase, type RowDef } from './row-def.js';

async function expectRows(server: BenchServer, db: string, rows: number, who: string): Promise<void> {
  const want = backupTables(rows);
  await server.withClient(db, async (c) => {
    const r = await c.query<{ customers: string; orders: string }>('select (select count(*) from customers)::text as customers, (select count(*) from orders)::text as orders');
    const got = r.rows[0]!;
    expect(Number(got.customers) === want.customers && Number(got.orders) === want.orders,
      `${who}: restored ${got.customers} customers and ${got.orders} orders, expected ${want.customers} and ${want.orders}`);
  });
}

/** A whole-database backup of a database holding `rows` rows. */
export const backupRow: RowDef = {
  id: 'backup',
  title: 'backup (whole database)',
  needs: ['backup'],
  sized: false,
  otherLabel: 'pg_dump -Fc',
  scenario: ({ ctx, data }) => {
    const side = (label: string, tool: 'strata' | 'pg_dump') => ({
      label,
      async prepare() {
        const source = ctx.server.url(await data.backupDb.get());
        const dir = ctx.freshDir('backup');
        const file = join(dir, tool === 'strata' ? 'bench.strata.gz' : 'bench.dump');
        let kept = false;
        return {
          steps: [tool === 'strata'
            ? strata(['backup', '--out', file], { cwd: dir, url: source })
            : { cmd: pgTool(ctx.server, 'pg_dump'), args: ['-Fc', '-f', file, '-d', source], cwd: dir }],
          async verify() {
            expect(existsSync(file) && statSync(file).size > 0, `${label} wrote no file`);
            kept = tool === 'strata' ? data.strataBackupFile.offer(file) : data.pgDumpFile.offer(file);
            return `file ${(statSync(file).size / 1024 / 1024).toFixed(1)} MB`;
          },
          async cleanup() {
            if (!kept) ctx.removeDir(dir);
          },
        };
      },
    });
    return { row: 'backup', size: data.rows, strata: side('strata backup', 'strata'), other: side('pg_dump -Fc', 'pg_dump') };
  },
};

/** Restoring that backup into an empty database; both all-or-nothing (Strata restores in one transaction). */
export const restoreRow: RowDef = {
  id: 'restore',
  title: 'restore into an empty database',
  needs: ['backup', 'restore'],
  sized: false,
  otherLabel: 'pg_restore --single-transaction',
  scenario: ({ ctx, data }) => {
    const side = (label: string, tool: 'strata' | 'pg_restore') => ({
      label,
      async prepare() {
        const file = await (tool === 'strata' ? data.strataBackupFile : data.pgDumpFile).get();
        const db = await freshDatabase(ctx, tool === 'strata' ? 'rs_s' : 'rs_d');
        return {
          steps: [tool === 'strata'
            ? strata(['restore', file], { cwd: ctx.workDir, url: db.url })
            : { cmd: pgTool(ctx.server, 'pg_restore'), args: ['--exit-on-error', '--single-transaction', '-d', db.url, file], cwd: ctx.workDir }],
          async verify() {
            await expectRows(ctx.server, db.name, data.rows, label);
          },
          cleanup: db.drop,
        };
      },
    });
    return { row: 'restore', size: data.rows, strata: side('strata restore', 'strata'), other: side('pg_restore --single-transaction', 'pg_restore') };
  },
};
