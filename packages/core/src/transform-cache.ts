/**
 * TypeScript sources transformed ahead of time. `strata` knows its config file, and usually its
 * schema files, before it has finished loading its own modules: it hands them to esbuild's
 * background service right away (`prepareTransform`), and the loaders, whose transform hook must
 * be synchronous, pick the results up (`preparedTransform`) instead of running esbuild
 * synchronously then. A result is used only for the exact source text it was made from.
 *
 * @example
 * prepareTransform(file, transformAsync(file));
 * await preparedTransforms();
 * preparedTransform(file, readFileSync(file, 'utf8')); // => the CommonJS code, or undefined
 */

/** esbuild's options for a schema or config file: types stripped, ESM turned into CommonJS for jiti. */
export interface SourceTransformOptions {
  loader: 'ts' | 'js';
  format: 'cjs';
  target: 'node20';
  sourcefile: string;
  logLevel: 'silent';
}

/** The one set of esbuild options, for the synchronous and the background transform alike. */
export function sourceTransformOptions(filename: string, ts = false): SourceTransformOptions {
  const loader = /\.[mc]?tsx?$/.test(filename) || ts ? 'ts' : 'js';
  return { loader, format: 'cjs', target: 'node20', sourcefile: filename, logLevel: 'silent' };
}

const done = new Map<string, { source: string; code: string }>();
const pending = new Set<Promise<void>>();

/** Records a transform in progress; a failed one is simply not used. */
export function prepareTransform(file: string, work: Promise<{ source: string; code: string }>): void {
  const p: Promise<void> = work
    .then((r) => void done.set(file, r), () => {})
    .finally(() => pending.delete(p));
  pending.add(p);
}

/** Waits for the transforms in progress (they started earlier; this is usually no wait at all). */
export async function preparedTransforms(): Promise<void> {
  await Promise.all([...pending]);
}

/** The prepared CommonJS code for `file`, when it was made from exactly `source`. */
export function preparedTransform(file: string, source: string): string | undefined {
  const hit = done.get(file);
  return hit && hit.source === source ? hit.code : undefined;
}
