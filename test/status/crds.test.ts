import { describe } from 'node:test';
import { ago, type Case, object, runCases } from './cases.js';

/**
 * Built-in rules for the custom resources people deploy with: for each,
 * ready, progressing and failed, with status shapes as their controllers
 * write them (docs/readiness.md cites where each comes from).
 */

type C = {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  observedGeneration?: number;
};
const withConditions =
  (apiVersion: string, kind: string) =>
  (conditions: C[], extra: Record<string, unknown> = {}) =>
    object(apiVersion, kind, { conditions, ...extra });

const rollout = (status: Record<string, unknown>, metadata: Record<string, unknown> = {}) =>
  object('argoproj.io/v1alpha1', 'Rollout', status, {
    metadata: { name: 'web', generation: 3, ...metadata },
  });

const argoRollouts: Case[] = [
  {
    name: 'Rollout Healthy',
    object: rollout({
      phase: 'Healthy',
      observedGeneration: '3',
      conditions: [{ type: 'Available', status: 'True' }],
    }),
    state: 'ready',
  },
  {
    name: 'Rollout Progressing',
    object: rollout({
      phase: 'Progressing',
      message: 'more replicas need to be updated',
      observedGeneration: '3',
    }),
    state: 'progressing',
    message: 'rollout "web" is Progressing: more replicas need to be updated',
  },
  {
    name: 'Rollout paused at a canary step: progressing, with how to promote',
    object: rollout({
      phase: 'Paused',
      message: 'CanaryPauseStep',
      observedGeneration: '3',
      pauseConditions: [{ reason: 'CanaryPauseStep', startTime: ago(30) }],
    }),
    state: 'progressing',
    reason: 'Paused',
    hint: /promote/,
  },
  {
    name: 'Rollout Degraded, with Available=True beside it: failed',
    object: rollout({
      phase: 'Degraded',
      message: 'ProgressDeadlineExceeded: ReplicaSet "web-6d4f" has timed out progressing.',
      observedGeneration: '3',
      conditions: [
        { type: 'Available', status: 'True' },
        { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' },
      ],
    }),
    state: 'failed',
    reason: 'Degraded',
  },
  {
    name: 'Rollout aborted by an analysis',
    object: rollout({
      phase: 'Degraded',
      abort: true,
      message: 'RolloutAborted: Rollout aborted update to revision 4: Metric "success-rate" assessed Failed',
      observedGeneration: '3',
    }),
    state: 'failed',
    reason: 'RolloutAborted',
  },
  {
    name: 'Rollout InvalidSpec',
    object: rollout({
      observedGeneration: '3',
      conditions: [
        { type: 'InvalidSpec', status: 'True', reason: 'InvalidSpec', message: 'missing canary steps' },
      ],
    }),
    state: 'failed',
    reason: 'InvalidSpec',
  },
  {
    name: 'Rollout whose spec was not observed yet (observedGeneration as a string)',
    object: rollout({ phase: 'Healthy', observedGeneration: '2' }),
    state: 'progressing',
    reason: 'SpecNotObserved',
  },
];

const canary = (phase: string) =>
  object('flagger.app/v1beta1', 'Canary', {
    phase,
    canaryWeight: 0,
    conditions: [{ type: 'Promoted', status: 'True' }],
  });
const flagger: Case[] = [
  { name: 'Canary Initialized (a first deploy): ready', object: canary('Initialized'), state: 'ready' },
  { name: 'Canary Succeeded', object: canary('Succeeded'), state: 'ready' },
  { name: 'Canary Progressing', object: canary('Progressing'), state: 'progressing' },
  { name: 'Canary WaitingPromotion', object: canary('WaitingPromotion'), state: 'progressing' },
  { name: 'Canary Failed', object: canary('Failed'), state: 'failed', hint: /rolled back/ },
];

const appSet = withConditions('argoproj.io/v1alpha1', 'ApplicationSet');
const workflow = (phase: string, message?: string) =>
  object('argoproj.io/v1alpha1', 'Workflow', { phase, ...(message ? { message } : {}) });
const argo: Case[] = [
  {
    name: 'ApplicationSet up to date',
    object: appSet([
      { type: 'ErrorOccurred', status: 'False', reason: 'ApplicationSetUpToDate' },
      { type: 'ResourcesUpToDate', status: 'True', reason: 'ApplicationSetUpToDate' },
    ]),
    state: 'ready',
  },
  {
    name: 'ApplicationSet rolling out',
    object: appSet([
      { type: 'ResourcesUpToDate', status: 'True' },
      { type: 'RolloutProgressing', status: 'True', reason: 'ApplicationSetModified' },
    ]),
    state: 'progressing',
  },
  {
    name: 'ApplicationSet ErrorOccurred',
    object: appSet([
      {
        type: 'ErrorOccurred',
        status: 'True',
        reason: 'ApplicationGenerationFromParamsError',
        message: 'bad template',
      },
      { type: 'ResourcesUpToDate', status: 'False', reason: 'ApplicationGenerationFromParamsError' },
    ]),
    state: 'failed',
    reason: 'ApplicationGenerationFromParamsError',
  },
  { name: 'Workflow Succeeded', object: workflow('Succeeded'), state: 'ready' },
  { name: 'Workflow Running', object: workflow('Running'), state: 'progressing' },
  {
    name: 'Workflow Failed, with its message',
    object: workflow('Failed', 'child "build" failed'),
    state: 'failed',
    message: 'workflow "x" is Failed: child "build" failed',
  },
  { name: 'Workflow Error', object: workflow('Error'), state: 'failed' },
];

const gitRepository = withConditions('source.toolkit.fluxcd.io/v1', 'GitRepository');
const ociRepository = withConditions('source.toolkit.fluxcd.io/v1beta2', 'OCIRepository');
const helmRepository = withConditions('source.toolkit.fluxcd.io/v1', 'HelmRepository');
const fluxSources: Case[] = [
  {
    name: 'GitRepository ready',
    object: gitRepository([
      {
        type: 'Ready',
        status: 'True',
        reason: 'Succeeded',
        message: "stored artifact for revision 'main@sha1:1a2b'",
      },
      { type: 'ArtifactInStorage', status: 'True', reason: 'Succeeded' },
    ]),
    state: 'ready',
  },
  {
    name: 'GitRepository authentication failed',
    object: gitRepository([
      { type: 'Ready', status: 'False', reason: 'AuthenticationFailed', message: 'ssh: handshake failed' },
      { type: 'FetchFailed', status: 'True', reason: 'AuthenticationFailed' },
    ]),
    state: 'failed',
    reason: 'AuthenticationFailed',
  },
  {
    name: 'GitRepository suspended: not reconciled, so not ready',
    object: object(
      'source.toolkit.fluxcd.io/v1',
      'GitRepository',
      { conditions: [{ type: 'Ready', status: 'True' }] },
      { spec: { suspend: true } },
    ),
    state: 'progressing',
    message: /suspended/,
  },
  {
    name: 'OCIRepository pulling',
    object: ociRepository([
      { type: 'Reconciling', status: 'True', reason: 'Progressing' },
      { type: 'Ready', status: 'Unknown', reason: 'Progressing' },
    ]),
    state: 'progressing',
  },
  {
    name: 'OCIRepository pull failed',
    object: ociRepository([
      { type: 'Ready', status: 'False', reason: 'OCIPullFailed', message: 'manifest unknown' },
    ]),
    state: 'failed',
  },
  {
    name: 'HelmRepository ready',
    object: helmRepository([{ type: 'Ready', status: 'True' }]),
    state: 'ready',
  },
  {
    name: 'HelmRepository index failed',
    object: helmRepository([{ type: 'Ready', status: 'False', reason: 'IndexationFailed' }]),
    state: 'failed',
  },
  {
    name: 'HelmRelease whose Ready is older than its spec (per-condition observedGeneration)',
    object: object(
      'helm.toolkit.fluxcd.io/v2',
      'HelmRelease',
      { conditions: [{ type: 'Ready', status: 'True', observedGeneration: 4 }] },
      { metadata: { generation: 5 } },
    ),
    state: 'progressing',
    reason: 'SpecNotObserved',
  },
];

const issuer = withConditions('cert-manager.io/v1', 'Issuer');
const clusterIssuer = withConditions('cert-manager.io/v1', 'ClusterIssuer');
const request = withConditions('cert-manager.io/v1', 'CertificateRequest');
const certManager: Case[] = [
  {
    name: 'Issuer ready',
    object: issuer([{ type: 'Ready', status: 'True', reason: 'KeyPairVerified' }]),
    state: 'ready',
  },
  {
    name: 'Issuer whose CA Secret is missing, for seconds: waits (it may come with the release)',
    object: issuer([
      {
        type: 'Ready',
        status: 'False',
        reason: 'ErrGetKeyPair',
        message: 'secret "ca" not found',
        lastTransitionTime: ago(10),
      },
    ]),
    state: 'progressing',
    reason: 'ErrGetKeyPair',
  },
  {
    name: 'Issuer whose CA Secret is missing beyond the grace window: failed',
    object: issuer([
      {
        type: 'Ready',
        status: 'False',
        reason: 'ErrGetKeyPair',
        message: 'secret "ca" not found',
        lastTransitionTime: ago(90),
      },
    ]),
    state: 'failed',
    reason: 'ErrGetKeyPair',
    message: /\(for 90s\)$/,
  },
  {
    name: 'ClusterIssuer ACME account not registered, beyond the grace window',
    object: clusterIssuer([
      { type: 'Ready', status: 'False', reason: 'ErrRegisterACMEAccount', lastTransitionTime: ago(120) },
    ]),
    state: 'failed',
  },
  { name: 'ClusterIssuer ready', object: clusterIssuer([{ type: 'Ready', status: 'True' }]), state: 'ready' },
  {
    name: 'CertificateRequest pending',
    object: request([
      { type: 'Approved', status: 'True' },
      { type: 'Ready', status: 'False', reason: 'Pending' },
    ]),
    state: 'progressing',
  },
  {
    name: 'CertificateRequest issued',
    object: request([
      { type: 'Approved', status: 'True' },
      { type: 'Ready', status: 'True', reason: 'Issued' },
    ]),
    state: 'ready',
  },
  {
    name: 'CertificateRequest failed, with cert-manager’s message',
    object: request([
      {
        type: 'Ready',
        status: 'False',
        reason: 'Failed',
        message: 'Failed to wait for order resource "web-1" to become ready',
      },
    ]),
    state: 'failed',
    message: /Failed to wait for order resource/,
  },
  {
    name: 'CertificateRequest denied',
    object: request([
      { type: 'Denied', status: 'True', reason: 'policy.cert-manager.io', message: 'not allowed by policy' },
      { type: 'Ready', status: 'False', reason: 'Denied' },
    ]),
    state: 'failed',
  },
];

const managed = (conditions: C[]) =>
  object(
    's3.aws.upbound.io/v1beta1',
    'Bucket',
    { conditions },
    { spec: { forProvider: { region: 'eu-west-1' } } },
  );
const composite = (conditions: C[]) =>
  object(
    'platform.example.org/v1alpha1',
    'XDatabase',
    { conditions },
    { spec: { crossplane: { compositionRef: { name: 'db' } } } },
  );
const provider = withConditions('pkg.crossplane.io/v1', 'Provider');
const crossplane: Case[] = [
  {
    name: 'managed resource Synced and Ready',
    object: managed([
      { type: 'Synced', status: 'True', reason: 'ReconcileSuccess' },
      { type: 'Ready', status: 'True', reason: 'Available' },
    ]),
    state: 'ready',
  },
  {
    name: 'managed resource being created',
    object: managed([
      { type: 'Synced', status: 'True', reason: 'ReconcileSuccess' },
      { type: 'Ready', status: 'False', reason: 'Creating' },
    ]),
    state: 'progressing',
    reason: 'Creating',
  },
  {
    name: 'managed resource ReconcileError for minutes: failed with the provider’s message',
    object: managed([
      {
        type: 'Synced',
        status: 'False',
        reason: 'ReconcileError',
        message: 'create failed: BucketAlreadyExists',
        lastTransitionTime: ago(180),
      },
      { type: 'Ready', status: 'False', reason: 'Creating' },
    ]),
    state: 'failed',
    reason: 'ReconcileError',
    message: /BucketAlreadyExists/,
  },
  {
    name: 'managed resource ReconcileError for seconds: waits',
    object: managed([
      { type: 'Synced', status: 'False', reason: 'ReconcileError', lastTransitionTime: ago(5) },
    ]),
    state: 'progressing',
  },
  {
    name: 'composite resource Ready and Synced (known by its shape, in the platform’s own group)',
    object: composite([
      { type: 'Synced', status: 'True' },
      { type: 'Ready', status: 'True' },
    ]),
    state: 'ready',
  },
  {
    name: 'composite resource not ready yet: it needs Synced too',
    object: composite([{ type: 'Ready', status: 'True' }]),
    state: 'progressing',
    message: /no Synced condition yet/,
  },
  {
    name: 'Provider installed and healthy',
    object: provider([
      { type: 'Installed', status: 'True' },
      { type: 'Healthy', status: 'True' },
    ]),
    state: 'ready',
  },
  {
    name: 'Provider unhealthy for minutes',
    object: provider([
      { type: 'Installed', status: 'True' },
      { type: 'Healthy', status: 'False', reason: 'UnhealthyPackageRevision', lastTransitionTime: ago(300) },
    ]),
    state: 'failed',
  },
];

const scaledObject = withConditions('keda.sh/v1alpha1', 'ScaledObject');
const scaledJob = withConditions('keda.sh/v1alpha1', 'ScaledJob');
const keda: Case[] = [
  {
    name: 'ScaledObject ready',
    object: scaledObject([
      { type: 'Ready', status: 'True', reason: 'ScaledObjectReady' },
      { type: 'Active', status: 'False', reason: 'ScalerNotActive' },
    ]),
    state: 'ready',
  },
  {
    name: 'ScaledObject not checked yet',
    object: scaledObject([{ type: 'Ready', status: 'Unknown' }]),
    state: 'progressing',
  },
  {
    name: 'ScaledObject whose trigger fails for minutes',
    object: scaledObject([
      {
        type: 'Ready',
        status: 'False',
        reason: 'ScaledObjectCheckFailed',
        message: 'error parsing prometheus metadata: no serverAddress given',
        lastTransitionTime: ago(120),
      },
    ]),
    state: 'failed',
    reason: 'ScaledObjectCheckFailed',
  },
  { name: 'ScaledJob ready', object: scaledJob([{ type: 'Ready', status: 'True' }]), state: 'ready' },
];

const knativeService = withConditions('serving.knative.dev/v1', 'Service');
const knativeRoute = withConditions('serving.knative.dev/v1', 'Route');
const knative: Case[] = [
  {
    name: 'Knative Service ready',
    object: knativeService([
      { type: 'ConfigurationsReady', status: 'True' },
      { type: 'Ready', status: 'True' },
      { type: 'RoutesReady', status: 'True' },
    ]),
    state: 'ready',
  },
  {
    name: 'Knative Service on its way (Unknown)',
    object: knativeService([
      { type: 'ConfigurationsReady', status: 'Unknown', reason: 'Deploying' },
      { type: 'Ready', status: 'Unknown', reason: 'Deploying' },
    ]),
    state: 'progressing',
  },
  {
    name: 'Knative Service whose revision failed (False is a failure)',
    object: knativeService([
      {
        type: 'ConfigurationsReady',
        status: 'False',
        reason: 'RevisionFailed',
        message: 'Revision "web-00002" failed with message: Unable to fetch image "web:v2"',
      },
      { type: 'Ready', status: 'False', reason: 'RevisionFailed' },
    ]),
    state: 'failed',
    reason: 'RevisionFailed',
  },
  {
    name: 'Knative Route waiting for its revision (RevisionMissing is not a failure)',
    object: knativeRoute([{ type: 'Ready', status: 'False', reason: 'RevisionMissing' }]),
    state: 'progressing',
  },
];

const pipelineRun = withConditions('tekton.dev/v1', 'PipelineRun');
const taskRun = withConditions('tekton.dev/v1', 'TaskRun');
const tekton: Case[] = [
  {
    name: 'PipelineRun succeeded',
    object: pipelineRun([
      { type: 'Succeeded', status: 'True', reason: 'Succeeded', message: 'Tasks Completed: 3' },
    ]),
    state: 'ready',
  },
  {
    name: 'PipelineRun running',
    object: pipelineRun([
      { type: 'Succeeded', status: 'Unknown', reason: 'Running', message: 'Tasks Completed: 1' },
    ]),
    state: 'progressing',
  },
  {
    name: 'PipelineRun failed',
    object: pipelineRun([
      { type: 'Succeeded', status: 'False', reason: 'Failed', message: 'Tasks Completed: 2 (Failed: 1)' },
    ]),
    state: 'failed',
  },
  {
    name: 'TaskRun timed out',
    object: taskRun([{ type: 'Succeeded', status: 'False', reason: 'TaskRunTimeout' }]),
    state: 'failed',
    reason: 'TaskRunTimeout',
  },
];

const kafka = withConditions('kafka.strimzi.io/v1beta2', 'Kafka');
const topic = withConditions('kafka.strimzi.io/v1beta2', 'KafkaTopic');
const kafkaUser = withConditions('kafka.strimzi.io/v1beta2', 'KafkaUser');
const strimzi: Case[] = [
  { name: 'Kafka ready', object: kafka([{ type: 'Ready', status: 'True' }]), state: 'ready' },
  {
    name: 'Kafka being created',
    object: kafka([
      { type: 'NotReady', status: 'True', reason: 'Creating', message: 'Kafka cluster is being deployed' },
    ]),
    state: 'progressing',
  },
  {
    name: 'Kafka not ready for an error',
    object: kafka([
      {
        type: 'NotReady',
        status: 'True',
        reason: 'InvalidResourceException',
        message: 'Unsupported Kafka.spec.kafka.version',
      },
    ]),
    state: 'failed',
    reason: 'InvalidResourceException',
  },
  {
    name: 'KafkaTopic not ready',
    object: topic([
      { type: 'NotReady', status: 'True', reason: 'KafkaError', message: 'Invalid partition count' },
    ]),
    state: 'failed',
  },
  { name: 'KafkaTopic ready', object: topic([{ type: 'Ready', status: 'True' }]), state: 'ready' },
  { name: 'KafkaUser not reconciled yet', object: kafkaUser([]), state: 'progressing' },
];

const zalando = (status?: string) =>
  object('acid.zalan.do/v1', 'postgresql', status === undefined ? {} : { PostgresClusterStatus: status });
const cnpgCluster = (phase: string, phaseReason?: string) =>
  object('postgresql.cnpg.io/v1', 'Cluster', { phase, ...(phaseReason ? { phaseReason } : {}) });
const postgres: Case[] = [
  { name: 'postgresql Running', object: zalando('Running'), state: 'ready' },
  { name: 'postgresql Creating', object: zalando('Creating'), state: 'progressing' },
  { name: 'postgresql without a status yet', object: zalando(), state: 'progressing' },
  {
    name: 'postgresql CreateFailed',
    object: zalando('CreateFailed'),
    state: 'failed',
    reason: 'PhaseFailed',
  },
  { name: 'postgresql SyncFailed', object: zalando('SyncFailed'), state: 'failed' },
  { name: 'CNPG Cluster healthy', object: cnpgCluster('Cluster in healthy state'), state: 'ready' },
  {
    name: 'CNPG Cluster setting up',
    object: cnpgCluster('Setting up primary', 'Creating primary instance'),
    state: 'progressing',
  },
  {
    name: 'CNPG Cluster that needs someone',
    object: cnpgCluster('Unable to create required cluster objects', 'secrets "app-ca" is forbidden'),
    state: 'failed',
    message: /is forbidden$/,
  },
];

const prometheus = withConditions('monitoring.coreos.com/v1', 'Prometheus');
const alertmanager = withConditions('monitoring.coreos.com/v1', 'Alertmanager');
const prometheusOperator: Case[] = [
  {
    name: 'Prometheus available and reconciled',
    object: prometheus([
      { type: 'Available', status: 'True' },
      { type: 'Reconciled', status: 'True' },
    ]),
    state: 'ready',
  },
  {
    name: 'Prometheus Degraded while pods start',
    object: prometheus([
      { type: 'Available', status: 'Degraded', reason: 'SomePodsNotReady' },
      { type: 'Reconciled', status: 'True' },
    ]),
    state: 'progressing',
  },
  {
    name: 'Prometheus not reconciled for minutes (an invalid configuration)',
    object: prometheus([
      { type: 'Available', status: 'False', reason: 'NoPodReady' },
      {
        type: 'Reconciled',
        status: 'False',
        reason: 'ReconciliationFailed',
        message: 'invalid remote write',
        lastTransitionTime: ago(200),
      },
    ]),
    state: 'failed',
  },
  {
    name: 'Alertmanager available (no Reconciled condition)',
    object: alertmanager([{ type: 'Available', status: 'True' }]),
    state: 'ready',
  },
];

const clusterPolicy = withConditions('kyverno.io/v1', 'ClusterPolicy');
const kyverno: Case[] = [
  {
    name: 'ClusterPolicy ready',
    object: clusterPolicy([{ type: 'Ready', status: 'True', reason: 'Succeeded', message: 'Ready' }]),
    state: 'ready',
  },
  {
    name: 'ClusterPolicy waiting for its webhook: never failed',
    object: clusterPolicy([
      { type: 'Ready', status: 'False', reason: 'Failed', message: 'webhook not configured' },
    ]),
    state: 'progressing',
  },
  {
    name: 'Policy of an older Kyverno (status.ready)',
    object: object('kyverno.io/v1', 'Policy', { ready: true }),
    state: 'ready',
  },
];

const gatewayObject = (conditions: C[], listeners: unknown[] = []) =>
  object(
    'gateway.networking.k8s.io/v1',
    'Gateway',
    { conditions, listeners },
    { metadata: { generation: 1 } },
  );
const httpRoute = (parents: unknown[]) =>
  object('gateway.networking.k8s.io/v1', 'HTTPRoute', { parents }, { metadata: { generation: 2 } });
const parent = (conditions: C[]) => ({
  parentRef: { name: 'public' },
  controllerName: 'example.net/gw',
  conditions,
});
const gatewayApi: Case[] = [
  {
    name: 'Gateway accepted and programmed',
    object: gatewayObject([
      { type: 'Accepted', status: 'True', observedGeneration: 1 },
      { type: 'Programmed', status: 'True', observedGeneration: 1 },
    ]),
    state: 'ready',
  },
  {
    name: 'Gateway not looked at yet (Pending)',
    object: gatewayObject([
      { type: 'Accepted', status: 'Unknown', reason: 'Pending', message: 'Waiting for controller' },
      { type: 'Programmed', status: 'Unknown', reason: 'Pending' },
    ]),
    state: 'progressing',
  },
  {
    name: 'Gateway waiting for an address',
    object: gatewayObject([
      { type: 'Accepted', status: 'True' },
      { type: 'Programmed', status: 'False', reason: 'AddressNotAssigned' },
    ]),
    state: 'progressing',
  },
  {
    name: 'Gateway with invalid parameters',
    object: gatewayObject([
      {
        type: 'Accepted',
        status: 'False',
        reason: 'InvalidParameters',
        message: 'no such GatewayClass config',
      },
    ]),
    state: 'failed',
    reason: 'InvalidParameters',
  },
  {
    name: 'Gateway whose listener cannot be accepted',
    object: gatewayObject(
      [
        { type: 'Accepted', status: 'True' },
        { type: 'Programmed', status: 'True' },
      ],
      [{ name: 'https', conditions: [{ type: 'Accepted', status: 'False', reason: 'PortUnavailable' }] }],
    ),
    state: 'failed',
    reason: 'PortUnavailable',
  },
  {
    name: 'HTTPRoute accepted, references resolved',
    object: httpRoute([
      parent([
        { type: 'Accepted', status: 'True', observedGeneration: 2 },
        { type: 'ResolvedRefs', status: 'True', observedGeneration: 2 },
      ]),
    ]),
    state: 'ready',
  },
  {
    name: 'HTTPRoute no Gateway has taken yet',
    object: httpRoute([]),
    state: 'progressing',
    hint: /parentRefs/,
  },
  {
    name: 'HTTPRoute status from an older generation',
    object: httpRoute([parent([{ type: 'Accepted', status: 'True', observedGeneration: 1 }])]),
    state: 'progressing',
    reason: 'SpecNotObserved',
  },
  {
    name: 'HTTPRoute not allowed by the listeners',
    object: httpRoute([
      parent([{ type: 'Accepted', status: 'False', reason: 'NotAllowedByListeners', observedGeneration: 2 }]),
    ]),
    state: 'failed',
    reason: 'NotAllowedByListeners',
  },
  {
    name: 'HTTPRoute whose backend Service is missing, for seconds: waits',
    object: httpRoute([
      parent([
        { type: 'Accepted', status: 'True', observedGeneration: 2 },
        {
          type: 'ResolvedRefs',
          status: 'False',
          reason: 'BackendNotFound',
          lastTransitionTime: ago(5),
          observedGeneration: 2,
        },
      ]),
    ]),
    state: 'progressing',
  },
  {
    name: 'HTTPRoute whose backend Service is missing beyond the grace window: failed',
    object: httpRoute([
      parent([
        { type: 'Accepted', status: 'True', observedGeneration: 2 },
        {
          type: 'ResolvedRefs',
          status: 'False',
          reason: 'BackendNotFound',
          lastTransitionTime: ago(120),
          observedGeneration: 2,
        },
      ]),
    ]),
    state: 'failed',
    reason: 'BackendNotFound',
  },
];

const vm = (
  printableStatus: string,
  ready: string,
  spec: Record<string, unknown> = { runStrategy: 'Always' },
  since = ago(5),
) =>
  object(
    'kubevirt.io/v1',
    'VirtualMachine',
    { printableStatus, conditions: [{ type: 'Ready', status: ready, lastTransitionTime: since }] },
    { spec },
  );
const kubevirt: Case[] = [
  { name: 'VirtualMachine running and ready', object: vm('Running', 'True'), state: 'ready' },
  { name: 'VirtualMachine starting', object: vm('Starting', 'False'), state: 'progressing' },
  {
    name: 'VirtualMachine stopped as its run strategy says',
    object: vm('Stopped', 'False', { runStrategy: 'Halted' }),
    state: 'ready',
  },
  {
    name: 'VirtualMachine stopped while it should run',
    object: vm('Stopped', 'False'),
    state: 'progressing',
  },
  {
    name: 'VirtualMachine image pull failing',
    object: vm('ImagePullBackOff', 'False'),
    state: 'failed',
    reason: 'ImagePullBackOff',
  },
  {
    name: 'VirtualMachine PVC missing, for seconds',
    object: vm('ErrorPvcNotFound', 'False'),
    state: 'progressing',
  },
  {
    name: 'VirtualMachine PVC missing beyond the grace window',
    object: vm('ErrorPvcNotFound', 'False', { runStrategy: 'Always' }, ago(120)),
    state: 'failed',
  },
];

const longhorn: Case[] = [
  {
    name: 'Longhorn Volume attached',
    object: object('longhorn.io/v1beta2', 'Volume', { state: 'attached' }),
    state: 'ready',
  },
  {
    name: 'Longhorn Volume creating',
    object: object('longhorn.io/v1beta2', 'Volume', { state: 'creating' }),
    state: 'progressing',
  },
  {
    name: 'Longhorn Backup Completed',
    object: object('longhorn.io/v1beta2', 'Backup', { state: 'Completed' }),
    state: 'ready',
  },
  {
    name: 'Longhorn Backup Error',
    object: object('longhorn.io/v1beta2', 'Backup', { state: 'Error', error: 'target unreachable' }),
    state: 'failed',
  },
];

describe('Argo Rollouts', () => runCases(argoRollouts));
describe('Flagger', () => runCases(flagger));
describe('Argo CD ApplicationSet and Argo Workflows', () => runCases(argo));
describe('Flux sources', () => runCases(fluxSources));
describe('cert-manager issuers and requests', () => runCases(certManager));
describe('Crossplane', () => runCases(crossplane));
describe('KEDA', () => runCases(keda));
describe('Knative', () => runCases(knative));
describe('Tekton', () => runCases(tekton));
describe('Strimzi', () => runCases(strimzi));
describe('Zalando postgres-operator and CloudNativePG', () => runCases(postgres));
describe('prometheus-operator', () => runCases(prometheusOperator));
describe('Kyverno', () => runCases(kyverno));
describe('Gateway API', () => runCases(gatewayApi));
describe('KubeVirt', () => runCases(kubevirt));
describe('Longhorn', () => runCases(longhorn));
