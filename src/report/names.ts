import type { ResourceRef } from '../track/resource-ref.js';

/** kubectl's short names, as every output names resources. */
const SHORT_KINDS: Record<string, string> = {
  Deployment: 'deploy',
  StatefulSet: 'sts',
  DaemonSet: 'ds',
  ReplicaSet: 'rs',
  Job: 'job',
  Pod: 'po',
  Service: 'svc',
  Ingress: 'ing',
  PersistentVolumeClaim: 'pvc',
};

/** A Helm release record's name (`sh.helm.release.v1.shop.v3`): shown as `helm/shop:v3`. */
const HELM_RECORD = /^sh\.helm\.release\.v1\.(.+)\.v(\d+)$/;

/** `deploy/web`, or `shop/deploy/web` across namespaces; a Helm release's record `helm/shop:v3`. */
export function resourceName(resource: ResourceRef, namespaces = false): string {
  const release = HELM_RECORD.exec(resource.name);
  const name =
    release && (resource.kind === 'Secret' || resource.kind === 'ConfigMap')
      ? `helm/${release[1]}:v${release[2]}`
      : `${SHORT_KINDS[resource.kind] ?? resource.kind.toLowerCase()}/${resource.name}`;
  return namespaces && resource.namespace ? `${resource.namespace}/${name}` : name;
}

/** `4.2s`, `2m03s`: how long a track took. */
export function formatElapsed(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes}m${String(Math.floor((ms % 60_000) / 1000)).padStart(2, '0')}s`;
}

/** `Reason: message`, or just the message when it already says the reason. */
export const reasoned = (reason: string, message: string) =>
  message.includes(reason) ? message : `${reason}: ${message}`;
