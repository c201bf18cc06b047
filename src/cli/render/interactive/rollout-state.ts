import type { FailedEvent, PodErrorEvent, TrackEvent } from '../../../track/events.js';
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
  /** The current problem per container ('' for the pod itself). */
  errors: Map<string, Problem>;
  /** When the cluster created it, else when the view first heard of it (ms since the epoch): its AGE. */
  created: number;
}

/** A failure or a problem, as the STATUS column leads with it: the reason, then what it is about. */
export interface Problem {
  reason: string;
  message: string;
  hint?: string;
}

export interface ResourceState {
  ref: ResourceRef;
  key: string;
  pods: Map<string, PodState>;
  /** When the cluster created it, else when the view first heard of it (ms since the epoch): its AGE. */
  created: number;
  /** Its verdict's reason (`WaitingForAvailable`), or its failure. */
  reason?: string;
  /** Its verdict's hint. */
  hint?: string;
  /** Why it failed, in full, with the hint. */
  failure?: Problem;
  /** How the track ended for it, once it ended: `ready`, `failed`, `not finished`. */
  final?: string;
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
  /** Not a line of the container's: where it restarted, where lines from elsewhere begin. */
  marker?: boolean;
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
  /** Warning Events already in the events pane: a failure report's are added only when new. */
  readonly #warnings = new Set<string>();
  /** The number of the last line (log or event) received. */
  seq = 0;
  /** When the track ended (ms since the epoch): ages stop there. */
  endedAt: number | undefined;

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
      entry = { ref, key, pods: new Map(), created: now };
      this.resources.set(key, entry);
    }
    if (entry.created === 0) entry.created = now;
    return entry;
  }

  /** Takes one track event (already made safe for a terminal), seen at `now`. */
  observe(event: TrackEvent, now: number): void {
    const resource = this.#resource(event.resource, now);
    this.rows.observe(event);
    this.#namespaces.see(event.resource);
    this.#verdict(resource, event, now);
    if (event.type === 'log') {
      const source = this.#source(resource.key, event.pod, event.container);
      for (let i = 0; i < event.lines.length; i++)
        this.#line(source, event.times[i] ?? '', event.lines[i] ?? '');
      return;
    }
    if (event.type === 'pod' || event.type === 'pod-error') this.#pod(resource, event, now);
    if (event.type === 'event' && event.eventType === 'Warning') this.#warnings.add(warningId(event));
    if (this.#shownStatus.repeats(event)) return;
    this.#event(resource.key, event);
    if (event.type === 'failed') this.#report(resource.key, event);
  }

  /**
   * What the STATUS column says of a resource, the short reason first: its
   * failure; else, while in progress, the problem of a failing pod, then
   * its verdict; a ready one's words as they are.
   */
  statusOf(key: string): Problem | undefined {
    const resource = this.resources.get(key);
    const row = this.rows.row(key);
    if (!resource || !row) return undefined;
    if (resource.failure) return resource.failure;
    const verdict = { reason: resource.reason ?? '', ...(resource.hint ? { hint: resource.hint } : {}) };
    if (row.state === 'failed') return { ...verdict, message: row.message };
    if (row.state === 'ready' || row.state === 'waiting' || row.state === 'deleted')
      return { reason: '', message: row.message };
    const warning = row.lastWarning ? ` (last warning: ${row.lastWarning})` : '';
    const problem = podProblem(resource);
    if (problem) return { ...problem, message: `${problem.message}; ${row.message}${warning}` };
    return { ...verdict, message: `${row.message}${warning}` };
  }

  /** The track ended at `now`: every resource not ready, failed or deleted did not finish. */
  end(now: number): void {
    this.endedAt ??= now;
    for (const resource of this.resources.values()) {
      const state = this.rows.row(resource.key)?.state;
      resource.final =
        state === 'ready' || state === 'failed' || state === 'deleted' ? state : 'not finished';
    }
  }

  /** A resource's verdict: its reason, its age, its failure. */
  #verdict(resource: ResourceState, event: TrackEvent, now: number): void {
    if (event.type === 'added') resource.created = timeOf(event.created) ?? now;
    if (event.type === 'added' || event.type === 'status') {
      resource.reason = event.verdict.reason;
      resource.hint = event.verdict.hint;
    }
    if (event.type === 'ready') resource.reason = 'Ready';
    if (event.type === 'failed') {
      resource.reason = event.reason;
      resource.failure = {
        reason: event.reason,
        message: event.message,
        ...(event.hint ? { hint: event.hint } : {}),
      };
    }
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
        created: now,
      };
      resource.pods.set(event.pod, pod);
    }
    if (event.type === 'pod-error') {
      this.#podError(resource.key, pod, event);
      return;
    }
    pod.created = timeOf(event.created) ?? pod.created;
    pod.phase = event.phase;
    pod.containers = event.containers;
    pod.current = event.current;
    pod.ready = event.ready;
    pod.readyContainers = event.readyContainers;
    if (event.ready) pod.errors.clear();
    if (event.change === 'deleted') pod.deleted = true;
  }

  #podError(key: string, pod: PodState, event: PodErrorEvent): void {
    pod.errors.set(event.container ?? '', {
      reason: event.reason,
      message: event.message,
      ...(event.hint ? { hint: event.hint } : {}),
    });
    if (event.container === undefined) return;
    const before = pod.restarts.get(event.container);
    pod.restarts.set(event.container, event.restarts);
    // A restart count first heard of is a restart in the logs only below lines of the container's.
    const logged = (this.#sources.get(sourceId(key, event.pod, event.container))?.lines.length ?? 0) > 0;
    if (event.restarts > (before ?? 0) && (before !== undefined || logged))
      this.restarted(key, event.pod, event.container, event.time, `restart ${event.restarts}`);
  }

  /** Where a container restarted, its logs say so: the lines above are the previous instance's. */
  restarted(key: string, pod: string, container: string, time: string, which = 'a new instance'): void {
    this.#line(this.#source(key, pod, container), time, `── ${container} restarted (${which}) ──`, true);
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

  /**
   * A failure report's evidence in the panes: its Warning Events the
   * events pane has not shown (from before the track), and the last lines
   * of containers whose logs it has none of.
   */
  #report(key: string, event: FailedEvent): void {
    for (const warning of event.report.warnings) {
      if (this.#warnings.has(warningId(warning))) continue;
      this.#warnings.add(warningId(warning));
      this.#event(key, {
        type: 'event',
        time: event.time,
        resource: event.resource,
        eventType: 'Warning',
        ...warning,
      });
    }
    for (const { pod, container, previous, lines } of event.report.logs) {
      const source = this.#source(key, pod, container);
      if (source.lines.length > 0) continue;
      const which = previous ? 'the crashed instance' : 'the last instance';
      this.#line(
        source,
        event.time,
        `── the last ${lines.length} lines of ${which}, from the failure report ──`,
        true,
      );
      for (const line of lines) this.#line(source, '', line);
    }
  }

  #source(resource: string, pod: string, container: string): LogSource {
    const id = sourceId(resource, pod, container);
    let source = this.#sources.get(id);
    if (!source) {
      const color = LABEL_COLORS[paletteIndex(`${pod}/${container}`, LABEL_COLORS.length)] ?? 0;
      source = { resource, pod, container, style: color, lines: new Ring(LOG_LINES_KEPT) };
      this.#sources.set(id, source);
      const list = this.logs.get(resource) ?? [];
      list.push(source);
      this.logs.set(resource, list);
    }
    return source;
  }

  #line(source: LogSource, time: string, text: string, marker = false): void {
    source.lines.push({ seq: ++this.seq, time, text, source, ...(marker ? { marker } : {}) });
  }
}

