import { isAbsolute, relative } from 'node:path';

/**
 * A path as a message shows it: relative to `cwd` when it is inside it, absolute otherwise.
 *
 * @example
 * displayPath('/app/src/schema.ts', '/app') // => 'src/schema.ts'
 */
export function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}
