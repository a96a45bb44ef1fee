import { StrataError } from '@strata/core';
import { SNAPSHOT_VERSION } from './snapshot.js';

/**
 * Upgrade steps, keyed by the version they upgrade FROM: `upgrades[n]` turns a version-n snapshot
 * (plain JSON) into a version n+1 one. When the Snapshot format changes, bump `SNAPSHOT_VERSION`
 * and add the step here; migration folders written by older Strata keep working.
 */
export type SnapshotUpgrades = Readonly<Record<number, (json: Record<string, unknown>) => Record<string, unknown>>>;

/** Version 1 is the first format: there is nothing to upgrade yet. */
export const SNAPSHOT_UPGRADES: SnapshotUpgrades = {};

/**
 * Brings snapshot JSON of any older version up to `target` (default: the current version) by
 * running the upgrade steps in order. A newer version than this Strata knows, a version without
 * an upgrade step, or a step that does not produce the next version is `SNAPSHOT_INVALID`.
 *
 * @example
 * upgradeSnapshotJson({ version: 0, tables: {} }, 'meta/0001.json', { 0: (old) => ({ ...old, version: 1 }) }, 1);
 */
export function upgradeSnapshotJson(
  json: unknown,
  source: string,
  upgrades: SnapshotUpgrades = SNAPSHOT_UPGRADES,
  target: number = SNAPSHOT_VERSION,
): unknown {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return json;
  let current = json as Record<string, unknown>;
  const version = current.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) return json;
  if (version > target) {
    throw new StrataError('SNAPSHOT_INVALID', `${source}: snapshot version ${version} is newer than this Strata understands (${target})`, {
      hint: 'Upgrade Strata: the snapshot was written by a newer version.',
    });
  }
  for (let from = version; from < target; from++) {
    const step = upgrades[from];
    if (!step) throw new StrataError('SNAPSHOT_INVALID', `${source}: no upgrade from snapshot version ${from} to ${from + 1}`);
    current = step(current);
    if (current.version !== from + 1) {
      throw new StrataError('INTERNAL', `${source}: the upgrade from snapshot version ${from} produced version ${String(current.version)}`);
    }
  }
  return current;
}
