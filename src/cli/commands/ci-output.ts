import { appendFileSync, writeFileSync } from 'node:fs';
import { InvalidInputError } from '../../kube/errors.js';
import { type CiSystem, ciSection, GithubAnnotations } from '../../report/ci.js';
import { junitReport } from '../../report/junit.js';
import { markdownReport } from '../../report/markdown.js';
import { RunReporter } from '../../report/run-report.js';
import type { MultitrackEvent } from '../../track/events.js';
import type { TrackArgs } from '../args.js';

/** Writes `text` to a file the user named; a file that cannot be written is a usage error naming the flag. */
function writeTo(flag: string, path: string, text: string, append = false): void {
  try {
    (append ? appendFileSync : writeFileSync)(path, text);
  } catch (error) {
    throw new InvalidInputError(
      `${flag} ${path}: cannot write: ${(error as NodeJS.ErrnoException).code}`,
      flag,
    );
  }
}

/**
 * What a track says to its CI system and report files: GitHub's workflow
 * commands (`::error`, `::warning`) as events come, collapsible sections
 * around log tails, and at the end the Markdown job summary
 * (`GITHUB_STEP_SUMMARY`, `--report`) and `--junit`.
 */
export class CiOutput {
  readonly #args: TrackArgs;
  readonly #env: NodeJS.ProcessEnv;
  readonly #reporter = new RunReporter();
  readonly #annotations = new GithubAnnotations();

  /** Checks that the report files can be written before anything is tracked. */
  constructor(args: TrackArgs, env: NodeJS.ProcessEnv) {
    this.#args = args;
    this.#env = env;
    if (args.junit !== undefined) writeTo('--junit', args.junit, '');
    if (args.report !== undefined) writeTo('--report', args.report, '');
  }

  get system(): CiSystem | undefined {
    return this.#args.ci;
  }

  /** Lines to print for this event (GitHub's annotations), after taking it into the reports. */
  observe(event: MultitrackEvent): string[] {
    this.#reporter.observe(event);
    return this.#args.ci === 'github' ? this.#annotations.lines(event) : [];
  }

  /** Log lines in a collapsible section of the CI log (as they are, without one). */
  section(title: string, lines: string[]): string[] {
    return this.#args.ci ? ciSection(this.#args.ci, title, lines, new Date()) : lines;
  }

  /** The track is over: its reports are written. */
  finish(): void {
    const report = this.#reporter.report();
    if (!report) return;
    if (this.#args.junit !== undefined) writeTo('--junit', this.#args.junit, junitReport(report));
    const markdown = markdownReport(report);
    if (this.#args.report !== undefined) writeTo('--report', this.#args.report, markdown);
    const summary = this.#env.GITHUB_STEP_SUMMARY;
    if (this.#args.ci === 'github' && summary) writeTo('GITHUB_STEP_SUMMARY', summary, markdown, true);
  }
}
