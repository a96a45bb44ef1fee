import type { Output } from './output.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * Starts a spinner on stderr, shown only on a terminal and only once the work has taken longer
 * than a moment (quick commands stay quiet); `--json` and pipes never see it. Returns the function
 * that stops it and clears its line.
 *
 * @example
 * const stop = startSpinner(ctx.out, 'reading the database'); try { … } finally { stop(); }
 */
export function startSpinner(out: Output, message: string | (() => string), stream: NodeJS.WriteStream = process.stderr): () => void {
  if (!out.interactive || out.json) return () => {};
  let frame = 0;
  let shown = false;
  const draw = () => {
    shown = true;
    // A function message is read at every frame (e.g. the time so far); the line is redrawn whole.
    const text = typeof message === 'function' ? message() : `${message}…`;
    stream.write(`\r\x1b[2K${out.colors.cyan(FRAMES[frame++ % FRAMES.length]!)} ${text}`);
  };
  let timer: NodeJS.Timeout | undefined;
  const delay = setTimeout(() => {
    draw();
    timer = setInterval(draw, 80);
  }, 300);
  return () => {
    clearTimeout(delay);
    if (timer) clearInterval(timer);
    if (shown) stream.write('\r\x1b[2K');
    shown = false;
  };
}

/**
 * Shows a spinner (see `startSpinner`) while `work` runs.
 *
 * @example
 * const live = await withSpinner(ctx.out, 'reading the database', () => introspect(db));
 */
export async function withSpinner<T>(out: Output, message: string, work: () => Promise<T>, stream: NodeJS.WriteStream = process.stderr): Promise<T> {
  const stop = startSpinner(out, message, stream);
  try {
    return await work();
  } finally {
    stop();
  }
}
