import type { KubeClient } from '../kube/client.js';
import type { KubeObject } from '../kube/types.js';
import type { Verdict } from '../status/types.js';
import { type ResourceRef, resourceKey, type TrackEvent } from './events.js';
import { lastLines } from './logs.js';

/** What to tell about a resource that failed or timed out. */
export interface FailureReport {
  resource: ResourceRef;
  reason: string;
  message: string;
  hint?: string;
  /** Warning Events of the resource and its pods, oldest first (the last 20). */
  warnings: { involvedObject: string; reason: string; message: string; count: number }[];
  /** The last lines of each failing container; `previous` when they come from the crashed instance. */
  logs: { pod: string; container: string; previous: boolean; lines: string[] }[];
}

export interface FailureWitnessOptions {
  /** Log lines per failing container. @default 20 */
  logLines?: number;
  /** Warning Events kept per resource. @default 20 */
  warnings?: number;
}

interface Witnessed {
  verdict?: Verdict;
  warnings: FailureReport['warnings'];
  /** Failing containers by "pod/container", with their last restart count. */
  failing: Map<string, { pod: string; container: string; restarts: number }>;
  /** Log lines seen live, by "pod/container": the fallback when the API has none left. */
  recent: Map<string, string[]>;
  /** Names of the resource's pods seen: their Warning Events belong in the report. */
  pods: Set<string>;
}

type EventObject = KubeObject & {
  involvedObject?: { kind?: string; name?: string };
  reason?: string;
  message?: string;
  count?: number;
  lastTimestamp?: string;
  eventTime?: string;
};

/**
 * Watches a track's events and, when a resource fails or the track times
 * out, builds the report a person needs: the verdict and hint, the Warning
 * Events, and the last log lines of each failing container — fetched from
 * the API (the crashed instance for restarted containers), so they are there
 * even when logs were not followed live.
 */
export class FailureWitness {
  readonly #client: KubeClient;
  readonly #logLines: number;
  readonly #maxWarnings: number;
  readonly #resources = new Map<string, Witnessed>();

  constructor(client: KubeClient, options: FailureWitnessOptions = {}) {
    this.#client = client;
    this.#logLines = options.logLines ?? 20;
    this.#maxWarnings = options.warnings ?? 20;
  }

  #of(resource: ResourceRef): Witnessed {
    let witnessed = this.#resources.get(resourceKey(resource));
    if (!witnessed) {
      witnessed = { warnings: [], failing: new Map(), recent: new Map(), pods: new Set() };
      this.#resources.set(resourceKey(resource), witnessed);
    }
    return witnessed;
  }

  observe(event: TrackEvent): void {
    const witnessed = this.#of(event.resource);
    switch (event.type) {
      case 'added':
      case 'status':
        witnessed.verdict = event.verdict;
        break;
      case 'event':
        if (event.eventType !== 'Warning') break;
        witnessed.warnings.push({
          involvedObject: event.involvedObject,
          reason: event.reason,
          message: event.message,
          count: event.count,
        });
        if (witnessed.warnings.length > this.#maxWarnings) witnessed.warnings.shift();
        break;
      case 'pod':
        witnessed.pods.add(event.pod);
        break;
      case 'pod-error':
        witnessed.pods.add(event.pod);
        if (event.container)
          witnessed.failing.set(`${event.pod}/${event.container}`, {
            pod: event.pod,
            container: event.container,
            restarts: event.restarts,
          });
        break;
      case 'log': {
        const key = `${event.pod}/${event.container}`;
        const lines = [...(witnessed.recent.get(key) ?? []), ...event.lines].slice(-this.#logLines);
        witnessed.recent.set(key, lines);
        break;
      }
    }
  }

  /** The last verdict seen for a resource. */
  verdict(resource: ResourceRef): Verdict | undefined {
    return this.#resources.get(resourceKey(resource))?.verdict;
  }

  /** The report on a failure; log reads that fail fall back to the lines seen live. */
  async report(
    failure: { resource: ResourceRef; reason: string; message: string; hint?: string },
    options: { signal?: AbortSignal } = {},
  ): Promise<FailureReport> {
    const witnessed = this.#of(failure.resource);
    const logs: FailureReport['logs'] = [];
    for (const { pod, container, restarts } of witnessed.failing.values()) {
      let entry: FailureReport['logs'][number] | undefined;
      for (const previous of restarts > 0 ? [true, false] : [false]) {
        try {
          const lines = await lastLines(
            this.#client,
            { namespace: failure.resource.namespace, name: pod },
            { container, previous, tailLines: this.#logLines, signal: options.signal },
          );
          if (lines.length > 0) entry = { pod, container, previous, lines };
        } catch {
          // Gone (pod deleted, no previous instance, never started): try the next source.
        }
        if (entry) break;
      }
      const seen = witnessed.recent.get(`${pod}/${container}`);
      entry ??= seen?.length ? { pod, container, previous: false, lines: seen } : undefined;
      if (entry) logs.push(entry);
    }
    return {
      resource: failure.resource,
      reason: failure.reason,
      message: failure.message,
      ...(failure.hint ? { hint: failure.hint } : {}),
      warnings: await this.#warnings(failure.resource, witnessed, options.signal),
      logs,
    };
  }

  /**
   * The Warning Events seen live, plus those of the resource's pods that the
   * API holds: a failure judged from a pod's status can come before its
   * Events do, and a pod that failed before the track began has its Events
   * from back then. Oldest first, the last `warnings`.
   */
  async #warnings(resource: ResourceRef, witnessed: Witnessed, signal?: AbortSignal) {
    const seen = new Set(witnessed.warnings.map((w) => `${w.involvedObject}|${w.reason}|${w.message}`));
    const extra: (FailureReport['warnings'][number] & { at: number })[] = [];
    if (witnessed.pods.size > 0) {
      try {
        const { items } = await this.#client.list<EventObject>('Event', {
          namespace: resource.namespace,
          fieldSelector: 'type=Warning',
          signal,
        });
        for (const event of items) {
          const involved = event.involvedObject;
          if (involved?.kind !== 'Pod' || !witnessed.pods.has(involved.name ?? '')) continue;
          const warning = {
            involvedObject: `Pod/${involved.name}`,
            reason: String(event.reason ?? ''),
            message: String(event.message ?? ''),
            count: Number(event.count ?? 1),
          };
          const key = `${warning.involvedObject}|${warning.reason}|${warning.message}`;
          if (seen.has(key)) continue;
          seen.add(key);
          extra.push({ ...warning, at: Date.parse(event.lastTimestamp ?? event.eventTime ?? '') || 0 });
        }
      } catch {
        // Not allowed to list Events, or the API is gone: what was seen live will do.
      }
    }
    extra.sort((a, b) => a.at - b.at);
    return [...extra.map(({ at: _at, ...w }) => w), ...witnessed.warnings].slice(-this.#maxWarnings);
  }
}
