import type { KubeObject } from '../kube/types.js';
import { packageFile } from '../package-files.js';
import type { TrackOptions, TrackTarget } from '../track/resource.js';
import type { FakeCluster } from './cluster.js';
import { type ReplayOptions, type ReplayServer, replayFixture } from './replay.js';

/**
 * The fixture library: recorded tracks of common rollouts and failures, in
 * `fixtures/scenarios/NAME.ndjson`, replayed with `replayFixture`. Each entry
 * says how it was made (`setup` on a simulated cluster, `scripts/record-fixtures.ts`)
 * and what a track of it must show (`expect`).
 */
/** What a scenario needs of a cluster: a client, `kubectl apply`, and scripted pods. */
export type ScenarioCluster = Pick<FakeCluster, 'client' | 'apply' | 'pod'>;

export interface FixtureScenario {
  name: string;
  description: string;
  /** What to track, as `trackResource` takes it. */
  kind: string;
  resource: string;
  /** Tracker options the recording used; a replay should pass the same. */
  options?: Omit<TrackOptions, 'signal'>;
  /**
   * Makes the scenario happen on a fresh cluster (namespace `default`): the
   * simulated one, or a real control plane with simulated nodes (e2e/).
   */
  setup(cluster: ScenarioCluster): Promise<void>;
  /** Why it can only be recorded on the simulated cluster (it needs a controller a bare control plane lacks). */
  simulatedOnly?: string;
  expect: {
    end: 'ready' | 'failed';
    reason?: string;
    /** Log lines that must be among those delivered. */
    logs?: string[];
  };
}

const later = (ms: number, action: () => Promise<unknown>) => {
  setTimeout(() => void action().catch(() => {}), ms);
};

/**
 * Objects are created a moment after the track starts (it waits for them),
 * as after `kubectl apply`: every Event is then newer than the track.
 */
const START_MS = 1100;

const deployment = (
  name: string,
  spec: Record<string, unknown> = {},
  pod: Record<string, unknown> = {},
): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'default' },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name: 'app', image: `registry.local/${name}:v1` }], ...pod },
    },
    ...spec,
  },
});

/** One replica of `web` whose container `app` has these fields (and the default image unless given). */
const webWith = (container: Record<string, unknown>): KubeObject =>
  deployment(
    'web',
    { replicas: 1 },
    { containers: [{ name: 'app', image: 'registry.local/web:v1', ...container }] },
  );

const job = (name: string, spec: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name, namespace: 'default' },
  spec: {
    backoffLimit: 1,
    template: {
      spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: `registry.local/${name}:v1` }] },
    },
    ...spec,
  },
});

/** An Indexed Job of 3 indexes run at once (with no Job-wide backoffLimit: a per-index one, or the default). */
function indexedJob(name: string, spec: Record<string, unknown>): KubeObject {
  const base = job(name);
  const { backoffLimit: _, ...rest } = base.spec as Record<string, unknown>;
  return {
    ...base,
    spec: { ...rest, completionMode: 'Indexed', completions: 3, parallelism: 3, ...spec },
  };
}

/** A native sidecar: an init container that keeps running (restartPolicy Always). */
const SIDECAR = { name: 'proxy', image: 'registry.local/proxy:v1', restartPolicy: 'Always' };

/** The `main` container of the Job pods named `NAME-…` exits with `code` after `after`, writing `line` last. */
const jobPodExits = (cluster: ScenarioCluster, name: string, code: number, after: string, line: string) =>
  cluster
    .pod(`${name}-*`)
    .container('main')
    .exits(code, { after, logs: [line] });

const applyLater = (cluster: ScenarioCluster, ...objects: KubeObject[]) =>
  later(START_MS, () => cluster.apply(objects));

/**
 * A CustomResourceDefinition that keeps any fields (as the operators' own
 * CRDs do for status), applied and established before the track starts.
 */
