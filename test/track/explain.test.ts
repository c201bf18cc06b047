import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { KubeApiError } from '../../src/kube/errors.js';
import type { KubeObject } from '../../src/kube/types.js';
import type { Problem } from '../../src/status/types.js';
import { explainFailure } from '../../src/track/explain.js';
import type { TrackSource } from '../../src/track/sources.js';

/** A source that answers from `objects` ("Kind/name"), 404 for the rest, 403 for `forbidden` kinds. */
function source(objects: KubeObject[], forbidden: string[] = []): TrackSource {
  const apiError = (statusCode: number, reason: string) =>
    new KubeApiError(reason, { statusCode, status: { reason }, method: 'GET', path: '/' });
  const get: NonNullable<TrackSource['get']> = async (kind, ref) => {
    if (forbidden.includes(String(kind))) throw apiError(403, 'Forbidden');
    const found = objects.find((o) => o.kind === kind && o.metadata.name === ref.name);
    if (!found) throw apiError(404, 'NotFound');
    return found;
  };
  const list: NonNullable<TrackSource['list']> = async (kind, options) => {
    if (forbidden.includes(String(kind))) throw apiError(403, 'Forbidden');
    const about = /involvedObject\.name=([^,]+)/.exec(options.fieldSelector ?? '')?.[1];
    const items = objects.filter(
      (o) =>
        o.kind === kind && (about === undefined || (o.involvedObject as { name: string }).name === about),
    );
    return { items };
  };
  return { get, list } as unknown as TrackSource;
}

const object = (kind: string, name: string, rest: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind,
  metadata: { name, namespace: 'shop' },
  ...rest,
});
const problem = (reason: string, message: string, pod = 'web-1'): Problem => ({
  class: 'fatal-after-grace',
  reason,
  message,
  pod,
  container: 'app',
  occurrences: 1,
});
const explain = (objects: KubeObject[], cause: Problem, forbidden: string[] = []) =>
  explainFailure(source(objects, forbidden), 'shop', cause, AbortSignal.timeout(1000));

const pod = (spec: Record<string, unknown>) => object('Pod', 'web-1', { spec });
const dockerConfig = (host: string) =>
  Buffer.from(JSON.stringify({ auths: { [host]: { auth: 'dXNlcjpodW50ZXIy' } } })).toString('base64');

