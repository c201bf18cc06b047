import { writeSync } from 'node:fs';
import { frameDiff, type Grid } from './grid.js';
import { type Key, parseKeys } from './keys.js';

/** At most this many frames a second, whatever the log rate: 33 ms apart. */
export const FRAME_INTERVAL_MS = 33;

/** Timers, given (tests pass a manual clock). */
export interface Timers {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(timer: unknown): void;
}

export const realTimers: Timers = {
  now: () => performance.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (timer) => clearTimeout(timer as NodeJS.Timeout),
};

/**
 * Draws when something changed, at most once per {@link FRAME_INTERVAL_MS}:
 * a change during the wait is drawn with the next frame, so a burst of a
 * thousand log lines costs one frame.
 */
export class FrameScheduler {
  readonly #draw: () => void;
  readonly #timers: Timers;
  #last = Number.NEGATIVE_INFINITY;
  #pending: unknown;
  #stopped = false;

  constructor(draw: () => void, timers: Timers = realTimers) {
    this.#draw = draw;
    this.#timers = timers;
  }

  /** Something changed: a frame comes as soon as the cap allows. */
  invalidate(): void {
    if (this.#pending !== undefined || this.#stopped) return;
    const wait = Math.max(0, this.#last + FRAME_INTERVAL_MS - this.#timers.now());
    this.#pending = this.#timers.setTimeout(() => {
      this.#pending = undefined;
      if (this.#stopped) return;
      this.#last = this.#timers.now();
      this.#draw();
    }, wait);
  }

  stop(): void {
    this.#stopped = true;
    if (this.#pending !== undefined) this.#timers.clearTimeout(this.#pending);
    this.#pending = undefined;
  }
}

const ESC = '\u001b';
/** The alternate screen, the cursor hidden, the screen cleared. */
const ENTER = `${ESC}[?1049h${ESC}[?25l${ESC}[H${ESC}[2J`;
/** Styles reset, the cursor shown, the main screen back as it was. */
const LEAVE = `${ESC}[0m${ESC}[?25h${ESC}[?1049l`;

export interface TerminalHandlers {
  keys(keys: Key[]): void;
  /** A frame is wanted: the terminal was resized, or has taken what it was behind with. */
  redraw(): void;
}

/**
 * The terminal while the view is on it: the alternate screen, the cursor
 * hidden, raw input. {@link restore} puts everything back and is safe to call
 * more than once; it also runs at process exit and on SIGTERM, SIGHUP and
 * SIGQUIT (then the process ends as the signal would end it), so the shell
 * the person returns to is as they left it.
 */
export class TerminalSession {
  readonly #input: NodeJS.ReadStream;
  readonly #output: NodeJS.WriteStream;
  readonly #handlers: TerminalHandlers;
  #shown: Grid | undefined;
  #active = false;
  /** A frame was skipped until the terminal drains. */
  #behind = false;

  constructor(input: NodeJS.ReadStream, output: NodeJS.WriteStream, handlers: TerminalHandlers) {
    this.#input = input;
    this.#output = output;
    this.#handlers = handlers;
  }

  get size(): { width: number; height: number } {
    return { width: this.#output.columns ?? 80, height: this.#output.rows ?? 24 };
  }

  start(): void {
    this.#active = true;
    this.#output.write(ENTER);
    this.#input.setRawMode(true);
    this.#input.setEncoding('utf8');
    this.#input.on('data', this.#onData);
    this.#input.resume();
    this.#output.on('resize', this.#onResize);
    process.once('exit', this.restore);
    for (const signal of SIGNALS) process.once(signal, this.#onSignal);
  }

  /** Shows a frame: writes what differs from the one shown (the whole screen after a resize). */
  show(grid: Grid): void {
    if (!this.#active) return;
    // A terminal that cannot keep up is not sent a queue of frames: the next one, once it drained.
    if (this.#output.writableNeedDrain) {
      if (!this.#behind) this.#output.once('drain', this.#onDrain);
      this.#behind = true;
      return;
    }
    const text = frameDiff(this.#shown, grid);
    this.#shown = grid;
    if (text !== '') this.#output.write(text);
  }

  readonly restore = (): void => {
    if (!this.#active) return;
    this.#active = false;
    process.removeListener('exit', this.restore);
    for (const signal of SIGNALS) process.removeListener(signal, this.#onSignal);
    this.#output.removeListener('resize', this.#onResize);
    this.#output.removeListener('drain', this.#onDrain);
    this.#input.removeListener('data', this.#onData);
    if (this.#input.isTTY) this.#input.setRawMode(false);
    this.#input.pause();
    // Synchronous: at exit, or before a signal ends the process, a queued write would be lost.
    const fd = (this.#output as { fd?: number }).fd;
    if (typeof fd === 'number') writeSync(fd, LEAVE);
    else this.#output.write(LEAVE);
  };

  readonly #onData = (chunk: string) => this.#handlers.keys(parseKeys(chunk));

  readonly #onDrain = () => {
    this.#behind = false;
    this.#handlers.redraw();
  };

  readonly #onResize = () => {
    this.#shown = undefined;
    this.#handlers.redraw();
  };

  readonly #onSignal = (signal: NodeJS.Signals) => {
    this.restore();
    process.kill(process.pid, signal);
  };
}

const SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGHUP', 'SIGQUIT'];
