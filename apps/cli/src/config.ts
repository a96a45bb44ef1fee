import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { StrataError } from '@strata/core';
import { isBundledPgliteExtension, PGLITE_BUNDLED_EXTENSIONS } from '@strata/db';
import type { ResolvedConfig } from '@strata/workflow';
import type { StrataConfig } from './define-config.js';
import { importPlainConfig, plainConfigModule } from './plain-config.js';
export { CONFIG_FILES, findConfigFile } from './config-file.js';

export { defineConfig, type StrataConfig } from './define-config.js';
/** The config with defaults applied and paths made absolute: defined by @strata/workflow, which reads it. */
export type { ResolvedConfig } from '@strata/workflow';


// `targets` (a fleet) is checked apart, by checkTargets: its schema's library is loaded only by a
// config that has targets.
const KEYS: Record<Exclude<keyof StrataConfig, 'targets'>, (v: unknown) => boolean> = {
  schema: (v) => typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string')),
  out: (v) => typeof v === 'string',
  dbUrl: (v) => v === undefined || typeof v === 'string',
  directUrl: (v) => v === undefined || typeof v === 'string',
  schemas: (v) => Array.isArray(v) && v.every((x) => typeof x === 'string'),
  tablesFilter: (v) => typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string')),
  ownedBySql: (v) => typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string')),
  casing: (v) => v === 'snake_case' || v === 'camelCase',
  history: (v) => typeof v === 'object' && v !== null && Object.entries(v).every(([k, x]) => (k === 'schema' || k === 'table') && typeof x === 'string' && x !== ''),
  lockTimeoutMs: (v) => typeof v === 'number' && v >= 0,
  lockBudgetMs: (v) => typeof v === 'number' && v >= 0,
  statementTimeoutMs: (v) => typeof v === 'number' && v >= 0,
  lockWaitMs: (v) => typeof v === 'number' && v >= 0,
  outOfOrder: (v) => v === 'error' || v === 'allow',
  production: (v) => typeof v === 'boolean',
  readOnlyUrl: (v) => v === undefined || typeof v === 'string',
  unsafePlans: (v) => typeof v === 'boolean',
  pgliteExtensions: (v) => Array.isArray(v) && v.every((x) => typeof x === 'string' && isBundledPgliteExtension(x)),
  dataDir: (v) => typeof v === 'string',
  backupDir: (v) => typeof v === 'string',
};

const KNOWN_KEYS = [...Object.keys(KEYS), 'targets'];

const EXPECTED: Record<keyof typeof KEYS, string> = {
  schema: 'a path or an array of paths/globs', out: 'a directory path', dbUrl: 'a database URL', directUrl: 'a database URL',
  schemas: 'an array of schema names', tablesFilter: 'a glob or an array of globs', ownedBySql: 'a glob or an array of globs', casing: '"snake_case" or "camelCase"',
  history: '{ schema?: string, table?: string }', lockTimeoutMs: 'a number of milliseconds', lockBudgetMs: 'a number of milliseconds', statementTimeoutMs: 'a number of milliseconds',
  lockWaitMs: 'a number of milliseconds', outOfOrder: '"error" or "allow"', production: 'true or false', readOnlyUrl: 'a database URL', unsafePlans: 'true or false', dataDir: 'a directory path',
  pgliteExtensions: `an array of extensions PGlite ships (${PGLITE_BUNDLED_EXTENSIONS.join(', ')})`,
  backupDir: 'a directory path',
};

/** A config's `targets` (a fleet), checked with the fleet's own schema, loaded only then. */
async function checkTargets(file: string, value: unknown): Promise<void> {
  const { isTargetsSource, TARGETS_EXPECTED } = await import('@strata/fleet/targets-source');
  if (!isTargetsSource(value)) {
    throw new StrataError('CONFIG_INVALID', `${file}: "targets" must be ${TARGETS_EXPECTED}, got ${JSON.stringify(value)}`);
  }
}

