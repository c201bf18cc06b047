import { isReleaseRecord, recordSummary, recordVersion } from '../helm-record/codec.js';
import type { KubeObject } from '../kube/types.js';
import { FailureReason, Reason } from './reasons.js';
import type { Verdict, VerdictRule } from './types.js';
import { failed, progressing, ready } from './verdict.js';

const DOING: Record<string, string> = {
  'pending-install': 'installing',
  'pending-upgrade': 'upgrading',
  'pending-rollback': 'rolling back',
  uninstalling: 'uninstalling',
};

/**
 * The verdict on a Helm release record (the Secret or ConfigMap of one
 * revision), from the status Helm wrote in it: `deployed` is ready (and so
 * is `superseded`: it was deployed, then replaced), the `pending-*`
 * statuses progress, `failed` fails with Helm's description, and so does
 * `uninstalled`.
 */
export const helmReleaseRecord: VerdictRule = (object) => {
  const release = `release "${object.metadata?.labels?.name ?? '?'}"`;
  const revision = `revision ${recordVersion(object)}`;
  const summary = recordSummary(object);
  if (!summary.readable)
    return failed(
      FailureReason.HelmReleaseFailed,
      `${object.kind} ${object.metadata?.name} is not a Helm release: ${summary.error}`,
    );
  return verdictOf(summary.status, summary.description, `${release} ${revision}`, object);
};

function verdictOf(status: string, description: string, release: string, object: KubeObject): Verdict {
  let what = release;
  const name = object.metadata?.labels?.name ?? '';
  const namespace = object.metadata?.namespace ? ` -n ${object.metadata.namespace}` : '';
  const said = description ? `: ${description}` : '';
  const doing = DOING[status];
  if (doing) return progressing(Reason.HelmPending, `Helm is ${doing} ${what} (${status})`);
  what = `Helm ${what}`;
  switch (status) {
    case 'deployed':
      return ready(Reason.HelmDeployed, `${what} deployed${said}`);
    case 'superseded':
      return ready(Reason.HelmSuperseded, `${what} was deployed, then superseded by a newer revision`);
    case 'failed':
      return failed(FailureReason.HelmReleaseFailed, `${what} failed${said}`, {
        hint: `helm status ${name}${namespace}; helm history ${name}${namespace}`,
      });
    case 'uninstalled':
      return failed(FailureReason.HelmReleaseFailed, `${what} was uninstalled${said}`);
    default:
      return progressing(Reason.UnknownStatus, `${what} is ${status}`);
  }
}

/** The release-record rule when an object is one of Helm's records. */
export const releaseRecordRule = (object: KubeObject): VerdictRule | undefined =>
  isReleaseRecord(object) ? helmReleaseRecord : undefined;
