import { loadSchema, type Snapshot } from '@strata/schema';
import type { ResolvedConfig } from './config.js';

/**
 * The schema code's snapshot, loaded as the config says.
 *
 * @example
 * const { snapshot } = await codeSnapshot(ctx.requireSchemaConfig());
 */
export async function codeSnapshot(config: ResolvedConfig & { schema: string[] }): Promise<{ snapshot: Snapshot; files: string[] }> {
  return loadSchema(config.schema, { cwd: config.dir, casing: config.casing, ...(config.schemas ? { schemas: config.schemas } : {}) });
}
