import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeObject } from '../../src/kube/types.js';
import type { TrackEvent } from '../../src/track/events.js';
import { trackResource } from '../../src/track/resource.js';
import { collect, logLines, namespace, outcome, story, useCluster, workload } from './helpers.js';

/**
 * The trackers on a real control plane: the real deployment, replicaset,
 * statefulset, daemonset and job controllers and the real scheduler decide
 * what happens; the simulated nodes run the containers as scripted.
 */
describe('trackers against a real control plane', () => {
  const cluster = useCluster();
  const track = (kind: string, name: string, ns: string, timeout = 60_000) =>
    collect(trackResource(cluster.client, { kind, name, namespace: ns }, { timeout }));

  test('Deployment rolling update: real ReplicaSets, old pods go, the new ones become ready', async () => {
    const ns = await namespace(cluster.client, 'rolling');
    cluster.nodes.pod(`${ns}/web-*`).container('app').logs(['listening on :8080']);
    const web = workload('Deployment', 'web', ns, {
      spec: { replicas: 3, strategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } },
    });
    await cluster.client.create('Deployment', web);
    assert.equal(outcome(await track('deployment', 'web', ns)), 'ready');

    const current = await cluster.client.get<
      KubeObject & { spec: { template: { spec: { containers: { image: string }[] } } } }
    >('Deployment', { namespace: ns, name: 'web' });
    const [container] = current.spec.template.spec.containers;
    if (container) container.image = 'registry.local/web:v2';
    await cluster.client.replace('Deployment', current);
    const events = await track('deployment', 'web', ns);
    assert.equal(outcome(events), 'ready', story(events));
    const replicaSets = new Set(
      events.flatMap((e) => (e.type === 'replicaset' && e.new ? [e.replicaSet] : [])),
    );
    assert.equal(replicaSets.size, 1, story(events));
    const newPods = new Set(
      events.flatMap((e) => (e.type === 'pod' && e.change === 'added' && e.current ? [e.pod] : [])),
    );
    assert.equal(newPods.size, 3, story(events));
    assert.ok(
      logLines(events).some((l) => l.endsWith('listening on :8080')),
      'logs came through the API server from the simulated node',
    );
    const rs = await cluster.client.list('ReplicaSet', { namespace: ns });
    assert.equal(rs.items.length, 2, 'the real deployment controller keeps the old ReplicaSet, scaled to 0');
    assert.deepEqual(cluster.nodes.errors, []);
  });

  test('apply, then track: server-side apply creates it, a second manager conflicts, the rollout is ready', async () => {
    const ns = await namespace(cluster.client, 'apply');
    const manifest = (replicas: number) => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: ${ns}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: app, image: registry.local/web:v1}]}
