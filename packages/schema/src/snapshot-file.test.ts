import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as allFeatures from '../test/fixtures/all-features.js';
import { strataErrorOfAsync } from '../test/helpers.js';
import { canonicalJson } from './canonical-json.js';
import { serializeSchema } from './serialize-schema.js';
import { readSnapshotFile, writeSnapshotFile } from './snapshot-file.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'strata-snapshot-file-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('readSnapshotFile / writeSnapshotFile', () => {
  test('write then read gives the same snapshot; the file is canonical JSON (creating folders)', async () => {
    const snapshot = serializeSchema(allFeatures);
    const path = join(dir, 'meta', 'nested', '0001.snapshot.json');
    await writeSnapshotFile(path, snapshot);
    const text = readFileSync(path, 'utf8');
    expect(text).toBe(canonicalJson(snapshot));
    expect(text.endsWith('}\n')).toBe(true);
    expect(await readSnapshotFile(path)).toEqual(snapshot);
  });

  test('writing an invalid snapshot is refused before anything is written', async () => {
    const broken = serializeSchema(allFeatures);
    (broken.schemas.public as { name: string }).name = 'other';
    const path = join(dir, 'broken.json');
    await strataErrorOfAsync(writeSnapshotFile(path, broken), 'SNAPSHOT_INVALID');
    expect(() => readFileSync(path)).toThrow();
  });

  test('a missing file is NOT_FOUND, text that is not JSON is SNAPSHOT_INVALID naming the file', async () => {
    await strataErrorOfAsync(readSnapshotFile(join(dir, 'nope.json')), 'NOT_FOUND');
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ "version": 1, ');
    const e = await strataErrorOfAsync(readSnapshotFile(bad), 'SNAPSHOT_INVALID');
    expect(e.message).toMatch(new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: not valid JSON: `));
  });

  test('a file with a wrong field names the file and the path', async () => {
    const path = join(dir, 'wrong.json');
    const json = JSON.parse(canonicalJson(serializeSchema(allFeatures)));
    json.schemas.public.tables.users.columns[1].dimensions = -1;
    writeFileSync(path, JSON.stringify(json));
    const e = await strataErrorOfAsync(readSnapshotFile(path), 'SNAPSHOT_INVALID');
    expect(e.message).toBe(`${path}: schemas.public.tables.users.columns[1].dimensions: expected 0 or more, got -1`);
  });
});