describe('failures explained one lookup deeper', () => {
  test('a missing ConfigMap: said, with what to create', async () => {
    const found = await explain(
      [],
      problem('CreateContainerConfigError', 'container app: configmap "web-config" not found'),
    );
    assert.deepEqual(found, {
      findings: ['ConfigMap "web-config" does not exist in namespace "shop"'],
      hint: 'create the ConfigMap "web-config" in namespace "shop", or fix the pod\'s reference to it',
    });
  });

  test('a missing key of a Secret: the keys it has (names only)', async () => {
    const secret = object('Secret', 'db', { data: { username: 'YWRtaW4=', url: 'eA==' } });
    const found = await explain(
      [secret],
      problem('CreateContainerConfigError', "container app: couldn't find key password in Secret shop/db"),
    );
    assert.deepEqual(found?.findings, ['Secret "db" has no key "password" (its keys: username, url)']);
    assert.match(found?.hint ?? '', /add the key "password" to the Secret "db"/);
    assert.doesNotMatch(JSON.stringify(found), /YWRtaW4/);
  });

  test('a ConfigMap created since: the kubelet will retry', async () => {
    const found = await explain(
      [object('ConfigMap', 'web-config', { data: {} })],
      problem('CreateContainerConfigError', 'container app: configmap "web-config" not found'),
    );
    assert.deepEqual(found, {
      findings: ['ConfigMap "web-config" exists now: the kubelet starts the container at its next try'],
    });
  });

  test('a registry asking for credentials: the pod has no imagePullSecrets', async () => {
    const found = await explain(
      [pod({ containers: [{ name: 'app', image: 'registry.example.com/shop/web:v2' }] })],
      problem(
        'ImagePullBackOff',
        'container app: ImagePullBackOff: image "registry.example.com/shop/web:v2": 401 Unauthorized',
      ),
    );
    assert.deepEqual(found?.findings, [
      'pod web-1 has no imagePullSecrets, and registry.example.com asks for credentials',
    ]);
  });

  test('imagePullSecrets: one missing, one for another registry; the hint names the one to create', async () => {
    const found = await explain(
      [
        pod({
          containers: [{ name: 'app', image: 'registry.example.com/web:v2' }],
          imagePullSecrets: [{ name: 'regcred' }, { name: 'hub' }],
        }),
        object('Secret', 'hub', {
          data: { '.dockerconfigjson': dockerConfig('https://index.docker.io/v1/') },
        }),
      ],
      problem(
        'ErrImagePull',
        'container app: ErrImagePull: image "registry.example.com/web:v2": pull access denied',
      ),
    );
    assert.deepEqual(found?.findings, [
      'imagePullSecrets of pod web-1: "regcred" does not exist, "hub" (credentials for docker.io, not registry.example.com)',
    ]);
    assert.match(
      found?.hint ?? '',
      /^create the Secret "regcred" \(kubectl create secret docker-registry regcred --docker-server=registry.example.com/,
    );
    assert.doesNotMatch(JSON.stringify(found), /dXNlcjpodW50ZXIy|hunter2/);
  });

  test('a pull that failed for another reason (not found) looks no further', async () => {
    const found = await explain(
      [pod({ containers: [{ name: 'app', image: 'web:v2' }] })],
      problem('ImagePullBackOff', 'container app: ImagePullBackOff: image "web:v2": not found'),
    );
    assert.equal(found, undefined);
  });

  test('a claim that does not bind: its phase and its provisioner’s last word', async () => {
    const found = await explain(
      [
        pod({
          containers: [{ name: 'app' }],
          volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }],
        }),
        object('PersistentVolumeClaim', 'data', {
          spec: { storageClassName: 'fast' },
          status: { phase: 'Pending' },
        }),
        object('Event', 'data.1', {
          type: 'Warning',
          reason: 'ProvisioningFailed',
          message: 'storageclass.storage.k8s.io "fast" not found',
          involvedObject: { kind: 'PersistentVolumeClaim', name: 'data' },
          lastTimestamp: '2026-12-01T10:00:00Z',
        }),
      ],
      problem(
        'FailedMount',
        'pod web-1: Unable to attach or mount volumes: timed out waiting for the condition',
      ),
    );
    assert.deepEqual(found?.findings, [
      'PersistentVolumeClaim "data" is Pending: ProvisioningFailed: storageclass.storage.k8s.io "fast" not found',
    ]);
    assert.match(found?.hint ?? '', /storageClassName \("fast"\)/);
  });

  test('a volume from a missing Secret: the Secret', async () => {
    const found = await explain(
      [],
      problem(
        'FailedMount',
        'pod web-1: MountVolume.SetUp failed for volume "tls" : secret "web-tls" not found',
      ),
    );
    assert.deepEqual(found?.findings, ['Secret "web-tls" does not exist in namespace "shop"']);
  });

  test('a pod too big for every node: its requests next to the most a node allocates', async () => {
    const node = (name: string, cpu: string, memory: string, spec: Record<string, unknown> = {}) =>
      object('Node', name, { spec, status: { allocatable: { cpu, memory } } });
    const found = await explain(
      [
        pod({ containers: [{ name: 'app', resources: { requests: { cpu: '6', memory: '2Gi' } } }] }),
        node('node-1', '3900m', '7Gi'),
        node('node-2', '4', '15Gi', { unschedulable: true }),
      ],
      problem('Unschedulable', 'pod web-1 cannot be scheduled: 0/2 nodes are available: 2 Insufficient cpu.'),
    );
    assert.deepEqual(found?.findings, [
      'pod web-1 requests cpu 6, memory 2Gi; of 2 nodes, the most any allocates is cpu 4, memory 15Gi (1 take no new pods: cordoned or tainted NoSchedule)',
    ]);
    assert.equal(
      found?.hint,
      "no node is big enough: lower the pod's requests (cpu to 4 or less) or add larger nodes",
    );
  });

  test('not allowed to read (403), or nothing to look at: no explanation, no error', async () => {
    const cause = problem('CreateContainerConfigError', 'container app: configmap "web-config" not found');
    assert.equal(await explain([], cause, ['ConfigMap']), undefined);
    assert.equal(await explain([], problem('CrashLoopBackOff', 'container app keeps crashing')), undefined);
    assert.equal(
      await explainFailure({} as TrackSource, 'shop', cause, AbortSignal.timeout(1000)),
      undefined,
    );
  });
});
