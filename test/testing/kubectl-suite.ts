import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import type { KubeObject } from '../../src/kube/types.js';
import { computeVerdict } from '../../src/status/index.js';
import { type FakeCluster, startFakeCluster } from '../../src/testing/cluster.js';
import { waitFor } from '../helpers.js';

const workload = (kind: string, name: string, spec: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'apps/v1',
  kind,
  metadata: { name, namespace: 'default' },
  spec: {
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name: 'app', image: `registry.local/${name}:v1` }] },
    },
    ...spec,
  },
});

/**
 * kubectl's everyday verbs against the simulated cluster, with the kubectl at
 * `kubectl` (its `version --client` minor decides what it is expected to ask:
 * client-go v1.35 and newer stream their informers' lists as watch-lists).
 */
export function describeKubectlAgainstSimulator(kubectl: string): void {
  const minor = Number(
    /Client Version: v1\.(\d+)/.exec(
      spawnSync(kubectl, ['version', '--client'], { encoding: 'utf8' }).stdout,
    )?.[1],
  );
  describe(`kubectl v1.${minor} against the simulated cluster`, () => {
    let cluster: FakeCluster;
    // Asynchronous on purpose: the simulated server runs in this process and must keep answering.
    const run = (args: string[]) =>
      new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(kubectl, args, {
          env: { ...process.env, KUBECONFIG: cluster.kubeconfigPath },
          timeout: 30_000,
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk) => {
          stdout += chunk;
        });
        child.stderr.on('data', (chunk) => {
          stderr += chunk;
        });
        child.on('close', (status) => resolve({ status, stdout, stderr }));
      });

    before(async () => {
      cluster = await startFakeCluster();
      cluster.behave('web-*', 'app', {
        logs: ['listening on :8080'],
        logEvery: 100,
        logLine: 'GET / 200 ({n})',
      });
      cluster.behave('broken-*', 'app', { pullFails: true });
      await cluster.client.create('Deployment', workload('Deployment', 'web', { replicas: 2 }));
      await cluster.client.create(
        'Deployment',
        workload('Deployment', 'broken', { replicas: 1, progressDeadlineSeconds: 2 }),
      );
      await cluster.client.create('DaemonSet', workload('DaemonSet', 'agent'));
      await cluster.client.create(
        'StatefulSet',
        workload('StatefulSet', 'db', { replicas: 2, serviceName: 'db' }),
      );
    });
    after(() => cluster.close());

    test('rollout status agrees with our verdicts on Deployment, DaemonSet and StatefulSet', async () => {
      for (const [kind, name] of [
        ['deployment', 'web'],
        ['daemonset', 'agent'],
        ['statefulset', 'db'],
      ] as const) {
        const result = await run(['rollout', 'status', `${kind}/${name}`, '--timeout=20s']);
        assert.equal(result.status, 0, `${kind}/${name}: ${result.stdout}${result.stderr}`);
        const object = await cluster.client.get(kind, { name });
        assert.equal(computeVerdict(object, { now: new Date() }).state, 'ready', `${kind}/${name}`);
      }
      const broken = await run(['rollout', 'status', 'deployment/broken', '--timeout=20s']);
      assert.notEqual(broken.status, 0);
      assert.match(broken.stderr, /deployment "broken" exceeded its progress deadline/);
      const verdict = computeVerdict(await cluster.client.get('deploy', { name: 'broken' }), {
        now: new Date(),
      });
      assert.equal(verdict.state, 'failed');
    });

    test('wait meets conditions and JSONPaths, and informers stream their lists where kubectl asks to', async () => {
      const before = cluster.stats.watchListRequests;
      const available = await run(['wait', '--for=condition=Available', 'deployment/web', '--timeout=20s']);
      assert.equal(available.status, 0, available.stderr);
      assert.match(available.stdout, /deployment.apps\/web condition met/);
      const replicas = await run([
        'wait',
        '--for=jsonpath={.status.readyReplicas}=2',
        'deployment/web',
        '--timeout=20s',
      ]);
      assert.equal(replicas.status, 0, replicas.stderr);
      const never = await run(['wait', '--for=condition=Available', 'deployment/broken', '--timeout=2s']);
      assert.equal(never.status, 1);
      assert.match(never.stderr, /timed out waiting for the condition on deployments\/broken/);
      const streamed = cluster.stats.watchListRequests - before;
      if (minor >= 35) assert.ok(streamed > 0, 'kubectl asked for no watch-list');
      else assert.equal(streamed, 0);
    });

    test('get shows the columns the real server prints', async () => {
      const pods = await run(['get', 'pods']);
      assert.equal(pods.status, 0, pods.stderr);
      assert.match(pods.stdout, /^NAME +READY +STATUS +RESTARTS +AGE$/m);
      assert.match(pods.stdout, /^web-\w+-\w{5} +1\/1 +Running +0 +\d+s$/m);
      assert.match(pods.stdout, /^broken-\w+-\w{5} +0\/1 +(ImagePullBackOff|ErrImagePull) +0 +\d+s$/m);
      const deployments = await run(['get', 'deploy', 'web']);
      assert.match(deployments.stdout, /^web +2\/2 +2 +2 +\d+s$/m);
    });

    test('describe shows conditions and events', async () => {
      const result = await run(['describe', 'deployment', 'web']);
      assert.equal(result.status, 0, result.stderr);
      assert.match(result.stdout, /Progressing +True +NewReplicaSetAvailable/);
      assert.match(
        result.stdout,
        /ScalingReplicaSet +\S+ +deployment-controller +Scaled up replica set web-\w+ from 0 to 2/,
      );
    });

    test('logs -f streams through the simulated server', async () => {
      const child = spawn(kubectl, ['logs', '-f', 'deployment/web'], {
        env: { ...process.env, KUBECONFIG: cluster.kubeconfigPath },
      });
      let output = '';
      child.stdout.on('data', (chunk) => {
        output += chunk;
      });
      try {
        await waitFor(
          () => /GET \/ 200 \(3\)/.test(output),
          'three live log lines from kubectl logs -f',
          10_000,
        );
        assert.match(output, /^listening on :8080$/m);
      } finally {
        child.kill();
      }
    });

    test('get -w prints changes as they happen', async () => {
      const child = spawn(kubectl, ['get', 'pods', '-w', '-l', 'app=later'], {
        env: { ...process.env, KUBECONFIG: cluster.kubeconfigPath },
      });
      let output = '';
      child.stdout.on('data', (chunk) => {
        output += chunk;
      });
      try {
        await new Promise((r) => setTimeout(r, 500));
        await cluster.client.create('Deployment', workload('Deployment', 'later', { replicas: 1 }));
        await waitFor(
          () => /later-\w+-\w{5} +1\/1 +Running/.test(output),
          'the new pod to show as Running',
          10_000,
        );
      } finally {
        child.kill();
      }
    });
  });
}
