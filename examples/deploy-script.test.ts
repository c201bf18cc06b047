// Tests of a deployment script, without a cluster: node --test deploy-script.test.ts
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type KubeClient, type TrackOptions, trackDeployment } from 'kubedog';
import { replayScenario, startFakeCluster } from 'kubedog/testing';

/** The script under test: waits for a Deployment and says how it went. */
async function waitForRollout(client: KubeClient, name: string, options: TrackOptions = {}): Promise<string> {
  for await (const event of trackDeployment(client, { name }, { timeout: 60_000, ...options })) {
    if (event.type === 'ready') return 'deployed';
    if (event.type === 'failed') return `rollback: ${event.reason}`;
  }
  return 'gone';
}

const manifest = (image: string) => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: app, image: "${image}"}]}
`;

test('a good image is deployed', async (t) => {
  const cluster = await startFakeCluster();
  t.after(() => cluster.close());
  cluster.pod('web-*').container('app').becomesReadyAfter('300ms');
  await cluster.apply(manifest('registry.local/web:v1'));
  assert.equal(await waitForRollout(cluster.client, 'web'), 'deployed');
});

test('a missing image is rolled back within seconds', async (t) => {
  const cluster = await startFakeCluster();
  t.after(() => cluster.close());
  cluster.pod('web-*').container('app').failsToPull();
  await cluster.apply(manifest('registry.local/web:typo'));
  assert.equal(await waitForRollout(cluster.client, 'web'), 'rollback: ImagePullBackOff');
});

test('a crash loop recorded earlier (the fixture library) is rolled back', async (t) => {
  // Ten times the recorded pace; replay.options carries the replay's clock (and the recorded options).
  const replay = await replayScenario('deployment-crash-loop', { speed: 10 });
  t.after(() => replay.close());
  assert.equal(await waitForRollout(replay.client, 'web', replay.options), 'rollback: CrashLoopBackOff');
});
