import { describe, expect, it } from 'vitest';
import { createOutput } from './output.js';
import { withSpinner } from './spinner.js';

function terminal() {
  const writes: string[] = [];
  const stream = { isTTY: true, write: (s: string) => { writes.push(s); return true; } } as unknown as NodeJS.WriteStream;
  return { writes, stream };
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('withSpinner', () => {
  it('draws on a terminal once work takes a while, then clears the line', async () => {
    const t = terminal();
    const out = createOutput({ json: false, verbose: false, streams: { stdout: t.stream, stderr: t.stream } });
    const result = await withSpinner(out, 'reading the database', async () => { await sleep(500); return 42; }, t.stream);
    expect(result).toBe(42);
    expect(t.writes.some((w) => w.includes('reading the database…'))).toBe(true);
    expect(t.writes.at(-1)).toBe('\r\x1b[2K');
  });

  it('stays quiet for quick work, with --json, and without a terminal', async () => {
    const t = terminal();
    const out = createOutput({ json: false, verbose: false, streams: { stdout: t.stream, stderr: t.stream } });
    await withSpinner(out, 'quick', async () => 1, t.stream);
    const json = createOutput({ json: true, verbose: false, streams: { stdout: t.stream, stderr: t.stream } });
    await withSpinner(json, 'json', async () => sleep(400), t.stream);
    const pipe = { isTTY: false, write: (s: string) => { t.writes.push(s); return true; } } as unknown as NodeJS.WriteStream;
    const piped = createOutput({ json: false, verbose: false, streams: { stdout: pipe, stderr: pipe } });
    await withSpinner(piped, 'piped', async () => sleep(400), pipe);
    expect(t.writes).toEqual([]);
  });

  it('clears the line when the work fails, and passes the error on', async () => {
    const t = terminal();
    const out = createOutput({ json: false, verbose: false, streams: { stdout: t.stream, stderr: t.stream } });
    await expect(withSpinner(out, 'failing', async () => { await sleep(400); throw new Error('boom'); }, t.stream)).rejects.toThrow('boom');
    expect(t.writes.at(-1)).toBe('\r\x1b[2K');
  });
});
