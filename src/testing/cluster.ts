import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeClient } from '../kube/client.js';
import { kubeConfigFromString } from '../kube/config.js';
import { findBuiltinResource, type ResourceType } from '../kube/resources.js';
import type { KubeObject } from '../kube/types.js';
import { yaml } from '../vendor/yaml.js';
import { applyManifests } from './apply.js';
import { type Clock, ManualClock, RealClock } from './clock.js';
import { type ContainerBehaviour, ControlPlane, type PodBehaviour } from './controllers/index.js';
import { applyDefaults } from './defaults.js';
import type { Faults } from './faults.js';
import { LogStore } from './log-store.js';
import { Random } from './random.js';
import { NodeScenario, PodScenario, type ScenarioTarget } from './scenario.js';
import { ApiServer, type FakeAuthOptions, type ForbidRule, type ServerStats } from './server.js';
import { ObjectStore } from './store.js';
import { loadTestPki } from './tls.js';

export interface FakeClusterOptions {
  /** Serve HTTPS with the test CA (fixtures/tls) instead of plain HTTP. @default false */
  tls?: boolean;
  /** Require credentials. Without it every request is allowed as system:admin. */
  auth?: FakeAuthOptions;
  /** Interval of BOOKMARK events. @default 1000 */
  bookmarkIntervalMs?: number;
  /** Namespaces that exist from the start. @default ['default', 'kube-system'] */
  namespaces?: string[];
  /** Changes kept for resuming watches before older ones are compacted. @default 10000 */
  maxHistory?: number;
  /**
   * Run the simulated control plane: controllers (Deployment, ReplicaSet,
   * Job, StatefulSet, DaemonSet, Service/Ingress addresses), the scheduler and
   * node agents. Off, the server only stores what clients write.
   * @default true
   */
  controllers?: boolean;
  /** Simulated nodes: names, or how many (`node-1` …). @default 3 */
  nodes?: string[] | number;
  /**
   * `'real'` time, or `'manual'`: time moves only with `cluster.clock.advance('5m')`,
   * so back-offs and deadlines need no real waiting. @default 'real'
   */
  clock?: 'real' | 'manual';
  /** Seed for generated names, so a scenario replays identically. @default 1 */
  seed?: number;
}

