import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { startFakeCluster } from '../../src/testing/cluster.js';
import { watching } from '../helpers.js';
import { parseXml } from '../report/xml.js';
import { deployment, runCli } from './helpers.js';

const scratch = () => mkdtempSync(join(tmpdir(), 'kubedog-ci-'));
// The CI's own variables must not leak in from the machine running the tests.
const clean = { GITHUB_ACTIONS: undefined, GITLAB_CI: undefined, GITHUB_STEP_SUMMARY: undefined };

describe('in CI', () => {
  test('GitHub Actions: ::error for the failure, its log tail in a group, the job summary appended; --junit', async () => {
    await using cluster = await startFakeCluster();
    cluster.behave('web-*', 'app', { exitAfter: '100ms', exitCode: 1, exitLogs: ['fatal: cannot connect'] });
    await cluster.client.create('Deployment', deployment('web', { replicas: 1 }));
    const dir = scratch();
    const summary = join(dir, 'summary.md');
    writeFileSync(summary, '# earlier step\n');
    const junit = join(dir, 'junit.xml');
    const run = await runCli(
      [
        'rollout',
        'track',
        'deploy/web',
        '--failures-allowed-per-replica',
        '0',
        '--junit',
        junit,
        '--kubeconfig',
        cluster.kubeconfigPath,
      ],
      { env: { ...clean, GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary } },
    );
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /^::error title=default\/deploy\/web%3A (\w+)::\1: container app/m);
    assert.match(
      run.stderr,
      /^::group::Last \d+ log lines of web-\S+ app[^\n]*\n(.*\n)*?.*│ fatal: cannot connect\n::endgroup::$/m,
    );
    const markdown = readFileSync(summary, 'utf8');
    assert.ok(markdown.startsWith('# earlier step\n## ✗ kubedog: deploy/web failed\n'), markdown);
    assert.match(markdown, /^\| deploy\/web \| default \| ✗ failed \| \w+ \| \d+\.\ds \|$/m);
    assert.match(markdown, /^fatal: cannot connect$/m);
    const suites = parseXml(readFileSync(junit, 'utf8'));
    const testCase = suites.children[0]?.children[0];
    assert.equal(testCase?.attributes.name, 'deploy/web');
    assert.ok(testCase?.children.some((c) => c.name === 'failure'));
    assert.match(
      testCase?.children.find((c) => c.name === 'system-out')?.text ?? '',
      /fatal: cannot connect/,
    );
  });

  test('a ready rollout: no annotation, the summary says ready; --ci none turns GitHub off', async () => {
    await using cluster = await startFakeCluster();
    await cluster.client.create('Deployment', deployment('web', { replicas: 1 }));
    const dir = scratch();
    const summary = join(dir, 'summary.md');
    const kubeconfig = ['--kubeconfig', cluster.kubeconfigPath];
    const env = { ...clean, GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary };
    const run = await runCli(['rollout', 'track', 'deploy/web', ...kubeconfig], { env });
    assert.equal(run.code, 0, run.stderr);
    assert.doesNotMatch(run.stderr, /^::/m);
    assert.match(readFileSync(summary, 'utf8'), /^## ✓ kubedog: deploy\/web ready\n/);
    const off = await runCli(['rollout', 'track', 'deploy/web', '--ci', 'none', ...kubeconfig], { env });
    assert.equal(off.code, 0, off.stderr);
    assert.equal(
      readFileSync(summary, 'utf8').match(/## ✓ kubedog/g)?.length,
      1,
      'nothing appended with --ci none',
    );
  });

  test("--timeline: each pod's steps on a text Gantt chart at the end; in -o json, the summary has them", async () => {
    await using cluster = await startFakeCluster();
    const kubeconfig = ['--kubeconfig', cluster.kubeconfigPath];
    const text = runCli(['rollout', 'track', 'deploy/web', '--timeline', ...kubeconfig], { env: clean });
    const json = runCli(['rollout', 'track', 'deploy/web', '-o', 'json', ...kubeconfig], { env: clean });
    await watching(cluster, 2);
    await cluster.client.create('Deployment', deployment('web', { replicas: 1 }));
    const [drawn, events] = await Promise.all([text, json]);
    assert.equal(drawn.code, 0, drawn.stderr);
    assert.match(drawn.stderr, /^Timeline: 0s to \d+\.\ds, 30 columns \(c created, /m);
    assert.match(drawn.stderr, /^deploy\/web ✓ ready at \d+\.\ds$/m);
    assert.match(drawn.stderr, /^ {2}web-\S+ │[^│]+│ c \d+\.\ds/m);
    const summary = JSON.parse(events.stdout.trim().split('\n').at(-1) ?? '{}').summary;
    const steps = summary.timeline[0].pods[0].steps.map((s: { step: string }) => s.step);
    // What was seen before the Deployment was ready: its pod's creation at least (the pod's own
    // watch may bring its later steps after the Deployment's status said ready).
    assert.equal(steps[0], 'created');
    const order = ['created', 'scheduled', 'pulled', 'started', 'running', 'ready'];
    assert.deepEqual(
      steps,
      order.filter((step) => steps.includes(step)),
      'in the order a pod goes through them',
    );
    assert.equal(summary.timeline[0].end.state, 'ready');
  });

  test('GitLab CI: the log tail in a collapsed section; --report writes the Markdown', async () => {
    await using cluster = await startFakeCluster();
    cluster.behave('web-*', 'app', { exitAfter: '100ms', exitCode: 1, exitLogs: ['fatal: cannot connect'] });
    await cluster.client.create('Deployment', deployment('web', { replicas: 1 }));
    const report = join(scratch(), 'report.md');
    const run = await runCli(
      [
        'rollout',
        'track',
        'deploy/web',
        '--failures-allowed-per-replica',
        '0',
        '--report',
        report,
        '--kubeconfig',
        cluster.kubeconfigPath,
      ],
      { env: { ...clean, GITLAB_CI: 'true' } },
    );
    assert.equal(run.code, 1, run.stderr);
    // GitLab's markers, escape sequences included (ESC [0K).
    const esc = '\u001b[0K';
    const start = new RegExp(
      `${esc.replace('[', '\\[')}section_start:\\d+:kubedog_\\d+_Last_\\w+\\[collapsed=true\\]\r`,
    );
    assert.match(run.stderr, start);
    assert.ok(run.stderr.includes(`\r${esc}Last `), run.stderr);
    assert.match(
      run.stderr,
      new RegExp(`${esc.replace('[', '\\[')}section_end:\\d+:kubedog_\\d+_Last_\\w+\r`),
    );
    assert.doesNotMatch(run.stderr, /^::error/m);
    assert.match(readFileSync(report, 'utf8'), /^## ✗ kubedog: deploy\/web failed$/m);
  });

  test('bad input: an unknown --ci, a report file that cannot be written', async () => {
    const unknown = await runCli(['rollout', 'track', 'deploy/web', '--ci', 'jenkins'], { env: clean });
    assert.equal(unknown.code, 64);
    assert.match(unknown.stderr, /^kubedog: --ci: "jenkins" is not one of github, gitlab, none$/m);
    const unwritable = await runCli(
      ['rollout', 'track', 'deploy/web', '--junit', '/nonexistent/dir/junit.xml'],
      { env: clean },
    );
    assert.equal(unwritable.code, 64);
    assert.match(
      unwritable.stderr,
      /^kubedog: --junit \/nonexistent\/dir\/junit\.xml: cannot write: ENOENT$/m,
    );
  });
});