async function installCrd(
  cluster: ScenarioCluster,
  names: { group: string; version: string; kind: string; plural: string },
): Promise<void> {
  const name = `${names.plural}.${names.group}`;
  await cluster.apply({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name },
    spec: {
      group: names.group,
      scope: 'Namespaced',
      names: { kind: names.kind, plural: names.plural },
      versions: [
        {
          name: names.version,
          served: true,
          storage: true,
          subresources: { status: {} },
          schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
        },
      ],
    },
  });
  for (let tries = 0; tries < 100; tries++) {
    const crd = await cluster.client.get('CustomResourceDefinition', { name });
    const conditions = (crd.status as { conditions?: { type: string; status: string }[] } | undefined)
      ?.conditions;
    if (conditions?.some((c) => c.type === 'Established' && c.status === 'True')) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${name} was not established`);
}

/**
 * A custom resource created a moment after the track starts, whose status
 * then moves as its operator would write it (`steps`: ms after creation →
 * status). There is no operator: the scenario is its status writer.
 */
function customResourceLater(
  cluster: ScenarioCluster,
  object: KubeObject,
  steps: [ms: number, status: Record<string, unknown>][],
): void {
  later(START_MS, async () => {
    await cluster.apply(object);
    const ref = { name: object.metadata.name ?? '', namespace: 'default' };
    for (const [ms, status] of steps)
      later(ms, () => cluster.client.patch(object.kind ?? '', ref, { status }, { subresource: 'status' }));
  });
}

const ARGO_ROLLOUT = { group: 'argoproj.io', version: 'v1alpha1', kind: 'Rollout', plural: 'rollouts' };
const FLAGGER_CANARY = { group: 'flagger.app', version: 'v1beta1', kind: 'Canary', plural: 'canaries' };
const ZALANDO_POSTGRES = { group: 'acid.zalan.do', version: 'v1', kind: 'postgresql', plural: 'postgresqls' };

export const FIXTURE_SCENARIOS: readonly FixtureScenario[] = [
  {
    name: 'deployment-ready',
    description: 'a Deployment of 2 replicas rolls out; its pods log at start',
    kind: 'Deployment',
    resource: 'web',
    async setup(cluster) {
      cluster.pod('web-*').container('app').logs(['listening on :8080']).becomesReadyAfter('400ms');
      applyLater(cluster, deployment('web'));
    },
    expect: { end: 'ready', logs: ['listening on :8080'] },
  },
  {
    name: 'deployment-rolling-update',
    description: 'a ready Deployment gets a new image; new pods start, old ones go',
    kind: 'Deployment',
    resource: 'web',
    async setup(cluster) {
      cluster.pod('web-*').container('app').logs(['web v1 up']).becomesReadyAfter('100ms');
      await cluster.apply(deployment('web'));
      await new Promise((resolve) => setTimeout(resolve, 800));
      // The update comes just before the track starts, as `kubectl set image && kubedog …`.
      cluster.pod('web-*').container('app').logs(['web v2 up']).becomesReadyAfter('500ms');
      await cluster.client.patch(
        'Deployment',
        { name: 'web' },
        { spec: { template: { spec: { containers: [{ name: 'app', image: 'registry.local/web:v2' }] } } } },
      );
    },
    expect: { end: 'ready', logs: ['web v2 up'] },
  },
  {
    name: 'deployment-bad-image',
    description: 'the image does not exist: ErrImagePull, then ImagePullBackOff',
    kind: 'Deployment',
    resource: 'web',
    async setup(cluster) {
      cluster.pod('web-*').container('app').failsToPull();
      applyLater(cluster, deployment('web'));
    },
    expect: { end: 'failed', reason: 'ImagePullBackOff' },
  },
  {
    name: 'deployment-invalid-image-name',
    description: 'an image reference that cannot be parsed: InvalidImageName',
    kind: 'Deployment',
    resource: 'web',
    async setup(cluster) {
      applyLater(
        cluster,
        deployment('web', {}, { containers: [{ name: 'app', image: 'registry.local/Web:V1' }] }),
      );
    },
    expect: { end: 'failed', reason: 'InvalidImageName' },
  },
  {
    name: 'deployment-crash-loop',
    description:
      'the container exits at start, again and again (CrashLoopBackOff); its second crash is past the allowance: the track fails',
    kind: 'Deployment',
    resource: 'web',
    async setup(cluster) {
      cluster
        .pod('web-*')
        .container('app')
        .crashLoops({ logs: ['loading config', 'panic: missing DATABASE_URL'], exitCode: 2 });
      applyLater(cluster, deployment('web', { replicas: 1 }));
    },
    expect: { end: 'failed', reason: 'CrashLoopBackOff', logs: ['panic: missing DATABASE_URL'] },
  },
  {
    name: 'deployment-oom',
    description: 'the container is killed for its memory: OOMKilled',
    kind: 'Deployment',
    resource: 'web',
    options: { failuresAllowedPerReplica: 0 },
    async setup(cluster) {
      cluster.pod('web-*').container('app').runsOutOfMemory({ after: '200ms' });
      applyLater(cluster, deployment('web', { replicas: 1 }));
    },
    expect: { end: 'failed', reason: 'OOMKilled' },
  },
  {
    name: 'deployment-unschedulable',
    description: 'no node can take the pods (requests too big): Unschedulable after the grace',
    kind: 'Deployment',
    resource: 'web',
    options: { unschedulableGraceMs: 1000 },
    async setup(cluster) {
      applyLater(cluster, webWith({ resources: { requests: { cpu: '64', memory: '1Ti' } } }));
    },
    expect: { end: 'failed', reason: 'Unschedulable' },
  },
  {
    name: 'deployment-missing-configmap',
    description: 'a ConfigMap the pods need does not exist: CreateContainerConfigError after the grace',
    kind: 'Deployment',
    resource: 'web',
    options: { configGraceMs: 1000 },
    async setup(cluster) {
      applyLater(cluster, webWith({ envFrom: [{ configMapRef: { name: 'web-settings' } }] }));
    },
    expect: { end: 'failed', reason: 'CreateContainerConfigError' },
  },
  {
    name: 'deployment-progress-deadline',
    description: 'pods never become ready; the controller gives up: ProgressDeadlineExceeded',
    kind: 'Deployment',
    resource: 'web',
    async setup(cluster) {
      cluster.pod('web-*').container('app').neverBecomesReady();
      applyLater(cluster, deployment('web', { replicas: 1, progressDeadlineSeconds: 2 }));
    },
    expect: { end: 'failed', reason: 'ProgressDeadlineExceeded' },
  },
  {
    name: 'deployment-deleted',
    description: 'the Deployment is deleted while it rolls out',
    kind: 'Deployment',
    resource: 'web',
    async setup(cluster) {
      cluster.pod('web-*').container('app').neverBecomesReady();
      applyLater(cluster, deployment('web', { replicas: 1 }));
      later(START_MS + 800, () => cluster.client.delete('Deployment', { name: 'web' }));
    },
    expect: { end: 'failed', reason: 'Deleted' },
  },
  {
    name: 'job-complete',
    description: 'a Job runs to completion, with its logs',
    kind: 'Job',
    resource: 'migrate',
    async setup(cluster) {
      jobPodExits(cluster, 'migrate', 0, '300ms', 'applied 3 migrations');
      applyLater(cluster, job('migrate'));
    },
    expect: { end: 'ready', logs: ['applied 3 migrations'] },
  },
  {
    name: 'job-backoff-limit',
    description: 'every attempt of a Job fails: BackoffLimitExceeded, with the logs of each attempt',
    kind: 'Job',
    resource: 'migrate',
    async setup(cluster) {
      jobPodExits(cluster, 'migrate', 1, '200ms', 'ERROR: relation "orders" already exists');
      applyLater(cluster, job('migrate'));
    },
    expect: {
      end: 'failed',
      reason: 'BackoffLimitExceeded',
      logs: ['ERROR: relation "orders" already exists'],
    },
  },
  {
    name: 'job-pod-failure-policy',
    description:
      "a Job's pod exits with a code its podFailurePolicy makes fatal: PodFailurePolicy at the first failure",
    kind: 'Job',
    resource: 'migrate',
    async setup(cluster) {
      jobPodExits(cluster, 'migrate', 42, '200ms', 'FATAL: schema version 7 is newer than this release');
      applyLater(
        cluster,
        job('migrate', {
          backoffLimit: 3,
          podFailurePolicy: {
            rules: [
              { action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'In', values: [42] } },
            ],
          },
        }),
      );
    },
    expect: {
      end: 'failed',
      reason: 'PodFailurePolicy',
      logs: ['FATAL: schema version 7 is newer than this release'],
    },
  },
  {
    name: 'job-failed-indexes',
    description:
      'an Indexed Job whose index 1 fails more often than backoffLimitPerIndex allows: FailedIndexes, judged as soon as the index is lost',
    kind: 'Job',
    resource: 'shard',
    async setup(cluster) {
      cluster
        .pod('shard-*')
        .container('main')
        .exits(0, { after: '30s', logs: ['shard done'] });
      jobPodExits(cluster, 'shard-1', 1, '200ms', 'shard 1: checksum mismatch');
      applyLater(cluster, indexedJob('shard', { backoffLimitPerIndex: 1 }));
    },
    expect: { end: 'failed', reason: 'FailedIndexes', logs: ['shard 1: checksum mismatch'] },
  },
  {
    name: 'job-success-policy',
    description:
      'an Indexed Job whose successPolicy is met when its leader (index 0) succeeds; the other indexes are stopped',
    kind: 'Job',
    resource: 'train',
    async setup(cluster) {
      cluster
        .pod('train-*')
        .container('main')
        .logs(['worker waiting for the leader'])
        .exits(0, { after: '60s' });
      jobPodExits(cluster, 'train-0', 0, '500ms', 'leader: model saved');
      applyLater(cluster, indexedJob('train', { successPolicy: { rules: [{ succeededIndexes: '0' }] } }));
    },
    expect: { end: 'ready', logs: ['leader: model saved'] },
  },
  {
    name: 'job-sidecar',
    description:
      'a Job whose pod runs a native sidecar (an init container with restartPolicy Always) beside its main container',
    kind: 'Job',
    resource: 'migrate',
    async setup(cluster) {
      cluster.pod('migrate-*').container('proxy').logs(['proxy listening on :15001']);
      jobPodExits(cluster, 'migrate', 0, '500ms', 'applied 3 migrations');
      const withSidecar = job('migrate');
      const template = (withSidecar.spec as { template: { spec: Record<string, unknown> } }).template;
      template.spec.initContainers = [SIDECAR];
      applyLater(cluster, withSidecar);
    },
    expect: { end: 'ready', logs: ['proxy listening on :15001', 'applied 3 migrations'] },
  },
  {
    name: 'deployment-sidecar',
    description: 'a Deployment whose pods run a native sidecar, ready once the sidecar and the app are',
    kind: 'Deployment',
    resource: 'web',
    async setup(cluster) {
      cluster.pod('web-*').container('proxy').logs(['proxy listening on :15001']).becomesReadyAfter('300ms');
      cluster.pod('web-*').container('app').logs(['serving']).becomesReadyAfter('200ms');
      applyLater(cluster, deployment('web', {}, { initContainers: [SIDECAR] }));
    },
    expect: { end: 'ready', logs: ['proxy listening on :15001', 'serving'] },
  },
  {
    name: 'statefulset-ready',
    description: 'a StatefulSet of 2 replicas starts them in order',
    kind: 'StatefulSet',
    resource: 'db',
    async setup(cluster) {
      cluster.pod('db-*').container('app').logs(['database system is ready']).becomesReadyAfter('200ms');
      const sts = deployment('db', { serviceName: 'db' });
      applyLater(cluster, { ...sts, kind: 'StatefulSet' });
    },
    expect: { end: 'ready', logs: ['database system is ready'] },
  },
  {
    name: 'daemonset-ready',
    description: 'a DaemonSet runs one pod on each of 3 nodes',
    kind: 'DaemonSet',
    resource: 'agent',
    async setup(cluster) {
      cluster.pod('agent-*').container('app').logs(['agent started']);
      const ds = deployment('agent');
      const { replicas: _replicas, ...spec } = ds.spec as Record<string, unknown>;
      applyLater(cluster, { ...ds, kind: 'DaemonSet', spec });
    },
    expect: { end: 'ready', logs: ['agent started'] },
  },
  {
    name: 'pod-init-containers',
    description: 'a bare Pod whose init container runs first',
    kind: 'Pod',
    resource: 'web',
    async setup(cluster) {
      cluster
        .pod('web')
        .container('init-db')
        .exits(0, { after: '200ms', logs: ['schema ready'] });
      cluster.pod('web').container('app').logs(['serving']).becomesReadyAfter('200ms');
      applyLater(cluster, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'web', namespace: 'default' },
        spec: {
          initContainers: [{ name: 'init-db', image: 'registry.local/init:v1' }],
          containers: [{ name: 'app', image: 'registry.local/web:v1' }],
        },
      });
    },
    expect: { end: 'ready', logs: ['schema ready', 'serving'] },
  },
  {
    name: 'service-loadbalancer',
    description: 'a LoadBalancer Service waits for its external address',
    simulatedOnly: 'no load-balancer controller without a cloud provider',
    kind: 'Service',
    resource: 'web',
    async setup(cluster) {
      applyLater(cluster, {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'web', namespace: 'default' },
        spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 80 }] },
      });
    },
    expect: { end: 'ready' },
  },
  {
    name: 'ingress-address',
    description: 'an Ingress waits for its load balancer address',
    simulatedOnly: 'no ingress controller',
    kind: 'Ingress',
    resource: 'web',
    async setup(cluster) {
      applyLater(cluster, {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: 'web', namespace: 'default' },
        spec: { rules: [{ host: 'shop.example.com' }] },
      });
    },
    expect: { end: 'ready' },
  },
  {
    name: 'rollout-degraded',
    description:
      'an Argo Rollout goes Progressing, then Degraded (ProgressDeadlineExceeded) with Available=True: failed, never ready',
    kind: 'Rollout',
    resource: 'web',
    async setup(cluster) {
      await installCrd(cluster, ARGO_ROLLOUT);
      const available = { type: 'Available', status: 'True', reason: 'AvailableReason' };
      customResourceLater(
        cluster,
        {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'Rollout',
          metadata: { name: 'web', namespace: 'default' },
          spec: { replicas: 2, strategy: { canary: { steps: [{ setWeight: 20 }, { pause: {} }] } } },
        },
        [
          [
            200,
            { phase: 'Progressing', message: 'more replicas need to be updated', observedGeneration: '1' },
          ],
          [
            700,
            {
              phase: 'Degraded',
              message: 'ProgressDeadlineExceeded: ReplicaSet "web-6d4f9c" has timed out progressing.',
              observedGeneration: '1',
              conditions: [
                available,
                { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' },
              ],
            },
          ],
        ],
      );
    },
    expect: { end: 'failed', reason: 'Degraded' },
  },
  {
    name: 'canary-initialized',
    description: 'a Flagger Canary of a first deploy: Initializing, then Initialized — ready',
    kind: 'Canary',
    resource: 'web',
    async setup(cluster) {
      await installCrd(cluster, FLAGGER_CANARY);
      customResourceLater(
        cluster,
        {
          apiVersion: 'flagger.app/v1beta1',
          kind: 'Canary',
          metadata: { name: 'web', namespace: 'default' },
          spec: { targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' } },
        },
        [
          [200, { phase: 'Initializing', canaryWeight: 0 }],
          [600, { phase: 'Initialized', canaryWeight: 0 }],
        ],
      );
    },
    expect: { end: 'ready' },
  },
  {
    name: 'postgresql-create-failed',
    description: 'a Zalando postgresql goes Creating, then CreateFailed: failed',
    kind: 'postgresql',
    resource: 'acid-shop',
    async setup(cluster) {
      await installCrd(cluster, ZALANDO_POSTGRES);
      customResourceLater(
        cluster,
        {
          apiVersion: 'acid.zalan.do/v1',
          kind: 'postgresql',
          metadata: { name: 'acid-shop', namespace: 'default' },
          spec: { teamId: 'acid', numberOfInstances: 2, volume: { size: '1Gi' } },
        },
        [
          [200, { PostgresClusterStatus: 'Creating' }],
          [600, { PostgresClusterStatus: 'CreateFailed' }],
        ],
      );
    },
    expect: { end: 'failed', reason: 'PhaseFailed' },
  },
];

/**
 * The path of a recorded fixture of the library: `fixtures/scenarios/NAME.ndjson`
 * in kubedog's repository, its gzipped copy in the package (`replayFixture`
 * reads either).
 */
export function fixturePath(name: string): string {
  const path =
    packageFile(`fixtures/scenarios/${name}.ndjson`) ??
    packageFile(`dist/fixtures/scenarios/${name}.ndjson.gz`);
  if (!path) {
    const names = FIXTURE_SCENARIOS.map((s) => s.name).join(', ');
    throw new Error(`no fixture "${name}" (there are: ${names})`);
  }
  return path;
}

/** A fixture replayed, with what a tracker needs to replay it as it was recorded. */
export interface ScenarioReplay extends ReplayServer {
  scenario: FixtureScenario;
  /** What the recording tracked. */
  target: TrackTarget;
  /** The tracker options it was recorded with, and the replay's clock as `now` (grace periods pass at replay speed). */
  options: TrackOptions;
}

/**
 * Replays a fixture of the library, and says how to track it: the target
 * and options the recording used, with the replay's clock.
 * @example
 * await using replay = await replayScenario('deployment-crash-loop', { speed: 10 });
 * for await (const event of trackResource(replay.client, replay.target, replay.options))
 *   if (event.type === 'failed') console.log(event.reason); // CrashLoopBackOff
 */
export async function replayScenario(name: string, options: ReplayOptions = {}): Promise<ScenarioReplay> {
  const file = fixturePath(name);
  const scenario = FIXTURE_SCENARIOS.find((s) => s.name === name) as FixtureScenario;
  const replay = await replayFixture(file, options);
  return {
    ...replay,
    scenario,
    target: { kind: scenario.kind, name: scenario.resource },
    options: { ...scenario.options, clock: replay.clock },
  };
}
