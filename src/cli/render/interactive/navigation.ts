import type { Key } from './keys.js';
import type { EventLine, LogLine, LogSource, RolloutState } from './rollout-state.js';
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

/** The status pane's rows: the resources, with the pods (and their containers) of those opened. */
export function statusRows(state: RolloutState, expanded: ReadonlySet<string>): Row[] {
  const rows: Row[] = [{ kind: 'all' }];
  for (const resource of state.resources.values()) {
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

/** How many lines each pane shows, as the last frame laid them out (page up/down moves by these). */
export interface PaneHeights {
  status: number;
  events: number;
  logs: number;
}

/** A place in a scroll-back: the newest line, or a line by its number (it stays there as lines come). */
export interface ScrollPlace {
  follow: boolean;
  bottom: number;
}

/** A filter as typed: lowercase only means any case (as `less` and vim's smartcase read it). */
export function compileFilter(text: string): RegExp {
  return new RegExp(text, text === text.toLowerCase() ? 'i' : '');
}

/**
 * What the person looks at and how: the focused pane, the selected row,
 * what is expanded, where each scroll-back is, the log filter, follow and
 * wrap. Keys change it; a frame is drawn from it and the rollout state.
 */
export class Navigation {
  focus: Pane = 'status';
  cursor = 'all';
  readonly expanded = new Set<string>();
  readonly logs: ScrollPlace = { follow: true, bottom: 0 };
  readonly events: ScrollPlace = { follow: true, bottom: 0 };
  wrap = false;
  filter: RegExp | undefined;
  /** The filter being typed after `/`, until Enter or Escape. */
  editing: string | undefined;
  /** A line for the footer (a filter that is not a regex). */
  message: string | undefined;
  heights: PaneHeights = { status: 10, events: 5, logs: 10 };

  /** Applies a key; returns 'quit' when the person leaves. */
  handle(key: Key, state: RolloutState): 'quit' | undefined {
    if (key === 'ctrl-c') return 'quit';
    if (this.editing !== undefined) {
      this.#edit(key);
      return undefined;
    }
    this.message = undefined;
    switch (key) {
      case 'q':
        return 'quit';
      case 'tab':
      case 'shift-tab': {
        const step = key === 'tab' ? 1 : PANES.length - 1;
        this.focus = PANES[(PANES.indexOf(this.focus) + step) % PANES.length] as Pane;
        return undefined;
      }
      case '/':
        this.editing = this.filter?.source ?? '';
        return undefined;
      case 'f':
        this.#setFollow(!this.logs.follow, state);
        return undefined;
      case 'w':
        this.wrap = !this.wrap;
        return undefined;
    }
    if (this.focus === 'status') this.#status(key, state);
    else this.#scroll(key, state, this.focus);
    return undefined;
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

  #edit(key: Key): void {
    const text = this.editing ?? '';
    if (key === 'escape') this.editing = undefined;
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
      this.message = `not a regular expression: /${text}/ (${(error as Error).message.replace(/^Invalid regular expression: /, '')})`;
    }
  }

  /** Follow on: the newest lines as they come; off: the view stays where it is. */
  #setFollow(on: boolean, state?: RolloutState): void {
    this.logs.follow = on;
    if (!on && state) this.logs.bottom = state.seq;
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
