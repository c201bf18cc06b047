import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startFakeCluster } from '../../src/testing/index.js';
import type { TrackEvent } from '../../src/track/events.js';
import { trackResource } from '../../src/track/resource.js';

const WEB = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: app, image: registry.local/web:v1}]}
`;

async function track(client: Parameters<typeof trackResource>[0], kind: string, name: string, options = {}) {
  const events: TrackEvent[] = [];
  for await (const event of trackResource(client, { kind, name }, { timeout: 15_000, ...options }))
    events.push(event);
  return events;
}
const ending = (events: TrackEvent[]) => {
  const last = events.at(-1);
  return last?.type === 'failed' ? `failed ${last.reason}` : last?.type;
};
const lines = (events: TrackEvent[]) => events.flatMap((e) => (e.type === 'log' ? e.lines : []));

describe('scenario API', () => {
  test('apply creates, then updates like kubectl apply', async () => {
    await using cluster = await startFakeCluster();
    const [created] = await cluster.apply(WEB);
    assert.equal(created?.metadata.generation, 1);
    const [updated] = await cluster.apply(WEB.replace('replicas: 1', 'replicas: 3'));
    assert.equal((updated?.spec as { replicas?: number } | undefined)?.replicas, 3);
    assert.equal(updated?.metadata.generation, 2);
    await assert.rejects(cluster.apply('kind: [broken'), /invalid manifest given as text: document 1/);
  });

  test('becomesReadyAfter and logs(every): ready after the delay, lines written in turn', async () => {
    await using cluster = await startFakeCluster();
    cluster
      .pod('web-*')
      .container('app')
      .logs(['GET / 200', 'GET /health 200 #{n}'], { every: '50ms' })
      .becomesReadyAfter('600ms');
    await cluster.apply(WEB);
    const events = await track(cluster.client, 'deploy', 'web');
    assert.equal(ending(events), 'ready');
    const written = lines(events);
    assert.ok(written.length >= 4, written.join('|'));
    assert.deepEqual(written.slice(0, 2), ['GET / 200', 'GET /health 200 #2']);
  });

  test('failsToPull, crashLoops, runsOutOfMemory, exits: each fails the track with its reason', async () => {
    await using cluster = await startFakeCluster();
    cluster.pod('pull-*').container('app').failsToPull();
    cluster
      .pod('crash-*')
      .container('app')
      .crashLoops({ logs: ['panic: boom'], exitCode: 2 });
    cluster.pod('oom-*').container().runsOutOfMemory();
    const named = (name: string) => WEB.replaceAll('web', name);
    await cluster.apply([named('pull'), named('crash'), named('oom')].join('---\n'));
    const job = `
apiVersion: batch/v1
kind: Job
metadata: {name: once, namespace: default}
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers: [{name: main, image: registry.local/job:v1}]
`;
    cluster
      .pod('once-*')
      .container('main')
      .exits(3, { logs: ['migration failed: table exists'] });
    await cluster.apply(job);
    const strict = { failuresAllowedPerReplica: 0 };
    const [pull, crash, oom, once] = await Promise.all([
      track(cluster.client, 'deploy', 'pull'),
      track(cluster.client, 'deploy', 'crash', strict),
      track(cluster.client, 'deploy', 'oom', strict),
      track(cluster.client, 'job', 'once'),
    ]);
    assert.equal(ending(pull ?? []), 'failed ImagePullBackOff');
    assert.match(ending(crash ?? []) ?? '', /^failed (Error|CrashLoopBackOff|Restarted)$/);
    assert.ok(lines(crash ?? []).includes('panic: boom'));
    assert.equal(ending(oom ?? []), 'failed OOMKilled');
    assert.equal(ending(once ?? []), 'failed BackoffLimitExceeded');
    assert.ok(lines(once ?? []).includes('migration failed: table exists'));
  });

  test('unschedulable pods and cordoned nodes, on simulated time', async () => {
    await using cluster = await startFakeCluster({ clock: 'manual', nodes: 2 });
    cluster.pod('web-*').isUnschedulable();
    await cluster.apply(WEB);
    await cluster.settled();
    // The track lives on the cluster's clock: its timeout, and the 30 s the scheduler is given, pass in no time.
    const events = trackResource(
      cluster.client,
      { kind: 'deploy', name: 'web' },
      { clock: cluster.clock, timeout: 60_000 },
    );
    assert.equal((await events.next()).value?.type, 'added');
    await cluster.clock.advance('31s');
    const rest: TrackEvent[] = [];
    for await (const event of events) rest.push(event);
    assert.equal(ending(rest), 'failed Unschedulable');

    await using other = await startFakeCluster({ nodes: 2 });
    other.node('node-1').cordon();
    other.node('node-2').cordon();
    await other.apply(WEB);
    const waiting = await track(other.client, 'deploy', 'web', { timeout: 1500 });
    assert.equal(ending(waiting), 'failed Timeout');
    const scheduling = await other.client.list('Event', { fieldSelector: 'reason=FailedScheduling' });
    assert.ok(scheduling.items.length > 0, 'FailedScheduling events');
    await assert.rejects(
      other.clock.advance('1m'),
      /needs a simulated clock: startFakeCluster\(\{ clock: 'manual' \}\)/,
    );
    other.scenario.node('node-1').uncordon();
    assert.equal(ending(await track(other.client, 'deploy', 'web')), 'ready');
  });
});
