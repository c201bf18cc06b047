import { reasoned, resourceName } from './names.js';
import type { ResourceResult, RunReport } from './run-report.js';
import { terminalSafe } from './safe.js';

/** Text for XML 1.0: control characters (which XML cannot carry) shown escaped, markup escaped; newlines kept. */
function xmlText(text: string): string {
  return text
    .split('\n')
    .map(terminalSafe)
    .join('\n')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

/** What a failure says: its message, hint and findings. */
function failureText(result: ResourceResult): string {
  const lines = [reasoned(result.reason, result.message)];
  if (result.hint) lines.push(`hint: ${result.hint}`);
  for (const finding of result.report?.findings ?? []) lines.push(`found: ${finding}`);
  for (const w of result.report?.warnings ?? [])
    lines.push(
      `warning: ${w.involvedObject} ${w.reason}: ${w.message}${w.count > 1 ? ` (×${w.count})` : ''}`,
    );
  return lines.join('\n');
}

/** The failure's log tails, as a test's standard output. */
function logText(result: ResourceResult): string {
  return (result.report?.logs ?? [])
    .map((log) => {
      const which = log.previous ? ' (the crashed instance)' : '';
      return [
        `--- last ${log.lines.length} log lines of ${log.pod} ${log.container}${which}`,
        ...log.lines,
      ].join('\n');
    })
    .join('\n');
}

function testCase(result: ResourceResult): string[] {
  const name = xmlText(resourceName(result.resource));
  const classname = xmlText(`${result.resource.namespace || 'cluster'}.${result.resource.kind}`);
  const open = `    <testcase classname="${classname}" name="${name}" time="${seconds(result.elapsedMs)}">`;
  const body: string[] = [];
  if (result.result === 'failed') {
    const message = xmlText(reasoned(result.reason, result.message));
    body.push(
      `      <failure type="${xmlText(result.reason)}" message="${message}">${xmlText(failureText(result))}</failure>`,
    );
  } else if (result.result !== 'ready') {
    const why =
      result.result === 'ignored'
        ? `failed, ignored (fail-mode ignore): ${result.message}`
        : `not done when the run ended: ${result.message}`;
    body.push(`      <skipped message="${xmlText(why)}"/>`);
  }
  const logs = logText(result);
  if (logs) body.push(`      <system-out>${xmlText(logs)}</system-out>`);
  return body.length === 0 ? [`${open.slice(0, -1)}/>`] : [open, ...body, '    </testcase>'];
}

/**
 * A run as JUnit XML (Jenkins, GitLab, Azure DevOps): one test suite, one
 * test case per resource — `<failure>` with the reason, message, hint,
 * findings and Warning events; the last log lines in `<system-out>`;
 * `<skipped>` for a failure its fail mode ignored and for what was not
 * done when the run ended.
 * @example
 * import { junitReport } from 'kubedog/report';
 *
 * const xml = junitReport({
 *   outcome: 'ready',
 *   startedAt: '2026-12-02T10:00:00Z',
 *   elapsedMs: 4200,
 *   resources: [{ resource: { kind: 'Deployment', namespace: 'shop', name: 'web' }, result: 'ready', reason: 'Ready', message: 'rolled out', elapsedMs: 4200 }],
 *   timeline: [],
 * });
 * console.log(xml.split('\n')[2]);
 * // prints:   <testsuite name="kubedog" tests="1" failures="0" errors="0" skipped="0" time="4.200" timestamp="2026-12-02T10:00:00Z">
 */
export function junitReport(report: RunReport): string {
  const count = (result: ResourceResult['result'][]) =>
    report.resources.filter((r) => result.includes(r.result)).length;
  const totals = `tests="${report.resources.length}" failures="${count(['failed'])}" errors="0"`;
  const time = seconds(report.elapsedMs);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="kubedog" ${totals} time="${time}">`,
    `  <testsuite name="kubedog" ${totals} skipped="${count(['ignored', 'pending'])}" time="${time}" timestamp="${xmlText(report.startedAt)}">`,
    ...report.resources.flatMap(testCase),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