/** The first problem of a current pod still there. */
function podProblem(resource: ResourceState): Problem | undefined {
  for (const pod of resource.pods.values()) {
    if (!pod.current || pod.deleted) continue;
    const [problem] = pod.errors.values();
    if (problem) return { ...problem, message: `pod ${pod.name}: ${problem.message}` };
  }
  return undefined;
}

/** "Reason: message", the reason said once (a message that repeats it loses it: `container app: ImagePullBackOff: …`). */
export function withReason(problem: Problem): string {
  if (!problem.reason) return problem.message;
  const rest = problem.message.replace(`${problem.reason}: `, '');
  return rest && rest !== problem.reason ? `${problem.reason}: ${rest}` : problem.reason;
}

const sourceId = (resource: string, pod: string, container: string) =>
  `${resource}\u0000${pod}\u0000${container}`;

/** A Warning Event's identity, the same whether streamed or in a failure report. */
const warningId = (warning: { involvedObject: string; reason: string; message: string }) =>
  `${warning.involvedObject}\u0000${warning.reason}\u0000${warning.message}`;

/** ms since the epoch of an ISO time, when there is a valid one. */
function timeOf(time: string | undefined): number | undefined {
  const ms = Date.parse(time ?? '');
  return Number.isNaN(ms) ? undefined : ms;
}
