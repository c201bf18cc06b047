import type { KubeObject } from '../kube/types.js';
import { name, str } from './fields.js';
import { generic } from './generic.js';
import { Reason } from './reasons.js';
import { redactCredentials } from './redact.js';
import type { Verdict, VerdictContext } from './types.js';
import { failed, progressing, ready } from './verdict.js';

/**
 * PersistentVolumeClaim: Bound → ready; Lost → failed; Pending → progressing,
 * with the latest ProvisioningFailed event as the message (a claim waiting
 * for its first consumer, WaitForFirstConsumer, is pending by design).
 */
export function persistentVolumeClaim(object: KubeObject, context: VerdictContext): Verdict {
  const early = generic(object);
  if (early) return early;
  const claim = name(object);
  const phase = str(object, 'status', 'phase') ?? 'Pending';
  if (phase === 'Bound')
    return ready(
      Reason.Ready,
      `persistentvolumeclaim "${claim}" is bound to ${str(object, 'spec', 'volumeName') ?? 'a volume'}`,
    );
  if (phase === 'Lost') {
    return failed(
      Reason.ClaimLost,
      `persistentvolumeclaim "${claim}" lost its volume ${str(object, 'spec', 'volumeName') ?? ''}`.trim(),
      {
        hint: 'the bound PersistentVolume no longer exists: restore it or recreate the claim',
      },
    );
  }
  const provisioning = [...(context.events ?? [])]
    .reverse()
    .find((e) => str(e, 'reason') === 'ProvisioningFailed' && str(e, 'involvedObject', 'name') === claim);
  if (provisioning) {
    return progressing(
      Reason.ClaimPending,
      `persistentvolumeclaim "${claim}" is pending: ${redactCredentials(str(provisioning, 'message') ?? '')}`,
      {
        hint: 'the volume cannot be provisioned: check the StorageClass and its provisioner',
      },
    );
  }
  const waitingForConsumer = (context.events ?? []).some(
    (e) => str(e, 'reason') === 'WaitForFirstConsumer' && str(e, 'involvedObject', 'name') === claim,
  );
  return progressing(
    Reason.ClaimPending,
    `persistentvolumeclaim "${claim}" is pending${waitingForConsumer ? ': waiting for a pod to use it (WaitForFirstConsumer)' : ''}`,
  );
}
