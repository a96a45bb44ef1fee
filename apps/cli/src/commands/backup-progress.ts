import type { BackupProgress } from '@strata/backup';
import type { Output } from '../output.js';
import { formatDuration } from './data-progress.js';
import { formatCount } from '@strata/core';

const num = formatCount;

/** `1.2 MB`, `640 kB`, `12 B`. */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n / 1000;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

const VERB: Record<BackupProgress['phase'], string> = {
  verify: 'checking', schema: 'schema', data: 'copying', constraints: 'indexes and constraints', done: 'done',
};

/** One progress line: `copying  3/7 tables · 45,000/100,013 rows (44%) · public.events`. */
export function backupProgressText(p: BackupProgress, bar?: { width: number }): string {
  const pct = p.rowsTotal > 0 ? Math.min(100, Math.floor((p.rowsDone / p.rowsTotal) * 100)) : p.phase === 'done' ? 100 : 0;
  const parts: string[] = [];
  if (bar) {
    const filled = Math.round((pct / 100) * bar.width);
    parts.push(`[${'█'.repeat(filled)}${'░'.repeat(bar.width - filled)}] ${String(pct).padStart(3)}%`);
  }
  parts.push(`${p.tablesDone}/${p.tablesTotal} tables`);
  parts.push(`${num(p.rowsDone)}/${num(p.rowsTotal)} rows${bar ? '' : ` (${pct}%)`}`);
  if (p.table && p.phase !== 'done') parts.push(p.table);
  return `  ${VERB[p.phase].padEnd(8)} ${parts.join(' · ')}`;
}

export interface BackupProgressRenderer {
  update(p: BackupProgress): void;
  /** Takes the bar off the line before other output is written. */
  clear(): void;
}

/**
 * Renders backup, verification and restore progress on stderr: a bar redrawn in place on a
 * terminal; otherwise a line when the phase changes and at most one every 2 s within it.
 */
export function createBackupProgress(out: Output, stream: NodeJS.WritableStream = process.stderr, now: () => number = Date.now): BackupProgressRenderer {
  let drawn = false;
  let last = 0;
  let phase = '';
  let tablesDone = -1;
  const started = now();
  return {
    update(p) {
      const t = now();
      const newPhase = p.phase !== phase;
      const changed = newPhase || p.tablesDone !== tablesDone;
      phase = p.phase;
      tablesDone = p.tablesDone;
      if (out.interactive) {
        if (!changed && t - last < 100) return;
        last = t;
        stream.write(`\r\x1b[K${backupProgressText(p, { width: 24 })}`);
        drawn = true;
        return;
      }
      // Lines for a log: one per phase, and at most one every 2 s within it.
      if ((!newPhase && t - last < 2000) || p.phase === 'done') return;
      last = t;
      out.info(`${backupProgressText(p)} ${out.colors.dim(`(${formatDuration(t - started)})`)}`);
    },
    clear() {
      if (drawn) stream.write('\r\x1b[K');
      drawn = false;
    },
  };
}