/** A running simulated cluster. `close()` (or `await using`) stops it and every open stream. */
export interface FakeCluster {
  /** Base URL of the API server (`http://127.0.0.1:PORT` or `https://…`). */
  readonly url: string;
  /** A kubeconfig (YAML) for this cluster, with the first configured credential. */
  readonly kubeconfig: string;
  /** The kubeconfig written to a temporary file (removed on close), for `--kubeconfig`. */
  readonly kubeconfigPath: string;
  /** A client using `kubeconfig`. */
  readonly client: KubeClient;
  readonly store: ObjectStore;
  readonly logs: LogStore;
  readonly faults: Faults;
  readonly stats: ServerStats;
  /** Makes requests matching the rule fail with 403, as RBAC would. */
  forbid(rule: ForbidRule): void;
  /** Serves another resource type (a CRD's kind). */
  registerType(type: ResourceType): void;
  /** Creates an object directly in the store; `kind` is any kubectl spelling. */
  create<T extends KubeObject>(object: T): T;
  /** Cuts every open watch and log stream, as an API server restart does. */
  dropStreams(): void;
  /** The cluster's clock; a {@link ManualClock} with `clock: 'manual'`. */
  readonly clock: Clock;
  /** Sets how containers of pods whose name matches `pattern` (a glob) behave. */
  behave(pattern: string, container: string | undefined, behaviour: ContainerBehaviour): void;
  /** Sets pod-level behaviour (unschedulable, failing mounts) for pods matching `pattern`. */
  behavePod(pattern: string, behaviour: PodBehaviour): void;
  /** Marks a node unschedulable (or schedulable again), as kubectl cordon/uncordon do. */
  cordon(node: string, unschedulable?: boolean): void;
  /** Resolves when the simulated control plane has nothing left to do right now. */
  settled(): Promise<void>;
  /**
   * Creates the objects of manifests (YAML/JSON text, multi-document, or
   * objects) the way `kubectl apply` would: created when new, merged into
   * the existing object otherwise. Returns what the server stored.
   */
  apply(manifests: string | KubeObject | KubeObject[]): Promise<KubeObject[]>;
  /** Scripts the pods whose name matches `pattern` (a glob): `cluster.pod('web-*').container('app').failsToPull()`. */
  pod(pattern: string): PodScenario;
  /** A node (`node-1` … `node-N`): `cluster.node('node-2').cordon()`. */
  node(name: string): NodeScenario;
  /** The same scenario builders, grouped. */
  readonly scenario: { pod(pattern: string): PodScenario; node(name: string): NodeScenario };
  /** A kubeconfig for this cluster with another `user` section (raw kubeconfig fields). */
  kubeconfigWith(user: Record<string, unknown>, cluster?: Record<string, unknown>): string;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Starts the simulated Kubernetes API server on 127.0.0.1 on a free port. */
export async function startFakeCluster(options: FakeClusterOptions = {}): Promise<FakeCluster> {
  const clock: Clock = options.clock === 'manual' ? new ManualClock() : new RealClock();
  const random = new Random(options.seed ?? 1);
  const store = new ObjectStore({
    now: () => new Date(clock.now()),
    suffix: () => random.suffix(),
    uid: () => random.uuid(),
    ...(options.maxHistory ? { maxHistory: options.maxHistory } : {}),
  });
  store.addDefaulter(applyDefaults);
  const logs = new LogStore({ nowNs: () => BigInt(clock.now()) * 1_000_000n });
  const controlPlane =
    options.controllers === false ? undefined : new ControlPlane(store, logs, clock, random);
  if (clock instanceof ManualClock && controlPlane) clock.settle = () => controlPlane.idle();
  const pki = options.tls ? loadTestPki() : undefined;
  const server = new ApiServer({
    store,
    logs,
    ...(pki ? { tls: { key: pki.serverKey, cert: pki.serverCert, ca: pki.ca } } : {}),
    ...(options.auth ? { auth: options.auth } : {}),
    ...(options.bookmarkIntervalMs ? { bookmarkIntervalMs: options.bookmarkIntervalMs } : {}),
    now: () => clock.now(),
    ...(controlPlane
      ? { deletePod: (namespace: string, name: string) => controlPlane.deletePod(namespace, name) }
      : {}),
  });
  const typeOf = (kind: string, apiVersion?: string) => {
    const type =
      server.types.find(
        (t) =>
          t.kind === kind &&
          (apiVersion === undefined || apiVersion === (t.group ? `${t.group}/${t.version}` : t.version)),
      ) ?? findBuiltinResource(kind);
    if (!type) throw new Error(`the simulated cluster does not serve kind ${kind}`);
    return type;
  };
  for (const name of options.namespaces ?? ['default', 'kube-system']) {
    store.create(typeOf('Namespace'), { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
  const nodes = options.nodes ?? 3;
  controlPlane?.addNodes(
    typeof nodes === 'number' ? Array.from({ length: nodes }, (_, i) => `node-${i + 1}`) : nodes,
  );
  // A deleted pod takes its logs with it, and ends their followers.
  store.subscribe((change) => {
    if (change.type === 'DELETED' && change.object.kind === 'Pod') {
      logs.removePod(change.object.metadata.namespace ?? '', change.object.metadata.name ?? '');
    }
  });

  const port = await server.listen();
  const url = `${pki ? 'https' : 'http'}://127.0.0.1:${port}`;
  const clusterSection: Record<string, unknown> = { server: url };
  if (pki) clusterSection['certificate-authority-data'] = pki.ca.toString('base64');
  const kubeconfigWith = (user: Record<string, unknown>, cluster: Record<string, unknown> = {}) =>
    yaml().stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'fake', cluster: { ...clusterSection, ...cluster } }],
      users: [{ name: 'fake-user', user }],
      contexts: [{ name: 'fake', context: { cluster: 'fake', user: 'fake-user', namespace: 'default' } }],
      'current-context': 'fake',
    });
  const auth = options.auth;
  const firstToken = Object.keys(auth?.tokens ?? {})[0];
  const firstBasic = Object.entries(auth?.basic ?? {})[0];
  const defaultUser: Record<string, unknown> = firstToken
    ? { token: firstToken }
    : firstBasic
      ? { username: firstBasic[0], password: firstBasic[1] }
      : auth?.clientCertificates && pki
        ? {
            'client-certificate-data': pki.clientCert.toString('base64'),
            'client-key-data': pki.clientKey.toString('base64'),
          }
        : {};
  const kubeconfig = kubeconfigWith(defaultUser);
  const dir = mkdtempSync(join(tmpdir(), 'kubedog-fake-'));
  const kubeconfigPath = join(dir, 'kubeconfig');
  writeFileSync(kubeconfigPath, kubeconfig, { mode: 0o600 });
  const client = new KubeClient(kubeConfigFromString(kubeconfig, { source: kubeconfigPath }));

  const requireControlPlane = () => {
    if (!controlPlane)
      throw new Error('this simulated cluster runs without controllers (controllers: false)');
    return controlPlane;
  };
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    controlPlane?.stop();
    await client.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  };
  const target: ScenarioTarget = {
    behave: (pattern, container, behaviour) =>
      requireControlPlane().behaviours.container(pattern, container, behaviour),
    behavePod: (pattern, behaviour) => requireControlPlane().behaviours.pod(pattern, behaviour),
    cordon: (node, unschedulable = true) => {
      store.patch(typeOf('Node'), undefined, node, { spec: { unschedulable: unschedulable || null } });
    },
  };
  const scenario = {
    pod: (pattern: string) => new PodScenario(target, pattern),
    node: (name: string) => new NodeScenario(target, name),
  };
  const apply = (manifests: string | KubeObject | KubeObject[]) => applyManifests(client, manifests);
  return {
    url,
    kubeconfig,
    kubeconfigPath,
    client,
    apply,
    scenario,
    pod: scenario.pod,
    node: scenario.node,
    store,
    logs,
    faults: server.faults,
    stats: server.stats,
    forbid: (rule) => server.forbidden.push(rule),
    registerType: (type) => server.registerType(type),
    create: <T extends KubeObject>(object: T) =>
      store.create(typeOf(object.kind ?? '', object.apiVersion), object) as T,
    dropStreams: () => server.dropStreams(),
    clock,
    behave: target.behave,
    behavePod: target.behavePod,
    cordon: target.cordon,
    settled: async () => {
      await controlPlane?.idle();
    },
    kubeconfigWith,
    close,
    [Symbol.asyncDispose]: close,
  };
}
