import { resourceName } from '../../../report/names.js';
import type { StatusRow } from '../table.js';
import { BOLD, COLOR, DIM, Grid, INVERSE, type Style, textWidth } from './grid.js';
import { type Navigation, type Pane, type Row, rowId, type ScrollPlace, statusRows } from './navigation.js';
import { drawPage } from './pages.js';
import { type LogLine, type PodState, type RolloutState, withReason } from './rollout-state.js';
import { newestFirst, oldestFirst, type Ring } from './scrollback.js';

/** Smaller than this, the view says so instead of drawing panes too small to read. */
export const MIN_WIDTH = 40;
export const MIN_HEIGHT = 12;

/** What the frame says of the track as a whole: its title, and its end once it ended. */
export interface Heading {
  /** `kubedog rollout track` */
  title: string;
  /** The final line once the track ended (`✓ 3 of 3 resources ready after 12s`), and whether it is good news. */
  end?: { ok: boolean; text: string };
}

/** How log lines look: each one's time before it (`--timestamps`), what to paint in them (`--highlight`). */
export interface LogLook {
  timestamp?: (time: string) => string;
  highlight?: RegExp;
}

const STATE_COLOR: Record<string, Style> = {
  ready: COLOR.green,
  failed: COLOR.red,
  deleted: COLOR.yellow,
  waiting: DIM,
  'not finished': COLOR.yellow,
};