/** Points at the line of a load error when the runtime tells us one. */
function locate(e: unknown, file: string): string {
  const err = e as { message?: string; stack?: string; loc?: { line: number; column: number } };
  if (err.loc) return `${file}:${err.loc.line}:${err.loc.column}`;
  const m = (err.stack ?? '').match(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(\\d+):(\\d+)`));
  if (!m) return file;
  // A runtime error's position is in the transformed module: the line holds (the transform keeps
  // lines), the column may not (a one-line config comes back longer). Point at the name the error
  // names when the source has it on that line; drop a column the line does not have.
  const line = Number(m[1]);
  const text = sourceLine(file, line);
  const name = /^(\S+) is not defined/.exec(err.message ?? '')?.[1];
  const at = name && text !== null ? new RegExp(`(?<![\\w$.'"])${name.replace(/[$]/g, '\\$&')}(?![\\w$])`).exec(text) : null;
  if (at) return `${file}:${line}:${at.index + 1}`;
  return text !== null && Number(m[2]) > text.length ? `${file}:${line}` : `${file}:${line}:${m[2]}`;
}

/** Line `n` (1-based) of a file, or null when it cannot be read or has fewer lines. */
function sourceLine(file: string, n: number): string | null {
  try {
    return readFileSync(file, 'utf8').split('\n')[n - 1] ?? null;
  } catch {
    return null;
  }
}

/** `define-config` beside this module: the built `.js` in dist, the `.ts` when run from source. */
const DEFINE_CONFIG_MODULE = ((): string => {
  const built = fileURLToPath(new URL('./define-config.js', import.meta.url));
  return existsSync(built) ? built : built.replace(/\.js$/, '.ts');
})();

/** Loads a config file through the TypeScript loader (esbuild, jiti). */
async function loadWithTransform(file: string, alias: Record<string, string>): Promise<unknown> {
  const { createSourceLoader } = await import('@strata/schema/source-loader');
  return createSourceLoader(pathToFileURL(file).href, { alias }).import(file, { default: true });
}

/**
 * Loads and checks a config file (TypeScript without a build step), applying defaults.
 *
 * @example
 * const config = await loadConfig('/app/strata.config.ts');
 */
export async function loadConfig(file: string | null, cwd: string = process.cwd()): Promise<ResolvedConfig> {
  let raw: unknown = {};
  if (file) {
    // `@strata/cli` in a config is only ever for `defineConfig`: it resolves to that one small
    // module, not to the whole CLI (which jiti would transform file by file, seconds of work).
    const alias = { '@strata/cli/config': DEFINE_CONFIG_MODULE, '@strata/cli': DEFINE_CONFIG_MODULE };
    // A config in plain JavaScript is imported as it is, without starting the TypeScript loader
    // (see plainConfigModule); anything else, or one that does not load so, goes through it.
    try {
      const plain = plainConfigModule(readFileSync(file, 'utf8'), pathToFileURL(DEFINE_CONFIG_MODULE).href);
      const fast = plain === null ? undefined : await importPlainConfig(plain);
      raw = fast !== undefined ? fast : await loadWithTransform(file, alias);
    } catch (e) {
      const msg = (e as Error)?.message ?? String(e);
      throw new StrataError('CONFIG_INVALID', `could not load ${locate(e, file)}: ${msg.split('\n')[0]}`, {
        hint: 'Fix the config file; it must `export default` an object such as { schema: "./src/schema.ts" }.',
        cause: e,
      });
    }
    if (typeof raw === 'function') raw = await (raw as () => unknown)();
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw new StrataError('CONFIG_INVALID', `${file}: the default export must be an object, got ${Array.isArray(raw) ? 'an array' : typeof raw}`, {
        hint: 'export default { schema: "./src/schema.ts" }',
      });
    }
    for (const [key, value] of Object.entries(raw)) {
      if (key === 'targets') {
        await checkTargets(file, value);
        continue;
      }
      const check = KEYS[key as keyof typeof KEYS];
      if (!check) {
        throw new StrataError('CONFIG_INVALID', `${file}: unknown key "${key}"`, { hint: `Known keys: ${KNOWN_KEYS.join(', ')}.` });
      }
      if (!check(value)) {
        throw new StrataError('CONFIG_INVALID', `${file}: "${key}" must be ${EXPECTED[key as keyof typeof KEYS]}, got ${JSON.stringify(value)}`);
      }
    }
  }
  const c = raw as StrataConfig;
  const dir = file ? dirname(file) : cwd;
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(dir, p));
  const list = (v: string | string[] | undefined) => (v === undefined ? undefined : Array.isArray(v) ? v : [v]);
  return {
    file,
    dir,
    schema: list(c.schema)?.map((s) => (/[*?{[]/.test(s) ? s : abs(s))) ?? null,
    out: abs(c.out ?? './migrations'),
    dbUrl: c.dbUrl,
    directUrl: c.directUrl,
    schemas: c.schemas,
    tablesFilter: list(c.tablesFilter),
    ownedBySql: list(c.ownedBySql),
    casing: c.casing,
    history: { schema: c.history?.schema ?? 'strata', table: c.history?.table ?? 'migrations' },
    lockTimeoutMs: c.lockTimeoutMs ?? 100,
    lockBudgetMs: c.lockBudgetMs ?? 60_000,
    statementTimeoutMs: c.statementTimeoutMs ?? 0,
    lockWaitMs: c.lockWaitMs ?? 60_000,
    outOfOrder: c.outOfOrder ?? 'error',
    production: c.production ?? false,
    readOnlyUrl: c.readOnlyUrl?.trim() ? c.readOnlyUrl : undefined,
    unsafePlans: c.unsafePlans ?? false,
    pgliteExtensions: c.pgliteExtensions ?? [],
    dataDir: abs(c.dataDir ?? './scripts/data'),
    backupDir: abs(c.backupDir ?? './backups'),
    targets: c.targets,
  };
}
