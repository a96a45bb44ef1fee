import type { Output } from './output.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * Shows a spinner on stderr while `work` runs, only on a terminal and only once the work has
 * taken longer than a moment (quick commands stay quiet); `--json` and pipes never see it.
 *
 * @example
 * const live = await withSpinner(ctx.out, 'reading the database', () => introspect(db));
 */
export async function withSpinner<T>(out: Output, message: string, work: () => Promise<T>, stream: NodeJS.WriteStream = process.stderr): Promise<T> {
  if (!out.interactive || out.json) return work();
  let frame = 0;
  let shown = false;
  const draw = () => {
    shown = true;
    stream.write(`\r${out.colors.cyan(FRAMES[frame++ % FRAMES.length]!)} ${message}…`);
  };
  const delay = setTimeout(() => {
    draw();
    timer = setInterval(draw, 80);
  }, 300);
  let timer: NodeJS.Timeout | undefined;
  try {
    return await work();
  } finally {
    clearTimeout(delay);
    if (timer) clearInterval(timer);
    if (shown) stream.write('\r\x1b[2K');
  }
}