/** "3s", "4m", "2h": how long ago; `-` when never. */
export function age(ms: number, now: number): string {
  if (ms === 0) return '-';
  const seconds = Math.max(0, Math.floor((now - ms) / 1000));
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)}m`;
  return `${Math.floor(seconds / 3600)}h`;
}

/** The whole screen for a terminal of `width` × `height`, at `now` (ms since the epoch). */
export function drawFrame(
  state: RolloutState,
  nav: Navigation,
  heading: Heading,
  size: { width: number; height: number },
  now: number,
  look: LogLook = {},
): Grid {
  const grid = new Grid(size.width, size.height);
  if (size.width < MIN_WIDTH || size.height < MIN_HEIGHT) {
    grid.put(0, 0, `kubedog: ${size.width}×${size.height} is too small`);
    grid.put(1, 0, `the view needs ${MIN_WIDTH}×${MIN_HEIGHT}`);
    grid.put(2, 0, 'q: leave');
    return grid;
  }
  // Once the track ended, times stop where it ended.
  const at = state.endedAt ?? now;
  nav.openFailing(state);
  drawTitle(grid, state, heading);
  if (nav.page) {
    nav.heights.page = drawPage(grid, nav.page, 1);
    return grid;
  }
  const rows = statusRows(state, nav.expanded);
  // The status pane takes up to 45% (its header included; 60% on a short terminal), the events a third of the rest.
  const free = size.height - 4;
  const share = size.height < 25 ? 0.6 : 0.45;
  const status = Math.min(rows.length + 1, Math.max(3, Math.floor(free * share)));
  const events = Math.max(2, Math.floor((free - status) * 0.35));
  const logs = free - status - events;
  nav.heights = { status: status - 1, events, logs, page: nav.heights.page };
  drawStatus(grid, { top: 1, height: status }, state, nav, rows, at);
  const selected = nav.selected(rows);
  drawEvents(grid, { top: 1 + status, height: events + 1 }, state, nav, selected);
  drawLogs(grid, { top: 2 + status + events, height: logs + 1 }, state, nav, selected, look);
  drawFooter(grid, nav);
  return grid;
}

interface Area {
  top: number;
  height: number;
}

function drawTitle(grid: Grid, state: RolloutState, heading: Heading): void {
  const counts = new Map<string, number>();
  for (const resource of state.resources.values()) {
    const shown = resource.final ?? state.rows.row(resource.key)?.state ?? 'waiting';
    counts.set(shown, (counts.get(shown) ?? 0) + 1);
  }
  const tally = [...counts].map(([name, n]) => `${n} ${name}`).join(', ');
  const end = heading.end;
  const style = INVERSE | BOLD | (end ? (end.ok ? COLOR.green : COLOR.red) : 0);
  grid.paint(0, 0, grid.width, style);
  const left = ` ${heading.title} · ${state.rows.rows.length} resources: ${tally}`;
  const right = end ? `${end.ok ? '✓' : '✗'} ${end.text} · q: leave ` : '';
  // The end, when there is one, is what a person looks for: it keeps its place, the rest is cut.
  const at = Math.max(0, grid.width - textWidth(right));
  const fits = !right || textWidth(left) < at;
  grid.put(0, 0, fits ? left : ` ${heading.title}`, style, right ? at - 1 : grid.width);
  grid.put(0, at, right, style);
}

/** A pane's title line: the focused pane's is marked and bold. */
function paneTitle(grid: Grid, row: number, nav: Navigation, pane: Pane, text: string): void {
  const focused = nav.focus === pane;
  const style = focused ? BOLD | COLOR.cyan : DIM;
  const end = grid.put(row, 0, `${focused ? '▶' : '─'} ${text} `, style);
  grid.put(row, end, '─'.repeat(Math.max(0, grid.width - end)), style);
}

const HEADER = ['NAME', 'READY', 'STATE', 'RESTARTS', 'AGE', 'STATUS'];
/** Columns a narrow terminal drops first, so the reason keeps its room: RESTARTS, AGE, READY, STATE. */
const DROP_ORDER = [3, 4, 1, 2];
/** The least room the STATUS column keeps before columns are dropped. */
const STATUS_ROOM = 28;

/** A status row's cells, and how to style its state column and the whole row. */
interface Cells {
  text: string[];
  state?: Style;
  dim?: boolean;
}

function drawStatus(
  grid: Grid,
  area: Area,
  state: RolloutState,
  nav: Navigation,
  rows: Row[],
  now: number,
): void {
  const cells = rows.map((row) => statusCells(state, nav, row, now));
  const line = columns(grid, cells);
  line(area.top, { text: HEADER }, nav.focus === 'status' ? BOLD | COLOR.cyan : BOLD);
  if (nav.focus === 'status') grid.put(area.top, 0, '▶', BOLD | COLOR.cyan);
  const visible = area.height - 1;
  const index = Math.max(
    0,
    rows.findIndex((row) => rowId(row) === nav.cursor),
  );
  // The cursor's row stays in view: the rows scroll by the least that shows it.
  const first = Math.max(0, index - visible + 1);
  for (let i = 0; i < visible && first + i < rows.length; i++) {
    const at = area.top + 1 + i;
    const cell = cells[first + i] as Cells;
    const selected = first + i === index;
    const style = (selected ? (nav.focus === 'status' ? INVERSE : BOLD) : 0) | (cell.dim ? DIM : 0);
    if (selected) grid.paint(at, 0, grid.width, style);
    line(at, cell, style);
  }
}

/**
 * Draws a row of cells in columns as wide as their widest cell (the name
 * up to 40%, 30% below 100 columns), STATUS taking the rest; on a narrow
 * terminal the columns of {@link DROP_ORDER} go first, so the why stays
 * readable.
 */
function columns(grid: Grid, cells: Cells[]) {
  const widths = HEADER.map((h, i) =>
    Math.min(
      i === 0 ? Math.floor(grid.width * (grid.width < 100 ? 0.3 : 0.4)) : 24,
      Math.max(textWidth(h), ...cells.map((c) => textWidth(c.text[i] ?? ''))),
    ),
  );
  const shown = [0, 1, 2, 3, 4, 5];
  const used = () => shown.slice(0, -1).reduce((sum, i) => sum + (widths[i] as number) + 2, 1);
  for (const column of DROP_ORDER)
    if (grid.width - used() < Math.min(STATUS_ROOM, Math.floor(grid.width * 0.4)))
      shown.splice(shown.indexOf(column), 1);
  return (row: number, cell: Cells, style: Style) => {
    let col = 1;
    for (const i of shown) {
      const width = i === 5 ? grid.width - col : (widths[i] as number);
      const stateStyle = i === 2 && cell.state !== undefined ? cell.state : 0;
      grid.put(row, col, cell.text[i] ?? '', style | stateStyle, col + width);
      col += width + 2;
    }
  };
}

/** The cells of a status row: the same words the pinned table and the failure report use. */
function statusCells(state: RolloutState, nav: Navigation, row: Row, now: number): Cells {
  if (row.kind === 'all') {
    const logs = [...state.logs.values()].reduce((n, sources) => n + sources.length, 0);
    return {
      text: [
        '(every resource)',
        '',
        '',
        '',
        '',
        `${count(state.rows.rows.length, 'resource')}, ${count(logs, 'container')} logging`,
      ],
      dim: true,
    };
  }
  const resource = state.resources.get(row.key);
  const status = state.rows.row(row.key);
  if (row.kind === 'resource') return resourceCells(state, nav, row.key, status, now);
  const pod = resource?.pods.get(row.pod);
  if (!pod) return { text: [row.pod] };
  if (row.kind === 'pod') return podCells(pod, nav.expanded.has(rowId(row)), now);
  const error = pod.errors.get(row.container);
  return {
    text: [
      `      ${row.container}`,
      '',
      error ? 'failing' : '',
      String(pod.restarts.get(row.container) ?? 0),
      '',
      error ? withReason(error) : '',
    ],
    ...(error ? { state: COLOR.red } : {}),
  };
}

/** `1 container`, `3 containers`. */
const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

function resourceCells(
  state: RolloutState,
  nav: Navigation,
  key: string,
  status: StatusRow | undefined,
  now: number,
) {
  const resource = state.resources.get(key);
  const open =
    !resource || resource.pods.size === 0
      ? '  '
      : nav.expanded.has(rowId({ kind: 'resource', key }))
        ? '▾ '
        : '▸ ';
  if (!resource || !status) return { text: [key] };
  const p = status.progress ?? {};
  const done = p.ready ?? p.succeeded;
  const ready = done === undefined ? '-' : p.desired === undefined ? String(done) : `${done}/${p.desired}`;
  const shown = resource.final ?? status.state;
  const why = state.statusOf(key);
  return {
    text: [
      `${open}${resourceName(resource.ref, state.namespaces)}`,
      ready,
      shown,
      String(status.restarts),
      age(resource.created, now),
      why ? withReason(why) : status.message,
    ],
    state: STATE_COLOR[shown] ?? 0,
  };
}

function podCells(pod: PodState, open: boolean, now: number) {
  const restarts = [...pod.restarts.values()].reduce((a, b) => a + b, 0);
  const [error] = pod.errors.values();
  const state = pod.deleted ? 'deleted' : pod.ready ? 'ready' : error ? 'failing' : pod.phase;
  return {
    text: [
      `   ${pod.containers.length === 0 ? ' ' : open ? '▾' : '▸'} ${pod.name}`,
      `${pod.readyContainers}/${pod.containers.length}`,
      state,
      String(restarts),
      age(pod.created, now),
      error ? withReason(error) : pod.current ? '' : 'old revision',
    ],
    state: pod.ready ? COLOR.green : error ? COLOR.red : 0,
    dim: !pod.current || pod.deleted,
  };
}

/** What the selection is called in a pane's title. */
function selectionName(state: RolloutState, row: Row): string {
  if (row.kind === 'all') return 'every resource';
  const resource = state.resources.get(row.key);
  const name = resource ? resourceName(resource.ref, state.namespaces) : row.key;
  if (row.kind === 'resource') return name;
  return row.kind === 'pod' ? `${name} › pod ${row.pod}` : `${name} › pod ${row.pod} › ${row.container}`;
}

const clock = (time: string) => {
  const date = new Date(time);
  return Number.isNaN(date.getTime()) ? '--:--:--' : date.toTimeString().slice(0, 8);
};

function drawEvents(grid: Grid, area: Area, state: RolloutState, nav: Navigation, row: Row): void {
  const following = nav.events.follow ? '' : ' · scrolled (End: newest)';
  paneTitle(grid, area.top, nav, 'events', `Events · ${selectionName(state, row)}${following}`);
  const from = nav.events.follow ? Number.MAX_SAFE_INTEGER : nav.events.bottom;
  const lines = newestFirst([state.events], from, area.height - 1, nav.eventFilter(row)).reverse();
  // A hint without its failure above it says nothing: the pane starts at a line of its own.
  while (lines[0]?.continued) lines.shift();
  lines.forEach((line, i) => {
    const at = area.top + 1 + i;
    const end = grid.put(at, 1, clock(line.time), DIM);
    grid.put(at, end + 1, line.text, line.style);
  });
}

function drawLogs(
  grid: Grid,
  area: Area,
  state: RolloutState,
  nav: Navigation,
  row: Row,
  look: LogLook,
): void {
  const sources = nav.logSources(state, row);
  const rings = sources.map((source) => source.lines);
  const height = area.height - 1;
  keepInScrollback(nav.logs, rings, nav.logFilter, height);
  const flags = [
    nav.logs.follow ? 'follow' : 'paused (f: follow)',
    nav.logs.dropped ? `${nav.logs.dropped.toLocaleString('en-US')} older lines dropped` : '',
    nav.filter ? `filter /${nav.filter.source}/: ${count(matches(nav, rings), 'line')}` : '',
    nav.wrap ? 'wrap' : '',
  ].filter(Boolean);
  paneTitle(grid, area.top, nav, 'logs', `Logs · ${selectionName(state, row)} · ${flags.join(' · ')}`);
  if (sources.length === 0) {
    grid.put(area.top + 1, 1, 'no log lines yet', DIM);
    return;
  }
  const from = nav.logs.follow ? Number.MAX_SAFE_INTEGER : nav.logs.bottom;
  const lines = newestFirst(rings, from, height, nav.logFilter);
  const stamp = nav.timestamps ? (look.timestamp ?? shortTime) : undefined;
  const rows = logRows(lines, row.kind !== 'container', nav.wrap, grid.width - 1, stamp).slice(-height);
  const at = area.top + 1 + Math.max(0, height - rows.length);
  rows.forEach((text, i) => {
    const col = grid.put(at + i, 1, text.label, text.labelStyle);
    grid.put(at + i, col, text.text, text.marker ? DIM : 0);
    if (look.highlight) highlight(grid, at + i, col, text.text, look.highlight, COLOR.red | BOLD);
    if (nav.filter) highlight(grid, at + i, col, text.text, nav.filter, INVERSE | COLOR.yellow);
  });
  // Paused, the bottom line is the one `n`/`N` reached and `c` copies.
  if (!nav.logs.follow && rows.length > 0) grid.put(at + rows.length - 1, 0, '›', BOLD | COLOR.cyan);
  if (lines.length === 0)
    grid.put(area.top + 1, 1, nav.filter ? `no line matches /${nav.filter.source}/` : 'no line here', DIM);
}

/** `10:41:07`: a log line's time when `t` shows them without `--timestamps`. */
const shortTime = (time: string) => (time ? clock(time) : '--:--:--');

/**
 * A paused place older than every line kept (the scroll-back moved past
 * it): the oldest lines kept instead, and how many were dropped.
 */
function keepInScrollback(
  place: ScrollPlace,
  rings: Ring<LogLine>[],
  accept: (line: LogLine) => boolean,
  height: number,
) {
  if (place.follow || rings.length === 0) return;
  if (newestFirst(rings, place.bottom, 1, accept).length > 0) return;
  const oldest = oldestFirst(rings, place.bottom, height, accept);
  const last = oldest[oldest.length - 1];
  if (!last) return;
  place.bottom = last.seq;
  place.dropped = rings.reduce((sum, ring) => sum + ring.dropped, 0);
}

/** Matching lines counted so far, per navigation: a frame counts only the lines that came since the last. */
const counted = new WeakMap<Navigation, { key: string; seq: number; count: number }>();

/** How many lines of the selection match the filter (those kept when it was set, and every one since). */
function matches(nav: Navigation, rings: Ring<LogLine>[]): number {
  const key = `${nav.cursor}\u0000${nav.filter?.source}\u0000${nav.filter?.flags}`;
  let entry = counted.get(nav);
  if (entry?.key !== key) entry = { key, seq: Number.MIN_SAFE_INTEGER, count: 0 };
  const fresh = oldestFirst(rings, entry.seq, Number.MAX_SAFE_INTEGER, nav.logFilter);
  entry.count += fresh.filter((line) => !line.marker).length;
  entry.seq = Math.max(
    entry.seq,
    ...rings.map((ring) => (ring.length > 0 ? ring.at(ring.length - 1).seq : 0)),
  );
  counted.set(nav, entry);
  return entry.count;
}

/** The screen rows of log lines (newest last), each labelled with its pod and container, wrapped or cut. */
function logRows(
  lines: LogLine[],
  labelled: boolean,
  wrap: boolean,
  width: number,
  timestamp: ((time: string) => string) | undefined,
) {
  const out: { label: string; labelStyle: Style; text: string; marker?: boolean }[] = [];
  for (const line of [...lines].reverse()) {
    const { source } = line;
    const stamp = timestamp && !line.marker ? `${timestamp(line.time)} ` : '';
    const label = `${labelled ? `${source.pod} ${source.container} │ ` : ''}${stamp}`;
    const labelStyle = source.style;
    const marker = line.marker ? { marker: true } : {};
    const room = Math.max(1, width - textWidth(label));
    if (!wrap) {
      out.push({ label, labelStyle, text: line.text, ...marker });
      continue;
    }
    const chars = [...line.text];
    for (let start = 0; start === 0 || start < chars.length; start += room)
      out.push({
        label: start === 0 ? label : ' '.repeat(textWidth(label)),
        labelStyle,
        text: chars.slice(start, start + room).join(''),
        ...marker,
      });
  }
  return out;
}

/** Paints what `pattern` matches in a row's text (`--highlight`, the filter). */
function highlight(grid: Grid, row: number, col: number, text: string, pattern: RegExp, style: Style): void {
  const global = new RegExp(
    pattern.source,
    pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`,
  );
  for (const match of text.matchAll(global)) {
    if (match[0] === '') continue;
    const start = col + textWidth(text.slice(0, match.index));
    grid.paint(row, start, Math.min(textWidth(match[0]), grid.width - start), style);
  }
}

