import { spawn } from 'node:child_process';
import { InvalidArgumentError, type Command } from 'commander';
import { StrataError } from '@strata/core';
import type { DatabaseClient } from '@strata/db';
import { readMigrationFolder, status, type MigrationFolder } from '@strata/runner';
import { DEFAULT_PORT, shareEmbedded, startStudio, type ChecksumState, type ConsoleInfo, type MigrationView } from '@strata/studio';
import type { CommandContext } from '../context.js';
import { pendingMigrationSql, type ResolvedConfig } from '@strata/workflow';
import { progressPrinter } from '../render-progress.js';
import { action, EXIT } from '../run-action.js';

export interface StudioCommandOptions {
  /** Default 4983; 0 picks a free port. */
  port?: number;
  /** Open read-only (no row edits, no writing SQL) on any database. */
  readOnly?: boolean;
  /** Allow changes even though the config says `production: true`. */
  write?: boolean;
  /** The read-only console's login on a server (overrides the config's `readOnlyUrl`). */
  readOnlyUrl?: string;
}

/** A running `strata studio`. */
export interface StudioSession {
  /** The page, with its token: `http://127.0.0.1:4983/?token=…`. */
  url: string;
  port: number;
  /** Where the embedded database is served to other Strata processes; null on a server. */
  serveUrl: string | null;
  /** Why the studio cannot change anything, or null when it can. */
  readOnly: string | null;
  /** How the read-only console runs (`off` with the reason when no unprivileged login is available). */
  console: ConsoleInfo;
  close(): Promise<void>;
}

/** The checksum state of a migration file, from the runner's view of the folder and the history. */
function checksumOf(folder: MigrationFolder, file: string | null, state: MigrationView['state']): ChecksumState {
  if (state === 'missing') return 'missing-file';
  if (state === 'changed') return 'changed';
  for (const p of folder.problems) {
    if (p.kind === 'integrity' && p.files.some((f) => f.file === file && f.issue === 'changed')) return 'changed';
    if (p.kind === 'integrity' && p.sumFile !== 'ok') return 'unknown';
  }
  return 'ok';
}

/**
 * The migrations as the studio shows them, read fresh from the folder and the history table on
 * each call (so a `strata migrate` in another terminal shows up).
 */
export async function migrationViews(client: DatabaseClient, config: Pick<ResolvedConfig, 'out' | 'history'>): Promise<MigrationView[]> {
  const folder = readMigrationFolder(config.out);
  const report = await status(client, folder, { history: config.history });
  const byName = new Map(folder.migrations.map((m) => [m.name, m]));
  return report.migrations.map((e) => {
    const m = byName.get(e.name);
    return {
      name: e.name,
      state: e.state,
      appliedAt: e.appliedAt,
      durationMs: e.durationMs,
      checksum: checksumOf(folder, e.file, e.state),
      up: m?.up.sql ?? null,
      down: m?.down?.sql ?? null,
    };
  });
}

/**
 * Starts the studio on the command's database: serves an embedded database to other Strata
 * processes first (so `strata migrate` still works beside it), then the page on 127.0.0.1.
 *
 * @example
 * const s = await studio(ctx, { port: 4983 }); console.log(s.url); … await s.close();
 */
/**
 * Why the studio opens read-only, or null: `--read-only` on any database, `production: true` in
 * the config unless `--write` is given. Both flags at once is a usage error.
 */
export function studioReadOnly(config: Pick<ResolvedConfig, 'file' | 'production'>, options: Pick<StudioCommandOptions, 'readOnly' | 'write'>): string | null {
  if (options.readOnly && options.write) {
    throw new StrataError('USAGE', '--read-only and --write contradict each other', { hint: 'Pass one of them.' });
  }
  if (options.readOnly) return 'started with --read-only';
  if (config.production && !options.write) return `${config.file ?? 'the config'} says production: true; start it with --write to change data`;
  return null;
}

