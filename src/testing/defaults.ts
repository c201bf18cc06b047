import type { ResourceType } from '../kube/resources.js';
import type { KubeObject } from '../kube/types.js';
import { statusError } from './status.js';

/**
 * The defaults the API server fills in at creation (pkg/apis/{apps,batch,core}/v1/defaults.go),
 * for the fields clients read back: update strategies, progress deadline,
 * restart policy, Job limits. kubectl rollout status, for one, reads
 * spec.updateStrategy.type and refuses anything but RollingUpdate.
 */
export function applyDefaults(type: ResourceType, object: KubeObject): void {
  const spec = object.spec as Record<string, unknown> | undefined;
  if (!spec || typeof spec !== 'object') return;
  const template = spec.template as { spec?: Record<string, unknown> } | undefined;
  if (type.kind === 'Job') {
    // A Job's pods must not restart forever: the real API server has no default here and refuses the Job.
    const policy = template?.spec?.restartPolicy;
    if (policy !== 'Never' && policy !== 'OnFailure') {
      throw statusError(
        422,
        'Invalid',
        `Job.batch "${object.metadata.name}" is invalid: spec.template.spec.restartPolicy: ${policy === undefined ? 'Required value' : `Unsupported value: "${String(policy)}"`}: supported values: "OnFailure", "Never"`,
      );
    }
  }
  if (template?.spec) defaultPodSpec(template.spec);
  switch (type.kind) {
    case 'Pod':
      defaultPodSpec(spec);
      break;
    case 'Deployment':
      spec.replicas ??= 1;
      spec.strategy ??= { type: 'RollingUpdate' };
      if ((spec.strategy as { type?: string }).type === 'RollingUpdate') {
        (spec.strategy as Record<string, unknown>).rollingUpdate ??= {
          maxSurge: '25%',
          maxUnavailable: '25%',
        };
      }
      spec.progressDeadlineSeconds ??= 600;
      spec.revisionHistoryLimit ??= 10;
      break;
    case 'StatefulSet':
      spec.replicas ??= 1;
      spec.updateStrategy ??= { type: 'RollingUpdate', rollingUpdate: { partition: 0 } };
      spec.podManagementPolicy ??= 'OrderedReady';
      spec.revisionHistoryLimit ??= 10;
      break;
    case 'DaemonSet':
      spec.updateStrategy ??= { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } };
      spec.revisionHistoryLimit ??= 10;
      break;
    case 'ReplicaSet':
      spec.replicas ??= 1;
      break;
    case 'Job':
      generateJobSelector(object, spec);
      spec.backoffLimit ??= 6;
      spec.completions ??= 1;
      spec.parallelism ??= 1;
      spec.suspend ??= false;
      break;
    default:
      break;
  }
}

/**
 * What the real API server does to a Job without `manualSelector: true`
 * (pkg/registry/batch/job/strategy.go, generateSelector): its pods are
 * selected by its uid, and its template labels them so.
 */
function generateJobSelector(job: KubeObject, spec: Record<string, unknown>): void {
  if (spec.manualSelector === true || !job.metadata.uid) return;
  const uid = job.metadata.uid;
  const template = (spec.template ?? {}) as { metadata?: { labels?: Record<string, string> } };
  template.metadata = {
    ...template.metadata,
    labels: {
      ...template.metadata?.labels,
      'batch.kubernetes.io/controller-uid': uid,
      'batch.kubernetes.io/job-name': job.metadata.name ?? '',
      'controller-uid': uid,
      'job-name': job.metadata.name ?? '',
    },
  };
  spec.template = template;
  spec.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
}

function defaultPodSpec(spec: Record<string, unknown>): void {
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.schedulerName ??= 'default-scheduler';
}
