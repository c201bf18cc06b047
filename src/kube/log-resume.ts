/**
 * The resume token of a followed log stream, after stern's: the timestamp of
 * the last line delivered and how many lines carried exactly that timestamp.
 * The API server forwards `sinceTime` to the kubelet with one-second
 * precision, so a resumed stream starts at the beginning of that second and
 * the lines already delivered are skipped here.
 */
export class ResumePoint {
  #lastKey: string | undefined;
  #lastTime: Date | undefined;
  #seenAtLast = 0;
  #catchingUp = false;
  #matched = 0;

  /** `sinceTime` for the next request: the last delivered second, or undefined before the first line. */
  get since(): string | undefined {
    return this.#lastTime?.toISOString().replace(/\.\d+Z$/, 'Z');
  }

  /** Marks the start of a resumed stream: lines up to the resume point are skipped. */
  startResumedStream(): void {
    this.#catchingUp = this.#lastKey !== undefined;
    this.#matched = 0;
  }

  /** Whether a line with this timestamp is new; records it when it is. */
  accept(time: string): boolean {
    const key = logTimeKey(time);
    if (key === undefined) return true;
    if (this.#catchingUp && this.#lastKey !== undefined) {
      if (key < this.#lastKey) return false;
      if (key === this.#lastKey) {
        this.#matched++;
        if (this.#matched <= this.#seenAtLast) return false;
      }
      this.#catchingUp = false;
    }
    if (this.#lastKey === undefined || key > this.#lastKey) {
      this.#lastKey = key;
      this.#lastTime = new Date(Number(key.slice(0, 13)) * 1000);
      this.#seenAtLast = 1;
    } else if (key === this.#lastKey) {
      this.#seenAtLast++;
    }
    return true;
  }
}

const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;
const FRACTION = /^\d{1,9}$/;
const SECOND = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;

/** The seconds part of the last key made: log lines come many to the second. */
let lastSecond = '';
let lastSecondKey: string | undefined;

/**
 * A string that sorts like the instant an RFC 3339 timestamp names, with
 * nanosecond precision and any zone offset; undefined for anything else.
 * (Go's RFC3339Nano drops trailing zeros, so the texts themselves do not sort.)
 */
export function logTimeKey(time: string): string | undefined {
  // The usual form, `…THH:MM:SS[.fraction]Z`, parses its second once per second, not once per line.
  if (time.length >= 20 && time.charCodeAt(time.length - 1) === 90 && time.charCodeAt(19) !== 43) {
    const second = time.slice(0, 19);
    if (second !== lastSecond) {
      lastSecond = second;
      lastSecondKey = SECOND.test(second) ? secondKey(`${second}Z`) : undefined;
    }
    if (lastSecondKey === undefined) return undefined;
    if (time.length === 20) return `${lastSecondKey}.000000000`;
    const fraction = time.slice(20, -1);
    if (time.charCodeAt(19) !== 46 || !FRACTION.test(fraction)) return slowKey(time);
    return `${lastSecondKey}.${fraction.padEnd(9, '0')}`;
  }
  return slowKey(time);
}

function slowKey(time: string): string | undefined {
  const m = RFC3339.exec(time);
  if (!m) return undefined;
  const key = secondKey(`${m[1]}${m[3]}`);
  return key === undefined ? undefined : `${key}.${(m[2] ?? '').padEnd(9, '0')}`;
}

/**
 * Seconds since the epoch of a well-formed RFC 3339 time without fraction,
 * zero-padded to sort as text; undefined for an impossible or pre-1970 time.
 */
function secondKey(seconds: string): string | undefined {
  const ms = Date.parse(seconds);
  if (Number.isNaN(ms) || ms < 0) return undefined;
  return String(ms / 1000).padStart(13, '0');
}
