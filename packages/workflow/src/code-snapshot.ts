import { loadSchema, type Snapshot } from '@strata/schema';
import type { SchemaConfig } from './resolved-config.js';

/**
 * The schema code's snapshot, loaded as the config says.
 *
 * @example
 * const { snapshot } = await codeSnapshot(config);
 */
export async function codeSnapshot(config: SchemaConfig): Promise<{ snapshot: Snapshot; files: string[] }> {
  return loadSchema(config.schema, { cwd: config.dir, casing: config.casing, ...(config.schemas ? { schemas: config.schemas } : {}) });
}
