import { resolve } from 'node:path';
import { StrataError } from '@strata/core';
import { displayPath } from './display-path.js';
import { loadSchemaModules } from './load-schema-modules.js';
import { serializeSchema, type SerializeOptions } from './serialize-schema.js';
import { splitIndexElements } from './split-index-elements.js';
import type { Snapshot } from './snapshot.js';

export interface LoadSchemaOptions extends SerializeOptions {
  /** Directory that relative patterns are resolved from (the config file's directory). */
  cwd: string;
}

export interface LoadedSchema {
  snapshot: Snapshot;
  /** The schema files that were loaded (absolute paths, sorted). */
  files: string[];
}

/**
 * Loads schema code and turns it into a Snapshot (`loadSchemaModules` + `serializeSchema`).
 * Finding no drizzle object at all (no table, enum, sequence, view or `pgSchema`) is an error
 * that lists the files it loaded: a schema of only enums is fine, an empty one is a mistake
 * (usually objects that are not exported).
 *
 * @example
 * const { snapshot, files } = await loadSchema(['./src/database/schema'], { cwd: process.cwd(), casing: 'snake_case' });
 */
export async function loadSchema(patterns: readonly string[], options: LoadSchemaOptions): Promise<LoadedSchema> {
  const cwd = resolve(options.cwd);
  const modules = await loadSchemaModules(patterns, { cwd });
  const { cwd: _cwd, ...serializeOptions } = options;
  // Messages name files as the user sees them: relative to the project.
  const snapshot = await splitIndexElements(serializeSchema(
    modules.map((m) => ({ file: displayPath(m.file, cwd), exports: m.exports })),
    serializeOptions,
  ));
  const files = modules.map((m) => m.file);
  const empty = Object.keys(snapshot.schemas).length === 1 && Object.values(snapshot.schemas).every(
    (s) => Object.keys(s.tables).length + Object.keys(s.enums).length + Object.keys(s.sequences).length + Object.keys(s.views).length === 0,
  );
  if (empty) {
    const shown = files.slice(0, 10).map((f) => displayPath(f, cwd));
    throw new StrataError('SCHEMA_INVALID', `No tables, enums, sequences or views found in the schema files (${patterns.map((p) => JSON.stringify(p)).join(', ')} in ${cwd})`, {
      details: [
        `loaded: ${shown.join(', ')}${files.length > shown.length ? `, and ${files.length - shown.length} more` : ''}`,
        ...(options.schemas ? [`managed schemas: ${options.schemas.join(', ')}`] : []),
      ],
      hint: 'Strata only sees exported objects: write `export const users = pgTable(…)`.',
    });
  }
  return { snapshot, files };
}
