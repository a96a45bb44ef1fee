import type { Jiti } from 'jiti';
import { preparedTransforms } from '@strata/core';
import { createJiti } from './commonjs-deps.js';
import { fastTransform, sourceOnlyTransform } from './fast-transform.js';
import { loadWithNode } from './node-loader.js';

type ImportOptions = Parameters<Jiti['import']>[1];

export interface SourceLoaderOptions {
  /** Module specifiers (or prefixes) mapped to paths, as jiti's `alias`. */
  alias?: Record<string, string>;
  /** Keep loaded modules (and jiti's file cache) between imports; off: every import runs the file afresh. */
  cache?: boolean;
  /**
   * jiti's `interopDefault` (default on): every module the code requires comes wrapped in a Proxy
   * that also looks names up in its `default` export. Code esbuild transformed does its own
   * interop, and the wrapper costs a trap on every read: a 1,000-table schema reads drizzle's
   * builders ~40,000 times (~30 ms). Off gives the modules as they are.
   */
  interopDefault?: boolean;
}

/** Imports TypeScript or JavaScript source files (ESM or CommonJS) without a build step. */
export interface SourceLoader {
  import(file: string, options?: ImportOptions): Promise<unknown>;
}

/**
 * A loader for schema and config files. esbuild strips the types (fast; a result prepared in the
 * background is used, see `prepareTransform` of @strata/core). With `interopDefault: false`, Node's
 * own CommonJS loader runs the code (`loadWithNode`) and jiti is not even loaded; what that cannot
 * run, and every other import, goes through jiti. When a file fails to load, it is loaded again
 * through jiti's own Babel transform, whose error carries the right line, and that error is thrown.
 *
 * @example
 * const loader = createSourceLoader(import.meta.url, { cache: true });
 * const exports = await loader.import('/app/src/schema.ts');
 */
export function createSourceLoader(url: string, options: SourceLoaderOptions = {}): SourceLoader {
  const { alias } = options;
  const interopDefault = options.interopDefault ?? true;
  const exact = () => createJiti()(url, { interopDefault, moduleCache: false, fsCache: false, alias });
  // jiti's own (Babel) loader is made only when a file needs it: making one costs ~15 ms.
  let babel: Jiti | undefined;
  const caching = options.cache ? { moduleCache: true } : { moduleCache: false, fsCache: false };
  let fast: Jiti | undefined;
  const jiti = () => (fast ??= createJiti()(url, { interopDefault, ...caching, alias, transform: fastTransform((o) => (babel ??= exact()).transform(o)) }));
  return {
    async import(file, importOptions) {
      await preparedTransforms();
      // Without the interop Proxy, Node's own loader gives the same modules as jiti and does not
      // load jiti at all; whatever it cannot run (or that fails) takes the jiti path below.
      if (!interopDefault && importOptions === undefined) {
        try {
          return loadWithNode(file, { alias, cache: options.cache ?? false, transform: sourceOnlyTransform });
        } catch {
          // The jiti path runs the file again and reports its error, with its location.
        }
      }
      try {
        return await jiti().import(file, importOptions);
      } catch (first) {
        // The exact (slow) loader reports the error with its location; when it succeeds, the
        // first error stands.
        await exact().import(file, importOptions);
        throw first;
      }
    },
  };
}
