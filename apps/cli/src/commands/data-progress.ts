import type { BatchProgress } from '@strata/data';
import type { Output } from '../output.js';
import { formatCount } from '@strata/core';

const num = formatCount;

/** `850 ms`, `4.9 s`, `2 min 05 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

/** One progress line: `public.users  90,000/200,000 rows (45%) · 12,345 rows/s · ETA 9.0 s`. */
export function progressText(p: BatchProgress, bar?: { width: number }): string {
  const pct = p.total ? Math.min(100, Math.floor((p.rowsDone / p.total) * 100)) : null;
  const parts: string[] = [];
  if (bar && pct !== null) {
    const filled = Math.round((pct / 100) * bar.width);
    parts.push(`[${'█'.repeat(filled)}${'░'.repeat(bar.width - filled)}] ${String(pct).padStart(3)}%`);
  }
  parts.push(p.total !== null ? `${num(p.rowsDone)}/${num(p.total)} rows${!bar && pct !== null ? ` (${pct}%)` : ''}` : `${num(p.rowsDone)} rows`);
  if (p.rowsPerSecond > 0) parts.push(`${num(p.rowsPerSecond)} rows/s`);
  if (!p.done && p.etaMs !== null) parts.push(`ETA ${formatDuration(p.etaMs)}`);
  return `  ${p.walk}  ${parts.join(' · ')}`;
}

export interface DataProgressRenderer {
  update(p: BatchProgress): void;
  /** Takes the bar off the line before other output is written. */
  clear(): void;
}

/**
 * Renders batch progress on stderr: a bar redrawn in place on a terminal, otherwise a line at the
 * first batch, then at most one a second, and one at the end.
 */
export function createDataProgress(out: Output, stream: NodeJS.WritableStream = process.stderr, now: () => number = Date.now): DataProgressRenderer {
  let drawn = false;
  let last = 0;
  let walk = '';
  return {
    update(p) {
      const t = now();
      const first = `${p.migration}/${p.walk}` !== walk;
      walk = `${p.migration}/${p.walk}`;
      if (out.interactive) {
        if (!p.done && !first && t - last < 100 && drawn) return;
        last = t;
        stream.write(`\r\x1b[K${progressText(p, { width: 24 })}${p.done ? '\n' : ''}`);
        drawn = !p.done;
        return;
      }
      if (!p.done && !first && t - last < 1000) return;
      last = t;
      out.info(progressText(p));
    },
    clear() {
      if (drawn) stream.write('\r\x1b[K');
      drawn = false;
    },
  };
}
