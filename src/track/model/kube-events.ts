import type { KubeObject } from '../../kube/types.js';
import { eventCount, eventTime } from '../../status/events.js';
import { redactCredentials } from '../../status/redact.js';
import type { ReportedWarning } from '../events.js';

/** The object an Event is about. */
export interface Involved {
  kind: string;
  name: string;
  uid: string | undefined;
}

export function involvedOf(event: KubeObject): Involved {
  const involved = event.involvedObject as { kind?: string; name?: string; uid?: string } | undefined;
  return { kind: involved?.kind ?? '', name: involved?.name ?? '', uid: involved?.uid };
}

/** How Events are filed: by the uid of the object they are about (or its kind and name, without one). */
const keyOf = (involved: Involved) => involved.uid ?? `${involved.kind}/${involved.name}`;

/** When an Event last happened, in ms since the epoch (0 when it does not say). */
export const happenedAt = (event: KubeObject): number => Date.parse(eventTime(event) ?? '') || 0;

export const isWarning = (event: KubeObject): boolean => event.type === 'Warning';

/**
 * The Kubernetes Events a tracker has seen: which occurrences were
 * announced (an Event is announced again when its count grows), the Events
 * of objects not yet known to be the resource's (they may come before their
 * pod), and the Warning Events, kept for verdicts and failure reports.
 * Normal Events are not kept once announced.
 */
export class EventBook {
  /** Occurrences announced, by Event uid. */
  readonly #announced = new Map<string, number>();
  /** Events kept, by the key of the object they are about, then by Event uid. */
  readonly #kept = new Map<string, Map<string, KubeObject>>();

  /** Files an Event; `keep` is false for a Normal Event about a known object once it has been announced. */
  file(event: KubeObject, keep: boolean): void {
    const key = keyOf(involvedOf(event));
    const uid = event.metadata.uid ?? event.metadata.name ?? '';
    let events = this.#kept.get(key);
    if (!keep) {
      events?.delete(uid);
      return;
    }
    if (!events) {
      events = new Map();
      this.#kept.set(key, events);
    }
    events.set(uid, event);
  }

  /** The Events kept about an object (by its uid, and by kind and name for Events without one). */
  about(object: { kind: string; name: string; uid: string | undefined }): KubeObject[] {
    const byUid = object.uid ? this.#kept.get(object.uid) : undefined;
    const byName = this.#kept.get(`${object.kind}/${object.name}`);
    return [...(byUid?.values() ?? []), ...(byName?.values() ?? [])];
  }

  /** The Warning Events kept about an object. */
  warningsAbout(object: { kind: string; name: string; uid: string | undefined }): KubeObject[] {
    return this.about(object).filter(isWarning);
  }

  /**
   * Whether this occurrence of an Event is news: it happened since `since`
   * and its count grew past what was announced. Marks it announced.
   */
  isNews(event: KubeObject, since: number): boolean {
    const uid = event.metadata.uid ?? '';
    const count = eventCount(event);
    if (happenedAt(event) < since || (this.#announced.get(uid) ?? 0) >= count) return false;
    this.#announced.set(uid, count);
    return true;
  }

  /** Normal Events of an object that has just been announced need not be kept any longer. */
  forgetNormal(object: { kind: string; name: string; uid: string | undefined }): void {
    for (const key of [object.uid, `${object.kind}/${object.name}`]) {
      const events = key ? this.#kept.get(key) : undefined;
      if (!events) continue;
      for (const [uid, event] of events) if (!isWarning(event)) events.delete(uid);
      if (events.size === 0) this.#kept.delete(key as string);
    }
  }

  /** Every Warning Event kept, for a failure report: `mine` says which objects count. */
  *warnings(mine: (involved: Involved) => boolean): Generator<KubeObject, void, undefined> {
    for (const events of this.#kept.values())
      for (const event of events.values()) if (isWarning(event) && mine(involvedOf(event))) yield event;
  }
}

/** A Warning Event as a failure report shows it. */
export function reportedWarning(event: KubeObject): ReportedWarning {
  const involved = involvedOf(event);
  return {
    involvedObject: `${involved.kind}/${involved.name}`,
    reason: String(event.reason ?? ''),
    message: redactCredentials(String(event.message ?? '')),
    count: eventCount(event),
  };
}
