import { reasoned, resourceName } from '../../report/names.js';
import type { FailedEvent, TrackEvent } from '../../track/events.js';
import { type ResourceRef, resourceKey } from '../../track/resource-ref.js';
import { colorFor, type Paint } from '../colors.js';

/**
 * Where a line goes: log lines on stdout, everything kubedog itself says
 * (status, pods, events, verdicts, reports) on stderr — as stern does, so
 * `kubedog … > app.log` keeps only the application's output.
 */
export type Target = 'out' | 'err';

export interface Line {
  to: Target;
  text: string;
}

export interface TextContext {
  paint: Paint;
  /** Show the namespace in resource names (when tracking across namespaces). */
  namespaces?: boolean;
  /** What to highlight in log lines (stern's `--highlight`). */
  highlight?: RegExp;
  /** Each log line's time, as put before it (stern's `--timestamps`). */
  timestamp?: (time: string) => string;
  /** Puts a failure report's log tails in a collapsible section of a CI log. */
  section?: (title: string, lines: string[]) => string[];
}

/** A log line with what `highlight` matches painted (nothing changes without colors). */
function highlighted(line: string, context: TextContext): string {
  const { highlight, paint } = context;
  if (!highlight) return line;
  const global = new RegExp(highlight.source, 'g');
  return line.replace(global, (match) => (match ? paint(['bold', 'red'], match) : match));
}

/** The lines of one track event (pure: no I/O, no clock). */
export function renderEvent(event: TrackEvent, context: TextContext): Line[] {
  const { paint } = context;
  const source = resourceName(event.resource, context.namespaces);
  const prefix = paint(colorFor(source), source);
  const err = (text: string): Line => ({ to: 'err', text: `${prefix} ${text}` });
  const hint = (text: string | undefined): Line[] =>
    text ? [{ to: 'err', text: `${' '.repeat(source.length)} ${paint('dim', `hint: ${text}`)}` }] : [];
  switch (event.type) {
    case 'added':
      return [err(`${event.ready ? paint('green', '✓') : '•'} ${event.verdict.message}`)];
    case 'status':
      // A ready or failed verdict is followed by its own event: one line is enough.
      return event.verdict.state === 'progressing'
        ? [err(`${paint('dim', '…')} ${event.verdict.message}`)]
        : [];
    case 'ready':
      return [err(paint('green', `✓ ready: ${event.message}`))];
    case 'failed':
      return [err(paint('red', `✗ failed: ${reasoned(event.reason, event.message)}`)), ...hint(event.hint)];
    case 'deleted':
      return [err(paint('yellow', `- ${event.message}`))];
    case 'replicaset':
      return [err(`replicaset ${event.replicaSet}${event.new ? ' (new revision)' : ''}`)];
    case 'pod': {
      const old = event.current ? '' : paint('dim', ' (old revision)');
      if (event.change === 'added')
        return [
          err(
            `${paint('green', '+')} pod ${event.pod} [${event.containers.join(', ')}] ${event.phase}${old}`,
          ),
        ];
      if (event.change === 'deleted') return [err(`${paint('red', '-')} pod ${event.pod} deleted${old}`)];
      if (event.change === 'ready') return [err(`${paint('green', '✓')} pod ${event.pod} ready${old}`)];
      return [err(`~ pod ${event.pod} ${event.phase}${old}`)];
    }
    case 'pod-error':
      // Messages name the container ("container app terminated …"); restarts are in the message and the table.
      return [
        err(paint('red', `✗ pod ${event.pod}: ${reasoned(event.reason, event.message)}`)),
        ...hint(event.hint),
      ];
    case 'event': {
      const times = event.count > 1 ? ` (×${event.count})` : '';
      const text = `${event.reason} ${event.involvedObject}: ${event.message}${times}`;
      return [
        err(
          event.eventType === 'Warning'
            ? paint('yellow', `! Warning ${text}`)
            : paint('dim', `· ${event.eventType} ${text}`),
        ),
      ];
    }
    case 'log': {
      const label = paint(colorFor(`${event.pod}/${event.container}`), `${event.pod} ${event.container}`);
      const stamp = (i: number) => (context.timestamp ? `${context.timestamp(event.times[i] ?? '')} ` : '');
      return event.lines.map((line, i) => ({
        to: 'out',
        text: `${label} │ ${stamp(i)}${highlighted(line, context)}`,
      }));
    }
    case 'notice':
      return [err(paint('yellow', `! ${event.message}`))];
  }
}

/** The block printed when a resource fails or times out: the failure, what was found one lookup further, its hint, and its report. */
export function renderReport(failure: FailedEvent, context: TextContext): Line[] {
  const { paint } = context;
  const { report } = failure;
  const lines: string[] = [
    paint(
      'red',
      `✗ ${resourceName(failure.resource, context.namespaces)}: ${reasoned(failure.reason, failure.message)}`,
    ),
  ];
  for (const finding of report.findings) lines.push(`  found: ${finding}`);
  if (failure.hint) lines.push(`  hint: ${failure.hint}`);
  if (report.warnings.length > 0) {
    lines.push('  Warning events:');
    for (const w of report.warnings)
      lines.push(`    ${w.involvedObject} ${w.reason}: ${w.message}${w.count > 1 ? ` (×${w.count})` : ''}`);
  }
  for (const log of report.logs) {
    const which = log.previous ? ' (the crashed instance)' : '';
    const title = `Last ${log.lines.length} log lines of ${log.pod} ${log.container}${which}`;
    const tail = log.lines.map((line) => `    ${paint('dim', '│')} ${line}`);
    lines.push(...(context.section ? context.section(title, tail) : [`  ${title}:`, ...tail]));
  }
  return lines.map((text) => ({ to: 'err', text }));
}

/**
 * What a text of the track has already said: a `status` event whose message
 * is the one last shown for its resource is not worth a line (its progress
 * counts moved; the status table shows those).
 */
export class ShownStatus {
  readonly #messages = new Map<string, string>();

  /** Whether the event is a status already shown; remembers it otherwise. */
  repeats(event: TrackEvent): boolean {
    if (event.type !== 'status') return false;
    const key = resourceKey(event.resource);
    if (this.#messages.get(key) === event.verdict.message) return true;
    this.#messages.set(key, event.verdict.message);
    return false;
  }
}

/**
 * Whether names carry their namespace: with `-A`, or once the resources
 * span two namespaces (a Helm release's resources are known only as they come).
 */
export class NamespaceSpread {
  readonly #seen: Set<string>;
  #shown: boolean;

  constructor(resources: ResourceRef[], all: boolean) {
    this.#seen = new Set(resources.map((r) => r.namespace));
    this.#shown = all || this.#seen.size > 1;
  }

  get shown(): boolean {
    return this.#shown;
  }

  /** A resource seen; returns whether names carry namespaces now. */
  see(resource: ResourceRef): boolean {
    this.#seen.add(resource.namespace);
    if (this.#seen.size > 1) this.#shown = true;
    return this.#shown;
  }
}
