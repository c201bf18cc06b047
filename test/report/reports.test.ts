import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ciSection, detectCi, GithubAnnotations, isCiCommand } from '../../src/report/ci.js';
import { junitReport } from '../../src/report/junit.js';
import { markdownReport } from '../../src/report/markdown.js';
import { RunReporter } from '../../src/report/run-report.js';
import type { FailedEvent, MultitrackEvent } from '../../src/track/events.js';
import { parseXml } from './xml.js';

const time = '2026-12-02T10:00:00Z';
const web = { kind: 'Deployment', namespace: 'shop', name: 'web' };
const migrate = { kind: 'Job', namespace: 'shop', name: 'migrate' };
const failed: FailedEvent = {
  type: 'failed',
  time,
  resource: web,
  reason: 'CrashLoopBackOff',
  message: 'container app restarted 3 times <script>alert(1)</script> | 100% \u001b[2J',
  hint: 'look at the last log lines',
  report: {
    warnings: [{ involvedObject: 'Pod/web-1', reason: 'BackOff', message: 'Back-off restarting', count: 4 }],
    logs: [
      { pod: 'web-1', container: 'app', previous: true, lines: ['booting', 'panic: ``` no config & <end>'] },
    ],
    findings: ['ConfigMap "web" does not exist'],
  },
};
const run: MultitrackEvent[] = [
  {
    type: 'added',
    time,
    resource: migrate,
    ready: false,
    verdict: { state: 'progressing', reason: 'JobRunning', message: 'running' },
  },
  failed,
  {
    type: 'summary',
    time,
    summary: {
      outcome: 'failed',
      elapsedMs: 4200,
      degraded: [],
      ready: [{ resource: migrate, reason: 'Ready', message: 'job "migrate" completed', elapsedMs: 3100 }],
      failed: [
        { resource: web, reason: failed.reason, message: failed.message, elapsedMs: 4200, ignored: false },
      ],
      pending: [],
      timeline: [
        {
          resource: web,
          end: { state: 'failed', atMs: 4200 },
          pods: [
            {
              pod: 'web-1',
              steps: [
                { step: 'created', atMs: 100 },
                { step: 'scheduled', atMs: 150 },
                { step: 'pulled', atMs: 1200 },
                { step: 'running', atMs: 1300 },
                { step: 'failing', atMs: 4100 },
              ],
            },
          ],
        },
        { resource: migrate, end: { state: 'ready', atMs: 3100 }, pods: [] },
      ],
    },
  },
];

function reportOf(events: MultitrackEvent[]) {
  const reporter = new RunReporter();
  for (const event of events) reporter.observe(event);
  return reporter.report();
}

