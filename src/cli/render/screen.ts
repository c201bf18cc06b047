import type { Line } from './text.js';

export interface Streams {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** Where rendered output goes: scrolling lines, and a status table. */
export interface Screen {
  write(lines: Line[]): void;
  /** The status table changed; `draw` renders it for a width. */
  table(draw: (width: number | undefined) => string[]): void;
  /** The track ended: leave the last table on screen (pinned) and stop timers. */
  close(): void;
}

/**
 * Resolves once stdout and stderr have taken what was written: a slow
 * reader (a pipe into `less`, a CI log collector) slows the track down
 * instead of piling output up in memory.
 */
export async function drained(streams: Streams): Promise<void> {
  for (const stream of [streams.stdout, streams.stderr]) {
    if ((stream as { writableNeedDrain?: boolean }).writableNeedDrain)
      await new Promise((resolve) => stream.once('drain', resolve));
  }
}

/** Writes lines in order, one write per run of lines to the same stream (a log chunk is one write). */
const send = (streams: Streams, lines: Line[]) => {
  let text = '';
  let to: Line['to'] | undefined;
  for (const line of lines) {
    if (to !== undefined && line.to !== to) {
      (to === 'out' ? streams.stdout : streams.stderr).write(text);
      text = '';
    }
    to = line.to;
    text += `${line.text}\n`;
  }
  if (to !== undefined) (to === 'out' ? streams.stdout : streams.stderr).write(text);
};

/**
 * Plain output (pipes, CI logs, NO_COLOR): lines as they come, and the
 * status table printed every `statusEvery` ms when asked for.
 */
export class PlainScreen implements Screen {
  readonly #streams: Streams;
  readonly #timer: NodeJS.Timeout | undefined;
  /** The width the table is drawn for (`KUBEDOG_TERMINAL_WIDTH`); none: as wide as it is. */
  readonly #width: number | undefined;
  #draw: ((width: number | undefined) => string[]) | undefined;
  #changed = false;

  constructor(streams: Streams, statusEvery?: number, width?: number) {
    this.#streams = streams;
    this.#width = width;
    if (statusEvery !== undefined && statusEvery > 0) {
      this.#timer = setInterval(() => this.#print(), statusEvery);
      this.#timer.unref();
    }
  }

  write(lines: Line[]): void {
    send(this.#streams, lines);
  }

  table(draw: (width: number | undefined) => string[]): void {
    this.#draw = draw;
    this.#changed = true;
  }

  #print(): void {
    if (!this.#draw || !this.#changed) return;
    this.#changed = false;
    this.#streams.stderr.write(`${this.#draw(this.#width).join('\n')}\n`);
  }

  close(): void {
    clearInterval(this.#timer);
  }
}

/**
 * A terminal with the status table pinned below the scrolling output: before
 * new lines are written the table is erased (cursor up to its first line,
 * clear to the end of the screen), then it is drawn again under them. Lines
 * that scroll away stay in the terminal's scrollback; a table on top (a
 * scroll region) would lose them.
 */
export class PinnedScreen implements Screen {
  readonly #streams: Streams & { stderr: NodeJS.WriteStream };
  /** The terminal's width as given (`KUBEDOG_TERMINAL_WIDTH`), instead of the one it reports. */
  readonly #width: number | undefined;
  #draw: ((width: number | undefined) => string[]) | undefined;
  /** Terminal lines the drawn table covers. */
  #height = 0;

  constructor(streams: Streams & { stderr: NodeJS.WriteStream }, width?: number) {
    this.#streams = streams;
    this.#width = width;
  }

  #erase(): void {
    if (this.#height > 0) this.#streams.stderr.write(`\u001b[${this.#height}F\u001b[J`);
    this.#height = 0;
  }

  #render(): void {
    if (!this.#draw) return;
    // One column short of the width: a full line would wrap on some terminals.
    const columns = this.#width ?? this.#streams.stderr.columns;
    const lines = this.#draw(columns ? columns - 1 : undefined);
    this.#streams.stderr.write(`${lines.join('\n')}\n`);
    this.#height = lines.length;
  }

  write(lines: Line[]): void {
    if (lines.length === 0) return;
    this.#erase();
    send(this.#streams, lines);
    this.#render();
  }

  table(draw: (width: number | undefined) => string[]): void {
    this.#draw = draw;
    this.#erase();
    this.#render();
  }

  close(): void {
    // The last table stays where it is, above the final verdict.
    this.#height = 0;
  }
}

/**
 * Streams whose every line starts with `prefix` (the Go kubedog's
 * `--output-prefix`: telling kubedog's lines apart in a CI log that mixes
 * several tools) — but the `exempt` ones, which must start their line to be
 * read (a CI system's workflow commands).
 */
export function prefixedStreams(
  streams: Streams,
  prefix: string,
  exempt: (line: string) => boolean = () => false,
): Streams {
  const wrap = (stream: NodeJS.WritableStream): NodeJS.WritableStream => {
    let atLineStart = true;
    const prefixed = Object.create(stream) as NodeJS.WritableStream;
    prefixed.write = ((text: string) => {
      const lines = text.split('\n');
      const last = lines.pop() as string;
      let out = '';
      for (const line of lines) {
        out += `${atLineStart && !exempt(line) ? prefix : ''}${line}\n`;
        atLineStart = true;
      }
      if (last !== '') {
        out += `${atLineStart ? prefix : ''}${last}`;
        atLineStart = false;
      }
      return stream.write(out);
    }) as NodeJS.WritableStream['write'];
    return prefixed;
  };
  return { stdout: wrap(streams.stdout), stderr: wrap(streams.stderr) };
}
