import { StrataError } from '@strata/core';
import {
  openDatabase, resolveDatabaseUrl, describeTarget, parseDatabaseUrl, unattendedReason, useEmbeddedDefault,
  type DatabaseAccess, type DatabaseClient, type ResolvedUrl,
} from '@strata/db';
import { findConfigFile, loadConfig, type ResolvedConfig } from './config.js';
import { createOutput, type Output, type OutputStreams } from './output.js';
import { wantedPgliteExtensions } from './pglite-extensions-wanted.js';

/** The global flags of every command (docs/cli.md). */
export interface GlobalOptions {
  config?: string;
  url?: string;
  json?: boolean;
  yes?: boolean;
  verbose?: boolean;
}

/**
 * What a command runs with: the loaded config, the output, the database resolution, prompts.
 * Commands are plain async functions over this context, so tests can call them directly.
 */
export interface CommandContext {
  cwd: string;
  options: GlobalOptions;
  out: Output;
  /** The config; `file` is null when running without one. */
  config: ResolvedConfig;
  /** The config, or a clear error when the command needs schema code and there is none. */
  requireSchemaConfig(): ResolvedConfig & { schema: string[] };
  /** Which database this run uses and why. */
  databaseUrl(kind?: 'default' | 'direct'): ResolvedUrl;
  /**
   * Opens the database (closed by the CLI at exit). `access` says whether the command changes it
   * (default: 'write' for the direct connection, which only commands that change a database use,
   * else 'read'). Without a URL, a command that writes falls back to the embedded database only
   * when a person is there (`useEmbeddedDefault`); one that reads never creates it.
   */
  openDb(kind?: 'default' | 'direct', access?: DatabaseAccess): Promise<DatabaseClient>;
  /**
   * A yes/no question before something destructive: `--yes` answers yes; without a terminal it is
   * an input-required error (exit 2). On a terminal the answer Enter takes is No.
   */
  confirm(message: string, nonInteractiveHint: string): Promise<boolean>;
  /** True when prompts can be shown. */
  readonly canPrompt: boolean;
  /** Closes everything the context opened. */
  dispose(): Promise<void>;
}

export async function createContext(
  options: GlobalOptions,
  env: { cwd?: string; streams?: OutputStreams; stdinIsTTY?: boolean; command?: string; env?: Record<string, string | undefined> } = {},
): Promise<CommandContext> {
  const cwd = env.cwd ?? process.cwd();
  const out = createOutput({ json: Boolean(options.json), verbose: Boolean(options.verbose), streams: env.streams });
  const file = findConfigFile(cwd, options.config);
  const config = await loadConfig(file, cwd);
  const opened: DatabaseClient[] = [];
  const canPrompt = env.stdinIsTTY ?? Boolean(process.stdin.isTTY && process.stderr.isTTY);
  const unattended = unattendedReason(env.env ?? process.env, canPrompt);
  let noticeShown = false;

  const databaseUrl = (kind: 'default' | 'direct' = 'default'): ResolvedUrl => {
    const configured = kind === 'direct' && config.directUrl ? config.directUrl : config.dbUrl;
    return resolveDatabaseUrl({ flag: options.url, config: configured, env: process.env.DATABASE_URL, configDir: config.dir });
  };

  return {
    cwd,
    options,
    out,
    config,
    canPrompt,
    requireSchemaConfig() {
      if (!config.file) {
        throw new StrataError('CONFIG_NOT_FOUND', `no strata.config.ts (or .mts, .js, .mjs) in ${cwd}`, {
          hint: 'Create one with `export default { schema: "./src/schema.ts" }`, or pass --config <file>.',
        });
      }
      if (!config.schema || config.schema.length === 0) {
        throw new StrataError('CONFIG_INVALID', `${config.file}: "schema" is missing`, { hint: 'Add schema: "./src/database/schema" (a file, a directory or globs).' });
      }
      return config as ResolvedConfig & { schema: string[] };
    },
    databaseUrl,
    async openDb(kind = 'default', access = kind === 'direct' ? 'write' : 'read') {
      const resolved = useEmbeddedDefault({ resolved: databaseUrl(kind), access, unattended, command: env.command ?? 'this command', cwd });
      const target = parseDatabaseUrl(resolved.url, resolved.source === 'flag' || resolved.source === 'env' ? cwd : config.dir);
      if (resolved.source === 'default' && !noticeShown && !options.json) {
        noticeShown = true;
        out.info(out.colors.dim(resolved.empty
          ? `Using the embedded database ${describeTarget(parseDatabaseUrl(databaseUrl(kind).url))}: it does not exist yet, so this reads an empty one and creates nothing (set DATABASE_URL or --url for a server).`
          : `Using the embedded database ${describeTarget(target)} (set DATABASE_URL or --url for a server).`));
      }
      const db = await openDatabase(resolved.url, {
        baseDir: resolved.source === 'flag' || resolved.source === 'env' ? cwd : config.dir,
        pgliteExtensions: target.kind === 'pglite' ? wantedPgliteExtensions(config) : undefined,
      });
      opened.push(db);
      return db;
    },
    async confirm(message, nonInteractiveHint) {
      if (options.yes) return true;
      if (!canPrompt) throw new StrataError('INPUT_REQUIRED', `${message} (no terminal to ask on)`, { hint: nonInteractiveHint });
      const { confirm, isCancel } = await import('@clack/prompts');
      const answer = await confirm({ message, initialValue: false });
      return !isCancel(answer) && answer === true;
    },
    async dispose() {
      for (const db of opened.splice(0)) await db.close().catch(() => {});
    },
  };
}
