import type { KubeClient } from '../kube/client.js';
import type { LogNotice } from '../kube/logs.js';
import type { KubeObject } from '../kube/types.js';
import type { TrackEventInit } from './events.js';

export interface LogOptions {
  /** Only these containers. @default all */
  containers?: string[];
  /** Not these containers. */
  excludeContainers?: string[];
  /** Only lines that match. */
  include?: RegExp;
  /**
   * Only lines at or after this time, or of the last this many milliseconds.
   * @default from the container's start
   */
  since?: Date | number;
  /** Only the last N lines of each container. */
  tailLines?: number;
  /** Log streams open at once; more wait in line. @default 50 */
  maxStreams?: number;
}

/**
 * The last `tailLines` lines of a container (of its previous, crashed
 * instance with `previous`), read to the end: for failure reports.
 */
export async function lastLines(
  client: KubeClient,
  pod: { namespace: string; name: string },
  options: { container: string; previous: boolean; tailLines: number; signal?: AbortSignal | undefined },
): Promise<string[]> {
  const lines: string[] = [];
  for await (const batch of client.logBatches(pod, options)) for (const line of batch) lines.push(line.text);
  return lines;
}

/** How recently a container must have started for `settle` to wait for its first lines. */
const SETTLE_WINDOW_MS = 2000;

interface Tail {
  key: string;
  pod: string;
  container: string;
  /** When the stream was asked for (Date.now()). */
  queuedAt: number;
  /** Lines before this time are not wanted (pods of an old revision: only what they say now). */
  from?: Date;
}

type ContainerStatus = {
  name: string;
  containerID?: string;
  state?: { running?: unknown; terminated?: unknown };
};

/**
 * Follows the logs of a changing set of pods: one tail per container
 * instance (a new container ID — a restart — gets a tail of its own), init
 * containers too, started as soon as the container runs. Streams beyond
 * `maxStreams` wait in line (a notice says so, once); a tail ends when its
 * container stops or its pod goes away, and `stop()` ends them all.
 */
export class LogTails {
  readonly #client: KubeClient;
  readonly #namespace: string;
  readonly #emit: (event: TrackEventInit) => Promise<void>;
  readonly #options: LogOptions;
  readonly #controller = new AbortController();
  readonly #started = new Set<string>();
  readonly #waiting: Tail[] = [];
  #active = 0;
  #capNoticed = false;
  /** Streams of containers that just started, which have not answered yet. */
  readonly #unanswered = new Set<Tail>();
  /** The last lines delivered per pod/container, so last words are not shown twice. */
  readonly #recent = new Map<string, string[]>();

  constructor(
    client: KubeClient,
    namespace: string,
    emit: (event: TrackEventInit) => Promise<void>,
    options: LogOptions = {},
  ) {
    this.#client = client;
    this.#namespace = namespace;
    this.#emit = emit;
    this.#options = options;
  }

