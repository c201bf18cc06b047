import type { KubeObject } from '../../kube/types.js';
import { bool, conditions, field } from '../fields.js';
import { describeObject, generic } from '../generic.js';
import { Reason } from '../reasons.js';
import type { VerdictRule } from '../types.js';
import { progressing, ready } from '../verdict.js';
import { conditionsRule, stateRule, suspended } from './kit.js';

/**
 * Rules for the custom resources of common operators, each with its status
 * semantics from the project's documentation or source (docs/readiness.md
 * cites them, and says why each choice was made).
 */

const isFalse = (c: { status: string }) => c.status === 'False';

/** Flux: Ready, with failure reasons; Stalled and Reconciling are generic. https://fluxcd.io/flux/components/kustomize/kustomizations/#conditions */
const flux = conditionsRule({
  ready: ['Ready'],
  hint: 'see the events of the Flux object (flux events --for KIND/NAME) and the controller logs',
  waitsWhile: suspended,
});

/** cert-manager Certificate: Ready; a failed issuance is Issuing=False/Failed. https://cert-manager.io/docs/usage/certificate/ */
const certificate = conditionsRule({
  ready: ['Ready'],
  check: (c) => (c.type === 'Issuing' && isFalse(c) && c.reason === 'Failed' ? 'failed' : undefined),
  hint: 'check the CertificateRequest, the Issuer and the ACME challenge (kubectl describe certificaterequest)',
});

/**
 * cert-manager Issuer and ClusterIssuer: Ready. False for a reason starting
 * with Err (ErrRegisterACMEAccount, ErrInitIssuer, ErrGetKeyPair) fails
 * after the grace window: the Secret it reads may come later in the release.
 */
const issuer = conditionsRule({
  ready: ['Ready'],
  check: (c) => (c.type === 'Ready' && isFalse(c) && /^Err|Fail/.test(c.reason ?? '') ? 'grace' : undefined),
  hint: 'check the issuer configuration and the Secret it refers to (kubectl describe issuer)',
});

/** cert-manager CertificateRequest: Ready; Failed, Denied or InvalidRequest end it. https://cert-manager.io/docs/usage/certificaterequest/#conditions */
const certificateRequest = conditionsRule({
  ready: ['Ready'],
  check: (c) =>
    (c.type === 'Ready' && isFalse(c) && c.reason === 'Failed') ||
    ((c.type === 'Denied' || c.type === 'InvalidRequest') && c.status === 'True')
      ? 'failed'
      : undefined,
  hint: 'the issuer refused or could not sign it: see its message and the issuer (kubectl describe issuer)',
});

/**
 * Crossplane managed and composite resources: Synced and Ready. Synced=False
 * (ReconcileError) and LastAsyncOperation=False fail after the grace window:
 * the provider retries, and its credentials may come later.
 * https://docs.crossplane.io/latest/guides/troubleshoot-crossplane/
 */
const crossplane = conditionsRule({
  ready: ['Synced', 'Ready'],
  check: (c) =>
    (c.type === 'Synced' || c.type === 'LastAsyncOperation') && isFalse(c) ? 'grace' : undefined,
  hint: 'see the resource events (kubectl describe) and the provider logs',
});

/** Crossplane packages (Provider, Configuration, Function): Installed and Healthy. */
const crossplanePackage = conditionsRule({
  ready: ['Installed', 'Healthy'],
  check: (c) => (c.type === 'Healthy' && isFalse(c) ? 'grace' : undefined),
  hint: 'see the package revision (kubectl get providerrevisions) and its events',
});

/**
 * KEDA ScaledObject and ScaledJob: Ready. Ready=False (ScaledObjectCheckFailed,
 * a trigger that cannot be reached) fails after the grace window.
 * https://keda.sh/docs/latest/reference/scaledobject-spec/
 */
const keda = conditionsRule({
  ready: ['Ready'],
  check: (c) => (c.type === 'Ready' && isFalse(c) ? 'grace' : undefined),
  hint: 'check the triggers and their authentication (kubectl describe scaledobject) and the KEDA operator logs',
});

/**
 * Knative: Ready, where False is a failure and Unknown is on its way
 * (knative.dev/pkg apis: the condition set convention), also for the
 * conditions it is made of (ConfigurationsReady, RoutesReady).
 * https://github.com/knative/specs/blob/main/specs/serving/knative-api-specification-1.0.md
 */
const knative = conditionsRule({
  ready: ['Ready'],
  check: (c) =>
    isFalse(c) && /Ready$/.test(c.type) && c.reason !== 'RevisionMissing' ? 'failed' : undefined,
  hint: 'see the Revision’s conditions and the events of its pods (kubectl describe revision)',
});

/** Tekton PipelineRun and TaskRun: Succeeded — True done, False failed, Unknown running. https://tekton.dev/docs/pipelines/pipelineruns/#monitoring-execution-status */
const tekton = conditionsRule({
  ready: ['Succeeded'],
  check: (c) => (c.type === 'Succeeded' && isFalse(c) ? 'failed' : undefined),
  hint: 'see the failed TaskRun and its step logs (tkn pipelinerun logs)',
});

