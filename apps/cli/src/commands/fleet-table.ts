import { maskSecrets } from '@strata/core';
import type { FleetEvent, TargetResult } from '@strata/fleet';
import type { Output } from '../output.js';
import { formatDuration } from './data-progress.js';

/** Renders a fleet run's progress. */
export interface FleetRenderer {
  event(e: FleetEvent): void;
  /** Takes the live table off the screen. */
  stop(): void;
}

/** One finished target as a line: `db2  failed  MIGRATION_FAILED migration …: relation "posts" already exists`. */
export function targetLine(out: Output, r: TargetResult): string {
  const c = out.colors;
  const paint = { applied: c.green, reverted: c.green, done: c.green, 'up-to-date': c.green, pending: c.yellow, drift: c.red, locked: c.yellow, failed: c.red, skipped: c.dim } as const;
  const what =
    r.outcome === 'applied' ? `${r.applied.length} applied` :
    r.outcome === 'reverted' ? `${r.applied.length} rolled back` :
    r.outcome === 'done' ? `${r.applied.length} data migration(s) run` :
    r.error ? `${r.error.code} ${r.error.message.split('\n')[0]}` :
    r.outcome === 'pending' ? `${r.pending.length} pending` :
    r.outcome === 'drift' ? `${r.problems.length} difference(s)` : '';
  return `${r.name}  ${paint[r.outcome](r.outcome)}${what ? `  ${what}` : ''}  ${c.dim(formatDuration(r.durationMs))}`;
}

/**
 * Progress of a fleet run on stderr. On a terminal: a live table of the targets running now
 * (target, phase, migration, time) under the lines of those finished, redrawn in place. Otherwise
 * (and with --json): one plain line per finished target, nothing redrawn.
 */
export function createFleetRenderer(out: Output, total: number, stream: NodeJS.WritableStream = process.stderr, now: () => number = Date.now): FleetRenderer {
  const live = out.interactive && !out.json;
  const running = new Map<string, { phase: string; migration: string | null; since: number }>();
  let done = 0;
  let failed = 0;
  let drawnLines = 0;
  const clear = () => {
    if (drawnLines > 0) stream.write(`\x1b[${drawnLines}A\x1b[0J`);
    drawnLines = 0;
  };
  const draw = () => {
    if (!live) return;
    clear();
    const rows = [...running].map(([name, r]) => [name, r.phase, r.migration ?? '', formatDuration(now() - r.since)]);
    const head = ['target', 'phase', 'migration', 'time'];
    const width = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
    const pad = (cells: string[]) => cells.map((x, i) => x.padEnd(width[i]!)).join('  ').trimEnd();
    const lines = [out.colors.bold(pad(head)), ...rows.map(pad), out.colors.dim(`${done}/${total} done, ${running.size} running${failed ? `, ${failed} failed` : ''}`)];
    stream.write(`${lines.map((l) => maskSecrets(l)).join('\n')}\n`);
    drawnLines = lines.length;
  };
  const timer = live ? setInterval(draw, 200) : undefined;
  return {
    event(e) {
      switch (e.type) {
        case 'target-started':
          running.set(e.target, { phase: 'connecting', migration: null, since: now() });
          break;
        case 'target-progress': {
          const r = running.get(e.target);
          if (r) Object.assign(r, { phase: e.phase, migration: e.migration ?? r.migration });
          break;
        }
        case 'target-finished':
          running.delete(e.result.name);
          done++;
          if (e.result.outcome === 'failed' || e.result.outcome === 'locked') failed++;
          clear();
          out.info(targetLine(out, e.result));
          break;
        case 'canary-finished':
          clear();
          out.info(e.passed ? `canary: ${e.size} target(s) passed; running the rest` : out.colors.red(`canary: a target of the first ${e.size} failed; the rest were not started`));
          break;
      }
      draw();
    },
    stop() {
      if (timer) clearInterval(timer);
      clear();
    },
  };
}
