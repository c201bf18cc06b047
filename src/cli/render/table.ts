import { resourceName } from '../../report/names.js';
import type { Progress, VerdictState } from '../../status/types.js';
import type { TrackEvent } from '../../track/events.js';
import { type ResourceRef, resourceKey } from '../../track/resource-ref.js';
import type { Paint } from '../colors.js';

/** One row of the status table: what is known of one resource now. */
export interface StatusRow {
  resource: ResourceRef;
  state: VerdictState | 'waiting' | 'deleted';
  message: string;
  progress?: Progress;
  restarts: number;
  lastWarning?: string;
}

/** Keeps the status table's rows up to date from track events. */
export class StatusRows {
  readonly #rows = new Map<string, StatusRow>();
  /** Restarts per "pod/container", per resource: the table shows their sum. */
  readonly #restarts = new Map<string, Map<string, number>>();

  /** Rows for resources not seen yet, in the order given. */
  constructor(resources: ResourceRef[] = []) {
    for (const resource of resources) this.#row(resource);
  }

  #row(resource: ResourceRef): StatusRow {
    const key = resourceKey(resource);
    let row = this.#rows.get(key);
    if (!row) {
      row = { resource, state: 'waiting', message: 'waiting for it to exist', restarts: 0 };
      this.#rows.set(key, row);
    }
    return row;
  }

  /** Applies an event; returns whether the table changed. */
  observe(event: TrackEvent): boolean {
    const row = this.#row(event.resource);
    switch (event.type) {
      case 'added':
      case 'status':
        row.state = event.verdict.state;
        row.message = event.verdict.message;
        if (event.verdict.progress) row.progress = event.verdict.progress;
        return true;
      case 'ready':
        row.state = 'ready';
        row.message = event.message;
        return true;
      case 'failed':
        row.state = 'failed';
        row.message = `${event.reason}: ${event.message}`;
        return true;
      case 'deleted':
        row.state = 'deleted';
        row.message = 'deleted';
        return true;
      case 'pod-error': {
        const key = resourceKey(event.resource);
        const counts = this.#restarts.get(key) ?? new Map<string, number>();
        this.#restarts.set(key, counts);
        const container = `${event.pod}/${event.container ?? ''}`;
        // The sum is kept as counts change: a resource with thousands of failing pods costs the same per event.
        row.restarts += event.restarts - (counts.get(container) ?? 0);
        counts.set(container, event.restarts);
        return true;
      }
      case 'event':
        if (event.eventType !== 'Warning') return false;
        row.lastWarning = `${event.reason}: ${event.message}`;
        return true;
      default:
        return false;
    }
  }

  /** The row of a resource, by its key. */
  row(key: string): StatusRow | undefined {
    return this.#rows.get(key);
  }

  get rows(): StatusRow[] {
    return [...this.#rows.values()];
  }
}

const STATE_STYLE = { ready: 'green', failed: 'red', deleted: 'yellow' } as const;

/**
 * The status table as lines, each cut to `width` columns so a redraw knows
 * how many terminal lines it covers. Counts a kind has no use for are `-`.
 */
export function renderTable(
  rows: StatusRow[],
  options: { paint: Paint; width?: number; namespaces?: boolean },
): string[] {
  const count = (n: number | undefined, of?: number) =>
    n === undefined ? '-' : of === undefined ? String(n) : `${n}/${of}`;
  const cells = rows.map((row) => {
    const p = row.progress ?? {};
    const desired = p.desired;
    return [
      resourceName(row.resource, options.namespaces),
      p.ready !== undefined ? count(p.ready, desired) : count(p.succeeded, desired),
      count(p.updated),
      count(p.available),
      String(row.restarts),
      row.state,
      row.message,
      row.lastWarning ?? '',
    ];
  });
  const header = ['RESOURCE', 'READY', 'UPDATED', 'AVAILABLE', 'RESTARTS', 'STATE', 'STATUS', 'LAST WARNING'];
  // The free-text columns (status, warning) take what is left; the others are as wide as needed.
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const fixed = widths.slice(0, 6).reduce((a, b) => a + b + 2, 0);
  const width = options.width ?? 160;
  const free = Math.max(20, width - fixed);
  widths[6] = Math.min(widths[6] ?? 0, Math.ceil(free * 0.6));
  widths[7] = Math.max(0, free - (widths[6] ?? 0) - 2);
  const cut = (text: string, w: number) => (text.length > w ? `${text.slice(0, Math.max(0, w - 1))}…` : text);
  const line = (values: string[], style: (i: number, text: string) => string = (_i, t) => t) => {
    const padded = values.map((v, i) =>
      cut(v, widths[i] ?? 0).padEnd(i === values.length - 1 ? 0 : (widths[i] ?? 0)),
    );
    const plain = padded.join('  ').trimEnd();
    // Too narrow a terminal: cut the plain line, so it never wraps (a redraw counts lines).
    if (plain.length > width) return cut(plain, width);
    return padded
      .map((text, i) => style(i, text))
      .join('  ')
      .trimEnd();
  };
  return [
    options.paint('bold', line(header)),
    ...rows.map((row, r) =>
      line(cells[r] ?? [], (i, text) => {
        if (i === 5 && row.state in STATE_STYLE)
          return options.paint(STATE_STYLE[row.state as keyof typeof STATE_STYLE], text);
        if (i === 7 && text !== '') return options.paint('yellow', text);
        return text;
      }),
    ),
  ];
}
