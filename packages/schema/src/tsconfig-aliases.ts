import { StrataError } from '@strata/core';
import type { getTsconfig } from 'get-tsconfig';
import { getTsconfigLib } from './commonjs-deps.js';

const PROBE = '__strata_alias_probe__';

/**
 * The `compilerOptions.paths` of the tsconfig.json nearest to `cwd` (following `extends`), as
 * prefix aliases for the module loader: `"@/*": ["./src/*"]` → `{ "@/": "/app/src/" }`. Only the
 * first target of each pattern is used, and patterns with `*` anywhere but at the end are skipped.
 * A tsconfig.json that cannot be read is a `SCHEMA_LOAD_FAILED` naming it.
 *
 * @example
 * tsconfigAliases('/app') // => { '@/': '/app/src/', '#db': '/app/src/db/index.ts' }
 */
export function tsconfigAliases(cwd: string): Record<string, string> {
  let found: ReturnType<typeof getTsconfig>;
  try {
    found = getTsconfigLib().getTsconfig(cwd);
  } catch (cause) {
    throw new StrataError('SCHEMA_LOAD_FAILED', `Could not read the tsconfig.json above ${cwd}: ${(cause as Error).message}`, {
      cause,
      hint: 'Strata reads compilerOptions.paths from it to resolve import aliases in schema files.',
    });
  }
  if (!found) return {};
  const matcher = getTsconfigLib().createPathsMatcher(found);
  const paths = found.config.compilerOptions?.paths;
  if (!matcher || !paths) return {};
  const aliases: Record<string, string> = {};
  for (const pattern of Object.keys(paths)) {
    const star = pattern.indexOf('*');
    if (star < 0) {
      const [target] = matcher(pattern);
      if (target !== undefined) aliases[pattern] = target;
    } else if (star === pattern.length - 1 && star > 0) {
      const prefix = pattern.slice(0, -1);
      const [target] = matcher(`${prefix}${PROBE}`);
      if (target?.endsWith(PROBE)) aliases[prefix] = target.slice(0, -PROBE.length);
    }
  }
  return aliases;
}
