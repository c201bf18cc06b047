import { KubeDecodeError } from './errors.js';

/** Largest line accepted by default: well above etcd's 1.5 MiB object limit, and a bound on memory. */
export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

const NEWLINE = 0x0a;
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
  #pending: Buffer[] = [];
  #pendingBytes = 0;

  constructor(options: { maxLineBytes?: number } = {}) {
    this.#maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
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
      if (this.#pendingBytes === 0) {
        yield decode(bytes, start, end);
      } else {
        this.#pending.push(bytes.subarray(start, end));
        const whole = Buffer.concat(this.#pending, this.#pendingBytes + end - start);
        this.#pending = [];
        this.#pendingBytes = 0;
        yield decode(whole, 0, whole.length);
      }
      start = end + 1;
    }
    if (start < bytes.length) {
      const rest = bytes.subarray(start);
      if (this.#pendingBytes + rest.length > this.#maxLineBytes) {
        this.#pending = [];
        this.#pendingBytes = 0;
        throw new KubeDecodeError(`a line longer than ${this.#maxLineBytes} bytes was received`);
      }
      // Copy: the caller may reuse the chunk's memory once we return.
      this.#pending.push(Buffer.from(rest));
      this.#pendingBytes += rest.length;
    }
  }

  /** Returns and forgets the unfinished last line, if any. */
  takeRemainder(): string | undefined {
    if (this.#pendingBytes === 0) return undefined;
    const whole = Buffer.concat(this.#pending, this.#pendingBytes);
    this.#pending = [];
    this.#pendingBytes = 0;
    return decode(whole, 0, whole.length);
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
