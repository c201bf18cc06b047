import type { Key } from './keys.js';
import { type Page, type PageKind, scrollPage } from './pages.js';
import {
  type EventLine,
  type LogLine,
  type LogSource,
  type Problem,
  type ResourceState,
  type RolloutState,
  withReason,
} from './rollout-state.js';
import { newestFirst, oldestFirst, type Ring } from './scrollback.js';

/** A row of the status pane: every resource, or one, a pod of it, or a container of the pod. */
export type Row =
  | { kind: 'all' }
  | { kind: 'resource'; key: string }
  | { kind: 'pod'; key: string; pod: string }
  | { kind: 'container'; key: string; pod: string; container: string };

export type Pane = 'status' | 'events' | 'logs';
const PANES: Pane[] = ['status', 'events', 'logs'];

/** A row's identity, kept while rows come and go around it. */
export function rowId(row: Row): string {
  switch (row.kind) {
    case 'all':
      return 'all';
    case 'resource':
      return `r\u0000${row.key}`;
    case 'pod':
      return `p\u0000${row.key}\u0000${row.pod}`;
    case 'container':
      return `c\u0000${row.key}\u0000${row.pod}\u0000${row.container}`;
  }
}

/**
 * The status pane's rows: the resources — those that failed or are failing
 * first, so a short terminal still shows them — with the pods (and their
 * containers) of those opened.
 */
export function statusRows(state: RolloutState, expanded: ReadonlySet<string>): Row[] {
  const rows: Row[] = [{ kind: 'all' }];
  const failing: ResourceState[] = [];
  const others: ResourceState[] = [];
  for (const resource of state.resources.values())
    (isFailing(state, resource.key) ? failing : others).push(resource);
  for (const resource of [...failing, ...others]) {
    const row: Row = { kind: 'resource', key: resource.key };
    rows.push(row);
    if (!expanded.has(rowId(row))) continue;
    // Deleted pods stay (their logs and events can still be read), below the others.
    const pods = [...resource.pods.values()].sort((a, b) => Number(a.deleted) - Number(b.deleted));
    for (const pod of pods) {
      const podRow: Row = { kind: 'pod', key: resource.key, pod: pod.name };
      rows.push(podRow);
      if (expanded.has(rowId(podRow)))
        for (const container of pod.containers)
          rows.push({ kind: 'container', key: resource.key, pod: pod.name, container });
    }
  }
  return rows;
}

/** A resource that failed, or one of whose current pods is failing. */
function isFailing(state: RolloutState, key: string): boolean {
  const resource = state.resources.get(key);
  if (!resource) return false;
  if (resource.failure || state.rows.row(key)?.state === 'failed') return true;
  if (state.rows.row(key)?.state === 'ready') return false;
  for (const pod of resource.pods.values())
    if (pod.current && !pod.deleted && pod.errors.size > 0) return true;
  return false;
}

/** A row that failed or is failing. */
function rowFailing(state: RolloutState, row: Row): boolean {
  if (row.kind === 'all') return false;
  if (row.kind === 'resource') return isFailing(state, row.key);
  const pod = state.resources.get(row.key)?.pods.get(row.pod);
  if (!pod || pod.deleted) return false;
  return row.kind === 'pod' ? pod.errors.size > 0 : pod.errors.has(row.container);
}

/** The problems a row shows (a resource's status, a pod's or a container's errors), in full. */
export function rowProblems(state: RolloutState, row: Row): Problem[] {
  if (row.kind === 'all') return [];
  if (row.kind === 'resource') {
    const status = state.statusOf(row.key);
    return status ? [status] : [];
  }
  const errors = state.resources.get(row.key)?.pods.get(row.pod)?.errors ?? new Map<string, Problem>();
  return [...errors]
    .filter(([container]) => row.kind === 'pod' || container === row.container)
    .map(([, problem]) => problem);
}

/** A row's whole message (what STATUS cuts), with its hint. */
function rowMessage(state: RolloutState, row: Row): string {
  return rowProblems(state, row)
    .map((problem) => `${withReason(problem)}${problem.hint ? `\nhint: ${problem.hint}` : ''}`)
    .join('\n');
}

