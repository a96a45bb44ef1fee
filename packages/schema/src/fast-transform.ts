import type { Jiti } from 'jiti';
import { preparedTransform, sourceTransformOptions } from '@strata/core';
import { esbuild } from './commonjs-deps.js';

type TransformOptions = Parameters<Jiti['transform']>[0];

/** Source that only Babel's handling runs: top-level `await`, `import.meta`, dynamic `import()`. */
const NEEDS_BABEL = /\bawait\b|\bimport\.meta\b|\bimport\s*\(/;

/**
 * A jiti transform that strips types and turns ESM into CommonJS with esbuild, which is many
 * times faster than jiti's own Babel transform on big schema files (a 300-table schema loads in
 * a fraction of the time). A result prepared in the background (`prepareTransform` of
 * @strata/core) is used when there is one. Sources that need Babel's handling — `await`
 * (top-level await), `import.meta`, dynamic `import()`, JSX — go through `fallback` (jiti's own
 * transform).
 *
 * @example
 * const babel = createJiti(import.meta.url);
 * const jiti = createJiti(import.meta.url, { transform: fastTransform((o) => babel.transform(o)) });
 */
export function fastTransform(fallback: (opts: TransformOptions) => string): (opts: TransformOptions) => { code: string } {
  return (opts) => {
    const { source, filename = 'schema.ts' } = opts;
    if (opts.jsx || NEEDS_BABEL.test(source)) return { code: fallback(opts) };
    const prepared = preparedTransform(filename, source);
    if (prepared !== undefined) return { code: prepared };
    try {
      return { code: esbuild().transformSync(source, sourceTransformOptions(filename, opts.ts)).code };
    } catch {
      // Let Babel report the syntax error: its message has the line and column.
      return { code: fallback(opts) };
    }
  };
}

/**
 * `fastTransform` for a loader that has no Babel to fall back on (`loadWithNode`): the CommonJS
 * code, or undefined for the sources `fastTransform` would give to Babel (and for a syntax error).
 *
 * @example
 * sourceOnlyTransform('/app/schema.ts', 'export const a: number = 1') // => '…exports…'
 */
export function sourceOnlyTransform(file: string, source: string): string | undefined {
  if (/\.[jt]sx$/.test(file) || NEEDS_BABEL.test(source)) return undefined;
  const prepared = preparedTransform(file, source);
  if (prepared !== undefined) return prepared;
  try {
    return esbuild().transformSync(source, sourceTransformOptions(file)).code;
  } catch {
    return undefined;
  }
}
