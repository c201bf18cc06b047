/**
 * The resume token of a followed log stream, after stern's: the timestamp of
 * the last line delivered and how many lines carried exactly that timestamp.
 * The API server forwards `sinceTime` to the kubelet with one-second
 * precision, so a resumed stream starts at the beginning of that second and
 * the lines already delivered are skipped here.
 */
export class ResumePoint {
  #last: LogInstant | undefined;
  #seenAtLast = 0;
  #catchingUp = false;
  #matched = 0;

  /** `sinceTime` for the next request: the last delivered second, or undefined before the first line. */
  get since(): string | undefined {
    return this.#last && new Date(this.#last.seconds * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
  }

  /** Marks the start of a resumed stream: lines up to the resume point are skipped. */
  startResumedStream(): void {
    this.#catchingUp = this.#last !== undefined;
    this.#matched = 0;
  }

  /** Whether a line with this timestamp is new; records it when it is. */
  accept(time: string): boolean {
    const instant = logInstant(time);
    if (instant === undefined) return true;
    const order = this.#last === undefined ? 1 : compareInstants(instant, this.#last);
    if (this.#catchingUp) {
      if (order < 0) return false;
      if (order === 0) {
        this.#matched++;
        if (this.#matched <= this.#seenAtLast) return false;
      }
      this.#catchingUp = false;
    }
    if (order > 0) {
      this.#last = instant;
      this.#seenAtLast = 1;
    } else if (order === 0) {
      this.#seenAtLast++;
    }
    return true;
  }
}

/** An instant with nanosecond precision: whole seconds since the epoch, and nanoseconds. */
export interface LogInstant {
  seconds: number;
  nanos: number;
}

export function compareInstants(a: LogInstant, b: LogInstant): number {
  return a.seconds - b.seconds || a.nanos - b.nanos;
}

const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;
const SECOND = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;
const ZERO = 48;
const DOT = 46;
const Z = 90;

// Log lines come many to the second, and each line's time is read twice (by
// the line parser, then by the resume point): the last second and the last
// answer are remembered.
let lastSecondText = '';
let lastSecond = 0;
let lastTime = '';
let lastInstant: LogInstant | undefined;

/**
 * The instant an RFC 3339 timestamp names, with nanosecond precision and any
 * zone offset; undefined for anything else (and for times before 1970).
 * Go's RFC3339Nano drops trailing zeros, so the texts themselves do not sort.
 */
export function logInstant(time: string): LogInstant | undefined {
  if (time === lastTime) return lastInstant;
  const instant = parseInstant(time);
  lastTime = time;
  lastInstant = instant;
  return instant;
}

function parseInstant(time: string): LogInstant | undefined {
  const n = time.length;
  // The usual form, `YYYY-MM-DDTHH:MM:SS[.fraction]Z`: the date is parsed once per second,
  // the fraction digit by digit.
  if (n < 20 || time.charCodeAt(n - 1) !== Z || (n > 20 && time.charCodeAt(19) !== DOT) || n === 21 || n > 30)
    return slowInstant(time);
  if (!time.startsWith(lastSecondText) || lastSecondText === '') {
    const second = time.slice(0, 19);
    const seconds = SECOND.test(second) ? secondsOf(`${second}Z`) : undefined;
    if (seconds === undefined) return undefined;
    lastSecondText = second;
    lastSecond = seconds;
  }
  let nanos = 0;
  for (let i = 20; i < n - 1; i++) {
    const digit = time.charCodeAt(i) - ZERO;
    if (digit < 0 || digit > 9) return undefined;
    nanos = nanos * 10 + digit;
  }
  for (let i = Math.max(0, n - 21); i < 9; i++) nanos *= 10;
  return { seconds: lastSecond, nanos };
}

function slowInstant(time: string): LogInstant | undefined {
  const m = RFC3339.exec(time);
  if (!m) return undefined;
  const seconds = secondsOf(`${m[1]}${m[3]}`);
  return seconds === undefined ? undefined : { seconds, nanos: Number((m[2] ?? '').padEnd(9, '0')) };
}

/** Seconds since the epoch of a well-formed RFC 3339 time without fraction; undefined for an impossible or pre-1970 time. */
function secondsOf(text: string): number | undefined {
  const ms = Date.parse(text);
  if (Number.isNaN(ms) || ms < 0) return undefined;
  return ms / 1000;
}
