import { resourceName } from '../../../report/names.js';
import type { StatusRow } from '../table.js';
import { BOLD, COLOR, DIM, Grid, INVERSE, type Style, textWidth } from './grid.js';
import { type Navigation, type Pane, type Row, rowId, statusRows } from './navigation.js';
import type { LogLine, PodState, RolloutState } from './rollout-state.js';
import { newestFirst } from './scrollback.js';

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
  const rows = statusRows(state, nav.expanded);
  // The status pane takes up to 45% (its header included), the events a third of the rest, logs what is left.
  const free = size.height - 4;
  const status = Math.min(rows.length + 1, Math.max(3, Math.floor(free * 0.45)));
  const events = Math.max(2, Math.floor((free - status) * 0.35));
  const logs = free - status - events;
  nav.heights = { status: status - 1, events, logs };
  drawTitle(grid, state, heading);
  drawStatus(grid, { top: 1, height: status }, state, nav, rows, now);
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
  for (const row of state.rows.rows) counts.set(row.state, (counts.get(row.state) ?? 0) + 1);
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

/** Draws a row of cells in columns as wide as their widest cell (the name up to 40%, the message the rest). */
function columns(grid: Grid, cells: Cells[]) {
  const widths = HEADER.map((h, i) =>
    Math.min(
      i === 0 ? Math.floor(grid.width * 0.4) : 24,
      Math.max(textWidth(h), ...cells.map((c) => textWidth(c.text[i] ?? ''))),
    ),
  );
  return (row: number, cell: Cells, style: Style) => {
    let col = 1;
    cell.text.forEach((value, i) => {
      const width = i === cell.text.length - 1 ? grid.width - col : (widths[i] as number);
      const stateStyle = i === 2 && cell.state !== undefined ? cell.state : 0;
      grid.put(row, col, value, style | stateStyle, col + width);
      col += width + 2;
    });
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
        `${state.rows.rows.length} resources, ${logs} containers logging`,
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
  const error = pod.errors.get(row.container) ?? '';
  return {
    text: [
      `      ${row.container}`,
      '',
      error ? 'failing' : '',
      String(pod.restarts.get(row.container) ?? 0),
      '',
      error,
    ],
    ...(error ? { state: COLOR.red } : {}),
  };
}

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
  const count = p.ready ?? p.succeeded;
  const ready = count === undefined ? '-' : p.desired === undefined ? String(count) : `${count}/${p.desired}`;
  const message =
    status.state === 'failed' || !status.lastWarning
      ? status.message
      : `${status.message} (last warning: ${status.lastWarning})`;
  return {
    text: [
      `${open}${resourceName(resource.ref, state.namespaces)}`,
      ready,
      status.state,
      String(status.restarts),
      age(resource.changedAt, now),
      message,
    ],
    state: STATE_COLOR[status.state] ?? 0,
  };
}

function podCells(pod: PodState, open: boolean, now: number) {
  const restarts = [...pod.restarts.values()].reduce((a, b) => a + b, 0);
  const error = [...pod.errors.values()][0] ?? '';
  const state = pod.deleted ? 'deleted' : pod.ready ? 'ready' : error ? 'failing' : pod.phase;
  return {
    text: [
      `   ${pod.containers.length === 0 ? ' ' : open ? '▾' : '▸'} ${pod.name}`,
      `${pod.readyContainers}/${pod.containers.length}`,
      state,
      String(restarts),
      age(pod.changedAt, now),
      error || (pod.current ? '' : 'old revision'),
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
  const flags = [
    nav.logs.follow ? 'follow' : 'paused (f: follow)',
    nav.filter ? `filter /${nav.filter.source}/` : '',
    nav.wrap ? 'wrap' : '',
  ].filter(Boolean);
  paneTitle(grid, area.top, nav, 'logs', `Logs · ${selectionName(state, row)} · ${flags.join(' · ')}`);
  const height = area.height - 1;
  if (sources.length === 0) {
    grid.put(area.top + 1, 1, 'no log lines yet', DIM);
    return;
  }
  const from = nav.logs.follow ? Number.MAX_SAFE_INTEGER : nav.logs.bottom;
  const labelled = row.kind !== 'container';
  const lines = newestFirst(
    sources.map((source) => source.lines),
    from,
    height,
    nav.logFilter,
  );
  const rows = logRows(lines, labelled, nav.wrap, grid.width - 1, look.timestamp).slice(-height);
  const at = area.top + 1 + Math.max(0, height - rows.length);
  rows.forEach((text, i) => {
    const col = grid.put(at + i, 1, text.label, text.labelStyle);
    grid.put(at + i, col, text.text);
    if (look.highlight) highlight(grid, at + i, col, text.text, look.highlight);
  });
  if (lines.length === 0) grid.put(area.top + 1, 1, `no line matches /${nav.filter?.source}/`, DIM);
}

/** The screen rows of log lines (newest last), each labelled with its pod and container, wrapped or cut. */
function logRows(
  lines: LogLine[],
  labelled: boolean,
  wrap: boolean,
  width: number,
  timestamp: ((time: string) => string) | undefined,
) {
  const out: { label: string; labelStyle: Style; text: string }[] = [];
  for (const line of [...lines].reverse()) {
    const { source } = line;
    const stamp = timestamp ? `${timestamp(line.time)} ` : '';
    const label = `${labelled ? `${source.pod} ${source.container} │ ` : ''}${stamp}`;
    const labelStyle = source.style;
    const room = Math.max(1, width - textWidth(label));
    if (!wrap) {
      out.push({ label, labelStyle, text: line.text });
      continue;
    }
    const chars = [...line.text];
    for (let start = 0; start === 0 || start < chars.length; start += room)
      out.push({
        label: start === 0 ? label : ' '.repeat(textWidth(label)),
        labelStyle,
        text: chars.slice(start, start + room).join(''),
      });
  }
  return out;
}

/** Paints what `pattern` matches in a row's text (as the text view's --highlight does). */
function highlight(grid: Grid, row: number, col: number, text: string, pattern: RegExp): void {
  for (const match of text.matchAll(new RegExp(pattern.source, 'g'))) {
    if (match[0] === '') continue;
    const start = col + textWidth(text.slice(0, match.index));
    grid.paint(row, start, textWidth(match[0]), COLOR.red | BOLD);
  }
}

function drawFooter(grid: Grid, nav: Navigation): void {
  const row = grid.height - 1;
  if (nav.editing !== undefined) {
    const end = grid.put(
      row,
      0,
      `filter logs (regex; lowercase: any case; empty: none) /${nav.editing}`,
      BOLD,
    );
    grid.put(row, end, '█');
    return;
  }
  if (nav.message) {
    grid.put(row, 0, nav.message, COLOR.red | BOLD);
    return;
  }
  const keys = [
    ['↑↓ j k', 'move'],
    ['⏎', 'expand'],
    ['Tab', 'pane'],
    ['/', 'filter'],
    ['f', nav.logs.follow ? 'pause' : 'follow'],
    ['w', nav.wrap ? 'no wrap' : 'wrap'],
    ['q', 'leave'],
  ];
  let col = 0;
  for (const [key, what] of keys) {
    col = grid.put(row, col, ` ${key} `, INVERSE);
    col = grid.put(row, col, ` ${what}  `);
  }
}
