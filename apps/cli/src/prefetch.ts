import { readFileSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { prepareTransform, sourceTransformOptions } from '@strata/core';
import { findConfigFile } from './config-file.js';
import { plainConfigModule } from './plain-config.js';

/** Commands that load the schema code (the others only need the config). */
const LOADS_SCHEMA = new Set(['generate', 'push', 'check', 'drop', 'studio']);

/**
 * Starts esbuild, in its own process, on the config file and the schema files the config names,
 * while `strata` is still loading its modules: the loaders then find the code ready instead of
 * transforming it on the spot (a 1,000-table schema is 1 MB of TypeScript). Only a head start:
 * the schema paths are read from the config's text without running it, anything it cannot
 * guess is transformed later as usual, and every failure here is ignored. A command that loads
 * no schema, with a config in plain JavaScript (imported without a transform), starts nothing.
 *
 * @example
 * prefetchSources(process.argv, 'generate', process.cwd());
 */
export function prefetchSources(argv: readonly string[], command: string | undefined, cwd: string): void {
  if (command === undefined || command === 'doctor') return;
  let configFile: string | null;
  try {
    configFile = findConfigFile(cwd, optionValue(argv, '--config'));
  } catch {
    return;
  }
  if (!configFile) return;
  let configSource: string;
  try {
    configSource = readFileSync(configFile, 'utf8');
  } catch {
    return;
  }
  const loadsSchema = LOADS_SCHEMA.has(command);
  // Only whether it is plain JavaScript is asked here: the URL is a placeholder.
  if (!loadsSchema && plainConfigModule(configSource, 'file:///define-config.js') !== null) return;
  // Required, not imported: esbuild is CommonJS, and `import` would scan its 97 kB for named exports.
  const esbuild = Promise.resolve().then(() => createRequire(import.meta.url)('esbuild') as typeof import('esbuild'));
  const start = (file: string, text?: Promise<string>) =>
    prepareTransform(file, (async () => {
      const source = await (text ?? readFile(file, 'utf8'));
      const { transform } = await esbuild;
      return { source, code: (await transform(source, sourceTransformOptions(file))).code };
    })());
  start(configFile, Promise.resolve(configSource));
  if (!loadsSchema) return;
  void (async () => {
    for (const path of guessSchemaPaths(configSource)) {
      const target = isAbsolute(path) ? path : resolve(dirname(configFile), path);
      const info = await stat(target).catch(() => null);
      if (info?.isFile()) start(target);
      else if (info?.isDirectory()) for (const file of await sourcesIn(target)) start(file);
    }
  })().catch(() => {});
}

/** Source files under a schema directory, as the loader would find them (a guess; at most 200). */
async function sourcesIn(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true }).catch(() => [] as string[]);
  return entries
    .filter((f) => /\.[mc]?[jt]s$/.test(f) && !/\.d\.[mc]?ts$|\.test\.|(^|[\\/])node_modules([\\/]|$)/.test(f))
    .slice(0, 200)
    .map((f) => join(dir, f));
}

/**
 * The string literals of a config's `schema:` (one, or an array of them), read from its text.
 *
 * @example
 * guessSchemaPaths(`export default { schema: './src/schema.ts' }`) // => ['./src/schema.ts']
 */
export function guessSchemaPaths(configText: string): string[] {
  const m = /\bschema['"]?\s*:\s*(\[[^\]]*\]|'[^'\n]*'|"[^"\n]*")/.exec(configText);
  if (!m) return [];
  return [...m[1]!.matchAll(/'([^'\n]*)'|"([^"\n]*)"/g)].map((x) => x[1] ?? x[2] ?? '').filter((p) => p !== '' && !/[*?{[]/.test(p));
}

function optionValue(argv: readonly string[], name: string): string | undefined {
  for (let i = 2; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === name) return argv[i + 1];
    if (arg.startsWith(`${name}=`)) return arg.slice(name.length + 1);
  }
  return undefined;
}
