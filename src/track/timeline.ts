import type { PodStep, ResourceTimeline, TrackEvent } from './events.js';
import { type ResourceRef, resourceKey } from './resource-ref.js';

/** The Kubernetes Events about a pod that mark a step of its start. */
const EVENT_STEPS: Readonly<Record<string, PodStep>> = {
  Scheduled: 'scheduled',
  Pulled: 'pulled',
  Started: 'started',
};

/** The steps in the order a pod goes through them (the watches may bring them in another). */
const ORDER: readonly PodStep[] = [
  'created',
  'scheduled',
  'pulled',
  'started',
  'running',
  'ready',
  'failing',
  'deleted',
];

const POD_CHANGES: Readonly<Record<string, PodStep>> = {
  added: 'created',
  ready: 'ready',
  deleted: 'deleted',
};

/**
 * The rollout timeline of each tracked resource, from its track's events:
 * when each of its pods was seen created, scheduled, its image pulled, its
 * containers started, running, ready, failing, deleted — the first time of each,
 * listed in that order —
 * and when the resource became ready or failed. Times are milliseconds
 * from the start of the track, as kubedog saw them. Pure: no I/O, no clock.
 */
export class TimelineBuilder {
  readonly #startedAt: number;
  readonly #resources = new Map<string, ResourceTimeline>();

  constructor(startedAt: number) {
    this.#startedAt = startedAt;
  }

  observe(event: TrackEvent): void {
    const at = Date.parse(event.time) - this.#startedAt;
    const resource = this.#resource(event.resource);
    switch (event.type) {
      case 'pod':
        this.#step(
          resource,
          event.pod,
          POD_CHANGES[event.change] ?? (event.phase === 'Running' ? 'running' : undefined),
          at,
        );
        break;
      case 'pod-error':
        this.#step(resource, event.pod, 'failing', at);
        break;
      case 'event': {
        const [kind, pod] = event.involvedObject.split('/');
        if (kind === 'Pod' && pod) this.#step(resource, pod, EVENT_STEPS[event.reason], at);
        break;
      }
      case 'ready':
      case 'failed':
        resource.end ??= { state: event.type, atMs: at };
        break;
    }
  }

  /** Every resource seen, in the order first seen. */
  timeline(): ResourceTimeline[] {
    return [...this.#resources.values()];
  }

  #resource(ref: ResourceRef): ResourceTimeline {
    let timeline = this.#resources.get(resourceKey(ref));
    if (!timeline) {
      timeline = { resource: ref, pods: [] };
      this.#resources.set(resourceKey(ref), timeline);
    }
    return timeline;
  }

  /** The first time of each step of a pod (a pod first named by an Event is added then). */
  #step(resource: ResourceTimeline, pod: string, step: PodStep | undefined, at: number): void {
    if (!step) return;
    let entry = resource.pods.find((p) => p.pod === pod);
    if (!entry) {
      entry = { pod, steps: [] };
      resource.pods.push(entry);
    }
    if (entry.steps.some((s) => s.step === step)) return;
    entry.steps.push({ step, atMs: at });
    entry.steps.sort((a, b) => ORDER.indexOf(a.step) - ORDER.indexOf(b.step));
  }
}
