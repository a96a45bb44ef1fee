import { createHash } from 'node:crypto';

const NEWLINE = 0x0a;
const TERMINATOR = Buffer.from('\\.');

/**
 * Reads the decompressed bytes of a backup as lines, or as runs of whole COPY rows, while hashing
 * every byte it consumes (the hash can be cut off before the trailer line).
 */
export class LineSource {
  #buf: Buffer = Buffer.alloc(0);
  #pos = 0;
  #hashedTo = 0;
  #eof = false;
  readonly #hash = createHash('sha256');
  /** Number of the last line consumed (1-based). */
  line = 0;

  constructor(private readonly chunks: AsyncIterator<Buffer>) {}

  /** Pulls more input, keeping the unconsumed tail. False at the end of the input. */
  async #more(): Promise<boolean> {
    if (this.#eof) return false;
    const next = await this.chunks.next();
    if (next.done) {
      this.#eof = true;
      return false;
    }
    this.#hash.update(this.#buf.subarray(this.#hashedTo, this.#pos));
    const rest = this.#buf.subarray(this.#pos);
    this.#buf = rest.length === 0 ? next.value : Buffer.concat([rest, next.value]);
    this.#pos = 0;
    this.#hashedTo = 0;
    return true;
  }

  /** The next line without its newline; null at the end. Throws `'truncated'` on a last line without newline. */
  async nextLine(): Promise<Buffer | null> {
    for (;;) {
      const i = this.#buf.indexOf(NEWLINE, this.#pos);
      if (i !== -1) {
        const line = this.#buf.subarray(this.#pos, i);
        this.#pos = i + 1;
        this.line++;
        return line;
      }
      if (!(await this.#more())) {
        if (this.#pos < this.#buf.length) throw new TruncatedInput(this.line + 1);
        return null;
      }
    }
  }

  /**
   * The next run of whole COPY rows (up to the end of what is buffered), or null once the `\.`
   * line is consumed. Rows are counted by their newlines (COPY text escapes newlines in values).
   */
  async nextRows(): Promise<{ chunk: Buffer; rows: number } | null> {
    for (;;) {
      const start = this.#pos;
      let rows = 0;
      let i = this.#buf.indexOf(NEWLINE, start);
      while (i !== -1) {
        const lineStart = this.#pos;
        if (i - lineStart === 2 && this.#buf[lineStart] === TERMINATOR[0] && this.#buf[lineStart + 1] === TERMINATOR[1]) {
          if (rows > 0) return { chunk: this.#buf.subarray(start, lineStart), rows };
          this.#pos = i + 1;
          this.line++;
          return null;
        }
        rows++;
        this.line++;
        this.#pos = i + 1;
        i = this.#buf.indexOf(NEWLINE, this.#pos);
      }
      if (rows > 0) return { chunk: this.#buf.subarray(start, this.#pos), rows };
      if (!(await this.#more())) throw new TruncatedInput(this.line + 1);
    }
  }

  /** sha256 of everything consumed so far (call before reading the trailer line). */
  digestConsumed(): string {
    this.#hash.update(this.#buf.subarray(this.#hashedTo, this.#pos));
    this.#hashedTo = this.#pos;
    return this.#hash.copy().digest('hex');
  }

  /** True when nothing but the end of input is left. */
  async atEnd(): Promise<boolean> {
    while (this.#pos >= this.#buf.length) {
      if (!(await this.#more())) return true;
    }
    return false;
  }
}

/** The input ended in the middle of a line or a table. */
export class TruncatedInput extends Error {
  constructor(readonly lineNumber: number) {
    super(`input ends inside line ${lineNumber}`);
  }
}
