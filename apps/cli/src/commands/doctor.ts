import type { Command } from 'commander';
import { isStrataError } from '@strata/core';
import { parseDatabaseUrl, describeTarget } from '@strata/db';
import type { CommandContext } from '../context.js';
import { action, EXIT } from '../run-action.js';

export interface DoctorReport {
  ok: boolean;
  database: { url: string; source: string; backend: 'postgres' | 'pglite' };
  reachable: boolean;
  server?: { version: string; versionNum: number; database: string; user: string };
  config: string | null;
  error?: { code: string; message: string; hint?: string };
  ms: number;
}

/**
 * Which database is used, its version, whether it is reachable.
 *
 * @example
 * const report = await doctor(ctx); if (!report.reachable) …
 */
export async function doctor(ctx: CommandContext): Promise<DoctorReport> {
  const started = Date.now();
  const resolved = ctx.databaseUrl();
  const target = parseDatabaseUrl(resolved.url, resolved.source === 'default' || resolved.source === 'config' ? ctx.config.dir : ctx.cwd);
  const report: DoctorReport = {
    ok: false,
    database: { url: describeTarget(target), source: resolved.source, backend: target.kind },
    reachable: false,
    config: ctx.config.file,
    ms: 0,
  };
  try {
    const db = await ctx.openDb();
    const info = await db.serverInfo();
    report.reachable = true;
    report.ok = true;
    report.server = { version: info.version, versionNum: info.versionNum, database: info.database, user: info.user };
  } catch (e) {
    if (!isStrataError(e)) throw e;
    report.error = { code: e.code, message: e.message, hint: e.hint };
  }
  report.ms = Date.now() - started;
  return report;
}

export function registerDoctor(program: Command, state: { exitCode: number }): Command {
  return program
    .command('doctor')
    .description('show which database is used, its server version, and whether it is reachable')
    .addHelpText('after', '\nExamples:\n  $ strata doctor\n  $ strata doctor --url postgres://app@localhost:5432/app --json')
    .action(
      action(state, async (ctx) => {
        const r = await doctor(ctx);
        const c = ctx.out.colors;
        const sources = { flag: '--url', config: 'config dbUrl', env: 'DATABASE_URL', default: 'embedded default' } as const;
        ctx.out.line(`database  ${r.database.url}  ${c.dim(`(${r.database.backend}, from ${sources[r.database.source as keyof typeof sources]})`)}`);
        ctx.out.line(`config    ${r.config ?? c.dim('none')}`);
        if (r.server) {
          ctx.out.line(`server    ${r.server.version.split(' on ')[0]}`);
          ctx.out.line(`connected ${c.green('yes')} as ${r.server.user} to ${r.server.database} ${c.dim(`(${r.ms} ms)`)}`);
        } else {
          ctx.out.line(`connected ${c.red('no')}`);
          ctx.out.info(`${c.red(c.bold('error'))} ${r.error?.message}`);
          if (r.error?.hint) ctx.out.info(`${c.cyan('hint')} ${r.error.hint}`);
        }
        ctx.out.result(r);
        return r.ok ? EXIT.ok : EXIT.failure;
      }),
    );
}