function drawFooter(grid: Grid, nav: Navigation): void {
  const row = grid.height - 1;
  if (nav.editing !== undefined) {
    const end = grid.put(
      row,
      0,
      `filter logs (regex; lowercase: any case; Esc: cancel) /${nav.editing}`,
      BOLD,
    );
    grid.put(row, end, '█');
    return;
  }
  if (nav.message) {
    grid.put(row, 0, nav.message.text, nav.message.error ? COLOR.red | BOLD : BOLD);
    return;
  }
  // How to leave and how to get help always show; the other keys as many as fit, in this order.
  const always = [
    ['?', 'help'],
    ['q', 'leave'],
  ];
  const keys = [
    ['↑↓', 'move'],
    ['⏎', 'open'],
    ['!', 'next failing'],
    ['Tab', 'pane'],
    ['d', 'describe'],
    ['/', 'filter'],
    ['f', nav.logs.follow ? 'pause' : 'follow'],
    ['e', 'events'],
    ['y', 'yaml'],
    ['p', 'previous'],
    ['w', nav.wrap ? 'no wrap' : 'wrap'],
    ['t', 'time'],
  ];
  const width = ([key, what]: string[]) => textWidth(` ${key} `) + textWidth(` ${what}  `);
  let room = grid.width - always.reduce((sum, key) => sum + width(key), 0);
  const shown = keys.filter((key) => {
    room -= width(key);
    return room >= 0;
  });
  let col = 0;
  for (const [key, what] of [...shown, ...always]) {
    col = grid.put(row, col, ` ${key} `, INVERSE);
    col = grid.put(row, col, ` ${what}  `);
  }
}
