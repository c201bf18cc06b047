import type { FailureReport } from '../track/events.js';
import { ganttChart } from './gantt.js';
import { formatElapsed, reasoned, resourceName } from './names.js';
import type { ResourceResult, RunReport } from './run-report.js';
import { terminalSafe } from './safe.js';

const MARK: Record<ResourceResult['result'], string> = {
  ready: '✓ ready',
  failed: '✗ failed',
  ignored: '✗ failed (ignored)',
  pending: '… pending',
};

/**
 * Text from the cluster, inert in Markdown: control characters shown
 * escaped (as on a terminal), HTML and Markdown's own characters escaped,
 * and on one line (a table cell, a heading).
 */
export function markdownText(text: string): string {
  return terminalSafe(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|#~])/g, '\\$1');
}

/** Lines in a fenced code block whose fence no line can close. */
function codeBlock(lines: string[]): string[] {
  const longest = Math.max(
    2,
    ...lines.map((line) => Math.max(0, ...(line.match(/`+/g) ?? []).map((r) => r.length))),
  );
  const fence = '`'.repeat(longest + 1);
  return [`${fence}text`, ...lines.map(terminalSafe), fence];
}

/** A collapsible section (GitHub renders `<details>`; the blank lines let Markdown inside it render). */
const details = (summary: string, body: string[]) => [
  `<details><summary>${summary}</summary>`,
  '',
  ...body,
  '',
  '</details>',
];

function headline(report: RunReport): string {
  const names = (results: ResourceResult[]) => results.map((r) => resourceName(r.resource)).join(', ');
  const total = report.resources.length;
  const counted = report.resources.filter((r) => r.result === 'failed');
  const ready = report.resources.filter((r) => r.result === 'ready');
  switch (report.outcome) {
    case 'failed':
      return `✗ kubedog: ${total === 1 ? `${names(counted)} failed` : `${counted.length} of ${total} resources failed: ${names(counted)}`}`;
    case 'timeout':
      return `✗ kubedog: timed out after ${formatElapsed(report.elapsedMs)}`;
    default:
      return `✓ kubedog: ${total === 1 ? `${names(ready)} ${report.outcome}` : `${ready.length} of ${total} resources ${report.outcome}`}`;
  }
}

function failureSection(result: ResourceResult): string[] {
  const lines = [
    `### ✗ ${resourceName(result.resource)}: ${markdownText(result.reason)}`,
    '',
    markdownText(reasoned(result.reason, result.message)),
  ];
  if (result.hint) lines.push('', `**Hint:** ${markdownText(result.hint)}`);
  return [...lines, ...reportSections(result.report)];
}

function reportSections(report: FailureReport | undefined): string[] {
  if (!report) return [];
  const lines: string[] = [];
  for (const finding of report.findings) lines.push('', `**Found:** ${markdownText(finding)}`);
  if (report.warnings.length > 0) {
    const rows = report.warnings.map(
      (w) =>
        `| ${markdownText(w.involvedObject)} | ${markdownText(w.reason)} | ${markdownText(w.message)} | ${w.count} |`,
    );
    lines.push(
      '',
      ...details(`Warning events (${report.warnings.length})`, [
        '| Object | Reason | Message | Count |',
        '| --- | --- | --- | --- |',
        ...rows,
      ]),
    );
  }
  for (const log of report.logs) {
    const which = log.previous ? ' (the crashed instance)' : '';
    const summary = `Last ${log.lines.length} log lines of ${markdownText(log.pod)} ${markdownText(log.container)}${which}`;
    lines.push('', ...details(summary, codeBlock(log.lines)));
  }
  return lines;
}

/** The timeline as a text Gantt chart, folded (the same as `--timeline` draws). */
function timelineSection(report: RunReport): string[] {
  if (!report.timeline.some((resource) => resource.pods.length > 0)) return [];
  return ['', ...details('Rollout timeline', codeBlock(ganttChart(report.timeline, report.elapsedMs)))];
}

/**
 * A run as a Markdown report (GitHub's job summary, GitLab's `--report`):
 * a headline, a table of every resource (result, reason, time), then for
 * each failure its message, hint, findings, and in collapsible sections its
 * Warning events and last log lines, and the rollout timeline (folded).
 * Text from the cluster is made inert.
 * @example
 * import { markdownReport } from 'kubedog/report';
 *
 * const markdown = markdownReport({
 *   outcome: 'ready',
 *   startedAt: '2026-12-02T10:00:00Z',
 *   elapsedMs: 4200,
 *   resources: [{ resource: { kind: 'Deployment', namespace: 'shop', name: 'web' }, result: 'ready', reason: 'Ready', message: 'deployment "web" successfully rolled out', elapsedMs: 4200 }],
 *   timeline: [],
 * });
 * console.log(markdown.split('\n')[0]);
 * // prints: ## ✓ kubedog: deploy/web ready
 */
export function markdownReport(report: RunReport): string {
  const rows = report.resources.map(
    (r) =>
      `| ${resourceName(r.resource)} | ${r.resource.namespace || '—'} | ${MARK[r.result]} | ${markdownText(r.reason)} | ${formatElapsed(r.elapsedMs)} |`,
  );
  const failures = report.resources.filter((r) => r.result === 'failed' || r.result === 'ignored');
  const lines = [
    `## ${headline(report)}`,
    '',
    `Tracked ${report.resources.length} resource${report.resources.length === 1 ? '' : 's'} for ${formatElapsed(report.elapsedMs)} from ${report.startedAt}.`,
    '',
    '| Resource | Namespace | Result | Reason | Time |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    ...failures.flatMap((failure) => ['', ...failureSection(failure)]),
    ...timelineSection(report),
  ];
  return `${lines.join('\n')}\n`;
}
