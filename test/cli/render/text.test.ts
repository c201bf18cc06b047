import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { painter } from '../../../src/cli/colors.js';
import { renderEvent, renderReport } from '../../../src/cli/render/text.js';
import { timestampFormatter } from '../../../src/cli/render/timestamps.js';
import { formatElapsed, resourceName } from '../../../src/report/names.js';
import type { TrackEvent } from '../../../src/track/events.js';

const resource = { kind: 'Deployment', namespace: 'shop', name: 'web' };
const time = '2026-11-26T10:00:00.000Z';
const times = ['2026-11-26T10:00:00.123456789Z', '2026-11-26T10:00:01.5Z'];
const plain = { paint: painter(false) };
const render = (event: TrackEvent) => renderEvent(event, plain).map((l) => `${l.to} ${l.text}`);
const verdict = {
  state: 'progressing' as const,
  reason: 'Progressing',
  message: 'Waiting: 1 of 3 updated replicas are available...',
};

describe('text rendering', () => {
  test("--timestamps: each log line's own time before it, in the format and zone asked for", () => {
    const log: TrackEvent = {
      type: 'log',
      time,
      resource,
      pod: 'web-x',
      container: 'app',
      lines: ['one', 'two'],
      times,
    };
    const stamped = (format: 'default' | 'short', zone: string) =>
      renderEvent(log, { ...plain, timestamp: timestampFormatter(format, zone) }).map((l) => l.text);
    assert.deepEqual(stamped('default', 'UTC'), [
      'web-x app │ 2026-11-26T10:00:00.123456789Z one',
      'web-x app │ 2026-11-26T10:00:01.500000000Z two',
    ]);
    assert.deepEqual(stamped('default', 'Asia/Kolkata'), [
      'web-x app │ 2026-11-26T15:30:00.123456789+05:30 one',
      'web-x app │ 2026-11-26T15:30:01.500000000+05:30 two',
    ]);
    assert.deepEqual(stamped('short', 'UTC'), [
      'web-x app │ 11-26 10:00:00 one',
      'web-x app │ 11-26 10:00:01 two',
    ]);
    assert.throws(
      () => timestampFormatter('default', 'Mars/Olympus'),
      /--timezone: unknown time zone "Mars\/Olympus"/,
    );
  });

  test('each event type: source prefix, symbol, and where it goes', () => {
    assert.deepEqual(render({ type: 'added', time, resource, ready: false, verdict }), [
      'err deploy/web • Waiting: 1 of 3 updated replicas are available...',
    ]);
    assert.deepEqual(render({ type: 'status', time, resource, verdict }), [
      'err deploy/web … Waiting: 1 of 3 updated replicas are available...',
    ]);
    assert.deepEqual(
      render({ type: 'status', time, resource, verdict: { ...verdict, state: 'ready' } }),
      [],
      'the ready event says it',
    );
    assert.deepEqual(render({ type: 'ready', time, resource, message: 'rolled out' }), [
      'err deploy/web ✓ ready: rolled out',
    ]);
    assert.deepEqual(
      render({
        type: 'failed',
        time,
        resource,
        reason: 'ImagePullBackOff',
        message: 'image not found',
        hint: 'check the tag',
        report: { warnings: [], logs: [], findings: [] },
      }),
      ['err deploy/web ✗ failed: ImagePullBackOff: image not found', 'err            hint: check the tag'],
    );
    assert.deepEqual(render({ type: 'deleted', time, resource, message: 'deployment "web" was deleted' }), [
      'err deploy/web - deployment "web" was deleted',
    ]);
    assert.deepEqual(render({ type: 'replicaset', time, resource, replicaSet: 'web-7f9c4', new: true }), [
      'err deploy/web replicaset web-7f9c4 (new revision)',
    ]);
    const pod = {
      type: 'pod' as const,
      time,
      resource,
      pod: 'web-7f9c4-abcde',
      phase: 'Pending',
      containers: ['init', 'app'],
      ready: false,
      readyContainers: 0,
      current: true,
    };
    assert.deepEqual(render({ ...pod, change: 'added' }), [
      'err deploy/web + pod web-7f9c4-abcde [init, app] Pending',
    ]);
    assert.deepEqual(render({ ...pod, change: 'phase', phase: 'Running' }), [
      'err deploy/web ~ pod web-7f9c4-abcde Running',
    ]);
    assert.deepEqual(render({ ...pod, change: 'deleted', current: false }), [
      'err deploy/web - pod web-7f9c4-abcde deleted (old revision)',
    ]);
    assert.deepEqual(
      render({
        type: 'pod-error',
        time,
        resource,
        pod: 'web-x',
        container: 'app',
        reason: 'CrashLoopBackOff',
        message: 'back-off 10s',
        restarts: 2,
        failures: 2,
      }),
      ['err deploy/web ✗ pod web-x: CrashLoopBackOff: back-off 10s'],
    );
    assert.deepEqual(
      render({
        type: 'event',
        time,
        resource,
        eventType: 'Warning',
        reason: 'BackOff',
        message: 'Back-off pulling image',
        involvedObject: 'Pod/web-x',
        count: 3,
      }),
      ['err deploy/web ! Warning BackOff Pod/web-x: Back-off pulling image (×3)'],
    );
    assert.deepEqual(
      render({
        type: 'event',
        time,
        resource,
        eventType: 'Normal',
        reason: 'Pulled',
        message: 'ok',
        involvedObject: 'Pod/web-x',
        count: 1,
      }),
      ['err deploy/web · Normal Pulled Pod/web-x: ok'],
    );
    assert.deepEqual(
      render({ type: 'log', time, resource, pod: 'web-x', container: 'app', lines: ['one', 'two'], times }),
      ['out web-x app │ one', 'out web-x app │ two'],
    );
    assert.deepEqual(
      render({
        type: 'pod',
        time,
        resource,
        pod: 'web-x',
        change: 'ready',
        phase: 'Running',
        containers: ['app'],
        ready: true,
        readyContainers: 1,
        current: true,
      }),
      ['err deploy/web ✓ pod web-x ready'],
    );
    assert.deepEqual(
      render({
        type: 'notice',
        code: 'watch-resumed',
        stream: 'watch of pods',
        time,
        resource,
        message: 'watch of pods resumed',
      }),
      ['err deploy/web ! watch of pods resumed'],
    );
  });

  test('a message that already says its reason is not prefixed with it', () => {
    assert.deepEqual(
      render({
        type: 'pod-error',
        time,
        resource,
        pod: 'web-x',
        container: 'app',
        reason: 'Error',
        message: 'container app terminated (exit code 1, Error)',
        restarts: 1,
        failures: 1,
      }),
      ['err deploy/web ✗ pod web-x: container app terminated (exit code 1, Error)'],
    );
  });

  test('the failure report', () => {
    const lines = renderReport(
      {
        type: 'failed',
        time,
        resource,
        reason: 'CrashLoopBackOff',
        message: 'container app keeps crashing',
        hint: 'see the previous instance',
        report: {
          warnings: [
            { involvedObject: 'Pod/web-x', reason: 'BackOff', message: 'Back-off restarting', count: 4 },
          ],
          logs: [{ pod: 'web-x', container: 'app', previous: true, lines: ['panic: boom'] }],
          findings: ['ConfigMap "web-config" does not exist in namespace "default"'],
        },
      },
      plain,
    ).map((l) => `${l.to} ${l.text}`);
    assert.deepEqual(lines, [
      'err ✗ deploy/web: CrashLoopBackOff: container app keeps crashing',
      'err   found: ConfigMap "web-config" does not exist in namespace "default"',
      'err   hint: see the previous instance',
      'err   Warning events:',
      'err     Pod/web-x BackOff: Back-off restarting (×4)',
      'err   Last 1 log lines of web-x app (the crashed instance):',
      'err     │ panic: boom',
    ]);
  });

  test('names and durations', () => {
    assert.equal(resourceName(resource), 'deploy/web');
    assert.equal(resourceName(resource, true), 'shop/deploy/web');
    assert.equal(resourceName({ kind: 'Certificate', namespace: 'shop', name: 'tls' }), 'certificate/tls');
    assert.equal(formatElapsed(4210), '4.2s');
    assert.equal(formatElapsed(123_000), '2m03s');
  });

  test('colors only when painting', () => {
    const colored = renderEvent({ type: 'ready', time, resource, message: 'ok' }, { paint: painter(true) });
    assert.ok(colored[0]?.text.includes('\u001b['));
  });
});
