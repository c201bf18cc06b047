import { STOPPED } from '../kube/cancellable.js';
import type { Clock } from '../kube/clock.js';
import type { LogLine, LogNotice } from '../kube/logs.js';
import { isForbidden } from '../kube/rbac.js';
import { deniedNotice } from './denied.js';
import type { ContainerLines, TrackEventInit } from './events.js';
import type { ContainerFilter, ContainerTail } from './model/log-plan.js';
import type { PlannedFailure } from './model/model.js';
import type { LogSource } from './sources.js';

/** Which logs a tracker follows, and how. */
export interface LogOptions extends ContainerFilter {
  /** Only lines that match. */
  include?: RegExp;
  /** No lines that match. */
  exclude?: RegExp;
  /** Per container, only lines that match: instead of `include` for that container. */
  includeFor?: Record<string, RegExp>;
  /** Per container, no lines that match: instead of `exclude` for that container. */
  excludeFor?: Record<string, RegExp>;
  /**
   * Only lines at or after this time, or of the last this many milliseconds
   * (`new Date(0)`: everything the container wrote).
   * @default from the container's start; for a container that started more
   * than a minute before the track, from the track's start (its history is
   * not replayed)
   */
  since?: Date | number;
  /** Only the last N lines of each container. */
  tailLines?: number;
  /** Log streams open at once; more wait in line. @default 50 */
  maxStreams?: number;
  /** Keep the streams open for new lines; false: read what there is, to its end. @default true */
  follow?: boolean;
}

/** Whether a log line of a container passes the include and exclude expressions. */
function lineWanted(options: LogOptions, container: string, line: string): boolean {
  const include = options.includeFor?.[container] ?? options.include;
  const exclude = options.excludeFor?.[container] ?? options.exclude;
  return (include?.test(line) ?? true) && !(exclude?.test(line) ?? false);
}

/** How many last lines a failure report (and a crashed container's last words) holds. */
const LAST_LINES = 20;
/** How recently a container must have started for `settle` to wait for its first lines. */
const SETTLE_WINDOW_MS = 2000;

interface Tail extends ContainerTail {
  /** When the stream was asked for (ms since the epoch, on the track's clock). */
  queuedAt: number;
  controller: AbortController;
  /** Its reconnects were said, and no line came since: further ones are the same episode. */
  reconnecting?: boolean;
  /** Its episode's `resumed` was said. */
  resumedSaid?: boolean;
}

/**
 * The log streams of one tracker: one tail per container instance, started
 * when the model asks, at most `maxStreams` at once (more wait in line; a
 * notice says so, once), each with its own AbortController. It remembers the
 * last lines delivered per container, so the last lines read for a failure
 * are not shown twice. With `live: false` nothing is followed: only failure
 * reports read logs.
 */
export class LogTails {
  readonly #source: LogSource;
  readonly #namespace: string;
  readonly #emit: (event: TrackEventInit) => Promise<void>;
  readonly #options: LogOptions;
  readonly #live: boolean;
  readonly #clock: Clock;
  readonly #controller = new AbortController();
  readonly #waiting: Tail[] = [];
  readonly #byPod = new Map<string, Set<Tail>>();
  #active = 0;
  #capNoticed = false;
  /** The API server refused a log (403): no log is asked for again, by this tracker. */
  #denied = false;
  /** Streams of containers that just started, which have not answered yet. */
  readonly #unanswered = new Set<Tail>();
  /** The last lines delivered per pod/container. */
  readonly #recent = new Map<string, LogLine[]>();
  /** Who waits for the streams to answer or end (`settle`, `drain`): told at every change. */
  readonly #waiters = new Set<() => void>();

  constructor(
    source: LogSource,
    namespace: string,
    emit: (event: TrackEventInit) => Promise<void>,
    options: LogOptions & { live: boolean; clock: Clock },
  ) {
    this.#source = source;
    this.#namespace = namespace;
    this.#emit = emit;
    this.#options = options;
    this.#live = options.live;
    this.#clock = options.clock;
  }