/** How many lines each pane shows, as the last frame laid them out (page up/down moves by these). */
export interface PaneHeights {
  status: number;
  events: number;
  logs: number;
  /** A page's lines, over the panes. */
  page: number;
}

/** A place in a scroll-back: the newest line, or a line by its number (it stays there as lines come). */
export interface ScrollPlace {
  follow: boolean;
  bottom: number;
  /** The place fell out of the scroll-back: how many lines of the selection were dropped by then. */
  dropped?: number;
}

/** A filter as typed: lowercase only means any case (as `less` and vim's smartcase read it). */
export function compileFilter(text: string): RegExp {
  return new RegExp(text, text === text.toLowerCase() ? 'i' : '');
}

/** What a key asks of the view beyond moving: leave, open a page about the selection, copy a line. */
export type Request = 'quit' | { open: PageKind } | { copy: string };

/** Keys that open a page about the selection (k9s's, where it has them). */
const PAGE_KEYS: Partial<Record<Key, PageKind>> = {
  d: 'describe',
  e: 'events',
  y: 'yaml',
  p: 'previous',
  '?': 'help',
};

/**
 * What the person looks at and how: the focused pane, the selected row,
 * what is expanded, where each scroll-back is, the log filter, follow,
 * wrap and timestamps, the page open over the panes. Keys change it; a
 * frame is drawn from it and the rollout state.
 */
export class Navigation {
  focus: Pane = 'status';
  cursor = 'all';
  readonly expanded = new Set<string>();
  /** Resources opened because they failed: opened once, so closing one sticks. */
  readonly #autoOpened = new Set<string>();
  readonly logs: ScrollPlace = { follow: true, bottom: 0 };
  readonly events: ScrollPlace = { follow: true, bottom: 0 };
  wrap = false;
  /** Log lines' times shown (`--timestamps` starts with them). */
  timestamps = false;
  filter: RegExp | undefined;
  /** The filter being typed after `/`, until Enter or Escape. */
  editing: string | undefined;
  /** A line for the footer (a filter that is not a regex), and whether it is an error. */
  message: { text: string; error: boolean } | undefined;
  /** A page over the panes (describe, YAML, help…), until Escape. */
  page: Page | undefined;
  heights: PaneHeights = { status: 10, events: 5, logs: 10, page: 20 };

