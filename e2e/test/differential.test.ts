import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, test } from 'node:test';
import type { KubeObject } from '../../src/kube/types.js';
import { trackResource } from '../../src/track/resource.js';
import { runCli } from '../../test/cli/helpers.js';
import { collect, kubectlBinary, namespace, outcome, story, useCluster, workload } from './helpers.js';

/** Runs the control plane's own kubectl: its exit code, output and time. */
function kubectl(args: string[], kubeconfig: string): Promise<Timed<{ code: number; output: string }>> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(kubectlBinary(), [...args, '--kubeconfig', kubeconfig], (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ value: { code, output: `${stdout}${stderr}`.trim() }, ms: Date.now() - started });
    });
  });
}

interface Timed<T> {
  value: T;
  ms: number;
}

/**
 * Differential checks: `kubectl rollout status` and our tracker watch the
 * same rollout on the real control cluster.plane. Where kubectl has a verdict, both
 * must agree; where we are earlier (a failing pod is judged before the
 * progress deadline) the test says by how much.
 */
describe('kubectl rollout status and kubedog agree', () => {
  const cluster = useCluster();

  const rolloutStatus = (resource: string, ns: string) =>
    kubectl(['rollout', 'status', resource, '-n', ns, '--timeout=90s'], cluster.plane.kubeconfigPath);
  const ours = async (kind: string, name: string, ns: string): Promise<Timed<string>> => {
    const started = Date.now();
    const events = await collect(
      trackResource(cluster.client, { kind, name, namespace: ns }, { timeout: 90_000 }),
    );
    return { value: `${outcome(events)}\n${story(events)}`, ms: Date.now() - started };
  };
  /** Both watch `create()`'s rollout from before it starts. */
  const race = async (kind: string, name: string, ns: string, create: () => Promise<unknown>) => {
    // kubectl rollout status needs the object to exist; create it, then start both at once.
    await create();
    return Promise.all([rolloutStatus(`${kind}/${name}`, ns), ours(kind, name, ns)]);
  };

  test('a Deployment rollout that succeeds: both say so', async () => {
    const ns = await namespace(cluster.client, 'diff-ready');
    cluster.nodes.pod(`${ns}/web-*`).container('app').becomesReadyAfter('1s');
    const [k, o] = await race('deployment', 'web', ns, () =>
      cluster.client.create('Deployment', workload('Deployment', 'web', ns, { spec: { replicas: 3 } })),
    );
    assert.equal(k.value.code, 0, k.value.output);
    assert.match(k.value.output, /successfully rolled out/);
    assert.equal(o.value.split('\n')[0], 'ready', o.value);
  });

  test('readiness never comes: both fail on the progress deadline', async () => {
    const ns = await namespace(cluster.client, 'diff-deadline');
    cluster.nodes.pod(`${ns}/web-*`).container('app').neverBecomesReady();
    const [k, o] = await race('deployment', 'web', ns, () =>
      cluster.client.create(
        'Deployment',
        workload('Deployment', 'web', ns, { spec: { progressDeadlineSeconds: 5 } }),
      ),
    );
    assert.equal(k.value.code, 1, k.value.output);
    assert.match(k.value.output, /exceeded its progress deadline/);
    assert.equal(o.value.split('\n')[0], 'failed: ProgressDeadlineExceeded', o.value);
  });

  test('a bad image: both fail, kubedog at once, kubectl only at the progress deadline', async (t) => {
    const ns = await namespace(cluster.client, 'diff-image');
    cluster.nodes.pod(`${ns}/web-*`).container('app').failsToPull();
    const [k, o] = await race('deployment', 'web', ns, () =>
      cluster.client.create(
        'Deployment',
        workload('Deployment', 'web', ns, { spec: { progressDeadlineSeconds: 10 } }),
      ),
    );
    assert.equal(k.value.code, 1, k.value.output);
    assert.match(o.value.split('\n')[0] ?? '', /^failed: (ErrImagePull|ImagePullBackOff)$/, o.value);
    assert.ok(o.ms < k.ms, `kubedog ${o.ms} ms, kubectl ${k.ms} ms`);
    t.diagnostic(`bad image: kubedog failed after ${o.ms} ms, kubectl after ${k.ms} ms`);
  });

  test('a crash loop: both fail, kubedog after the allowed restarts, kubectl at the progress deadline', async (t) => {
    const ns = await namespace(cluster.client, 'diff-crash');
    cluster.nodes
      .pod(`${ns}/web-*`)
      .container('app')
      .crashLoops({ logs: ['panic: boom'] });
    const [k, o] = await race('deployment', 'web', ns, () =>
      cluster.client.create(
        'Deployment',
        workload('Deployment', 'web', ns, { spec: { progressDeadlineSeconds: 20 } }),
      ),
    );
    assert.equal(k.value.code, 1, k.value.output);
    assert.match(k.value.output, /exceeded its progress deadline/);
    assert.match(o.value.split('\n')[0] ?? '', /^failed: (CrashLoopBackOff|Error|Restarted)$/, o.value);
    assert.ok(o.ms < k.ms, `kubedog ${o.ms} ms, kubectl ${k.ms} ms`);
    t.diagnostic(`crash loop: kubedog failed after ${o.ms} ms, kubectl after ${k.ms} ms`);
  });

  test('the Deployment is deleted mid-rollout: both fail', async () => {
    const ns = await namespace(cluster.client, 'diff-deleted');
    cluster.nodes.pod(`${ns}/web-*`).container('app').neverBecomesReady();
    const [k, o] = await race('deployment', 'web', ns, async () => {
      await cluster.client.create('Deployment', workload('Deployment', 'web', ns));
      setTimeout(() => void cluster.client.delete('Deployment', { namespace: ns, name: 'web' }), 2000);
    });
    assert.equal(k.value.code, 1, k.value.output);
    assert.match(k.value.output, /deleted/);
    assert.equal(o.value.split('\n')[0], 'failed: Deleted', o.value);
  });

  test('a StatefulSet update with a partition: both ready once the partition is rolled out', async () => {
    const ns = await namespace(cluster.client, 'diff-partition');
    await cluster.client.create(
      'StatefulSet',
      workload('StatefulSet', 'db', ns, { spec: { replicas: 3, podManagementPolicy: 'Parallel' } }),
    );
    assert.equal(
      outcome(
        await collect(trackResource(cluster.client, { kind: 'statefulset', name: 'db', namespace: ns })),
      ),
      'ready',
    );
    const [k, o] = await race('statefulset', 'db', ns, () =>
      cluster.client.patch<KubeObject>(
        'StatefulSet',
        { namespace: ns, name: 'db' },
        {
          spec: {
            updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } },
            template: { metadata: { labels: { app: 'db', version: 'v2' } } },
          },
        },
      ),
    );
    assert.equal(k.value.code, 0, k.value.output);
    assert.match(k.value.output, /partitioned roll out complete/);
    assert.equal(o.value.split('\n')[0], 'ready', o.value);
  });

  test('a DaemonSet on three nodes: both ready', async () => {
    const ns = await namespace(cluster.client, 'diff-daemons');
    cluster.nodes.pod(`${ns}/agent-*`).container('app').becomesReadyAfter('500ms');
    const [k, o] = await race('daemonset', 'agent', ns, () =>
      cluster.client.create('DaemonSet', workload('DaemonSet', 'agent', ns)),
    );
    assert.equal(k.value.code, 0, k.value.output);
    assert.match(k.value.output, /successfully rolled out/);
    assert.equal(o.value.split('\n')[0], 'ready', o.value);
  });
});

