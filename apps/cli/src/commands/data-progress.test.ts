import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import type { BatchProgress } from '@strata/data';
import { createOutput } from '../output.js';
import { createDataProgress, formatDuration, progressText } from './data-progress.js';

const p = (rowsDone: number, extra: Partial<BatchProgress> = {}): BatchProgress => ({
  migration: 'm', walk: 'public.users', table: '"public"."users"', batch: rowsDone / 1000, rowsDone, total: 10_000,
  rowsPerSecond: 2000, etaMs: ((10_000 - rowsDone) / 2000) * 1000, done: rowsDone === 10_000, ...extra,
});

function sink(isTTY: boolean) {
  let text = '';
  const stream = Object.assign(new Writable({ write(chunk, _enc, cb) { text += String(chunk); cb(); } }), { isTTY });
  return { stream, text: () => text };
}

describe('data progress', () => {
  it('formats rows, percentage, rate and time left', () => {
    expect(progressText(p(4000))).toBe('  public.users  4,000/10,000 rows (40%) · 2,000 rows/s · ETA 3.0 s');
    expect(progressText(p(4000, { total: null, etaMs: null }))).toBe('  public.users  4,000 rows · 2,000 rows/s');
    expect(progressText(p(5000), { width: 10 })).toBe('  public.users  [█████░░░░░]  50% · 5,000/10,000 rows · 2,000 rows/s · ETA 2.5 s');
    expect([formatDuration(850), formatDuration(4900), formatDuration(125_000)]).toEqual(['850 ms', '4.9 s', '2 min 05 s']);
  });

  it('prints lines without a terminal: the first batch, then at most one a second, and the end', () => {
    const err = sink(false);
    const out = createOutput({ json: false, verbose: false, streams: { stdout: sink(false).stream, stderr: err.stream } });
    let now = 0;
    const r = createDataProgress(out, err.stream, () => now);
    for (let rows = 1000; rows <= 10_000; rows += 1000) { now += 300; r.update(p(rows)); }
    expect(err.text().split('\n').filter(Boolean).map((l) => l.split('  ')[2]?.split(' ')[0])).toEqual(['1,000/10,000', '5,000/10,000', '9,000/10,000', '10,000/10,000']);
  });

  it('redraws one bar in place on a terminal and ends it with a newline', () => {
    const err = sink(true);
    const out = createOutput({ json: false, verbose: false, streams: { stdout: sink(false).stream, stderr: err.stream } });
    let now = 0;
    const r = createDataProgress(out, err.stream, () => now);
    for (let rows = 1000; rows <= 10_000; rows += 1000) { now += 300; r.update(p(rows)); }
    const text = err.text();
    expect(text.split('\r\x1b[K').filter(Boolean)).toHaveLength(10);
    expect(text.endsWith('100% · 10,000/10,000 rows · 2,000 rows/s\n')).toBe(true);
    expect(text.slice(0, -1)).not.toContain('\n');
  });
});
