import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { Column, Snapshot, Table } from '../src/snapshot.js';
import { isStrataError, type ErrorCode } from '@strata/core';

/** Absolute path of a fixture in `packages/schema/test/fixtures`. */
export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
}

/** A table of a snapshot, failing the test when it is missing. */
export function tableOf(snapshot: Snapshot, schema: string, name: string): Table {
  const table = snapshot.schemas[schema]?.tables[name];
  expect(table, `table ${schema}.${name}`).toBeDefined();
  return table as Table;
}

/** A column of a table, failing the test when it is missing. */
export function columnOf(table: Table, name: string): Column {
  const column = table.columns.find((c) => c.name === name);
  expect(column, `column ${table.name}.${name}`).toBeDefined();
  return column as Column;
}

/** Runs `fn` and returns the StrataError it throws (failing the test if it does not throw one). */
export function strataErrorOf(fn: () => unknown, code: ErrorCode): Error & { code: string; hint?: string; details: string[] } {
  try {
    fn();
  } catch (e) {
    expect(isStrataError(e), `expected a StrataError, got ${String(e)}`).toBe(true);
    expect((e as { code: string }).code).toBe(code);
    return e as Error & { code: string; hint?: string; details: string[] };
  }
  throw new Error('expected a StrataError, but nothing was thrown');
}

/** As `strataErrorOf`, for a promise. */
export async function strataErrorOfAsync(promise: Promise<unknown>, code: ErrorCode): Promise<Error & { code: string; hint?: string; details: string[] }> {
  try {
    await promise;
  } catch (e) {
    expect(isStrataError(e), `expected a StrataError, got ${String(e)}`).toBe(true);
    expect((e as { code: string }).code).toBe(code);
    return e as Error & { code: string; hint?: string; details: string[] };
  }
  throw new Error('expected a StrataError, but nothing was thrown');
}
