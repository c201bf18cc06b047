/**
 * Container logs of the simulated cluster, as a kubelet keeps them: each line
 * with the runtime's timestamp (nanoseconds), the current instance and the
 * previous one after a restart, and followers that receive new lines as they
 * are written.
 */

export interface StoredLine {
  /** Nanoseconds since the epoch. */
  ns: bigint;
  text: string;
}

export interface LogFollower {
  line(line: StoredLine): void;
  /** The container stopped, restarted or its pod was deleted. */
  end(): void;
}

interface ContainerLog {
  current: StoredLine[];
  previous: StoredLine[] | undefined;
  running: boolean;
  followers: Set<LogFollower>;
}

export interface ReadOptions {
  previous?: boolean;
  /** Only lines at or after this instant (nanoseconds). */
  sinceNs?: bigint;
  tailLines?: number;
}

const key = (namespace: string, pod: string, container: string) => `${namespace}/${pod}/${container}`;

export class LogStore {
  readonly #logs = new Map<string, ContainerLog>();
  readonly #nowNs: () => bigint;
  #lastNs = 0n;

  constructor(options: { nowNs?: () => bigint } = {}) {
    this.#nowNs = options.nowNs ?? (() => BigInt(Date.now()) * 1_000_000n);
  }

  /**
   * Appends lines (a string may hold several, split on `\n`). Each line gets
   * a strictly later timestamp than the one before, unless `atNs` pins it.
   */
  append(
    namespace: string,
    pod: string,
    container: string,
    lines: string | string[],
    options: { atNs?: bigint } = {},
  ): void {
    const log = this.#log(namespace, pod, container);
    const texts = typeof lines === 'string' ? lines.split('\n') : lines;
    for (const text of texts) {
      const ns = options.atNs ?? this.#nextNs();
      const line = { ns, text };
      log.current.push(line);
      for (const follower of log.followers) follower.line(line);
    }
  }

  /** The container restarted: its log becomes the previous instance's, followers end. */
  restart(namespace: string, pod: string, container: string): void {
    const log = this.#log(namespace, pod, container);
    log.previous = log.current;
    log.current = [];
    log.running = true;
    this.#endFollowers(log);
  }

  /** The container stopped: followers get the end of the stream. */
  stop(namespace: string, pod: string, container: string): void {
    const log = this.#log(namespace, pod, container);
    log.running = false;
    this.#endFollowers(log);
  }

  /** Forgets a pod's logs (the pod was deleted); followers end. */
  removePod(namespace: string, pod: string): void {
    const prefix = `${namespace}/${pod}/`;
    for (const [k, log] of this.#logs) {
      if (k.startsWith(prefix)) {
        this.#endFollowers(log);
        this.#logs.delete(k);
      }
    }
  }

  has(namespace: string, pod: string, container: string, previous = false): boolean {
    const log = this.#logs.get(key(namespace, pod, container));
    return previous ? log?.previous !== undefined : log !== undefined;
  }

  isRunning(namespace: string, pod: string, container: string): boolean {
    return this.#logs.get(key(namespace, pod, container))?.running ?? true;
  }

  read(namespace: string, pod: string, container: string, options: ReadOptions = {}): StoredLine[] {
    const log = this.#logs.get(key(namespace, pod, container));
    let lines = (options.previous ? log?.previous : log?.current) ?? [];
    if (options.sinceNs !== undefined) {
      const since = options.sinceNs;
      lines = lines.filter((l) => l.ns >= since);
    }
    if (options.tailLines !== undefined)
      lines = options.tailLines === 0 ? [] : lines.slice(-options.tailLines);
    return lines;
  }

  /** Registers a follower of the current instance; returns the function that removes it. */
  follow(namespace: string, pod: string, container: string, follower: LogFollower): () => void {
    const log = this.#log(namespace, pod, container);
    log.followers.add(follower);
    return () => log.followers.delete(follower);
  }

  #log(namespace: string, pod: string, container: string): ContainerLog {
    const k = key(namespace, pod, container);
    let log = this.#logs.get(k);
    if (!log) {
      log = { current: [], previous: undefined, running: true, followers: new Set() };
      this.#logs.set(k, log);
    }
    return log;
  }

  #endFollowers(log: ContainerLog): void {
    const followers = [...log.followers];
    log.followers.clear();
    for (const follower of followers) follower.end();
  }

  #nextNs(): bigint {
    const now = this.#nowNs();
    this.#lastNs = now > this.#lastNs ? now : this.#lastNs + 1n;
    return this.#lastNs;
  }
}

/** Go's RFC3339Nano: UTC, nanoseconds with trailing zeros removed. */
export function formatRfc3339Nano(ns: bigint): string {
  const seconds = ns / 1_000_000_000n;
  // Lines come many to the second: the date part is formatted once per second.
  if (seconds !== formattedSecond) {
    formattedSecond = seconds;
    formattedDate = new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
  }
  const nanos = Number(ns - seconds * 1_000_000_000n);
  if (nanos === 0) return `${formattedDate}Z`;
  const fraction = String(nanos).padStart(9, '0');
  let end = 9;
  while (fraction.charCodeAt(end - 1) === 48) end--;
  return `${formattedDate}.${fraction.slice(0, end)}Z`;
}

let formattedSecond = -1n;
let formattedDate = '';

/** Parses an RFC 3339 time to nanoseconds; undefined when it is not one. */
export function parseRfc3339Ns(text: string): bigint | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(text);
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(ms)) return undefined;
  return BigInt(ms) * 1_000_000n + BigInt((m[2] ?? '').padEnd(9, '0') || '0');
}