  /** Applies a key; returns what else the view is to do. */
  handle(key: Key, state: RolloutState): Request | undefined {
    if (this.editing !== undefined) {
      this.#edit(key);
      return undefined;
    }
    if (key === 'ctrl-c') return 'quit';
    this.message = undefined;
    if (this.page) {
      if (key === 'escape' || key === 'q') this.page = undefined;
      else scrollPage(this.page, key, this.heights.page);
      return undefined;
    }
    const page = PAGE_KEYS[key];
    if (page) return { open: page };
    if (key === 'q') return 'quit';
    if (key === 'c') return { copy: this.#current(state) };
    if (this.#toggles(key, state)) return undefined;
    if (key === 'n' || key === 'N') this.#nextMatch(key, state);
    else if (key === '!') this.#nextFailing(state);
    else if (this.focus === 'status') this.#status(key, state);
    else this.#scroll(key, state, this.focus);
    return undefined;
  }

  /** The keys that switch something: the pane, the filter prompt, follow, wrap, timestamps. */
  #toggles(key: Key, state: RolloutState): boolean {
    switch (key) {
      case 'tab':
      case 'shift-tab': {
        const step = key === 'tab' ? 1 : PANES.length - 1;
        this.focus = PANES[(PANES.indexOf(this.focus) + step) % PANES.length] as Pane;
        return true;
      }
      case '/':
        this.editing = this.filter?.source ?? '';
        return true;
      case 'f':
        this.#setFollow(!this.logs.follow, state);
        return true;
      case 'w':
        this.wrap = !this.wrap;
        return true;
      case 't':
        this.timestamps = !this.timestamps;
        return true;
    }
    return false;
  }

  /** The selected row among the status pane's (every resource, when the selected one is gone). */
  selected(rows: Row[]): Row {
    return rows.find((row) => rowId(row) === this.cursor) ?? { kind: 'all' };
  }

  /** The log sources of a row. */
  logSources(state: RolloutState, row: Row): LogSource[] {
    if (row.kind === 'all') return [...state.logs.values()].flat();
    return (state.logs.get(row.key) ?? []).filter(
      (source) =>
        (row.kind === 'resource' || source.pod === row.pod) &&
        (row.kind !== 'container' || source.container === row.container),
    );
  }

  /** Whether an event line is about a row. */
  eventFilter(row: Row): (line: EventLine) => boolean {
    if (row.kind === 'all') return () => true;
    return (line) =>
      line.resource === row.key &&
      (row.kind === 'resource' || line.pod === row.pod) &&
      (row.kind !== 'container' || line.container === undefined || line.container === row.container);
  }

  /** Whether a log line passes the filter. */
  readonly logFilter = (line: LogLine): boolean => this.filter === undefined || this.filter.test(line.text);

  /** Opens the resources that failed or have a failing pod, once each. */
  openFailing(state: RolloutState): void {
    for (const resource of state.resources.values()) {
      if (this.#autoOpened.has(resource.key) || !isFailing(state, resource.key)) continue;
      this.#autoOpened.add(resource.key);
      this.expanded.add(rowId({ kind: 'resource', key: resource.key }));
    }
  }

  #edit(key: Key): void {
    const text = this.editing ?? '';
    // Ctrl-C cancels the prompt, as in a shell: it does not leave.
    if (key === 'escape' || key === 'ctrl-c') this.editing = undefined;
    else if (key === 'backspace') this.editing = [...text].slice(0, -1).join('');
    else if (key === 'ctrl-u') this.editing = '';
    else if (key === 'enter') this.#applyFilter(text);
    else if ([...key].length === 1) this.editing = text + key;
  }

  #applyFilter(text: string): void {
    this.editing = undefined;
    if (text === '') {
      this.filter = undefined;
      return;
    }
    try {
      this.filter = compileFilter(text);
      this.#setFollow(true);
    } catch (error) {
      this.message = {
        text: `not a regular expression: /${text}/ (${(error as Error).message.replace(/^Invalid regular expression: /, '')})`,
        error: true,
      };
    }
  }

