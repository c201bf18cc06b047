import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeObject } from '../../src/kube/types.js';
import { deletionVerdict } from '../../src/status/deletion.js';

const now = new Date('2026-12-01T10:00:00Z');
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000).toISOString();

function object(kind: string, name: string, metadata: Record<string, unknown> = {}, rest = {}): KubeObject {
  return { apiVersion: 'v1', kind, metadata: { name, namespace: 'default', ...metadata }, ...rest };
}

const said = (o: KubeObject, dependents?: Parameters<typeof deletionVerdict>[2]) => {
  const verdict = deletionVerdict(o, now, dependents);
  assert.equal(verdict.state, 'progressing');
  return `${verdict.reason}: ${verdict.message}`;
};

describe('why a deletion is not done', () => {
  test('nobody asked: it exists and is not being deleted, with how to delete it', () => {
    const verdict = deletionVerdict(object('ConfigMap', 'settings'), now);
    assert.equal(verdict.message, 'configmap "settings" exists and is not being deleted');
    assert.equal(verdict.hint, 'delete it (kubectl delete configmap settings), or wait for what deletes it');
  });

  test('finalizers are named; those of Kubernetes itself say what removes them', () => {
    const claim = object('PersistentVolumeClaim', 'data', {
      deletionTimestamp: ago(10),
      finalizers: ['kubernetes.io/pvc-protection', 'backup.example.com/snapshot'],
    });
    assert.equal(
      said(claim),
      'FinalizersPending: persistentvolumeclaim "data" is being deleted; waiting for its finalizers: kubernetes.io/pvc-protection (removed once no pod uses the claim), backup.example.com/snapshot',
    );
    assert.match(deletionVerdict(claim, now).hint ?? '', /removed by the controller that added it/);
  });

  test('foreground deletion: what is left of the dependents, by kind, with the terminating pods', () => {
    const deployment = object('Deployment', 'web', {
      deletionTimestamp: ago(5),
      finalizers: ['foregroundDeletion'],
    });
    const pods = [object('Pod', 'web-a', { deletionTimestamp: ago(-25) }), object('Pod', 'web-b')];
    assert.equal(
      said(deployment, { owned: [object('ReplicaSet', 'web-1'), object('ReplicaSet', 'web-2')], pods }),
      'DependentsPending: deployment "web": deleting its dependents first (foreground deletion): 2 ReplicaSets, 2 pods (1 terminating) left',
    );
    assert.equal(
      said(deployment),
      'DependentsPending: deployment "web": deleting its dependents first (foreground deletion)',
    );
  });

  test("a Namespace: what its deletion conditions say is left, and its spec's finalizer", () => {
    const namespace = object(
      'Namespace',
      'staging',
      { namespace: undefined, deletionTimestamp: ago(60) },
      {
        spec: { finalizers: ['kubernetes'] },
        status: {
          phase: 'Terminating',
          conditions: [
            { type: 'NamespaceDeletionDiscoveryFailure', status: 'False', reason: 'ResourcesDiscovered' },
            {
              type: 'NamespaceContentRemaining',
              status: 'True',
              reason: 'SomeResourcesRemain',
              message: 'Some resources are remaining: pods. has 2 resource instances',
            },
          ],
        },
      },
    );
    assert.equal(
      said(namespace),
      'FinalizersPending: namespace "staging" is being deleted; Some resources are remaining: pods. has 2 resource instances; waiting for its finalizer: kubernetes (removed once every object in the namespace is deleted)',
    );
  });

  test('a pod within its grace period: its running containers and the time left', () => {
    const pod = object(
      'Pod',
      'web-a',
      { deletionTimestamp: ago(-25), deletionGracePeriodSeconds: 30 },
      {
        spec: { nodeName: 'node-1' },
        status: {
          containerStatuses: [
            { name: 'app', state: { running: {} } },
            { name: 'proxy', state: { terminated: { exitCode: 0 } } },
          ],
        },
      },
    );
    assert.equal(
      said(pod),
      'Terminating: pod "web-a" is terminating: container app still running; its grace period ends in 25s',
    );
  });

  test('a pod past its grace period: the kubelet of its node has not confirmed, with what to do', () => {
    const pod = object(
      'Pod',
      'web-a',
      { deletionTimestamp: ago(90) },
      {
        spec: { nodeName: 'node-1' },
        status: { containerStatuses: [{ name: 'app', state: { running: {} } }] },
      },
    );
    const verdict = deletionVerdict(pod, now);
    assert.equal(
      verdict.message,
      'pod "web-a" is terminating: container app still running, 1m30s past its grace period; the kubelet on node-1 has not confirmed',
    );
    assert.match(verdict.hint ?? '', /--force --grace-period=0/);
  });

  test('another kind being deleted without finalizers: being deleted (the API server removes it next)', () => {
    assert.equal(
      said(object('Service', 'web', { deletionTimestamp: ago(1) })),
      'Terminating: service "web" is being deleted',
    );
  });
});
