import { BOLD, COLOR, DIM, type Grid, INVERSE, type Style, textWidth } from './grid.js';
import type { Key } from './keys.js';

/** A page over the panes: the selection described, its Events, its YAML, its previous logs, the keys. */
export type PageKind = 'describe' | 'events' | 'yaml' | 'previous' | 'help';

export interface PageLine {
  text: string;
  style?: Style;
  /** Where the rows a long line wraps onto start (a table's last column, a field's value). */
  indent?: number;
}

export interface Page {
  kind: PageKind;
  /** `Describe · deploy/web` */
  title: string;
  /** Undefined while it is being read. */
  lines: PageLine[] | undefined;
  /** The first screen row shown (of the lines wrapped to the width). */
  top: number;
}

/** Moves a page by a key (the frame keeps `top` within its lines). */
export function scrollPage(page: Page, key: Key, height: number): void {
  const steps: Partial<Record<Key, number>> = {
    up: -1,
    k: -1,
    down: 1,
    j: 1,
    pageup: -Math.max(1, height - 1),
    pagedown: Math.max(1, height - 1),
    ' ': Math.max(1, height - 1),
  };
  const step = steps[key];
  if (step !== undefined) page.top = Math.max(0, page.top + step);
  else if (key === 'g' || key === 'home') page.top = 0;
  else if (key === 'G' || key === 'end') page.top = Number.MAX_SAFE_INTEGER;
}

/** Every key of the view, as the help page and the README list them. */
export const KEYS: [string, string][] = [
  ['↑ ↓  j k', 'move the selection (status pane) or scroll (events, logs, a page)'],
  ['PgUp PgDn  g G  Home End', 'a page; the first / the last (End, G: the newest lines, followed again)'],
  ['Enter  → l  ← h', 'open or close a resource (its pods) or a pod (its containers)'],
  ['!', 'the next resource or pod that failed or is failing'],
  ['Tab  Shift-Tab', 'the next / previous pane'],
  ['d', 'describe the selection: its verdict in full, hint, conditions, containers, Events'],
  ['e', 'the Events of the selection, those from before the track too'],
  ['y', 'the YAML of the selection as the server has it (managedFields folded)'],
  ['p', 'the logs of the previous (crashed) instance of the selected container'],
  ['/', 'filter the logs by a regular expression (lowercase: any case; empty: none)'],
  ['n  N', 'the previous / next matching log line'],
  ['f', 'pause the logs where they are / follow the newest'],
  ['w', 'wrap long log lines / cut them (…)'],
  ['t', 'show / hide the time of each log line'],
  ['c', 'copy the selected message or the newest log line shown (OSC 52, with --clipboard)'],
  ['?', 'every key, on a page (this list)'],
  ['Esc', 'back from a page; cancels the filter prompt (so does Ctrl-C)'],
  ['q  Ctrl-C', 'leave (q on a page: back)'],
];

/** The help page. */
export function helpPage(): Page {
  const width = Math.max(...KEYS.map(([key]) => textWidth(key)));
  return {
    kind: 'help',
    title: 'Keys',
    top: 0,
    lines: KEYS.map(([key, what]) => ({ text: `${key.padEnd(width)}   ${what}` })),
  };
}

/** A page drawn over the whole screen below the title: its lines wrapped, a footer that says where it is. */
export function drawPage(grid: Grid, page: Page, top: number): number {
  const height = grid.height - top - 2;
  grid.paint(top, 0, grid.width, INVERSE | BOLD | COLOR.cyan);
  grid.put(top, 0, ` ${page.title} `, INVERSE | BOLD | COLOR.cyan);
  const rows =
    page.lines === undefined ? [{ text: 'reading…', style: DIM }] : wrapLines(page.lines, grid.width - 1);
  page.top = Math.min(page.top, Math.max(0, rows.length - height));
  rows.slice(page.top, page.top + height).forEach((row, i) => {
    grid.put(top + 1 + i, 1, row.text, row.style ?? 0);
  });
  const last = Math.min(rows.length, page.top + height);
  const where = rows.length > height ? ` lines ${page.top + 1}–${last} of ${rows.length} ` : '';
  let col = grid.put(grid.height - 1, 0, ' Esc ', INVERSE);
  col = grid.put(grid.height - 1, col, ' back  ');
  col = grid.put(grid.height - 1, col, ' ↑↓ PgUp PgDn ', INVERSE);
  col = grid.put(grid.height - 1, col, ' scroll  ');
  grid.put(grid.height - 1, Math.max(col, grid.width - textWidth(where)), where, DIM);
  return height;
}

/** Lines cut into rows of `width` columns at most, each row keeping its line's style and the rows after the first indented. */
function wrapLines(lines: PageLine[], width: number): PageLine[] {
  const rows: PageLine[] = [];
  for (const line of lines) {
    // An indent that would leave less than half the width: a small one, so the text still reads.
    const indent = ' '.repeat((line.indent ?? 0) <= width / 2 ? (line.indent ?? 0) : 4);
    if (line.text === '') rows.push(line);
    let row = '';
    let used = 0;
    for (const char of line.text) {
      const w = textWidth(char);
      if (used + w > width) {
        rows.push({ ...line, text: row });
        row = indent;
        used = indent.length;
      }
      row += char;
      used += w;
    }
    if (row.trim() !== '') rows.push({ ...line, text: row });
  }
  return rows;
}
