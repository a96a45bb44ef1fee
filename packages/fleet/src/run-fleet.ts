import { StrataError } from '@strata/core';
import { findMigration, status, type MigrationFolder } from '@strata/runner';
import type { ResolvedConfig } from '@strata/workflow';
import { FleetConnections, serverKey } from './connections.js';
import { hasEnvRefs, resolveEnvRefs } from './env-refs.js';
import { fleetOk, summarize, type FleetAction, type FleetReport, type TargetResult } from './report.js';
import { dataPending, dataStatusTarget, runDataTarget } from './run-data-target.js';
import { reportedError, runTarget } from './run-target.js';
import { runPerKey } from './scheduler.js';
import type { FleetTarget } from './target.js';
import { folderForSchema } from './tenant-folder.js';
import { tenantHistory } from './tenant-history.js';

/** Default targets at once per server (each on one connection). */
export const DEFAULT_CONCURRENCY = 4;
/** Default wait for a target's migration lock before reporting it `locked`, ms. */
export const DEFAULT_FLEET_LOCK_WAIT_MS = 5_000;

/** Progress of a fleet run, for a live table or plain lines. */
export type FleetEvent =
  | { type: 'target-started'; target: string; canary: boolean }
  | { type: 'target-progress'; target: string; phase: string; migration: string | null }
  | { type: 'target-finished'; result: TargetResult }
  | { type: 'canary-finished'; size: number; passed: boolean };

export interface FleetOptions {
  action: FleetAction;
  targets: readonly FleetTarget[];
  /** The migration folder, as written (not read by `data`). */
  folder: MigrationFolder;
  /** data: the data-migration directory; default the config's `dataDir`. */
  dataDir?: string;
  /** History table, timeouts, `schemas`, `tablesFilter`, `ownedBySql`, `dir` (for PGlite paths and caches). */
  config: ResolvedConfig;
  /** The schema the folder's migrations build, replaced by each tenant's schema; default `managedSchemaOf(config)`. */
  managedSchema?: string;
  /** Targets at once per server, each on one connection (so also connections per server); default 4. PGlite: 1. */
  concurrency?: number;
  /** Start no further target once one failed or was locked; those not started are `skipped`. */
  failFast?: boolean;
  /** Run the first n targets first; when one of them fails, stop (the rest `skipped`). */
  canary?: number;
  /** How long to wait for a target's migration lock before reporting it `locked`; default 5 000 ms. */
  lockWaitMs?: number;
  allowOutOfOrder?: boolean;
  /** rollback: revert every migration applied after this one (required for rollback). */
  rollbackTo?: string;
  /** Where `${ENV}` references are read; default `process.env`. */
  env?: Record<string, string | undefined>;
  onEvent?: (e: FleetEvent) => void;
}

/**
 * The schema a migration folder is written for, which tenant targets substitute: the config's
 * `schemas` when it names exactly one, else `public`.
 *
 * @example
 * managedSchemaOf({ ...config, schemas: ['tenant'] }) // => 'tenant'
 */
export function managedSchemaOf(config: Pick<ResolvedConfig, 'schemas'>): string {
  return config.schemas?.length === 1 ? config.schemas[0]! : 'public';
}

/**
 * Migrates, reports on, checks, rolls back (`rollbackTo`) or runs the data migrations of (`data`) every target: each with its own lock and history (a tenant
 * schema's history table is `tenantHistory`), at most `concurrency` targets — one connection each —
 * per server at a time; a target whose lock another process holds is reported `locked` after
 * `lockWaitMs`. A failed target does not stop the others unless `failFast`; `canary` runs the
 * first n first. Rerunning after a failure does only what is left (each target's history says
 * what it has). Prints nothing: progress goes to `onEvent`, the outcome is the report.
 *
 * @example
 * const report = await runFleet({ action: 'migrate', targets: await listTargets(readTargetsFile('t.json')), folder, config, concurrency: 8 });
 * process.exitCode = report.ok ? 0 : 1;
 */
