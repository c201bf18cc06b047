import type { KubeObject } from '../../kube/types.js';
import type { Clock } from '../clock.js';
import type { ObjectStore } from '../store.js';
import { timestamp, typeOf } from './runtime.js';

/**
 * Writes core/v1 Events the way client-go's event recorder does: one Event
 * per (object, reason, message, field), whose `count` and `lastTimestamp`
 * grow when it happens again; `source.component` and `reportingComponent`
 * name the controller or kubelet.
 */
export class EventRecorder {
  readonly #store: ObjectStore;
  readonly #clock: Clock;
  readonly #index = new Map<string, string>();
  #sequence = 0n;

  constructor(store: ObjectStore, clock: Clock) {
    this.#store = store;
    this.#clock = clock;
  }

  record(
    object: KubeObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    options: { component: string; host?: string; fieldPath?: string },
  ): void {
    const namespace = object.metadata.namespace ?? 'default';
    const key = [object.metadata.uid, reason, message, options.fieldPath ?? ''].join('\u0000');
    const now = timestamp(this.#clock);
    const events = typeOf('Event');
    const existingName = this.#index.get(key);
    const existing = existingName ? this.#store.get(events, namespace, existingName) : undefined;
    if (existing && existingName) {
      this.#store.patch(events, namespace, existingName, {
        count: ((existing.count as number) ?? 1) + 1,
        lastTimestamp: now,
      });
      return;
    }
    // client-go names events `<object>.<UnixNano in hex>`.
    const name = `${object.metadata.name}.${(BigInt(this.#clock.now()) * 1_000_000n + this.#sequence++).toString(16)}`;
    this.#index.set(key, name);
    this.#store.create(events, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: {
        apiVersion: object.apiVersion,
        kind: object.kind,
        name: object.metadata.name,
        namespace: object.metadata.namespace,
        uid: object.metadata.uid,
        resourceVersion: object.metadata.resourceVersion,
        ...(options.fieldPath ? { fieldPath: options.fieldPath } : {}),
      },
      type,
      reason,
      message,
      count: 1,
      firstTimestamp: now,
      lastTimestamp: now,
      source: { component: options.component, ...(options.host ? { host: options.host } : {}) },
      reportingComponent: options.component,
      reportingInstance: options.host ?? '',
    });
  }
}
