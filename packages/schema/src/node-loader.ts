import { readFileSync } from 'node:fs';
import Module from 'node:module';
import { extname, sep } from 'node:path';

/** Node's CommonJS loader, with the internals this file hooks (they are not in Node's types). */
interface ModuleInternals {
  _extensions: Record<string, (module: CompilingModule, filename: string) => void>;
  _resolveFilename: (request: string, parent: unknown, isMain: boolean, options?: unknown) => string;
  _cache: Record<string, unknown>;
  _load: (request: string, parent: unknown, isMain: boolean) => unknown;
}
interface CompilingModule {
  _compile(code: string, filename: string): void;
}

const internals = Module as unknown as ModuleInternals;
let active = false;

/** The source extensions this loader compiles itself (outside node_modules). */
const SOURCE_EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'] as const;
const TS_FOR_JS: Record<string, string> = { '.js': '.ts', '.mjs': '.mts', '.cjs': '.cts' };

/** Thrown (and caught by the caller) when a file needs more than this loader does: see `loadWithNode`. */
export class NeedsFullLoader extends Error {
  constructor(file: string) {
    super(`${file} needs the full loader`);
  }
}

export interface NodeLoadOptions {
  /** Prefix aliases (tsconfig `paths`), as `tsconfigAliases` returns them. */
  alias?: Record<string, string>;
  /** Keep the loaded source files in Node's module cache; off: each load runs them afresh. */
  cache: boolean;
  /** CommonJS code for a source file, or undefined when this loader cannot run it (it then throws NeedsFullLoader). */
  transform: (file: string, source: string) => string | undefined;
}

/**
 * Loads a TypeScript or JavaScript source file with Node's own CommonJS loader: its sources (and
 * the ones it imports, outside node_modules) go through `transform`, and everything in
 * node_modules loads as Node loads it. It does what jiti does for plain schema code, without
 * loading jiti (~20 ms of a command's start): `import './users.js'` finds users.ts, tsconfig
 * aliases resolve, default imports of CommonJS files interoperate as esbuild writes them.
 * Anything more (a source `transform` declines, an ES module in node_modules) throws, leaving
 * nothing of this attempt in Node's module cache, so the caller can load the file with jiti.
 *
 * The hooks are in place only while the file and its imports run (synchronously).
 *
 * @example
 * const exports = loadWithNode('/app/src/schema.ts', { cache: true, transform: (f, s) => esbuildCjs(f, s) });
 */
export function loadWithNode(file: string, options: NodeLoadOptions): unknown {
  const before = new Set(Object.keys(internals._cache));
  if (active) throw new NeedsFullLoader(file);
  const restore = installHooks(options);
  let ok = false;
  try {
    const exports = internals._load(file, null, false);
    ok = true;
    return exports;
  } finally {
    restore();
    // Sources outside node_modules are forgotten after a failure (jiti must run them afresh) and
    // when caching is off; node_modules stay cached, as they would with jiti.
    if (!ok || !options.cache) {
      for (const key of Object.keys(internals._cache)) {
        if (!before.has(key) && !isInNodeModules(key)) delete internals._cache[key];
      }
    }
  }
}

function installHooks(options: NodeLoadOptions): () => void {
  const savedExtensions = new Map(SOURCE_EXTENSIONS.map((ext) => [ext, internals._extensions[ext]] as const));
  const savedResolve = internals._resolveFilename;
  const compile = (module: CompilingModule, filename: string) => {
    const code = options.transform(filename, readFileSync(filename, 'utf8'));
    if (code === undefined) throw new NeedsFullLoader(filename);
    module._compile(code, filename);
  };
  for (const ext of SOURCE_EXTENSIONS) {
    const original = savedExtensions.get(ext);
    internals._extensions[ext] = (module, filename) => {
      if (isInNodeModules(filename)) {
        // Node has no handler of its own for .cjs (its .js one runs those); TypeScript or an
        // ES module in a package, which Node refuses, is for jiti.
        const nodes = original ?? (ext === '.cjs' ? savedExtensions.get('.js') : undefined);
        if (!nodes) throw new NeedsFullLoader(filename);
        try {
          nodes(module, filename);
        } catch (error) {
          if ((error as { code?: unknown }).code === 'ERR_REQUIRE_ESM') throw new NeedsFullLoader(filename);
          throw error;
        }
        // Node 20.19+ requires an ES module as its namespace, whose default export esbuild's
        // interop would not find: jiti's interop is the one users get.
        if (Object.prototype.toString.call((module as { exports?: unknown }).exports) === '[object Module]') throw new NeedsFullLoader(filename);
        return;
      }
      compile(module, filename);
    };
  }
  internals._resolveFilename = function resolveFilename(request, parent, isMain, opts) {
    const aliased = applyAlias(request, options.alias);
    try {
      return savedResolve.call(this, aliased, parent, isMain, opts);
    } catch (error) {
      // TypeScript's ESM style: `import './users.js'` means users.ts.
      const ext = extname(aliased);
      const ts = TS_FOR_JS[ext];
      if (ts === undefined || (error as { code?: unknown }).code !== 'MODULE_NOT_FOUND') throw error;
      return savedResolve.call(this, aliased.slice(0, -ext.length) + ts, parent, isMain, opts);
    }
  };
  active = true;
  return () => {
    active = false;
    for (const [ext, original] of savedExtensions) {
      if (original) internals._extensions[ext] = original;
      else delete internals._extensions[ext];
    }
    internals._resolveFilename = savedResolve;
  };
}

// As jiti's `alias`: the longest matching prefix wins.
function applyAlias(request: string, alias: Record<string, string> | undefined): string {
  if (!alias) return request;
  let best: string | undefined;
  for (const key of Object.keys(alias)) {
    if ((request === key || request.startsWith(key.endsWith('/') ? key : `${key}/`)) && (best === undefined || key.length > best.length)) best = key;
  }
  return best === undefined ? request : alias[best] + request.slice(best.length);
}

function isInNodeModules(file: string): boolean {
  return file.includes(`${sep}node_modules${sep}`);
}

/** For the loader's own tests: whether `loadWithNode` hooks are in place (they must not outlive a load). */
export function nodeLoaderHooksInstalled(): boolean {
  return active;
}
