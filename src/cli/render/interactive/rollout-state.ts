import type { TrackEvent } from '../../../track/events.js';
import { type ResourceRef, resourceKey } from '../../../track/resource-ref.js';
import { painter, paletteIndex } from '../../colors.js';
import { StatusRows } from '../table.js';
import { NamespaceSpread, renderEvent, ShownStatus } from '../text.js';
import { COLOR, DIM, type Style } from './grid.js';
import { Ring } from './scrollback.js';

/** Log lines kept per container: what the logs pane can scroll back to. */
export const LOG_LINES_KEPT = 10_000;
/** Events and notices kept, of all resources together. */
export const EVENTS_KEPT = 5_000;

/** What the status pane shows of a pod. */
export interface PodState {
  name: string;
  phase: string;
  containers: string[];
  ready: boolean;
  readyContainers: number;
  /** Of the resource's current revision. */
  current: boolean;
  deleted: boolean;
  /** Restarts per container. */
  restarts: Map<string, number>;
  /** The current problem per container ('' for the pod itself), "Reason: message". */
  errors: Map<string, string>;
  /** When kubedog last heard of it (ms since the epoch). */
  changedAt: number;
}

export interface ResourceState {
  ref: ResourceRef;
  key: string;
  pods: Map<string, PodState>;
  changedAt: number;
}

/** A line of the events pane: a Kubernetes Event, a notice, or what the track said of a resource or pod. */
export interface EventLine {
  seq: number;
  /** The resource's key. */
  resource: string;
  /** The pod it is about, if any. */
  pod?: string;
  container?: string;
  time: string;
  text: string;
  style: Style;
  /** A line that goes on from the one before (a hint under its failure). */
  continued?: boolean;
}

export interface LogLine {
  seq: number;
  time: string;
  text: string;
  source: LogSource;
}

/** The log lines of one container. */
export interface LogSource {
  resource: string;
  pod: string;
  container: string;
  /** Its label's colour, stable per pod and container (as stern's). */
  style: Style;
  lines: Ring<LogLine>;
}

const LABEL_COLORS: Style[] = [COLOR.cyan, COLOR.green, COLOR.magenta, COLOR.yellow, COLOR.blue];

const plain = painter(false);

const EVENT_STYLE: Partial<Record<TrackEvent['type'], Style>> = {
  failed: COLOR.red,
  'pod-error': COLOR.red,
  ready: COLOR.green,
  deleted: COLOR.yellow,
  notice: COLOR.yellow,
};

/**
 * Everything the interactive view knows of a track, kept from its events:
 * the status rows (the same the pinned table shows), the pods of each
 * resource, the events and notices, and the log lines of each container —
 * each bounded. Pure: the time of each change is given.
 */
export class RolloutState {
  readonly rows: StatusRows;
  readonly resources = new Map<string, ResourceState>();
  readonly events = new Ring<EventLine>(EVENTS_KEPT);
  /** Log sources by resource key. */
  readonly logs = new Map<string, LogSource[]>();
  readonly #sources = new Map<string, LogSource>();
  readonly #shownStatus = new ShownStatus();
  readonly #namespaces: NamespaceSpread;
  /** The number of the last line (log or event) received. */
  seq = 0;

  /** `allNamespaces`: names carry their namespace from the start (`-A`). */
  constructor(resources: ResourceRef[], allNamespaces: boolean) {
    this.rows = new StatusRows(resources);
    this.#namespaces = new NamespaceSpread(resources, allNamespaces);
    for (const ref of resources) this.#resource(ref, 0);
  }

  /** Whether names carry their namespace. */
  get namespaces(): boolean {
    return this.#namespaces.shown;
  }

  #resource(ref: ResourceRef, now: number): ResourceState {
    const key = resourceKey(ref);
    let entry = this.resources.get(key);
    if (!entry) {
      entry = { ref, key, pods: new Map(), changedAt: now };
      this.resources.set(key, entry);
    }
    return entry;
  }

  /** Takes one track event (already made safe for a terminal), seen at `now`. */
  observe(event: TrackEvent, now: number): void {
    const resource = this.#resource(event.resource, now);
    if (this.rows.observe(event)) resource.changedAt = now;
    this.#namespaces.see(event.resource);
    if (event.type === 'log') {
      this.#log(resource.key, event.pod, event.container, event.lines, event.times);
      return;
    }
    if (event.type === 'pod' || event.type === 'pod-error') this.#pod(resource, event, now);
    if (this.#shownStatus.repeats(event)) return;
    this.#event(resource.key, event);
  }

  #pod(resource: ResourceState, event: TrackEvent & { type: 'pod' | 'pod-error' }, now: number): void {
    let pod = resource.pods.get(event.pod);
    if (!pod) {
      pod = {
        name: event.pod,
        phase: 'Pending',
        containers: [],
        ready: false,
        readyContainers: 0,
        current: true,
        deleted: false,
        restarts: new Map(),
        errors: new Map(),
        changedAt: now,
      };
      resource.pods.set(event.pod, pod);
    }
    pod.changedAt = now;
    resource.changedAt = now;
    if (event.type === 'pod-error') {
      pod.errors.set(event.container ?? '', `${event.reason}: ${event.message}`);
      if (event.container !== undefined) pod.restarts.set(event.container, event.restarts);
      return;
    }
    pod.phase = event.phase;
    pod.containers = event.containers;
    pod.current = event.current;
    pod.ready = event.ready;
    pod.readyContainers = event.readyContainers;
    if (event.ready) pod.errors.clear();
    if (event.change === 'deleted') pod.deleted = true;
  }

  #event(key: string, event: TrackEvent): void {
    const style =
      event.type === 'event' ? (event.eventType === 'Warning' ? COLOR.yellow : DIM) : EVENT_STYLE[event.type];
    const subject =
      event.type === 'pod' || event.type === 'pod-error'
        ? event.pod
        : event.type === 'event' && event.involvedObject.startsWith('Pod/')
          ? event.involvedObject.slice(4)
          : undefined;
    const container = event.type === 'pod-error' ? event.container : undefined;
    const lines = renderEvent(event, { paint: plain, namespaces: this.namespaces });
    for (const [i, line] of lines.entries())
      this.events.push({
        seq: ++this.seq,
        resource: key,
        time: event.time,
        text: line.text,
        style: style ?? 0,
        ...(subject !== undefined ? { pod: subject } : {}),
        ...(container !== undefined ? { container } : {}),
        ...(i > 0 ? { continued: true } : {}),
      });
  }

  #log(resource: string, pod: string, container: string, lines: string[], times: string[]): void {
    const id = `${resource}\u0000${pod}\u0000${container}`;
    let source = this.#sources.get(id);
    if (!source) {
      const color = LABEL_COLORS[paletteIndex(`${pod}/${container}`, LABEL_COLORS.length)] ?? 0;
      source = { resource, pod, container, style: color, lines: new Ring(LOG_LINES_KEPT) };
      this.#sources.set(id, source);
      const list = this.logs.get(resource) ?? [];
      list.push(source);
      this.logs.set(resource, list);
    }
    for (let i = 0; i < lines.length; i++)
      source.lines.push({ seq: ++this.seq, time: times[i] ?? '', text: lines[i] ?? '', source });
  }
}
