import type { KubeObject } from '../kube/types.js';
import { condition, describeCondition, name, str } from './fields.js';
import { generic } from './generic.js';
import { Reason } from './reasons.js';
import type { Verdict } from './types.js';
import { failed, progressing, ready } from './verdict.js';

/**
 * Built-in rules for custom resources whose semantics are well known. Each
 * cites the project's documentation of its status.
 */

/** cert-manager Certificate: Ready, and Issuing=False/Failed for a failed issuance. https://cert-manager.io/docs/usage/certificate/ */
export function certificate(object: KubeObject): Verdict {
  const early = generic(object);
  if (early) return early;
  const what = `certificate "${name(object)}"`;
  const readyCondition = condition(object, 'Ready');
  if (readyCondition?.status === 'True') return ready(Reason.Ready, `${what} is ready`);
  const issuing = condition(object, 'Issuing');
  if (issuing?.status === 'False' && issuing.reason === 'Failed') {
    return failed('IssuanceFailed', `${what}: issuance failed: ${describeCondition(issuing)}`, {
      hint: 'check the CertificateRequest, the Issuer and the ACME challenge (kubectl describe certificaterequest)',
    });
  }
  return progressing(
    readyCondition?.reason ?? Reason.Progressing,
    `${what} is not ready${readyCondition ? `: ${describeCondition(readyCondition)}` : ''}`,
  );
}

const FLUX_FAILURES = new Set([
  'InstallFailed',
  'UpgradeFailed',
  'RollbackFailed',
  'UninstallFailed',
  'TestFailed',
  'ArtifactFailed',
  'InitFailed',
  'ReconciliationFailed',
  'BuildFailed',
  'HealthCheckFailed',
  'ValidationFailed',
  'PruneFailed',
  'ChartPullFailed',
]);

/** Flux HelmRelease and Kustomization: the Ready condition and its reasons. https://fluxcd.io/flux/components/helm/helmreleases/#conditions */
export function flux(object: KubeObject): Verdict {
  const early = generic(object);
  if (early) return early;
  const what = `${(object.kind ?? '').toLowerCase()} "${name(object)}"`;
  const readyCondition = condition(object, 'Ready');
  if (readyCondition?.status === 'True')
    return ready(Reason.Ready, `${what} is ready: ${describeCondition(readyCondition)}`);
  if (readyCondition?.status === 'False' && FLUX_FAILURES.has(readyCondition.reason ?? '')) {
    return failed(readyCondition.reason ?? 'Failed', `${what}: ${describeCondition(readyCondition)}`, {
      hint: `see flux events for ${what} (flux events --for ${object.kind}/${name(object)})`,
    });
  }
  return progressing(
    readyCondition?.reason ?? Reason.Progressing,
    `${what} is not ready${readyCondition ? `: ${describeCondition(readyCondition)}` : ''}`,
  );
}

/** Argo CD Application: health and sync status. https://argo-cd.readthedocs.io/en/stable/operator-manual/health/ */
export function argoApplication(object: KubeObject): Verdict {
  const early = generic(object);
  if (early) return early;
  const what = `application "${name(object)}"`;
  const health = str(object, 'status', 'health', 'status') ?? 'Unknown';
  const sync = str(object, 'status', 'sync', 'status') ?? 'Unknown';
  const operation = str(object, 'status', 'operationState', 'phase');
  const message =
    str(object, 'status', 'health', 'message') ?? str(object, 'status', 'operationState', 'message');
  if (operation === 'Failed' || operation === 'Error') {
    return failed('SyncFailed', `${what}: sync ${operation.toLowerCase()}${message ? `: ${message}` : ''}`, {
      hint: 'see the sync result in Argo CD (argocd app get)',
    });
  }
  if (health === 'Degraded')
    return failed(Reason.Degraded, `${what} is Degraded${message ? `: ${message}` : ''}`);
  if (health === 'Healthy' && sync === 'Synced') return ready(Reason.Ready, `${what} is Healthy and Synced`);
  if (health === 'Suspended') {
    return progressing('Suspended', `${what} is Suspended`, {
      hint: 'a resource of the application is suspended (paused rollout or suspended job)',
    });
  }
  return progressing(Reason.Progressing, `${what}: health ${health}, sync ${sync}`);
}

/** external-secrets ExternalSecret: Ready, SecretSyncedError. https://external-secrets.io/latest/api/externalsecret/ */
export function externalSecret(object: KubeObject): Verdict {
  const early = generic(object);
  if (early) return early;
  const what = `externalsecret "${name(object)}"`;
  const readyCondition = condition(object, 'Ready');
  if (readyCondition?.status === 'True') return ready(Reason.Ready, `${what} is synced`);
  if (readyCondition?.status === 'False' && readyCondition.reason === 'SecretSyncedError') {
    return failed('SecretSyncedError', `${what}: ${describeCondition(readyCondition)}`, {
      hint: 'check the SecretStore credentials and that the remote key exists',
    });
  }
  return progressing(readyCondition?.reason ?? Reason.Progressing, `${what} is not synced yet`);
}

/** Bitnami SealedSecret: the Synced condition (False when the controller cannot unseal). https://github.com/bitnami-labs/sealed-secrets */
export function sealedSecret(object: KubeObject): Verdict {
  const early = generic(object);
  if (early) return early;
  const what = `sealedsecret "${name(object)}"`;
  const synced = condition(object, 'Synced');
  if (synced?.status === 'True') return ready(Reason.Ready, `${what} is unsealed`);
  if (synced?.status === 'False') {
    return failed('UnsealFailed', `${what}: ${describeCondition(synced)}`, {
      hint: 'the controller cannot decrypt it: it was sealed for another cluster, namespace or name',
    });
  }
  return progressing(Reason.Progressing, `${what} is not unsealed yet`);
}