`;
    const [applied] = await cluster.client.apply(manifest(2), { fieldManager: 'deploy-script' });
    assert.equal(applied?.metadata.generation, 1);
    assert.equal(outcome(await track('deployment', 'web', ns)), 'ready');
    await assert.rejects(
      cluster.client.apply(manifest(3), { fieldManager: 'autoscaler' }),
      (error: Error) => {
        assert.match(
          error.message,
          new RegExp(
            `^Deployment ${ns}/web: .*409 Conflict: Apply failed with 1 conflict: conflict with "deploy-script".*: \\.spec\\.replicas`,
          ),
        );
        return true;
      },
    );
    await cluster.client.apply(manifest(3), { fieldManager: 'autoscaler', force: true });
    const scaled = await track('deployment', 'web', ns);
    assert.equal(outcome(scaled), 'ready', story(scaled));
    const last = scaled.at(-1);
    assert.match(last?.type === 'ready' ? last.message : '', /successfully rolled out/);
  });

  test('bad image: failed with ErrImagePull/ImagePullBackOff within seconds', async () => {
    const ns = await namespace(cluster.client, 'bad-image');
    cluster.nodes.pod(`${ns}/web-*`).container('app').failsToPull();
    await cluster.client.create(
      'Deployment',
      workload('Deployment', 'web', ns, { image: 'registry.local/web:missing' }),
    );
    const started = Date.now();
    const events = await track('deployment', 'web', ns);
    assert.match(outcome(events), /^failed: (ErrImagePull|ImagePullBackOff)$/, story(events));
    assert.ok(Date.now() - started < 15_000, `took ${Date.now() - started} ms`);
    const failed = events.at(-1);
    assert.match(failed?.type === 'failed' ? failed.message : '', /registry\.local\/web:missing/);
  });

  test('crash loop: failed with CrashLoopBackOff, the crash logs read back through the API server', async () => {
    const ns = await namespace(cluster.client, 'crash');
    cluster.nodes
      .pod(`${ns}/api-*`)
      .container('app')
      .crashLoops({ logs: ['panic: cannot connect to db'], exitCode: 2 });
    await cluster.client.create('Deployment', workload('Deployment', 'api', ns));
    const events = await track('deployment', 'api', ns);
    // Which failure crosses the allowance first depends on timing: the waiting
    // CrashLoopBackOff, the exit, or the restart; each names the exit code.
    assert.match(outcome(events), /^failed: (CrashLoopBackOff|Error|Restarted)$/, story(events));
    const failed = events.at(-1);
    assert.match(failed?.type === 'failed' ? failed.message : '', /code 2/);
    assert.ok(
      logLines(events).some((l) => l.endsWith('panic: cannot connect to db')),
      `crash logs: ${logLines(events)}`,
    );
  });

  test("a crash loop is judged at the second crash, before the kubelet's 10 s back-off ends", async () => {
    const ns = await namespace(cluster.client, 'crash-fast');
    cluster.nodes.pod(`${ns}/api-*`).container('app').crashLoops({ exitCode: 2 });
    await cluster.client.create('Deployment', workload('Deployment', 'api', ns, { spec: { replicas: 1 } }));
    const started = Date.now();
    const events = await track('deployment', 'api', ns);
    assert.match(outcome(events), /^failed: (CrashLoopBackOff|Error|Restarted)$/, story(events));
    assert.ok(Date.now() - started < 8_000, `judged after ${Date.now() - started} ms`);
  });

  test('a pod that crashed once and then stays up: the rollout is ready', async () => {
    const ns = await namespace(cluster.client, 'crash-once');
    cluster.nodes.pod(`${ns}/api-*`).container('app').crashes(1);
    await cluster.client.create('Deployment', workload('Deployment', 'api', ns, { spec: { replicas: 2 } }));
    const events = await track('deployment', 'api', ns);
    assert.equal(outcome(events), 'ready', story(events));
    assert.ok(
      events.some((e) => e.type === 'pod-error' || e.type === 'status'),
      'the crash was seen on the way',
    );
  });

  test('readiness never reached: the real ProgressDeadlineExceeded ends it', async () => {
    const ns = await namespace(cluster.client, 'never-ready');
    cluster.nodes.pod(`${ns}/web-*`).container('app').neverBecomesReady();
    await cluster.client.create(
      'Deployment',
      workload('Deployment', 'web', ns, { spec: { progressDeadlineSeconds: 5 } }),
    );
    const events = await track('deployment', 'web', ns);
    assert.equal(outcome(events), 'failed: ProgressDeadlineExceeded', story(events));
    assert.ok(
      events.some((e) => e.type === 'pod-error' || (e.type === 'event' && e.reason === 'Unhealthy')) ||
        events.some((e) => e.type === 'status'),
      'the pods were seen not ready on the way',
    );
  });

  test('Job success with its logs, and BackoffLimitExceeded with the logs of every attempt', async () => {
    const ns = await namespace(cluster.client, 'jobs');
    cluster.nodes
      .pod(`${ns}/migrate-*`)
      .container('app')
      .exits(0, { after: '300ms', logs: ['applied 3 migrations'] });
    cluster.nodes
      .pod(`${ns}/broken-*`)
      .container('app')
      .exits(1, { after: '200ms', logs: ['error: connection refused'] });
    await cluster.client.create('Job', workload('Job', 'migrate', ns));
    await cluster.client.create('Job', workload('Job', 'broken', ns, { spec: { backoffLimit: 1 } }));
    const [migrate, broken] = await Promise.all([track('job', 'migrate', ns), track('job', 'broken', ns)]);
    assert.equal(outcome(migrate), 'ready', story(migrate));
    assert.ok(logLines(migrate).some((l) => l.endsWith('applied 3 migrations')));
    assert.equal(outcome(broken), 'failed: BackoffLimitExceeded', story(broken));
    const attempts = new Set(
      logLines(broken)
        .filter((l) => l.endsWith('connection refused'))
        .map((l) => l.split(': ')[0]),
    );
    assert.equal(attempts.size, 2, `logs of both attempts: ${logLines(broken)}`);
  });

  test('StatefulSet with a partition: ready when the pods above the partition are updated', async () => {
    const ns = await namespace(cluster.client, 'partition');
    await cluster.client.create(
      'StatefulSet',
      workload('StatefulSet', 'db', ns, { spec: { replicas: 3, podManagementPolicy: 'Parallel' } }),
    );
    assert.equal(outcome(await track('statefulset', 'db', ns)), 'ready');
    await cluster.client.patch(
      'StatefulSet',
      { namespace: ns, name: 'db' },
      {
        spec: {
          updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } },
          template: { metadata: { labels: { app: 'db', version: 'v2' } } },
        },
      },
    );
    const events = await track('statefulset', 'db', ns);
    assert.equal(outcome(events), 'ready', story(events));
    const pods = await cluster.client.list('Pod', { namespace: ns });
    const revisions = new Map(
      pods.items.map((p) => [p.metadata.name, p.metadata.labels?.['controller-revision-hash']]),
    );
    assert.notEqual(revisions.get('db-2'), revisions.get('db-0'), 'db-2 runs the new revision');
    assert.equal(revisions.get('db-1'), revisions.get('db-0'), 'db-0 and db-1 stay on the old one');
  });

  test('DaemonSet: one pod on each of the three simulated nodes', async () => {
    const ns = await namespace(cluster.client, 'daemons');
    await cluster.client.create('DaemonSet', workload('DaemonSet', 'agent', ns));
    const events = await track('daemonset', 'agent', ns);
    assert.equal(outcome(events), 'ready', story(events));
    const pods = await cluster.client.list<KubeObject & { spec: { nodeName: string } }>('Pod', {
      namespace: ns,
    });
    assert.deepEqual(pods.items.map((p) => p.spec.nodeName).sort(), ['node-1', 'node-2', 'node-3']);
  });

  test('deletion mid-track: failed with reason Deleted', async () => {
    const ns = await namespace(cluster.client, 'deleted');
    cluster.nodes.pod(`${ns}/web-*`).container('app').neverBecomesReady();
    await cluster.client.create('Deployment', workload('Deployment', 'web', ns));
    const events: TrackEvent[] = [];
    for await (const event of trackResource(
      cluster.client,
      { kind: 'deployment', name: 'web', namespace: ns },
      { timeout: 60_000 },
    )) {
      events.push(event);
      if (event.type === 'pod' && event.change === 'added')
        await cluster.client.delete('Deployment', { namespace: ns, name: 'web' });
    }
    assert.equal(outcome(events), 'failed: Deleted', story(events));
    assert.ok(events.some((e) => e.type === 'deleted'));
  });

  test('creation after the track started: waits, then follows it to ready', async () => {
    const ns = await namespace(cluster.client, 'late');
    const tracking = track('deployment', 'late', ns);
    await new Promise((r) => setTimeout(r, 1000));
    await cluster.client.create('Deployment', workload('Deployment', 'late', ns, { spec: { replicas: 2 } }));
    const events = await tracking;
    assert.equal(outcome(events), 'ready', story(events));
    assert.ok(events.some((e) => e.type === 'added'));
  });

  test('started after the crash loop began: failed at once, counting the restarts from before tracking', async () => {
    const ns = await namespace(cluster.client, 'late-crash');
    cluster.nodes
      .pod(`${ns}/api-*`)
      .container('app')
      .crashLoops({ logs: ['panic: boom'], exitCode: 2 });
    await cluster.client.create('Deployment', workload('Deployment', 'api', ns, { spec: { replicas: 1 } }));
    const restarts = async () => {
      const { items } = await cluster.client.list('Pod', { namespace: ns });
      const statuses = items.flatMap(
        (p) => (p.status as { containerStatuses?: { restartCount: number }[] })?.containerStatuses ?? [],
      );
      return Math.max(0, ...statuses.map((c) => c.restartCount));
    };
    for (let waited = 0; (await restarts()) < 2 && waited < 30_000; waited += 200)
      await new Promise((r) => setTimeout(r, 200));
    await new Promise((r) => setTimeout(r, 2500));
    const started = Date.now();
    const events = await track('deployment', 'api', ns);
    assert.match(outcome(events), /^failed: (CrashLoopBackOff|Error|Restarted)$/, story(events));
    const failed = events.at(-1);
    assert.match(failed?.type === 'failed' ? failed.message : '', /failures before tracking started/);
    assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
  });

  test('a missing ConfigMap past its grace window: the report says it does not exist, the hint what to create', async () => {
    const ns = await namespace(cluster.client, 'no-config');
    const pod = {
      containers: [
        {
          name: 'app',
          image: 'registry.local/web:v1',
          envFrom: [{ configMapRef: { name: 'web-settings' } }],
        },
      ],
    };
    await cluster.client.create('Deployment', workload('Deployment', 'web', ns, { pod }));
    const events = await collect(
      trackResource(
        cluster.client,
        { kind: 'deployment', name: 'web', namespace: ns },
        { timeout: 60_000, configGraceMs: 1000 },
      ),
    );
    assert.equal(outcome(events), 'failed: CreateContainerConfigError', story(events));
    const failed = events.at(-1);
    assert.deepEqual(failed?.type === 'failed' ? failed.report.findings : [], [
      `ConfigMap "web-settings" does not exist in namespace "${ns}"`,
    ]);
    assert.match(
      failed?.type === 'failed' ? (failed.hint ?? '') : '',
      /^create the ConfigMap "web-settings"/,
    );
  });
});