export async function studio(ctx: CommandContext, options: StudioCommandOptions = {}): Promise<StudioSession> {
  const readOnly = studioReadOnly(ctx.config, options);
  // 'write': the studio edits rows, so without a URL it opens (and creates) the embedded
  // database only when a person is there, and never shows an empty stand-in.
  const db = await ctx.openDb('default', 'write');
  const readOnlyUrl = options.readOnlyUrl ?? ctx.config.readOnlyUrl;
  const shared = await shareEmbedded(db);
  const client = shared?.client ?? db;
  const notes = shared ? [`Serving the embedded database to other Strata processes at ${shared.serveUrl}.`] : [];
  try {
    const s = await startStudio({
      client,
      port: options.port ?? DEFAULT_PORT,
      notes,
      ...(readOnly !== null ? { readOnly } : {}),
      // On a server the read-only console logs in separately: as readOnlyUrl, else as the studio's own login when it is unprivileged.
      ...(readOnlyUrl ? { readOnlyUrl } : {}),
      ...(db.kind === 'postgres' ? { clientUrl: ctx.databaseUrl().url } : {}),
      providers: {
        migrations: () => migrationViews(client, ctx.config),
        // Without schema code there is nothing to compare; the page says the view is unavailable.
        ...(ctx.config.file && ctx.config.schema ? { pendingSql: () => pendingMigrationSql({ config: ctx.requireSchemaConfig(), onProgress: progressPrinter(ctx) }) } : {}),
      },
    });
    return {
      url: s.url,
      port: s.port,
      serveUrl: shared?.serveUrl ?? null,
      readOnly,
      console: s.console,
      async close() {
        try {
          await s.close();
        } finally {
          await shared?.close();
        }
      },
    };
  } catch (e) {
    await shared?.close();
    throw e;
  }
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new InvalidArgumentError('expected a port number between 0 and 65535 (0: any free port).');
  return n;
}

/** Opens the URL in the desktop's browser; a machine without one only gets a notice. */
function openBrowser(url: string, onError: (message: string) => void): void {
  const [cmd, args] = process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]];
  const child = spawn(cmd, args as string[], { stdio: 'ignore', detached: true });
  child.on('error', (e) => onError(`could not open a browser (${e.message}): open the URL above yourself`));
  child.unref();
}

/** Resolves on the first Ctrl-C (SIGINT) or SIGTERM. */
function untilStopped(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (sig: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(sig);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export function registerStudio(program: Command, state: { exitCode: number }): Command {
  return program
    .command('studio')
    .description('open a local web page on the database: tables, schema diagram, migrations, SQL console')
    .option('--port <n>', `port on 127.0.0.1 (default ${DEFAULT_PORT}; 0 for any free port)`, parsePort)
    .option('--open', 'open the page in the default browser')
    .option('--read-only', 'no row edits and no writing SQL, on any database')
    .option('--write', 'allow changes although the config says production: true')
    .option('--read-only-url <url>', "the read-only SQL console's login on a server: a role that is no superuser and reads no server files (config: readOnlyUrl)")
    .addHelpText('after', `
The URL carries a secret token; only this machine's browser with that URL can use the page.
With production: true in the config the studio is read-only unless --write is given.
On the embedded database, other strata commands (migrate, status…) keep working while it runs.

Examples:
  $ strata studio
  $ strata studio --port 5000 --open
  $ strata studio --read-only`)
    .action(
      action(state, async (ctx, opts: { port?: number; open?: boolean; readOnly?: boolean; write?: boolean; readOnlyUrl?: string }) => {
        const s = await studio(ctx, { port: opts.port, readOnly: opts.readOnly, write: opts.write, readOnlyUrl: opts.readOnlyUrl });
        const stopped = untilStopped();
        ctx.out.line(`Strata Studio: ${s.url}`);
        ctx.out.result({ url: s.url, port: s.port, serveUrl: s.serveUrl, readOnly: s.readOnly, console: s.console });
        if (s.readOnly) ctx.out.info(`Read-only: ${s.readOnly}.`);
        if (s.console.mode === 'off') ctx.out.warn(`The read-only SQL console is off: ${s.console.reason}. ${s.console.hint}`);
        if (s.serveUrl) ctx.out.info(ctx.out.colors.dim(`Other strata commands reach the embedded database through ${s.serveUrl} while the studio runs.`));
        ctx.out.info(ctx.out.colors.dim('Press Ctrl-C to stop.'));
        if (opts.open) openBrowser(s.url, (m) => ctx.out.warn(m));
        await stopped;
        await s.close();
        ctx.out.info('Studio stopped.');
        return EXIT.ok;
      }),
    );
}