  /**
   * Starts tails for the containers of this pod that run (or ran) and are
   * not followed yet. With `from`, only lines from then on (a pod of an old
   * revision: its shutdown, not its history) and no previous instance.
   */
  update(pod: KubeObject, options: { from?: Date } = {}): void {
    const status = pod.status as
      | { initContainerStatuses?: ContainerStatus[]; containerStatuses?: ContainerStatus[] }
      | undefined;
    const statuses = [...(status?.initContainerStatuses ?? []), ...(status?.containerStatuses ?? [])];
    for (const container of statuses) {
      if (!this.#wanted(container.name)) continue;
      if (!options.from) this.#previousOnce(pod, container);
      if (!container.containerID || !(container.state?.running || container.state?.terminated)) continue;
      const key = `${pod.metadata.name}/${container.name}/${container.containerID}`;
      if (this.#started.has(key)) continue;
      this.#started.add(key);
      const tail: Tail = {
        key,
        pod: pod.metadata.name ?? '',
        container: container.name,
        queuedAt: Date.now(),
        ...(options.from ? { from: options.from } : {}),
      };
      this.#unanswered.add(tail);
      this.#waiting.push(tail);
    }
    this.#startWaiting();
  }

  /**
   * A container that crashed before we followed it: its previous instance's
   * last lines, fetched once, so the reason of the crash is on screen.
   */
  #previousOnce(pod: KubeObject, container: ContainerStatus): void {
    const previous = (container as { lastState?: { terminated?: { containerID?: string } } }).lastState
      ?.terminated?.containerID;
    if (!previous) return;
    const name = pod.metadata.name ?? '';
    const key = `${name}/${container.name}/${previous}`;
    if (this.#started.has(key)) return;
    this.#started.add(key);
    void (async () => {
      let lines: string[];
      try {
        lines = await lastLines(
          this.#client,
          { namespace: this.#namespace, name },
          { container: container.name, previous: true, tailLines: 20, signal: this.#controller.signal },
        );
      } catch {
        return; // the previous instance's log is gone (the pod was recreated)
      }
      const recent = this.#recent.get(`${name}/${container.name}`) ?? [];
      const fresh = lines.filter(
        (line) => !recent.includes(line) && (this.#options.include?.test(line) ?? true),
      );
      this.#remember(name, container.name, fresh);
      if (fresh.length > 0)
        await this.#emit({ type: 'log', pod: name, container: container.name, lines: fresh });
    })();
  }

  /**
   * Before a failure is reported: the last lines of every container that
   * crashed or exited with an error (the previous instance of a restarted
   * one), minus what was already shown — so the reason is on screen.
   */
  async lastWords(pods: KubeObject[]): Promise<void> {
    type Status = ContainerStatus & {
      restartCount?: number;
      state?: { waiting?: unknown; running?: unknown; terminated?: { exitCode?: number } };
    };
    for (const pod of pods) {
      const status = pod.status as
        | { initContainerStatuses?: Status[]; containerStatuses?: Status[] }
        | undefined;
      for (const container of [
        ...(status?.initContainerStatuses ?? []),
        ...(status?.containerStatuses ?? []),
      ]) {
        if (!this.#wanted(container.name)) continue;
        const crashed = (container.restartCount ?? 0) > 0 && !container.state?.running;
        const exited = (container.state?.terminated?.exitCode ?? 0) !== 0;
        if (!crashed && !exited) continue;
        const name = pod.metadata.name ?? '';
        let lines: string[];
        try {
          lines = await lastLines(
            this.#client,
            { namespace: this.#namespace, name },
            {
              container: container.name,
              previous: crashed && !exited,
              tailLines: 20,
              signal: this.#controller.signal,
            },
          );
        } catch {
          continue; // no logs to show (the container never started, or the pod is gone)
        }
        const recent = this.#recent.get(`${name}/${container.name}`) ?? [];
        const fresh = lines.filter(
          (line) => !recent.includes(line) && (this.#options.include?.test(line) ?? true),
        );
        this.#remember(name, container.name, fresh);
        if (fresh.length > 0)
          await this.#emit({ type: 'log', pod: name, container: container.name, lines: fresh });
      }
    }
  }

  /** The later of the tail's own start and the `since` option, as the log API takes it. */
  #since(tail: Tail): { sinceTime?: Date; sinceSeconds?: number } {
    const since = this.#options.since;
    const optionTime = typeof since === 'number' ? new Date(Date.now() - since) : since;
    if (tail.from && (!optionTime || tail.from > optionTime)) return { sinceTime: tail.from };
    if (since instanceof Date) return { sinceTime: since };
    if (typeof since === 'number') return { sinceSeconds: Math.max(1, Math.ceil(since / 1000)) };
    return {};
  }

  #wanted(container: string): boolean {
    if (this.#options.containers && !this.#options.containers.includes(container)) return false;
    return !this.#options.excludeContainers?.includes(container);
  }

  /** Keeps the last 50 lines delivered per container. */
  #remember(pod: string, container: string, lines: string[]): void {
    const key = `${pod}/${container}`;
    this.#recent.set(key, [...(this.#recent.get(key) ?? []), ...lines.slice(-50)].slice(-50));
  }

  /**
   * Waits (at most `maxMs`) for the streams of containers that started in
   * the last 2 s to answer: what a container says as it starts comes before
   * the verdict that ends a rollout track. Streams open for longer, and
   * quiet ones, are not waited for.
   */
  async settle(maxMs = 500): Promise<void> {
    const deadline = Date.now() + maxMs;
    const pending = () => [...this.#unanswered].some((tail) => tail.queuedAt > Date.now() - SETTLE_WINDOW_MS);
    while (pending() && Date.now() < deadline && !this.#controller.signal.aborted)
      await new Promise((resolve) => setTimeout(resolve, 10));
  }

  stop(): void {
    this.#controller.abort();
    this.#waiting.length = 0;
    this.#unanswered.clear();
  }

  #startWaiting(): void {
    const max = this.#options.maxStreams ?? 50;
    while (this.#waiting.length > 0 && this.#active < max && !this.#controller.signal.aborted) {
      const tail = this.#waiting.shift() as Tail;
      this.#active++;
      void this.#run(tail).finally(() => {
        this.#unanswered.delete(tail);
        this.#active--;
        this.#startWaiting();
      });
    }
    if (this.#waiting.length > 0 && !this.#capNoticed) {
      this.#capNoticed = true;
      void this.#emit({
        type: 'notice',
        message: `${max} log streams are open (the limit); more wait until one ends`,
      });
    }
  }

  async #run(tail: Tail): Promise<void> {
    const onNotice = (notice: LogNotice) => {
      if (notice.type === 'log-reconnecting') {
        void this.#emit({
          type: 'notice',
          message: `log stream of ${tail.pod}/${tail.container} interrupted (${notice.reason}); reconnecting`,
        });
      }
    };
    try {
      // One log event per network chunk: a fast log is not a million events.
      for await (const batch of this.#client.logBatches(
        { namespace: this.#namespace, name: tail.pod },
        {
          container: tail.container,
          follow: true,
          signal: this.#controller.signal,
          onNotice,
          ...this.#since(tail),
          ...(this.#options.tailLines !== undefined ? { tailLines: this.#options.tailLines } : {}),
        },
      )) {
        this.#unanswered.delete(tail);
        const lines: string[] = [];
        for (const line of batch) {
          // The server rounds sinceTime down to the second: the rest is cut here.
          if (tail.from && Date.parse(line.time) < tail.from.getTime()) continue;
          if (this.#options.include && !this.#options.include.test(line.text)) continue;
          lines.push(line.text);
        }
        if (lines.length === 0) continue;
        this.#remember(tail.pod, tail.container, lines);
        await this.#emit({ type: 'log', pod: tail.pod, container: tail.container, lines });
      }
    } catch (error) {
      if (this.#controller.signal.aborted) return;
      // A container that never started (400) or a pod that went away (404) has no logs to follow.
      const status = (error as { statusCode?: number }).statusCode;
      if (status === 400 || status === 404) return;
      await this.#emit({
        type: 'notice',
        message: `log stream of ${tail.pod}/${tail.container} ended: ${(error as Error).message}`,
      });
    }
  }
}
