import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { StrataError } from '@strata/core';
import { displayPath } from './display-path.js';

/** Where a load error happened: a file and, when known, a line and column. */
export interface ErrorLocation {
  file: string;
  line?: number;
  column?: number;
}

/**
 * Turns whatever loading a schema file threw (a syntax error, a missing import, an exception
 * while the module ran) into `StrataError('SCHEMA_LOAD_FAILED')` whose message names the file,
 * the line and the original message: `src/db/users.ts:12:7: boom (while loading src/db/index.ts)`.
 *
 * @example
 * throw schemaLoadError(err, '/app/src/schema.ts', '/app');
 */
export function schemaLoadError(error: unknown, schemaFile: string, cwd: string): StrataError {
  const { message, location } = describe(error, schemaFile);
  const where = location ?? { file: schemaFile };
  const at = `${displayPath(where.file, cwd)}${where.line === undefined ? '' : `:${where.line}${where.column === undefined ? '' : `:${where.column}`}`}`;
  const loading = where.file === schemaFile ? '' : ` (while loading ${displayPath(schemaFile, cwd)})`;
  return new StrataError('SCHEMA_LOAD_FAILED', `Schema file failed to load: ${at}: ${message}${loading}`, {
    cause: error,
    details: [`file: ${where.file}`, ...(where.line === undefined ? [] : [`line: ${where.line}`])],
    hint: hintFor(error),
  });
}

function describe(error: unknown, schemaFile: string): { message: string; location: ErrorLocation | undefined } {
  if (!(error instanceof Error)) return { message: `threw ${String(error)}`, location: undefined };
  const code = (error as { code?: unknown }).code;
  // jiti's syntax errors: "ParseError: Unexpected token \n /path/file.ts:3:45"
  const parse = /^(?:\w*Error: )?([\s\S]*?)\s*\n\s*(\/[^\n]+?|[A-Za-z]:\\[^\n]+?):(\d+):(\d+)\s*$/.exec(error.message);
  if (parse && /ParseError|SyntaxError/.test(error.message)) {
    return {
      message: `syntax error: ${(parse[1] ?? '').replace(/^ParseError:\s*/, '').trim()}`,
      location: { file: parse[2] as string, line: Number(parse[3]), column: Number(parse[4]) },
    };
  }
  if (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') {
    const specifier = /Cannot find (?:module|package) '([^']+)'/.exec(error.message)?.[1];
    const importer = /Require stack:\n- ([^\n]+)/.exec(error.message)?.[1] ?? / imported from ([^\n]+)/.exec(error.message)?.[1];
    const file = importer ? toPath(importer.trim()) : schemaFile;
    const line = specifier === undefined ? undefined : lineOf(file, specifier);
    return {
      message: specifier === undefined ? firstLine(error.message) : `cannot find module '${specifier}'`,
      location: { file, ...(line === undefined ? {} : { line }) },
    };
  }
  return { message: firstLine(error.message) || error.name, location: userFrame(error.stack ?? '') };
}

// The first stack frame in the user's own code: not Node's internals, not node_modules, not jiti.
function userFrame(stack: string): ErrorLocation | undefined {
  for (const raw of stack.split('\n').slice(1)) {
    const m = /\(?((?:file:\/\/)?\/[^():]+|[A-Za-z]:\\[^():]+):(\d+):(\d+)\)?\s*$/.exec(raw.trim());
    if (!m) continue;
    const file = toPath(m[1] as string);
    if (file.includes('/node_modules/') || file.startsWith('node:')) continue;
    return { file, line: Number(m[2]), column: Number(m[3]) };
  }
  return undefined;
}

function lineOf(file: string, specifier: string): number | undefined {
  try {
    const lines = readFileSync(file, 'utf8').split('\n');
    const i = lines.findIndex((l) => l.includes(`'${specifier}'`) || l.includes(`"${specifier}"`));
    return i < 0 ? undefined : i + 1;
  } catch {
    return undefined;
  }
}

function toPath(p: string): string {
  return p.startsWith('file://') ? fileURLToPath(p) : p;
}

function firstLine(message: string): string {
  return message.split('\n')[0]?.trim() ?? '';
}

function hintFor(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') {
    return 'Install the missing package, or fix the import path (schema files are loaded with Node resolution from their own directory).';
  }
  return 'Fix the schema file; Strata runs it to read its exports, so it must load without a database connection or side effects that fail.';
}