export async function runFleet(options: FleetOptions): Promise<FleetReport> {
  const started = Date.now();
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new StrataError('USAGE', `concurrency must be a whole number of at least 1, got ${concurrency}`);
  if (options.action === 'rollback' && !options.rollbackTo) {
    throw new StrataError('USAGE', 'a fleet rollback needs the migration to roll back to', { hint: 'rollback --all --to <name>: every target ends at the same migration.' });
  }
  if (options.rollbackTo !== undefined) findMigration(options.folder, options.rollbackTo);
  const canarySize = Math.min(options.canary ?? 0, options.targets.length);
  const managed = options.managedSchema ?? managedSchemaOf(options.config);
  const emit = options.onEvent ?? (() => {});
  const connections = new FleetConnections(options.config.dir);
  const results: TargetResult[] = options.targets.map((t, i) => ({
    name: t.name, url: t.display, schema: t.schema, server: '', outcome: 'skipped', applied: [], pending: [], problems: [], error: null, durationMs: 0, canary: i < canarySize,
  }));
  let stop = false;

  const prepared = options.targets.map((t, index) => {
    let url = '';
    let server = 'unresolved';
    let error: unknown = null;
    try {
      url = resolveEnvRefs(t.url, options.env);
      server = serverKey(url, options.config.dir);
    } catch (e) {
      error = e;
    }
    const label = error ? server : serverLabel(t.url, server, options.config.dir);
    results[index]!.server = label;
    return { t, index, url, server, label, error };
  });

  const runOne = async (p: (typeof prepared)[number]): Promise<void> => {
    const r = results[p.index]!;
    const t0 = Date.now();
    emit({ type: 'target-started', target: p.t.name, canary: r.canary });
    const data = options.action === 'data' || options.action === 'data-status';
    const dataDir = options.dataDir ?? options.config.dataDir;
    const folder = p.t.schema === null || data ? options.folder : folderForSchema(options.folder, managed, p.t.schema);
    const history = p.t.schema === null ? options.config.history : tenantHistory(options.config.history, p.t.schema);
    const onProgress = (phase: string, migration: string | null) => emit({ type: 'target-progress', target: p.t.name, phase, migration });
    const lockWaitMs = options.lockWaitMs ?? DEFAULT_FLEET_LOCK_WAIT_MS;
    let conn: Awaited<ReturnType<FleetConnections['acquire']>> | null = null;
    try {
      if (p.error) throw p.error;
      conn = await connections.acquire(p.url, p.label);
      const out = data
        ? await (options.action === 'data' ? runDataTarget : dataStatusTarget)({ db: conn.db, config: options.config, dir: dataDir, schema: p.t.schema, managed, lockWaitMs, onProgress })
        : await runTarget({
          action: options.action, db: conn.db, config: options.config, folder, original: options.folder, history, schema: p.t.schema, managed,
          lockWaitMs, allowOutOfOrder: Boolean(options.allowOutOfOrder), rollbackTo: options.rollbackTo, onProgress,
        });
      Object.assign(r, out);
    } catch (e) {
      r.error = reportedError(e, p.url, p.t.display);
      r.outcome = r.error.code === 'LOCK_TIMEOUT' ? 'locked' : 'failed';
      // Where it is now: what is left to apply (when the database can still be read).
      if (conn) {
        r.pending = data
          ? await dataPending(conn.db, options.config, dataDir, p.t.schema)
          : await status(conn.db, folder, { history }).then((s) => s.pending, () => []);
      }
      if (options.failFast) stop = true;
    } finally {
      await conn?.release().catch(() => {});
      r.durationMs = Date.now() - t0;
      emit({ type: 'target-finished', result: r });
    }
  };

  const limitOf = (server: string) => (server.startsWith('pglite:') ? 1 : concurrency);
  const batch = (items: typeof prepared) => runPerKey(items, (p) => p.server, limitOf, runOne, () => stop);
  let canary: FleetReport['canary'] = null;
  try {
    if (canarySize > 0) {
      await batch(prepared.slice(0, canarySize));
      const passed = results.slice(0, canarySize).every((r) => r.outcome !== 'failed' && r.outcome !== 'locked');
      canary = { size: canarySize, passed };
      emit({ type: 'canary-finished', size: canarySize, passed });
      if (passed) await batch(prepared.slice(canarySize));
    } else {
      await batch(prepared);
    }
  } finally {
    await connections.close();
  }
  const { counts, groups } = summarize(results);
  return { action: options.action, ok: fleetOk(options.action, counts), counts, targets: results, groups, canary, peakConnections: { ...connections.peak }, durationMs: Date.now() - started };
}

/**
 * The server as a report shows it: `host:port` of the URL as written, a `${ENV}` reference kept as
 * such (`${DB_HOST}:5432`), so a value that lives only in the environment never reaches the report.
 */
function serverLabel(template: string, key: string, baseDir: string): string {
  if (!hasEnvRefs(template)) return key;
  const names = [...new Set([...template.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => m[1]!))];
  const token = (i: number) => `strataenvref${i}x`;
  const env = Object.fromEntries(names.map((n, i) => [n, token(i)]));
  let label: string;
  try {
    label = serverKey(resolveEnvRefs(template, env), baseDir);
  } catch {
    return template;
  }
  if (label.startsWith('pglite:') && !label.includes('strataenvref')) return key;
  names.forEach((n, i) => {
    label = label.split(token(i)).join(`\${${n}}`);
  });
  return label;
}