/**
 * Strimzi (Kafka, KafkaTopic, KafkaUser, KafkaConnect…): Ready; NotReady=True
 * for another reason than Creating is an error the operator reports.
 * https://strimzi.io/docs/operators/latest/deploying#con-custom-resources-status-str
 */
const strimzi = conditionsRule({
  ready: ['Ready'],
  check: (c) =>
    c.type === 'NotReady' && c.status === 'True' && c.reason !== 'Creating' ? 'failed' : undefined,
  hint: 'see the condition message and the Strimzi cluster operator logs',
});

/**
 * prometheus-operator Prometheus, Alertmanager, ThanosRuler: Available and,
 * when present, Reconciled. Available is False or Degraded while pods start;
 * Reconciled=False (an invalid configuration) fails after the grace window.
 * https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.ConditionType
 */
const prometheusOperator: VerdictRule = (object, context) => {
  const reconciled = conditions(object).some((c) => c.type === 'Reconciled');
  return conditionsRule({
    ready: reconciled ? ['Available', 'Reconciled'] : ['Available'],
    check: (c) => (c.type === 'Reconciled' && isFalse(c) ? 'grace' : undefined),
    hint: 'see the condition message and the prometheus-operator logs',
  })(object, context);
};

/** Kyverno policies: Ready (`status.ready` before Kyverno 1.9); never failed: a policy waits for its webhook. https://kyverno.io/docs/policy-types/cluster-policy/ */
const kyvernoByCondition = conditionsRule({
  ready: ['Ready'],
  check: () => undefined,
  hint: 'see the policy status and the Kyverno admission controller logs',
});
const kyverno: VerdictRule = (object, context) => {
  const flag = bool(object, 'status', 'ready');
  if (conditions(object).length > 0 || flag === undefined) return kyvernoByCondition(object, context);
  const what = describeObject(object);
  return (
    generic(object) ??
    (flag
      ? ready(Reason.Ready, `${what} is ready`)
      : progressing(Reason.Progressing, `${what} is not ready yet`))
  );
};

/** external-secrets ExternalSecret: Ready; SecretSyncedError fails. https://external-secrets.io/latest/api/externalsecret/ */
const externalSecret = conditionsRule({
  ready: ['Ready'],
  check: (c) => (c.type === 'Ready' && isFalse(c) && c.reason === 'SecretSyncedError' ? 'failed' : undefined),
  hint: 'check the SecretStore credentials and that the remote key exists',
});

/** Bitnami SealedSecret: Synced; False when the controller cannot unseal it. https://github.com/bitnami-labs/sealed-secrets */
const sealedSecret = conditionsRule({
  ready: ['Synced'],
  check: (c) => (c.type === 'Synced' && isFalse(c) ? 'failed' : undefined),
  hint: 'the controller cannot decrypt it: it was sealed for another cluster, namespace or name',
});

/** Argo CD ApplicationSet: ErrorOccurred fails; ResourcesUpToDate is ready. https://argo-cd.readthedocs.io/en/stable/operator-manual/applicationset/Controlling-Resource-Modification/ */
const applicationSet = conditionsRule({
  ready: ['ResourcesUpToDate'],
  check: (c) =>
    c.type === 'ErrorOccurred' && c.status === 'True'
      ? 'failed'
      : c.type === 'RolloutProgressing' && c.status === 'True'
        ? 'waits'
        : undefined,
  hint: 'see the ApplicationSet conditions and the applicationset-controller logs',
});

/** Flagger Canary: Initialized and Succeeded are ready, Failed failed. https://docs.flagger.app/usage/how-it-works#canary-status */
const canary = stateRule({
  field: 'phase',
  ready: ['Initialized', 'Succeeded'],
  failed: ['Failed'],
  hint: 'the canary analysis failed and was rolled back: see the Canary events (kubectl describe canary)',
});

/** Argo Workflows Workflow: Succeeded; Failed and Error fail. https://argo-workflows.readthedocs.io/en/latest/fields/#workflowstatus */
const workflow = stateRule({
  field: 'phase',
  ready: ['Succeeded'],
  failed: ['Failed', 'Error'],
  message: 'message',
  hint: 'see the failed step (argo get) and its logs (argo logs)',
});

/**
 * Zalando postgres-operator postgresql: Running; Creating and Updating on
 * their way; anything else (CreateFailed, UpdateFailed, SyncFailed,
 * DeleteFailed, Invalid) failed. pkg/apis/acid.zalan.do/v1/const.go
 */
const zalandoPostgres = stateRule({
  field: 'PostgresClusterStatus',
  ready: ['Running'],
  progressing: ['Creating', 'Updating'],
  failed: 'others',
  hint: 'see the postgres-operator logs for the cluster (kubectl logs deploy/postgres-operator)',
});

/**
 * CloudNativePG Cluster: status.phase is a sentence; "Cluster in healthy
 * state" is ready, the ones that need someone are failed.
 * https://github.com/cloudnative-pg/cloudnative-pg/blob/main/api/v1/cluster_types.go
 */
