import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { StrataError } from '@strata/core';

// Apart from config.ts (which loads the TypeScript loader) so that finding the file costs nothing.

/** The config file names looked for, in order. */
export const CONFIG_FILES = ['strata.config.ts', 'strata.config.mts', 'strata.config.js', 'strata.config.mjs'];

/** Finds the config file: `--config`, else `strata.config.{ts,mts,js,mjs}` in `cwd`; null when there is none. */
export function findConfigFile(cwd: string, explicit?: string): string | null {
  if (explicit) {
    const p = isAbsolute(explicit) ? explicit : resolve(cwd, explicit);
    if (!existsSync(p)) throw new StrataError('CONFIG_NOT_FOUND', `config file not found: ${p}`, { hint: 'Check the --config path.' });
    return p;
  }
  for (const name of CONFIG_FILES) {
    const p = resolve(cwd, name);
    if (existsSync(p)) return p;
  }
  return null;
}