  /** Follow on: the newest lines as they come; off: the view stays where it is. */
  #setFollow(on: boolean, state?: RolloutState): void {
    this.logs.follow = on;
    delete this.logs.dropped;
    if (!on && state) this.logs.bottom = state.seq;
  }

  /** `n` and `N`: the previous (older) and the next matching log line, as vim's after `?`. */
  #nextMatch(key: Key, state: RolloutState): void {
    if (!this.filter) {
      this.message = { text: 'no filter to match: / sets one', error: false };
      return;
    }
    this.#scroll(key === 'n' ? 'up' : 'down', state, 'logs');
  }

  /** `!`: the next row that failed or is failing, after the selected one. */
  #nextFailing(state: RolloutState): void {
    this.openFailing(state);
    const rows = statusRows(state, this.expanded);
    const at = rows.findIndex((row) => rowId(row) === this.cursor);
    const order = [...rows.slice(at + 1), ...rows.slice(0, at + 1)];
    const next = order.find((row) => rowFailing(state, row));
    if (next) this.#select(next);
    else this.message = { text: 'nothing is failing', error: false };
  }

  /** What `c` copies: the selected row's whole message, or the newest line shown in the focused pane. */
  #current(state: RolloutState): string {
    const row = this.selected(statusRows(state, this.expanded));
    if (this.focus === 'status') return rowMessage(state, row);
    const pane = this.focus;
    const place = this[pane];
    const from = place.follow ? Number.MAX_SAFE_INTEGER : place.bottom;
    const [line] =
      pane === 'logs'
        ? newestFirst(
            this.logSources(state, row).map((source) => source.lines),
            from,
            1,
            this.logFilter,
          )
        : newestFirst([state.events], from, 1, this.eventFilter(row));
    return line?.text ?? '';
  }

  #status(key: Key, state: RolloutState): void {
    const rows = statusRows(state, this.expanded);
    const index = Math.max(
      0,
      rows.findIndex((row) => rowId(row) === this.cursor),
    );
    const step = stepOf(key, this.heights.status);
    let next = index;
    if (step !== undefined) next = index + step;
    else if (key === 'home' || key === 'g') next = 0;
    else if (key === 'end' || key === 'G') next = rows.length - 1;
    else if (key === 'enter' || key === ' ') this.#toggle(rows[index]);
    else if (key === 'right' || key === 'l') this.#expand(rows[index], true);
    else if (key === 'left' || key === 'h') next = this.#collapse(rows, index);
    this.#select(rows[Math.min(rows.length - 1, Math.max(0, next))] ?? { kind: 'all' });
  }

  #select(row: Row): void {
    const id = rowId(row);
    if (id === this.cursor) return;
    this.cursor = id;
    // Another selection: its newest lines.
    this.#setFollow(true);
    this.events.follow = true;
  }

  #toggle(row: Row | undefined): void {
    if (row) this.#expand(row, !this.expanded.has(rowId(row)));
  }

  #expand(row: Row | undefined, open: boolean): void {
    if (!row || row.kind === 'all' || row.kind === 'container') return;
    if (open) this.expanded.add(rowId(row));
    else this.expanded.delete(rowId(row));
  }

  /** Left: closes an open row, else goes to the row it belongs to. */
  #collapse(rows: Row[], index: number): number {
    const row = rows[index];
    if (!row || row.kind === 'all') return index;
    if (this.expanded.has(rowId(row))) {
      this.expanded.delete(rowId(row));
      return index;
    }
    if (row.kind === 'resource') return index;
    const parent: Row =
      row.kind === 'container'
        ? { kind: 'pod', key: row.key, pod: row.pod }
        : { kind: 'resource', key: row.key };
    return Math.max(
      0,
      rows.findIndex((candidate) => rowId(candidate) === rowId(parent)),
    );
  }

  #scroll(key: Key, state: RolloutState, pane: 'events' | 'logs'): void {
    const place = this[pane];
    if (key === 'end' || key === 'G') {
      place.follow = true;
      return;
    }
    const row = this.selected(statusRows(state, this.expanded));
    const rings: Ring<EventLine>[] | Ring<LogLine>[] =
      pane === 'logs' ? this.logSources(state, row).map((source) => source.lines) : [state.events];
    const accept = (pane === 'logs' ? this.logFilter : this.eventFilter(row)) as (line: {
      seq: number;
    }) => boolean;
    if (key === 'home' || key === 'g') {
      // The oldest lines, a pane of them.
      const first = oldestFirst(rings, Number.MIN_SAFE_INTEGER, this.heights[pane], accept);
      const last = first[first.length - 1];
      if (last) Object.assign(place, { follow: false, bottom: last.seq });
    } else {
      const step = stepOf(key, this.heights[pane]);
      if (step !== undefined) scrollPlace(place, rings, accept, step);
    }
  }
}

/** How many rows a key moves by in a pane that shows `height` (a page keeps one row in sight); undefined: not a move. */
function stepOf(key: Key, height: number): number | undefined {
  const page = Math.max(1, height - 1);
  const steps: Partial<Record<Key, number>> = { up: -1, k: -1, down: 1, j: 1, pageup: -page, pagedown: page };
  return steps[key];
}

/** Moves a place in a scroll-back by `delta` lines (up is negative); at the newest line, it follows again. */
function scrollPlace(
  place: ScrollPlace,
  rings: Ring<{ seq: number }>[],
  accept: (line: { seq: number }) => boolean,
  delta: number,
): void {
  if (delta < 0) {
    const from = place.follow ? Number.MAX_SAFE_INTEGER : place.bottom;
    const lines = newestFirst(rings, from, 1 - delta, accept);
    const top = lines[lines.length - 1];
    if (!top) return;
    place.follow = false;
    place.bottom = top.seq;
    return;
  }
  if (place.follow) return;
  const lines = oldestFirst(rings, place.bottom, delta, accept);
  const last = lines[lines.length - 1];
  if (lines.length < delta || !last) place.follow = true;
  else place.bottom = last.seq;
}
