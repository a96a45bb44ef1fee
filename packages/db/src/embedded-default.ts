import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { StrataError } from '@strata/core';
import type { ResolvedUrl } from './url.js';

/** What a command does with its database: only reads it, or changes it. */
export type DatabaseAccess = 'read' | 'write';

/**
 * Why no person is there to have meant the embedded default, or null when one is: `CI` set (to
 * anything but `false`/`0`), or no terminal on stdin and stderr.
 *
 * @example
 * unattendedReason({ CI: 'true' }, true) // => 'CI is set'
 */
export function unattendedReason(env: Record<string, string | undefined>, terminal: boolean): string | null {
  const ci = env.CI?.trim().toLowerCase();
  if (ci && ci !== 'false' && ci !== '0') return 'CI is set';
  return terminal ? null : 'no terminal';
}

export interface EmbeddedDefaultInput {
  /** The URL resolution (`resolveDatabaseUrl`); anything named (`source` other than 'default') passes through. */
  resolved: ResolvedUrl;
  access: DatabaseAccess;
  /** `unattendedReason(…)`: null when a person runs the command. */
  unattended: string | null;
  /** The command, for the message (`migrate`, `snapshot restore`). */
  command: string;
  /** Where relative paths in the message start (the working directory). */
  cwd?: string;
}

export interface EmbeddedDefaultUse extends ResolvedUrl {
  /** True when the default directory does not exist and a read-only command reads an empty in-memory database instead. */
  empty: boolean;
}

/**
 * The embedded default is used only when nothing names a database and a person is there: a
 * command that changes a database, run without a terminal (or with `CI` set) and given no URL,
 * stops with exit 2 (INPUT_REQUIRED) instead of "succeeding" against a fresh `.strata/pglite`.
 * A read-only command never creates the default directory: when it does not exist, it reads an
 * empty in-memory database. An explicit `pglite:` URL (flag, config or `DATABASE_URL`) is the opt-in.
 *
 * @example
 * useEmbeddedDefault({ resolved: { url: 'pglite:/app/.strata/pglite', source: 'default' }, access: 'write', unattended: 'CI is set', command: 'migrate' })
 * // throws INPUT_REQUIRED: no database named for `strata migrate` …
 */
export function useEmbeddedDefault(input: EmbeddedDefaultInput): EmbeddedDefaultUse {
  const { resolved } = input;
  if (resolved.source !== 'default') return { ...resolved, empty: false };
  const dir = resolved.url.slice('pglite:'.length);
  const shown = relative(input.cwd ?? process.cwd(), dir) || dir;
  if (input.access === 'write' && input.unattended !== null) {
    throw new StrataError(
      'INPUT_REQUIRED',
      `no database named for \`strata ${input.command}\`, which changes a database; with ${input.unattended}, Strata does not fall back to the embedded database in ${shown}`,
      {
        details: ['--url, the config\'s dbUrl and DATABASE_URL are all unset or empty.'],
        hint: `Name the database: --url postgres://user@host:5432/db, or set DATABASE_URL. To use the embedded database, say so with an explicit pglite: URL: --url pglite:${shown}, or in the config dbUrl: process.env.DATABASE_URL ?? 'pglite:.strata/pglite'.`,
      },
    );
  }
  if (input.access === 'read' && !existsSync(dir)) return { url: 'pglite:memory', source: 'default', empty: true };
  return { ...resolved, empty: false };
}