  /** Starts following a container instance (or puts it in line). */
  follow(request: ContainerTail): void {
    if (!this.#live || this.#denied || this.#controller.signal.aborted) return;
    const { history, ...rest } = request;
    // What a container wrote before the track is history, unless `since` asks for it.
    const from = rest.from ?? (this.#options.since === undefined ? history : undefined);
    const tail: Tail = {
      ...rest,
      ...(from ? { from } : {}),
      queuedAt: this.#clock.now(),
      controller: new AbortController(),
    };
    this.#unanswered.add(tail);
    this.#waiting.push(tail);
    this.#startWaiting();
  }

  /** The pod is gone: its streams end. */
  unfollow(pod: string): void {
    for (const tail of this.#byPod.get(pod) ?? []) tail.controller.abort(STOPPED);
    this.#byPod.delete(pod);
  }

  /**
   * A container that crashed before it was followed: its previous
   * instance's last lines, once, so the reason of the crash is on screen.
   */
  previous(pod: string, container: string): void {
    if (!this.#live || this.#denied) return;
    void this.#lastLines(pod, container, true, this.#controller.signal)
      .then((lines) => this.#showFresh(pod, container, lines))
      .catch(() => {
        // The previous instance's log is gone (the pod was recreated): nothing to show.
      });
  }

  /**
   * The last lines of failing containers for a report, read from the API
   * (each container's sources in order, falling back to the lines seen
   * live); lines not shown yet are shown first. Bounded by `signal`: a
   * report does not wait for a server that does not answer.
   */
  async lastWords(containers: PlannedFailure['containers'], signal: AbortSignal): Promise<ContainerLines[]> {
    const found = await Promise.all(
      containers.map((c) =>
        this.#denied ? this.#seenLines(c.pod, c.container) : this.#lastWordsOf(c, signal),
      ),
    );
    const read = found.filter((entry) => entry !== undefined);
    for (const { entry, lines } of read) if (lines) await this.#showFresh(entry.pod, entry.container, lines);
    return read.map(({ entry }) => entry);
  }

  /** A container's last lines for a report, and those read from the API (to show the ones not shown yet). */
  async #lastWordsOf(
    { pod, container, sources }: PlannedFailure['containers'][number],
    signal: AbortSignal,
  ): Promise<{ entry: ContainerLines; lines?: LogLine[] } | undefined> {
    for (const source of sources) {
      try {
        const lines = await this.#lastLines(pod, container, source === 'previous', signal);
        const previous = source === 'previous';
        if (lines.length > 0)
          return { entry: { pod, container, previous, lines: lines.map((l) => l.text) }, lines };
      } catch (error) {
        // Refused: said once, and no other source is asked for.
        if (isForbidden(error)) {
          await this.#refused(error);
          break;
        }
        // Gone (pod deleted, no previous instance, never started) or too slow: try the next source.
      }
    }
    return this.#seenLines(pod, container);
  }

  /** A container's last lines as they were shown live, for a report. */
  #seenLines(pod: string, container: string): { entry: ContainerLines; lines?: LogLine[] } | undefined {
    const seen = this.#recent.get(`${pod}/${container}`)?.slice(-LAST_LINES);
    const lines = seen?.map((line) => line.text);
    return lines?.length ? { entry: { pod, container, previous: false, lines } } : undefined;
  }

  /** The last lines of a container (its previous instance with `previous`), read to the end. */
  async #lastLines(
    pod: string,
    container: string,
    previous: boolean,
    signal: AbortSignal,
  ): Promise<LogLine[]> {
    const lines: LogLine[] = [];
    const options = { container, previous, tailLines: LAST_LINES, signal };
    for await (const batch of this.#source.logBatches({ namespace: this.#namespace, name: pod }, options))
      lines.push(...batch);
    return lines;
  }

  /**
   * Shows the lines of a container not shown yet (and that pass the filter),
   * when following logs: a line is the one shown when its time and text are
   * (a line repeated later is a new line).
   */
  async #showFresh(pod: string, container: string, lines: LogLine[]): Promise<void> {
    if (!this.#live) return;
    const recent = this.#recent.get(`${pod}/${container}`) ?? [];
    const shown = (line: LogLine) => recent.some((r) => r.time === line.time && r.text === line.text);
    const fresh = lines.filter((line) => !shown(line) && lineWanted(this.#options, container, line.text));
    if (fresh.length === 0) return;
    await this.#show(pod, container, fresh);
  }

  /** A log event of these lines, each with its time; remembered for the failure report. */
  async #show(pod: string, container: string, lines: LogLine[]): Promise<void> {
    this.#remember(pod, container, lines);
    const texts = lines.map((line) => line.text);
    await this.#emit({ type: 'log', pod, container, lines: texts, times: lines.map((line) => line.time) });
  }

  /** Keeps the last 50 lines delivered per container. */
  #remember(pod: string, container: string, lines: LogLine[]): void {
    const key = `${pod}/${container}`;
    this.#recent.set(key, [...(this.#recent.get(key) ?? []), ...lines.slice(-50)].slice(-50));
  }

  /**
   * Waits (at most `maxMs`) for the streams of containers that started in
   * the last 2 s to answer: what a container says as it starts comes before
   * the verdict that ends a rollout track. Streams open for longer, and
   * quiet ones, are not waited for.
   */
  settle(maxMs = 500): Promise<void> {
    const deadline = this.#clock.now() + maxMs;
    return this.#waitUntil(() => Math.min(deadline, this.#lastAwaited()));
  }

  /**
   * Until when a stream that has not answered yet is waited for: one asked
   * for from a given time (an old revision, a container that ran before the
   * track) has no first lines to wait for, and none is waited for longer
   * than SETTLE_WINDOW_MS after it was asked for.
   */
  #lastAwaited(): number {
    let last = Number.NEGATIVE_INFINITY;
    for (const tail of this.#unanswered)
      if (!tail.from) last = Math.max(last, tail.queuedAt + SETTLE_WINDOW_MS);
    return last;
  }

  /** Waits until every stream, open or in line, has read to its end (streams that do not follow end by themselves). */
  drain(): Promise<void> {
    return this.#waitUntil(() =>
      this.#active === 0 && this.#waiting.length === 0 ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY,
    );
  }

  stop(): void {
    this.#controller.abort(STOPPED);
    this.#waiting.length = 0;
    this.#unanswered.clear();
    this.#changed();
  }

  /**
   * Resolves at the clock time `over()` says (Infinity: not before the
   * streams change), looked at again at every change of the streams; at
   * once when the tails stop.
   */
  #waitUntil(over: () => number): Promise<void> {
    return new Promise((resolve) => {
      let cancelTimer: (() => void) | undefined;
      const check = () => {
        cancelTimer?.();
        const left = over() - this.#clock.now();
        if (left > 0 && !this.#controller.signal.aborted) {
          if (left < Number.POSITIVE_INFINITY) cancelTimer = this.#clock.after(left, check);
          return;
        }
        this.#waiters.delete(check);
        resolve();
      };
      this.#waiters.add(check);
      check();
    });
  }

  /** A stream answered, ended or was given up: whoever waits looks again. */
  #changed(): void {
    for (const check of [...this.#waiters]) check();
  }

  #startWaiting(): void {
    const max = this.#options.maxStreams ?? 50;
    while (this.#waiting.length > 0 && this.#active < max && !this.#controller.signal.aborted) {
      const tail = this.#waiting.shift() as Tail;
      if (tail.controller.signal.aborted) continue;
      this.#active++;
      void this.#run(tail).finally(() => {
        this.#unanswered.delete(tail);
        this.#byPod.get(tail.pod)?.delete(tail);
        this.#active--;
        this.#startWaiting();
        this.#changed();
      });
    }
    if (this.#waiting.length > 0 && !this.#capNoticed) {
      this.#capNoticed = true;
      void this.#emit({
        type: 'notice',
        code: 'log-streams-capped',
        message: `${max} log streams are open (the limit); more wait until one ends`,
      });
    }
  }

  /** The later of the tail's own start and the `since` option, as the log API takes it. */
  #since(tail: Tail): { sinceTime?: Date; sinceSeconds?: number } {
    const since = this.#options.since;
    const optionTime = typeof since === 'number' ? new Date(this.#clock.now() - since) : since;
    if (tail.from && (!optionTime || tail.from > optionTime)) return { sinceTime: tail.from };
    if (since instanceof Date) return { sinceTime: since };
    if (typeof since === 'number') return { sinceSeconds: Math.max(1, Math.ceil(since / 1000)) };
    return {};
  }

  async #run(tail: Tail): Promise<void> {
    const tails = this.#byPod.get(tail.pod) ?? new Set<Tail>();
    this.#byPod.set(tail.pod, tails);
    tails.add(tail);
    const signal = AbortSignal.any([this.#controller.signal, tail.controller.signal]);
    // One episode: interrupted at the first reconnect, resumed when a request is answered again; no
    // more of either until the stream delivers lines (a server that answers and closes at once is one).
    const onNotice = (notice: LogNotice) => {
      if (notice.type === 'log-resumed' && tail.reconnecting) this.#resumed(tail);
      if (notice.type !== 'log-reconnecting' || tail.reconnecting) return;
      tail.reconnecting = true;
      tail.resumedSaid = false;
      void this.#emit(
        streamNotice(tail, 'log-interrupted', `interrupted (${notice.reason}); reconnecting`, notice.reason),
      );
    };
    try {
      await this.#stream(tail, signal, onNotice);
    } catch (error) {
      if (signal.aborted) return;
      // A container that never started (400) or a pod that went away (404) has no logs to follow.
      const status = (error as { statusCode?: number }).statusCode;
      if (status === 400 || status === 404) return;
      if (isForbidden(error)) return this.#refused(error);
      const reason = (error as Error).message;
      await this.#emit(streamNotice(tail, 'log-ended', `ended: ${reason}`, reason));
    }
  }

  /** A reconnecting stream was answered again (it goes on from its last line's time: nothing lost): said once an episode. */
  #resumed(tail: Tail): void {
    if (tail.resumedSaid) return;
    tail.resumedSaid = true;
    void this.#emit(streamNotice(tail, 'log-resumed', 'resumed'));
  }

  /** Logs may not be read (403): said once; nothing waiting is asked for, and nothing more will be. */
  async #refused(error: unknown): Promise<void> {
    if (this.#denied) return;
    this.#denied = true;
    this.#waiting.length = 0;
    this.#unanswered.clear();
    this.#changed();
    await this.#emit(deniedNotice('log', error));
  }

  async #stream(tail: Tail, signal: AbortSignal, onNotice: (notice: LogNotice) => void): Promise<void> {
    const stream = this.#source.logBatches(
      { namespace: this.#namespace, name: tail.pod },
      {
        container: tail.container,
        follow: this.#options.follow ?? true,
        signal,
        onNotice,
        ...this.#since(tail),
        ...(this.#options.tailLines !== undefined ? { tailLines: this.#options.tailLines } : {}),
      },
    );
    // One log event per network chunk: a fast log is not a million events.
    for await (const batch of stream) {
      if (this.#unanswered.delete(tail)) this.#changed();
      if (tail.reconnecting) {
        this.#resumed(tail);
        tail.reconnecting = false;
      }
      // The server rounds sinceTime down to the second: the rest is cut here.
      const from = tail.from?.getTime() ?? Number.NEGATIVE_INFINITY;
      const lines = batch.filter(
        (line) => !(Date.parse(line.time) < from) && lineWanted(this.#options, tail.container, line.text),
      );
      if (lines.length > 0) await this.#show(tail.pod, tail.container, lines);
    }
  }
}

/** A notice about a tail's stream (`log of web-1/app`), said as `log stream of web-1/app WHAT`. */
function streamNotice(
  tail: Tail,
  code: 'log-interrupted' | 'log-resumed' | 'log-ended',
  what: string,
  reason?: string,
): TrackEventInit {
  const name = `${tail.pod}/${tail.container}`;
  return {
    type: 'notice',
    code,
    stream: `log of ${name}`,
    ...(reason !== undefined ? { reason } : {}),
    message: `log stream of ${name} ${what}`,
  };
}
