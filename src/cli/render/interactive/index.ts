import { safeForTerminal } from '../../../report/safe.js';
import type { MultitrackEvent, MultitrackSummary } from '../../../track/events.js';
import type { ResourceRef } from '../../../track/resource-ref.js';
import { drawFrame, type Heading, type LogLook } from './frame.js';
import type { Key } from './keys.js';
import { Navigation } from './navigation.js';
import { RolloutState } from './rollout-state.js';
import { FrameScheduler, realTimers, TerminalSession, type Timers } from './terminal.js';

export interface InteractiveOptions {
  /** `kubedog rollout track`, `kubedog follow`. */
  title: string;
  resources: ResourceRef[];
  /** Names carry their namespace from the start (`-A`); else once the resources span two. */
  allNamespaces: boolean;
  /** The final line of a summary (`3 of 3 resources ready after 12s`), and whether it is good news. */
  describe(summary: MultitrackSummary | undefined): { ok: boolean; text: string };
  /** Log lines' times and highlights, as the text view's `--timestamps` and `--highlight`. */
  look?: LogLook;
  timers?: Timers;
}

/**
 * `--interactive`: a full-screen view of a track, drawn from its events —
 * the status of every resource (expandable to pods and containers), the
 * events of the selection, and its logs. A consumer of the multitrack like
 * the text view; it holds no tracking logic.
 */
export class InteractiveView {
  readonly state: RolloutState;
  readonly nav = new Navigation();
  readonly #heading: Heading;
  readonly #session: TerminalSession;
  readonly #frames: FrameScheduler;
  readonly #describe: InteractiveOptions['describe'];
  readonly #look: LogLook;
  /** Ages in the status pane move every second. */
  #ticker: NodeJS.Timeout | undefined;
  #leave: () => void = () => {};
  /** Resolves when the person leaves (q, Ctrl-C). */
  readonly left: Promise<void>;

  constructor(input: NodeJS.ReadStream, output: NodeJS.WriteStream, options: InteractiveOptions) {
    this.state = new RolloutState(options.resources, options.allNamespaces);
    this.#heading = { title: options.title };
    this.#describe = options.describe;
    this.#look = options.look ?? {};
    this.left = new Promise((resolve) => {
      this.#leave = resolve;
    });
    this.#session = new TerminalSession(input, output, {
      keys: (keys) => this.#keys(keys),
      redraw: () => this.#frames.invalidate(),
    });
    this.#frames = new FrameScheduler(() => this.#draw(), options.timers ?? realTimers);
  }

  start(): void {
    this.#session.start();
    this.#ticker = setInterval(() => this.#frames.invalidate(), 1000);
    this.#ticker.unref();
    this.#frames.invalidate();
  }

  /** A multitrack event: what the cluster sent is made safe for the terminal first. */
  observe(received: MultitrackEvent): void {
    if (received.type === 'summary') return;
    this.state.observe(safeForTerminal(received), Date.now());
    this.#frames.invalidate();
  }

  /** The track ended (without a summary: it was interrupted); the view stays until the person leaves. */
  ended(summary: MultitrackSummary | undefined): void {
    this.#heading.end = this.#describe(summary);
    this.#frames.invalidate();
  }

  /** Puts the terminal back as it was. */
  close(): void {
    clearInterval(this.#ticker);
    this.#frames.stop();
    this.#session.restore();
  }

  #keys(keys: Key[]): void {
    for (const key of keys) if (this.nav.handle(key, this.state) === 'quit') this.#leave();
    this.#frames.invalidate();
  }

  #draw(): void {
    const { size } = this.#session;
    this.#session.show(drawFrame(this.state, this.nav, this.#heading, size, Date.now(), this.#look));
  }
}
