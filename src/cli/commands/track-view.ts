import { isCiCommand } from '../../report/ci.js';
import { ganttChart } from '../../report/gantt.js';
import { formatElapsed, resourceName } from '../../report/names.js';
import { jsonForTerminal, safeForTerminal } from '../../report/safe.js';
import type { MultitrackEvent, MultitrackSummary, SummaryEntry } from '../../track/events.js';
import type { ResourceRef } from '../../track/resource-ref.js';
import type { TrackArgs } from '../args.js';
import { colorEnabled, type Paint, painter } from '../colors.js';
import { EXIT } from '../exit-codes.js';
import { finalLine, judgedOnce } from '../render/final-line.js';
import { PinnedScreen, PlainScreen, prefixedStreams, type Screen, type Streams } from '../render/screen.js';
import { renderTable, StatusRows } from '../render/table.js';
import { NamespaceSpread, renderEvent, renderReport, ShownStatus, type TextContext } from '../render/text.js';
import { timestampFormatter } from '../render/timestamps.js';
import type { CiOutput } from './ci-output.js';
import type { CommandIO } from './track.js';

/** Exit codes of the outcomes of a track. */
const EXIT_FOR: Record<MultitrackSummary['outcome'], number> = {
  ready: EXIT.ok,
  deleted: EXIT.ok,
  exists: EXIT.ok,
  failed: EXIT.failed,
  timeout: EXIT.timeout,
};

/**
 * What the user sees of a track: every event rendered (text with a status
 * table, or one JSON object per line), and the last line and exit code from
 * the summary. Holds no tracking logic: the multitrack decided.
 */
export class TrackView {
  readonly #args: TrackArgs;
  /** Where text goes: the command's streams, each line prefixed when `--output-prefix` asks. */
  readonly #out: Streams;
  readonly #json: boolean;
  readonly #paint: Paint;
  readonly #context: TextContext;
  readonly #screen: Screen;
  readonly #rows: StatusRows;
  readonly #pinned: boolean;
  /** Progress counts can move while the message stays the same: the table shows those, the log does not. */
  readonly #shownStatus = new ShownStatus();
  readonly #ci: CiOutput;
  readonly #namespaces: NamespaceSpread;

  constructor(args: TrackArgs, io: CommandIO, resources: ResourceRef[], ci: CiOutput) {
    this.#ci = ci;
    this.#args = args;
    this.#out = args.outputPrefix !== undefined ? prefixedStreams(io, args.outputPrefix, isCiCommand) : io;
    this.#json = args.output === 'json';
    const colors = !args.noColor && colorEnabled(io.stdout, io.env) && colorEnabled(io.stderr, io.env);
    this.#paint = painter(colors);
    this.#namespaces = new NamespaceSpread(resources, args.allNamespaces);
    this.#context = {
      paint: this.#paint,
      namespaces: this.#namespaces.shown,
      ...(args.highlight ? { highlight: args.highlight } : {}),
      ...(args.timestamps
        ? { timestamp: timestampFormatter(args.timestamps.format, args.timestamps.zone) }
        : {}),
      ...(ci.system ? { section: (title: string, lines: string[]) => ci.section(title, lines) } : {}),
    };
    // A prefix on every line leaves no room for a table redrawn in place.
    this.#pinned =
      !this.#json && !args.quiet && args.outputPrefix === undefined && io.stderr.isTTY === true && colors;
    this.#screen = this.#pinned
      ? new PinnedScreen(io, args.terminalWidth)
      : new PlainScreen(
          this.#out,
          this.#json || args.quiet ? undefined : args.statusEvery,
          args.terminalWidth,
        );
    this.#rows = new StatusRows(resources);
    if (this.#pinned) this.#screen.table(this.#drawTable);
  }

  readonly #drawTable = (width: number | undefined) =>
    renderTable(this.#rows.rows, { paint: this.#paint, width, namespaces: this.#context.namespaces });

  show(received: MultitrackEvent): void {
    // JSON escapes control characters itself; text is made safe for a terminal, whatever the cluster sent.
    const event = this.#json ? received : safeForTerminal(received, this.#args.rawLogs);
    const annotations = this.#ci.observe(received);
    if (annotations.length > 0) this.#screen.write(annotations.map((text) => ({ to: 'err', text })));
    if (event.type === 'summary') {
      if (this.#json) this.#printJson(event);
      return;
    }
    this.#context.namespaces = this.#namespaces.see(event.resource);
    if (this.#rows.observe(event)) this.#screen.table(this.#drawTable);
    if (this.#json) {
      if (!this.#args.quiet || event.type === 'ready' || event.type === 'failed') this.#printJson(event);
    } else if (event.type === 'failed') {
      this.#screen.write(renderReport(event, this.#context));
    } else if (!this.#args.quiet && !this.#shownStatus.repeats(event)) {
      this.#screen.write(renderEvent(event, this.#context));
    }
  }

  close(): void {
    this.#screen.close();
  }

  /** The last line, from the summary; returns the exit code. */
  finish(received: MultitrackSummary): number {
    const summary = safeForTerminal(received);
    this.#writeReports();
    if (this.#args.timeline && !this.#json)
      this.#screen.write(
        ganttChart(summary.timeline, summary.elapsedMs).map((text) => ({ to: 'err', text })),
      );
    const { ok, text } = this.ending(summary);
    this.#final(ok, text);
    return this.#exitFor(summary);
  }

  /**
   * What the last line says (without its ✓ or ✗), and whether it is good
   * news: from the summary, or — without one — that the track was interrupted.
   */
  ending(summary: MultitrackSummary | undefined, elapsedMs = 0): { ok: boolean; text: string } {
    if (!summary) {
      const follow = this.#args.mode === 'follow';
      return {
        ok: follow,
        text: `${follow ? 'stopped following' : 'interrupted'} after ${formatElapsed(elapsedMs)}`,
      };
    }
    const names = (entries: SummaryEntry[]) =>
      entries.map((e) => resourceName(e.resource, this.#context.namespaces)).join(', ');
    return {
      ok: this.#exitFor(summary) === EXIT.ok,
      text: finalLine(summary, { args: this.#args, names }),
    };
  }

  /** The outcome's exit code; judged once (`rollout status --watch=false`), a failure is 1, anything else 0. */
  #exitFor(summary: MultitrackSummary): number {
    if (judgedOnce(this.#args) && summary.outcome === 'ready')
      return summary.failed.some((f) => !f.ignored) ? EXIT.failed : EXIT.ok;
    return EXIT_FOR[summary.outcome];
  }

  /** The CI reports; one that cannot be written is a warning: the track's exit code stands. */
  #writeReports(): void {
    try {
      this.#ci.finish();
    } catch (error) {
      this.#out.stderr.write(`kubedog: warning: ${(error as Error).message}\n`);
    }
  }

  /** Ctrl-C ended the track: following, that is how it ends; in a rollout, it was interrupted. */
  interrupted(elapsedMs: number): number {
    const { ok, text } = this.ending(undefined, elapsedMs);
    this.#final(ok, text);
    return ok ? EXIT.ok : EXIT.interrupted;
  }

  #final(ok: boolean, text: string): void {
    if (!this.#json)
      this.#out.stderr.write(`${this.#paint(ok ? 'green' : 'red', `${ok ? '✓' : '✗'} ${text}`)}\n`);
  }

  #printJson(value: unknown): void {
    this.#out.stdout.write(`${jsonForTerminal(value)}\n`);
  }
}
