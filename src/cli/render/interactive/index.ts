import { safeForTerminal } from '../../../report/safe.js';
import type { MultitrackEvent, MultitrackSummary } from '../../../track/events.js';
import { type ResourceRef, resourceKey } from '../../../track/resource-ref.js';
import { drawFrame, type Heading, type LogLook } from './frame.js';
import { type Inspector, pageFor } from './inspect.js';
import type { Key } from './keys.js';
import { type LogTarget, SelectionLogs } from './live-logs.js';
import { Navigation, type Request, type Row, statusRows } from './navigation.js';
import { helpPage } from './pages.js';
import { type LogLine, RolloutState } from './rollout-state.js';
import type { Ring } from './scrollback.js';
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
  /** Reads what the track does not bring: the selection's object, Events and logs. */
  inspector?: Inspector;
  /**
   * When the track stops reading a resource's logs — at its verdict (a
   * rollout), or at the end (following) — and the view reads the
   * selection's itself from then on; `never`: logs are off.
   */
  logsUntil?: 'verdict' | 'end' | 'never';
  /** `c` copies to the terminal's clipboard (OSC 52); off, it says how to turn it on. */
  clipboard?: boolean;
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
  readonly #inspector: Inspector | undefined;
  readonly #selectionLogs: SelectionLogs | undefined;
  readonly #logsUntil: 'verdict' | 'end' | 'never';
  readonly #clipboard: boolean;
  readonly #output: NodeJS.WriteStream;
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
    this.nav.timestamps = this.#look.timestamp !== undefined;
    this.#inspector = options.inspector;
    this.#logsUntil = options.logsUntil ?? 'end';
    this.#clipboard = options.clipboard ?? false;
    this.#output = output;
    this.#selectionLogs =
      options.inspector && this.#logsUntil !== 'never'
        ? new SelectionLogs(options.inspector, {
            lines: (event) => this.observe(event),
            restarted: ({ resource, pod, container }, time) =>
              this.state.restarted(resourceKey(resource), pod, container, time),
          })
        : undefined;
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
    this.state.end(Date.now());
    this.#frames.invalidate();
  }

  /** Puts the terminal back as it was. */
  close(): void {
    this.#selectionLogs?.close();
    clearInterval(this.#ticker);
    this.#frames.stop();
    this.#session.restore();
  }

  #keys(keys: Key[]): void {
    for (const key of keys) {
      const request = this.nav.handle(key, this.state);
      if (request) this.#do(request);
    }
    this.#frames.invalidate();
  }

  #do(request: Request): void {
    if (request === 'quit') this.#leave();
    else if ('copy' in request) this.#copy(request.copy);
    else if (request.open === 'help') this.nav.page = helpPage();
    else this.#open(request.open);
  }

  /** A page about the selection, read from the cluster: shown at once, filled when read. */
  #open(kind: 'describe' | 'events' | 'yaml' | 'previous'): void {
    const row = this.#selection();
    const opened = this.#inspector && pageFor(kind, this.state, row, this.#inspector, Date.now());
    if (!opened) {
      this.nav.message = { text: `${kind}: select a resource, a pod or a container first`, error: false };
      return;
    }
    this.nav.page = opened.page;
    void opened.read.then((lines) => {
      opened.page.lines = lines;
      this.#frames.invalidate();
    });
  }

  /** OSC 52: the terminal puts the text on the clipboard (where it allows it). */
  #copy(text: string): void {
    if (!this.#clipboard) {
      this.nav.message = {
        text: 'copying is off: --clipboard lets c copy (OSC 52); the mouse selects text as usual',
        error: false,
      };
      return;
    }
    if (text === '') return;
    this.#output.write(`\u001b]52;c;${Buffer.from(text).toString('base64')}\u0007`);
    this.nav.message = { text: `copied ${text.length} characters`, error: false };
  }

  #selection(): Row {
    return this.nav.selected(statusRows(this.state, this.nav.expanded));
  }

  #draw(): void {
    const { size } = this.#session;
    this.#session.show(drawFrame(this.state, this.nav, this.#heading, size, Date.now(), this.#look));
    this.#selectionLogs?.want(this.#logTargets());
  }

  /** The selection's containers, once the track no longer reads their logs. */
  #logTargets(): LogTarget[] {
    const row = this.#selection();
    if (row.kind === 'all') return [];
    const resource = this.state.resources.get(row.key);
    const verdict = this.state.rows.row(row.key)?.state;
    const trackReads =
      this.state.endedAt === undefined &&
      (this.#logsUntil === 'end' || (verdict !== 'ready' && verdict !== 'failed' && verdict !== 'deleted'));
    if (!resource || trackReads) return [];
    const sources = this.state.logs.get(row.key) ?? [];
    const targets: LogTarget[] = [];
    for (const pod of resource.pods.values()) {
      if (pod.deleted || !pod.current || (row.kind !== 'resource' && row.pod !== pod.name)) continue;
      for (const container of pod.containers) {
        if (row.kind === 'container' && row.container !== container) continue;
        const source = sources.find((s) => s.pod === pod.name && s.container === container);
        targets.push({ resource: resource.ref, pod: pod.name, container, after: lastTime(source?.lines) });
      }
    }
    return targets;
  }
}

/** The time of the newest line that has one ('' for none). */
function lastTime(lines: Ring<LogLine> | undefined): string {
  if (!lines) return '';
  for (let i = lines.length - 1; i >= 0; i--) {
    const { time } = lines.at(i);
    if (time) return time;
  }
  return '';
}