const cnpg = stateRule({
  field: 'phase',
  ready: ['Cluster in healthy state'],
  failed: [
    'Unable to create required cluster objects',
    'Cluster cannot proceed to reconciliation due to an unknown plugin being required',
    'Cluster has incomplete or invalid image catalog',
    'Cluster is unrecoverable and needs manual intervention',
    'Cluster cannot execute instance online upgrade due to missing architecture binary',
  ],
  message: 'phaseReason',
  hint: 'see the cluster status (kubectl cnpg status) and the operator logs',
});

/** Longhorn Volume: attached or detached; Backup: Completed, Error fails. longhorn-manager k8s/pkg/apis/longhorn/v1beta2 */
const longhornVolume = stateRule({
  field: 'state',
  ready: ['attached', 'detached'],
  failed: [],
  hint: 'see the volume in the Longhorn UI',
});
const longhornBackup = stateRule({
  field: 'state',
  ready: ['Completed'],
  failed: ['Error'],
  message: 'error',
  hint: 'see the backup target settings and the Longhorn manager logs',
});

/** Whether an object is a Crossplane managed resource, composite or claim (their groups are the providers' and the platform's own). */
export function isCrossplaneManaged(object: KubeObject): boolean {
  const group = (object.apiVersion ?? '').split('/')[0] ?? '';
  if (group === 'pkg.crossplane.io' || group === 'apiextensions.crossplane.io') return false;
  if (/(^|\.)(crossplane\.io|upbound\.io)$/.test(group)) return true;
  return ['forProvider', 'providerConfigRef', 'compositionRef', 'crossplane', 'resourceRef'].some(
    (key) => field(object, 'spec', key) !== undefined,
  );
}

/** The Flux toolkit kinds, by group. */
const FLUX_KINDS: Record<string, readonly string[]> = {
  'kustomize.toolkit.fluxcd.io': ['Kustomization'],
  'helm.toolkit.fluxcd.io': ['HelmRelease'],
  'source.toolkit.fluxcd.io': ['GitRepository', 'HelmRepository', 'OCIRepository', 'HelmChart', 'Bucket'],
  'image.toolkit.fluxcd.io': ['ImageRepository', 'ImagePolicy', 'ImageUpdateAutomation'],
  'notification.toolkit.fluxcd.io': ['Receiver'],
};

const STRIMZI_KINDS = [
  'Kafka',
  'KafkaTopic',
  'KafkaUser',
  'KafkaConnect',
  'KafkaConnector',
  'KafkaBridge',
  'KafkaMirrorMaker2',
  'KafkaNodePool',
  'KafkaRebalance',
];

const KNATIVE_SERVING = ['Service', 'Route', 'Configuration', 'Revision', 'DomainMapping'];

/** Rules by "group/Kind". */
export const OPERATOR_RULES: Readonly<Record<string, VerdictRule>> = {
  ...Object.fromEntries(
    Object.entries(FLUX_KINDS).flatMap(([group, kinds]) => kinds.map((kind) => [`${group}/${kind}`, flux])),
  ),
  'cert-manager.io/Certificate': certificate,
  'cert-manager.io/Issuer': issuer,
  'cert-manager.io/ClusterIssuer': issuer,
  'cert-manager.io/CertificateRequest': certificateRequest,
  'pkg.crossplane.io/Provider': crossplanePackage,
  'pkg.crossplane.io/Configuration': crossplanePackage,
  'pkg.crossplane.io/Function': crossplanePackage,
  'keda.sh/ScaledObject': keda,
  'keda.sh/ScaledJob': keda,
  ...Object.fromEntries(KNATIVE_SERVING.map((kind) => [`serving.knative.dev/${kind}`, knative])),
  'eventing.knative.dev/Broker': knative,
  'eventing.knative.dev/Trigger': knative,
  'tekton.dev/PipelineRun': tekton,
  'tekton.dev/TaskRun': tekton,
  ...Object.fromEntries(STRIMZI_KINDS.map((kind) => [`kafka.strimzi.io/${kind}`, strimzi])),
  'monitoring.coreos.com/Prometheus': prometheusOperator,
  'monitoring.coreos.com/PrometheusAgent': prometheusOperator,
  'monitoring.coreos.com/Alertmanager': prometheusOperator,
  'monitoring.coreos.com/ThanosRuler': prometheusOperator,
  'kyverno.io/Policy': kyverno,
  'kyverno.io/ClusterPolicy': kyverno,
  'external-secrets.io/ExternalSecret': externalSecret,
  'bitnami.com/SealedSecret': sealedSecret,
  'argoproj.io/ApplicationSet': applicationSet,
  'argoproj.io/Workflow': workflow,
  'flagger.app/Canary': canary,
  'acid.zalan.do/postgresql': zalandoPostgres,
  'postgresql.cnpg.io/Cluster': cnpg,
  'longhorn.io/Volume': longhornVolume,
  'longhorn.io/Backup': longhornBackup,
};

/** The rule of a Crossplane managed resource, composite or claim, for objects no group/Kind rule matched. */
export const crossplaneRule = crossplane;
