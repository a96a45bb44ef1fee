import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePgliteTemplate } from '@strata/testing';
import type { BenchContext } from './bench-context.js';

/**
 * A fresh embedded (PGlite) data directory under the bench's work folder: a copy of `from`, or of
 * an initialised empty one (a new PGlite runs initdb, which takes seconds and is not what a
 * command costs).
 *
 * @example
 * const dir = await freshPgliteDir(ctx, 'm-pglite-s'); // strata migrate --url pglite:<dir>
 */
export async function freshPgliteDir(ctx: BenchContext, prefix: string, from?: string): Promise<string> {
  const dir = join(ctx.freshDir(prefix), 'data');
  cpSync(from ?? (await ensurePgliteTemplate()), dir, { recursive: true });
  return dir;
}
