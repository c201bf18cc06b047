import { KubeDecodeError } from './errors.js';

/** Largest line accepted by default: well above etcd's 1.5 MiB object limit, and a bound on memory. */
export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

const NEWLINE = 0x0a;
/** What ends a line that was cut because it was too long. */
export const CUT_MARK = ' … [line cut: too long]';
const CARRIAGE_RETURN = 0x0d;

/**
 * Splits a byte stream into lines without buffering more than one line.
 *
 * Splitting happens on the byte 0x0A before decoding: in UTF-8 that byte never
 * occurs inside a multi-byte character, so a chunk boundary that falls inside
 * a character is harmless — the bytes of an unfinished line are kept until its
 * newline arrives and only then decoded, once. A trailing `\r` is removed.
 */
export class LineSplitter {
  readonly #maxLineBytes: number;
  readonly #cut: boolean;
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  /** In `cut` mode: the current line was cut; its rest is dropped up to its newline. */
  #cutting = false;

  /**
   * `maxLineBytes`: the longest line kept. A longer one is an error, or with
   * `cut` (log lines, where one runaway line must not stop the stream) it is
   * cut there and marked, and its rest dropped.
   */
  constructor(options: { maxLineBytes?: number; cut?: boolean } = {}) {
    this.#maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.#cut = options.cut ?? false;
  }

  /** Bytes of the current unfinished line. */
  get pendingBytes(): number {
    return this.#pendingBytes;
  }

  /** Feeds one chunk; yields every line it completes. */
  *push(chunk: Uint8Array): Generator<string, void, undefined> {
    const bytes = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    for (let end = bytes.indexOf(NEWLINE, start); end !== -1; end = bytes.indexOf(NEWLINE, start)) {
      if (this.#cutting) {
        yield this.takeRemainder() as string;
      } else if (this.#pendingBytes === 0 && end - start <= this.#maxLineBytes) {
        yield decode(bytes, start, end);
      } else if (this.#pendingBytes + end - start <= this.#maxLineBytes) {
        this.#pending.push(bytes.subarray(start, end));
        const whole = Buffer.concat(this.#pending, this.#pendingBytes + end - start);
        this.#pending = [];
        this.#pendingBytes = 0;
        yield decode(whole, 0, whole.length);
      } else {
        this.#keep(bytes.subarray(start, end));
        yield this.takeRemainder() as string;
      }
      start = end + 1;
    }
    if (start < bytes.length) this.#keep(bytes.subarray(start));
  }

  /** Keeps bytes of the unfinished line, up to the longest line (then: cut, or an error). */
  #keep(rest: Buffer): void {
    if (this.#cutting) return;
    const room = this.#maxLineBytes - this.#pendingBytes;
    if (rest.length > room) {
      if (!this.#cut) {
        this.#pending = [];
        this.#pendingBytes = 0;
        throw new KubeDecodeError(`a line longer than ${this.#maxLineBytes} bytes was received`);
      }
      this.#cutting = true;
      rest = rest.subarray(0, room);
    }
    // Copy: the caller may reuse the chunk's memory once we return.
    this.#pending.push(Buffer.from(rest));
    this.#pendingBytes += rest.length;
  }

  /** Returns and forgets the unfinished last line (marked when it was cut), if any. */
  takeRemainder(): string | undefined {
    if (this.#pendingBytes === 0) return undefined;
    const whole = Buffer.concat(this.#pending, this.#pendingBytes);
    const mark = this.#cutting ? CUT_MARK : '';
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#cutting = false;
    return decode(whole, 0, whole.length) + mark;
  }
}

function decode(bytes: Buffer, start: number, end: number): string {
  const last = end > start && bytes[end - 1] === CARRIAGE_RETURN ? end - 1 : end;
  return bytes.toString('utf8', start, last);
}

/**
 * Reads lines from a byte stream lazily: a chunk is read only when the
 * consumer asks for the next line, so a slow consumer pauses the source.
 * An unterminated last line is yielded when the source ends.
 */
export async function* readLines(
  source: AsyncIterable<Uint8Array>,
  options: { maxLineBytes?: number } = {},
): AsyncGenerator<string, void, undefined> {
  const splitter = new LineSplitter(options);
  for await (const chunk of source) yield* splitter.push(chunk);
  const rest = splitter.takeRemainder();
  if (rest !== undefined) yield rest;
}