/**
 * `kubectl wait --for=condition=…|jsonpath=…` and `kubedog wait` with the
 * same flags on the same objects, started together: both are satisfied, or
 * both time out, and within moments of each other.
 */
describe('kubectl wait and kubedog wait agree', () => {
  const cluster = useCluster();
  const kubeconfig = () => cluster.plane.kubeconfigPath;

  /** Both commands with `--for` flags on `resource`; kubedog strictly, as kubectl waits. */
  const both = async (fors: string[], resource: string, ns: string, timeout: string) => {
    const flags = [...fors.map((f) => `--for=${f}`), resource, '-n', ns, `--timeout=${timeout}`];
    const started = Date.now();
    const [k, d] = await Promise.all([
      kubectl(['wait', ...flags], kubeconfig()),
      runCli(['wait', ...flags, '--strict', '--kubeconfig', kubeconfig()], { timeoutMs: 90_000 }).then(
        (run) => ({ value: run, ms: Date.now() - started }),
      ),
    ]);
    return { kubectl: k, kubedog: d };
  };

  test('conditions and JSONPaths on a rolling-out Deployment: both satisfied, at about the same time', async (t) => {
    const ns = await namespace(cluster.client, 'wait-deploy');
    cluster.nodes.pod(`${ns}/web-*`).container('app').becomesReadyAfter('3s');
    await cluster.client.create('Deployment', workload('Deployment', 'web', ns, { spec: { replicas: 2 } }));
    const cases = [
      ['condition=Available'],
      ['condition=available=true'],
      ['jsonpath={.status.readyReplicas}=2'],
      ['jsonpath={.status.availableReplicas}'],
      ['jsonpath={.status.conditions[?(@.type=="Progressing")].reason}=NewReplicaSetAvailable'],
      ['condition=Progressing', 'jsonpath={.status.updatedReplicas}=2'],
    ];
    const runs = await Promise.all(cases.map((fors) => both(fors, 'deployment/web', ns, '60s')));
    for (const [i, run] of runs.entries()) {
      const said = cases[i]?.join(' ');
      assert.equal(run.kubectl.value.code, 0, `kubectl --for ${said}: ${run.kubectl.value.output}`);
      assert.equal(run.kubedog.value.code, 0, `kubedog --for ${said}: ${run.kubedog.value.stderr}`);
      const apart = Math.abs(run.kubectl.ms - run.kubedog.ms);
      t.diagnostic(`--for ${said}: kubectl ${run.kubectl.ms} ms, kubedog ${run.kubedog.ms} ms`);
      assert.ok(apart < 3_000, `--for ${said}: kubectl ${run.kubectl.ms} ms, kubedog ${run.kubedog.ms} ms`);
    }
  });

  test('a pod: its phase and its Ready condition; several --for in order', async () => {
    const ns = await namespace(cluster.client, 'wait-pod');
    cluster.nodes.pod(`${ns}/toolbox`).container('app').becomesReadyAfter('2s');
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'toolbox', namespace: ns },
      spec: { containers: [{ name: 'app', image: 'registry.local/toolbox:v1' }] },
    };
    await cluster.client.create('Pod', pod);
    const runs = await Promise.all([
      both(['jsonpath={.status.phase}=Running'], 'pod/toolbox', ns, '60s'),
      both(['condition=Ready'], 'pod/toolbox', ns, '60s'),
      both(['jsonpath={.status.phase}=Running', 'condition=Ready'], 'pod/toolbox', ns, '60s'),
      both(['jsonpath={.status.containerStatuses[0].ready}=true'], 'pod/toolbox', ns, '60s'),
    ]);
    for (const run of runs) {
      assert.equal(run.kubectl.value.code, 0, run.kubectl.value.output);
      assert.equal(run.kubedog.value.code, 0, run.kubedog.value.stderr);
    }
  });

  test('never met: both time out — kubectl exit 1, kubedog exit 2 — naming the condition', async () => {
    const ns = await namespace(cluster.client, 'wait-never');
    await cluster.client.create('Deployment', workload('Deployment', 'web', ns, { spec: { replicas: 1 } }));
    const runs = await Promise.all([
      both(['jsonpath={.spec.replicas}=3'], 'deployment/web', ns, '3s'),
      both(['jsonpath={.metadata.labels.tier}'], 'deployment/web', ns, '3s'),
      both(['condition=NoSuchCondition'], 'deployment/web', ns, '3s'),
    ]);
    for (const run of runs) {
      assert.equal(run.kubectl.value.code, 1, run.kubectl.value.output);
      assert.match(run.kubectl.value.output, /timed out waiting for the condition/);
      assert.equal(run.kubedog.value.code, 2, run.kubedog.value.stderr);
      assert.match(run.kubedog.value.stderr, /^✗ timed out after 3\.0s: deploy\/web .* not met$/m);
    }
  });
});