describe('a run report', () => {
  test("every resource, failures first, with the failure's hint and report; none before the summary", () => {
    assert.equal(reportOf(run.slice(0, 2)), undefined);
    const report = reportOf(run);
    assert.deepEqual(
      report?.resources.map((r) => [r.resource.name, r.result, r.reason, r.hint ?? '']),
      [
        ['web', 'failed', 'CrashLoopBackOff', 'look at the last log lines'],
        ['migrate', 'ready', 'Ready', ''],
      ],
    );
    assert.equal(report?.resources[0]?.report?.logs[0]?.lines.length, 2);
    assert.equal(report?.startedAt, time);
  });

  test('Markdown: headline, table, and each failure with its hint, findings, and collapsible events and logs, inert', () => {
    const markdown = markdownReport(reportOf(run) as NonNullable<ReturnType<typeof reportOf>>);
    const lines = markdown.split('\n');
    assert.equal(lines[0], '## ✗ kubedog: 1 of 2 resources failed: deploy/web');
    assert.ok(lines.includes('| deploy/web | shop | ✗ failed | CrashLoopBackOff | 4.2s |'), markdown);
    assert.ok(lines.includes('| job/migrate | shop | ✓ ready | Ready | 3.1s |'), markdown);
    assert.ok(lines.includes('**Hint:** look at the last log lines'), markdown);
    assert.ok(lines.includes('**Found:** ConfigMap "web" does not exist'), markdown);
    assert.ok(lines.includes('<details><summary>Warning events (1)</summary>'), markdown);
    assert.ok(lines.includes('| Pod/web-1 | BackOff | Back-off restarting | 4 |'), markdown);
    assert.ok(
      lines.includes('<details><summary>Last 2 log lines of web-1 app (the crashed instance)</summary>'),
      markdown,
    );
    // The cluster's text cannot open HTML, break the table or the code block, or move a terminal.
    assert.ok(!markdown.includes('<script>') && !markdown.includes('\u001b'), markdown);
    assert.match(markdown, /&lt;script&gt;alert\(1\)&lt;\/script&gt; \\\| 100% \\\\x1b\\\[2J/);
    assert.ok(lines.includes('````text') && lines.includes('panic: ``` no config & <end>'), markdown);
    assert.ok(lines.includes('<details><summary>Rollout timeline</summary>'), markdown);
    assert.ok(
      lines.some((line) => line.startsWith('  web-1 │') && line.includes('! 4.1s')),
      markdown,
    );
  });

  test('JUnit: one case per resource, the failure with its hint and warnings, the log tail as output; well-formed', () => {
    const xml = junitReport(reportOf(run) as NonNullable<ReturnType<typeof reportOf>>);
    const suites = parseXml(xml);
    assert.equal(suites.name, 'testsuites');
    assert.deepEqual(suites.attributes, {
      name: 'kubedog',
      tests: '2',
      failures: '1',
      errors: '0',
      time: '4.200',
    });
    const [suite] = suites.children;
    assert.equal(suite?.attributes.skipped, '0');
    const [webCase, jobCase] = suite?.children ?? [];
    assert.deepEqual(webCase?.attributes, {
      classname: 'shop.Deployment',
      name: 'deploy/web',
      time: '4.200',
    });
    const failure = webCase?.children.find((c) => c.name === 'failure');
    assert.equal(failure?.attributes.type, 'CrashLoopBackOff');
    assert.match(failure?.text ?? '', /^CrashLoopBackOff: container app restarted 3 times <script>/);
    assert.match(
      failure?.text ?? '',
      /\nhint: look at the last log lines\nfound: ConfigMap "web" does not exist\nwarning: Pod\/web-1 BackOff: Back-off restarting \(×4\)$/,
    );
    const out = webCase?.children.find((c) => c.name === 'system-out')?.text;
    assert.equal(
      out,
      '--- last 2 log lines of web-1 app (the crashed instance)\nbooting\npanic: ``` no config & <end>',
    );
    assert.deepEqual(jobCase?.children, []);
  });

  test('GitHub: an ::error per failure, encoded; a ::warning once per object and reason; groups', () => {
    const annotations = new GithubAnnotations();
    const [error] = annotations.lines(failed);
    assert.equal(
      error,
      '::error title=shop/deploy/web%3A CrashLoopBackOff::CrashLoopBackOff: container app restarted 3 times <script>alert(1)</script> | 100%25 \\x1b[2J%0Ahint: look at the last log lines%0Afound: ConfigMap "web" does not exist',
    );
    const warning = {
      type: 'event',
      time,
      resource: web,
      eventType: 'Warning',
      reason: 'BackOff',
      message: 'Back-off, again',
      involvedObject: 'Pod/web-1',
      count: 1,
    } as const;
    assert.deepEqual(annotations.lines(warning), [
      '::warning title=shop/deploy/web%3A BackOff::Pod/web-1: Back-off, again',
    ]);
    assert.deepEqual(annotations.lines({ ...warning, count: 2 }), [], 'said once');
    assert.deepEqual(annotations.lines({ ...warning, eventType: 'Normal' }), []);
    assert.deepEqual(ciSection('github', 'Last 1 log lines of web-1 app', ['x'], new Date(0)), [
      '::group::Last 1 log lines of web-1 app',
      'x',
      '::endgroup::',
    ]);
  });

  test('GitLab: a collapsed section; CI detected from the environment', () => {
    assert.deepEqual(
      ciSection('gitlab', 'Last 1 log lines of web-1 app', ['x'], new Date(1_700_000_000_000)),
      [
        '\u001b[0Ksection_start:1700000000:kubedog_1700000000_Last_1_log_lines_of_web_1_app[collapsed=true]\r\u001b[0KLast 1 log lines of web-1 app',
        'x',
        '\u001b[0Ksection_end:1700000000:kubedog_1700000000_Last_1_log_lines_of_web_1_app\r\u001b[0K',
      ],
    );
    // What must start its line, even under --output-prefix.
    for (const system of ['github', 'gitlab'] as const) {
      const [start, body, end] = ciSection(system, 'title', ['    │ x'], new Date(0));
      assert.deepEqual(
        [start, body, end].map((line) => isCiCommand(line ?? '')),
        [true, false, true],
      );
    }
    assert.equal(detectCi({ GITHUB_ACTIONS: 'true' }), 'github');
    assert.equal(detectCi({ GITLAB_CI: 'true' }), 'gitlab');
    assert.equal(detectCi({}), undefined);
  });
});
