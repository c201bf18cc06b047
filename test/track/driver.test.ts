import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { KubeApiError } from '../../src/kube/errors.js';
import type { KubeObject } from '../../src/kube/types.js';
import type { TrackEvent } from '../../src/track/events.js';
import { trackResource } from '../../src/track/resource.js';
import { FakeSource } from './fake-source.js';
import { deployment, pod, replicaSet } from './model/objects.js';

async function collect(track: AsyncIterable<TrackEvent>): Promise<TrackEvent[]> {
  const events: TrackEvent[] = [];
  for await (const event of track) events.push(event);
  return events;
}

const forbidden = (what: string) =>
  new KubeApiError(`watch ${what}: 403 Forbidden: cannot watch ${what}`, {
    statusCode: 403,
    status: { reason: 'Forbidden', code: 403 },
    method: 'GET',
    path: what,
  });

/** A Deployment rolled out on the fake source: its ReplicaSet and `count` pods. */
function rollout(source: FakeSource, count: number, state: Parameters<typeof pod>[1] = {}): void {
  source.apply('ADDED', deployment({ replicas: count, updated: count, total: count }));
  source.apply('ADDED', replicaSet('web-v1'));
  for (let i = 0; i < count; i++) source.apply('ADDED', pod(`web-v1-${i}`, state));
}

describe('the tracker driver, on a source in memory', () => {
  test('steps that only open log streams do not hold the track up', async () => {
    const source = new FakeSource();
    source.liveLogs.set('web-v1-0/app', ['listening']);
    rollout(source, 1);
    const track = trackResource(source, { kind: 'deploy', name: 'web' });
    const seen: string[] = [];
    for await (const event of track) {
      seen.push(event.type);
      // Running: the step opens a log stream and says nothing else.
      if (event.type === 'pod' && event.change === 'added')
        source.apply('MODIFIED', pod('web-v1-0', { phase: 'Running' }));
      if (event.type === 'log')
        source.apply('MODIFIED', deployment({ replicas: 1, updated: 1, total: 1, ready: 1, available: 1 }));
    }
    assert.deepEqual(seen.slice(-3), ['log', 'status', 'ready']);
  });

  test('the timeout fires on time while 10,000 pods churn', async () => {
    const source = new FakeSource();
    rollout(source, 10_000, { phase: 'Running' });
    let churning = true;
    let changes = 0;
    const churn = () => {
      for (let i = 0; i < 200; i++, changes++)
        source.apply('MODIFIED', pod(`web-v1-${changes % 10_000}`, { phase: 'Running', restarts: 0 }));
      if (churning) setImmediate(churn);
    };
    churn();
    const started = performance.now();
    const events = await collect(
      trackResource(source, { kind: 'deploy', name: 'web' }, { timeout: 1000, logs: false }),
    );
    const late = performance.now() - started - 1000;
    churning = false;
    const last = events.at(-1);
    assert.equal(last?.type === 'failed' && last.reason, 'Timeout');
    // The churn went on the whole time (how much a loaded machine manages in a second varies).
    assert.ok(changes > 2_000, `${changes} pod changes while tracking`);
    // Without giving the event loop a turn, the timer would wait for the churn (seconds).
    assert.ok(late < 500, `the timeout came ${Math.round(late)} ms late`);
  });

  test('a slow consumer does not hold the timeout back: what it has not taken yet gives way', async () => {
    const source = new FakeSource();
    rollout(source, 5000, { phase: 'Running' });
    const deadline = performance.now() + 1500;
    let pods = 0;
    let afterDeadline = 0;
    let last: TrackEvent | undefined;
    const track = trackResource(source, { kind: 'deploy', name: 'web' }, { timeout: 1500, logs: false });
    for await (const event of track) {
      if (event.type === 'pod') pods++;
      if (performance.now() > deadline) afterDeadline++;
      last = event;
      // A consumer that takes a millisecond per event: 5,000 pod events would take five seconds.
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    assert.equal(last?.type === 'failed' && last.reason, 'Timeout');
    assert.ok(pods < 5000, `${pods} pod events delivered`);
    // Past the deadline, only what was already handed to the iteration (its buffer of 1,000,
    // and what was on its way into it) comes, then the failure.
    assert.ok(afterDeadline <= 1010, `${afterDeadline} events after the deadline`);
  });

  test('an abort ends the iteration with its reason and lets go of every watch', async () => {
    const source = new FakeSource();
    rollout(source, 2);
    const controller = new AbortController();
    const track = trackResource(source, { kind: 'deploy', name: 'web' }, { signal: controller.signal });
    await assert.rejects(async () => {
      for await (const event of track) if (event.type === 'added') controller.abort(new Error('stop now'));
    }, /stop now/);
    assert.equal(source.openWatches, 0);
  });

  test('not allowed to watch ControllerRevisions: a notice, and the DaemonSet is judged on all its pods', async () => {
    const source = new FakeSource();
    source.failingWatches.set('ControllerRevision', forbidden('controllerrevisions'));
    const ds: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'web', namespace: 'default', uid: 'uid-web', generation: 1 },
      spec: {},
      status: {
        observedGeneration: 1,
        desiredNumberScheduled: 1,
        updatedNumberScheduled: 1,
        numberAvailable: 1,
      },
    };
    source.apply('ADDED', ds);
    const events = await collect(trackResource(source, { kind: 'ds', name: 'web' }));
    assert.equal(events.at(-1)?.type, 'ready');
    const notice = events.find((e) => e.type === 'notice');
    assert.match(
      notice?.type === 'notice' ? notice.message : '',
      /403 Forbidden.*every pod of the resource is judged as current/,
    );
  });

  test('not allowed to watch pods: one notice, the Deployment judged from its status alone, every watch released', async () => {
    const source = new FakeSource();
    source.failingWatches.set('Pod', forbidden('/api/v1/namespaces/default/pods'));
    source.apply('ADDED', deployment({ replicas: 1, updated: 1, total: 1, ready: 1, available: 1 }));
    source.apply('ADDED', replicaSet('web-v1'));
    const events = await collect(trackResource(source, { kind: 'deploy', name: 'web' }));
    const notices = events.filter((e) => e.type === 'notice');
    assert.equal(notices.length, 1);
    assert.deepEqual(
      notices[0]?.type === 'notice' && notices[0].code === 'denied' ? notices[0].denied.rule : undefined,
      {
        apiGroups: [''],
        resources: ['pods'],
        verbs: ['list', 'watch'],
        namespace: 'default',
      },
    );
    const last = events.at(-1);
    assert.equal(last?.type, 'ready');
    assert.match(last?.type === 'ready' ? last.message : '', /judged from its status alone/);
    assert.equal(source.openWatches, 0);
  });

  test('not allowed to watch the tracked resource: the track fails with the API error and the rule to add', async () => {
    const source = new FakeSource();
    source.failingWatches.set('Deployment', forbidden('/apis/apps/v1/namespaces/default/deployments'));
    rollout(source, 1);
    await assert.rejects(
      collect(trackResource(source, { kind: 'deploy', name: 'web' })),
      /403 Forbidden.*add the rule \{apiGroups: \["apps"\], resources: \["deployments"\], verbs: \["list", "watch"\]\}/,
    );
    assert.equal(source.openWatches, 0);
  });
});
