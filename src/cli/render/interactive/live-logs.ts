import { Backoff } from '../../../kube/backoff.js';
import { sleep as pause } from '../../../kube/clock.js';
import { ResumePoint } from '../../../kube/log-resume.js';
import type { LogEvent } from '../../../track/events.js';
import type { ResourceRef } from '../../../track/resource-ref.js';
import type { Inspector } from './inspect.js';

/** At most this many containers' logs are read by the view itself at once. */
export const SELECTION_STREAMS = 8;

/** A container whose logs the view reads, and the time of the last line it has of it ('' for none). */
export interface LogTarget {
  resource: ResourceRef;
  pod: string;
  container: string;
  after: string;
}

/** Where the lines read go: into the view, and a mark where a container started again. */
export interface LogDelivery {
  lines(event: LogEvent): void;
  restarted(target: LogTarget, time: string): void;
}

/** Lines of a target that it did not have: the last 100 when it had none. */
const TAIL_LINES = 100;

/**
 * The logs the view follows itself: those of the selection once the track
 * no longer reads them (a rollout stops reading a resource's logs at its
 * verdict; every track stops at its end), so a ready resource's pods go on
 * logging in the pane. Each stream starts after the last line the view has,
 * is asked for again with a growing delay when the container stops (a
 * crash loop starts new instances), and stops when the selection moves.
 */
export class SelectionLogs {
  readonly #inspector: Inspector;
  readonly #deliver: LogDelivery;
  readonly #sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly #streams = new Map<string, AbortController>();

  constructor(
    inspector: Inspector,
    deliver: LogDelivery,
    sleep: (ms: number, signal: AbortSignal) => Promise<void> = pause,
  ) {
    this.#inspector = inspector;
    this.#deliver = deliver;
    this.#sleep = sleep;
  }

  /** Reads exactly these targets (the first {@link SELECTION_STREAMS}): starts the new, stops the rest. */
  want(targets: LogTarget[]): void {
    const wanted = new Map(targets.slice(0, SELECTION_STREAMS).map((target) => [idOf(target), target]));
    for (const [id, controller] of this.#streams)
      if (!wanted.has(id)) {
        controller.abort();
        this.#streams.delete(id);
      }
    for (const [id, target] of wanted) {
      if (this.#streams.has(id)) continue;
      const controller = new AbortController();
      this.#streams.set(id, controller);
      void this.#follow(target, controller.signal);
    }
  }

  /** How many containers are being read. */
  get size(): number {
    return this.#streams.size;
  }

  close(): void {
    this.want([]);
  }

  async #follow(target: LogTarget, signal: AbortSignal): Promise<void> {
    const resume = new ResumePoint();
    if (target.after) resume.accept(target.after);
    const backoff = new Backoff({
      initialDelayMs: 1000,
      maxDelayMs: 30_000,
      giveUpAfterMs: Number.POSITIVE_INFINITY,
    });
    const pod = { kind: 'Pod', namespace: target.resource.namespace, name: target.pod };
    // A read that ended did so with its container (the client resumes broken ones): lines of a
    // later read are a new instance's.
    for (let reads = 0; !signal.aborted; reads++) {
      resume.startResumedStream();
      const since = resume.since;
      const read = since ? { sinceTime: since } : { tailLines: TAIL_LINES };
      let restarted = reads > 0;
      try {
        for await (const batch of this.#inspector.logs(pod, {
          container: target.container,
          follow: true,
          ...read,
          signal,
        })) {
          const fresh = batch.filter((line) => resume.accept(line.time));
          if (fresh.length === 0) continue;
          if (restarted) this.#deliver.restarted(target, fresh[0]?.time ?? '');
          restarted = false;
          this.#deliver.lines(logEvent(target, fresh));
        }
      } catch {
        // Refused or broken: asked again after the delay, as when the container stopped.
      }
      // Aborted while waiting: the loop ends on its signal.
      await this.#sleep(backoff.next() ?? 30_000, signal).catch(() => undefined);
    }
  }
}

const idOf = (target: LogTarget) =>
  `${target.resource.kind}/${target.resource.namespace}/${target.resource.name}\u0000${target.pod}\u0000${target.container}`;

function logEvent(target: LogTarget, lines: { time: string; text: string }[]): LogEvent {
  return {
    type: 'log',
    time: new Date().toISOString(),
    resource: target.resource,
    pod: target.pod,
    container: target.container,
    lines: lines.map((line) => line.text),
    times: lines.map((line) => line.time),
  };
}
