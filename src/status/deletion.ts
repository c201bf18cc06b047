import { isReleaseRecord } from '../helm-record/codec.js';
import { formatDuration } from '../kube/duration.js';
import type { KubeObject } from '../kube/types.js';
import { conditions, str } from './fields.js';
import { describeObject } from './generic.js';
import { Reason } from './reasons.js';
import { identifiable } from './shape.js';
import type { Verdict } from './types.js';
import { progressing } from './verdict.js';

/** What is known still to exist of an object's dependents (a Deployment's ReplicaSets and pods). */
export interface Dependents {
  /** Objects it owns directly, besides pods (ReplicaSets, ControllerRevisions). */
  owned: readonly KubeObject[];
  /** Its pods. */
  pods: readonly KubeObject[];
}

const NO_DEPENDENTS: Dependents = { owned: [], pods: [] };

/**
 * Finalizers Kubernetes itself sets, and what removes them. Any other is
 * removed by the controller that added it.
 */
const KNOWN_FINALIZERS: Readonly<Record<string, string>> = {
  'kubernetes.io/pvc-protection': 'removed once no pod uses the claim',
  'kubernetes.io/pv-protection': 'removed once no claim is bound to the volume',
  orphan: 'removed once its dependents no longer name it as their owner',
  'batch.kubernetes.io/job-tracking': 'removed once the Job controller has counted the pod',
  'service.kubernetes.io/load-balancer-cleanup': 'removed once the load balancer is deleted',
  kubernetes: 'removed once every object in the namespace is deleted',
};

/** A Namespace's conditions that say what its deletion still waits for. */
const NAMESPACE_DELETION_CONDITIONS = new Set([
  'NamespaceContentRemaining',
  'NamespaceFinalizersRemaining',
  'NamespaceDeletionDiscoveryFailure',
  'NamespaceDeletionContentFailure',
  'NamespaceDeletionGroupVersionParsingFailure',
]);

const FINALIZER_HINT =
  'a finalizer is removed by the controller that added it: if that controller is gone or failing, the object stays (removing the finalizer by hand skips its cleanup)';
const FOREGROUND_HINT =
  'foreground deletion deletes the dependents first; a dependent that stays may itself wait for a finalizer';
const LOST_NODE_HINT =
  'a pod whose node does not answer is removed once the node is back or deleted; kubectl delete pod --force --grace-period=0 removes the object without waiting for it';

/** How a person deletes the object: a Helm release's record goes with its release. */
function deleteCommand(object: KubeObject): string {
  if (isReleaseRecord(object)) {
    const namespace = object.metadata.namespace ? ` -n ${object.metadata.namespace}` : '';
    return `helm uninstall ${object.metadata.labels?.name ?? ''}${namespace}`;
  }
  return `kubectl delete ${(object.kind ?? '').toLowerCase()} ${object.metadata.name ?? ''}`;
}

/**
 * Why an object is not gone yet, for a track waiting for its deletion
 * (`until: 'deleted'`): not being deleted at all; waiting for its
 * dependents (foreground deletion), for finalizers (named, with what
 * removes Kubernetes' own), for a namespace's content; a pod still
 * terminating (its containers still running, its grace period). Always
 * `progressing`: the deletion itself is the end. `dependents`: what is left
 * of them, for a foreground deletion.
 * @example
 * import { deletionVerdict } from 'kubedog';
 *
 * const claim = {
 *   apiVersion: 'v1',
 *   kind: 'PersistentVolumeClaim',
 *   metadata: { name: 'data', deletionTimestamp: '2026-12-01T10:00:00Z', finalizers: ['kubernetes.io/pvc-protection'] },
 * };
 * console.log(deletionVerdict(claim, new Date()).message);
 * // prints: persistentvolumeclaim "data" is being deleted; waiting for its finalizer: kubernetes.io/pvc-protection (removed once no pod uses the claim)
 */
export function deletionVerdict(
  object: KubeObject,
  now: Date,
  dependents: Dependents = NO_DEPENDENTS,
): Verdict {
  // Never throws, whatever it is given: a verdict is read from what the object has.
  object = identifiable(object);
  const what = describeObject(object);
  const requested = str(object, 'metadata', 'deletionTimestamp');
  if (!requested)
    return progressing(Reason.NotDeleting, `${what} exists and is not being deleted`, {
      hint: `delete it (${deleteCommand(object)}), or wait for what deletes it`,
    });
  const finalizers = finalizersOf(object);
  if (finalizers.includes('foregroundDeletion'))
    return progressing(Reason.DependentsPending, `${what}: ${foreground(dependents)}`, {
      hint: FOREGROUND_HINT,
    });
  const namespace = object.kind === 'Namespace' ? namespaceRemaining(object) : [];
  if (finalizers.length > 0 || namespace.length > 0) {
    const parts = [...namespace, ...(finalizers.length > 0 ? [waitingFor(finalizers)] : [])];
    return progressing(Reason.FinalizersPending, `${what} is being deleted; ${parts.join('; ')}`, {
      hint: FINALIZER_HINT,
    });
  }
  if (object.kind === 'Pod') return podTerminating(object, what, Date.parse(requested), now);
  return progressing(Reason.Terminating, `${what} is being deleted`);
}

/** `metadata.finalizers`, and a Namespace's `spec.finalizers`. */
function finalizersOf(object: KubeObject): string[] {
  const own = (object.metadata.finalizers as string[] | undefined) ?? [];
  const spec = object.kind === 'Namespace' ? (object.spec as { finalizers?: string[] })?.finalizers : [];
  return [...own, ...(spec ?? [])];
}

function waitingFor(finalizers: string[]): string {
  const named = finalizers.map((f) => (KNOWN_FINALIZERS[f] ? `${f} (${KNOWN_FINALIZERS[f]})` : f));
  return `waiting for ${finalizers.length === 1 ? 'its finalizer' : 'its finalizers'}: ${named.join(', ')}`;
}

function foreground({ owned, pods }: Dependents): string {
  const counts: string[] = [];
  const byKind = new Map<string, number>();
  for (const dependent of owned)
    byKind.set(dependent.kind ?? 'object', (byKind.get(dependent.kind ?? 'object') ?? 0) + 1);
  for (const [kind, count] of byKind) counts.push(`${count} ${kind}${count === 1 ? '' : 's'}`);
  if (pods.length > 0) {
    const terminating = pods.filter((pod) => pod.metadata.deletionTimestamp).length;
    counts.push(
      `${pods.length} pod${pods.length === 1 ? '' : 's'}${terminating > 0 ? ` (${terminating} terminating)` : ''}`,
    );
  }
  const left = counts.length > 0 ? `: ${counts.join(', ')} left` : '';
  return `deleting its dependents first (foreground deletion)${left}`;
}

/** What a Namespace's deletion conditions say is left (content, finalizers, failures). */
function namespaceRemaining(namespace: KubeObject): string[] {
  return conditions(namespace)
    .filter((c) => NAMESPACE_DELETION_CONDITIONS.has(c.type) && c.status === 'True')
    .map((c) => c.message ?? c.reason ?? c.type);
}

/** A pod's `deletionTimestamp` is when its grace period ends; past it, the kubelet has not confirmed. */
function podTerminating(pod: KubeObject, what: string, graceEnds: number, now: Date): Verdict {
  const running = runningContainers(pod);
  const still =
    running.length > 0
      ? `container${running.length === 1 ? '' : 's'} ${running.join(', ')} still running`
      : 'its containers have stopped';
  const left = graceEnds - now.getTime();
  if (left > 0)
    return progressing(
      Reason.Terminating,
      `${what} is terminating: ${still}; its grace period ends in ${formatDuration(roundSeconds(left))}`,
    );
  const node = str(pod, 'spec', 'nodeName');
  return progressing(
    Reason.Terminating,
    `${what} is terminating: ${still}, ${formatDuration(roundSeconds(-left))} past its grace period; the kubelet${node ? ` on ${node}` : ''} has not confirmed`,
    { hint: LOST_NODE_HINT },
  );
}

const roundSeconds = (ms: number) => Math.max(1000, Math.round(ms / 1000) * 1000);

function runningContainers(pod: KubeObject): string[] {
  const statuses = (pod.status as { containerStatuses?: { name: string; state?: { running?: unknown } }[] })
    ?.containerStatuses;
  return (statuses ?? []).filter((s) => s.state?.running).map((s) => s.name);
}
