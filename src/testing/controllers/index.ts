import type { KubeObject } from '../../kube/types.js';
import type { Clock } from '../clock.js';
import type { LogStore } from '../log-store.js';
import type { Random } from '../random.js';
import type { Change, ObjectStore } from '../store.js';
import { Behaviours } from './behaviour.js';
import { reconcileDaemonSet } from './daemonset.js';
import { DeploymentController } from './deployment.js';
import { EventRecorder } from './events.js';
import { JobController } from './job.js';
import { NodeAgent } from './kubelet.js';
import { Network } from './network.js';
import { simulatedNode } from './node.js';
import { reconcileReplicaSet } from './replicaset.js';
import { type Runtime, timestamp, typeOf } from './runtime.js';
import { reconcileStatefulSet } from './statefulset.js';

export type { ContainerBehaviour, PodBehaviour } from './behaviour.js';

/**
 * The simulated control plane: controllers, scheduler and node agents,
 * driven by a work queue of `Kind/namespace/name` keys that store changes
 * feed (an object and its controller owner are queued when it changes).
 * Work runs outside the store's change notification, one key at a time, so
 * reconciles never nest; `idle()` resolves when the queue is empty.
 */
export class ControlPlane {
  readonly behaviours = new Behaviours();
  readonly #runtime: Runtime;
  readonly #queue = new Set<string>();
  readonly #deployments: DeploymentController;
  readonly #jobs: JobController;
  readonly #nodes: NodeAgent;
  readonly #network: Network;
  readonly #unsubscribe: () => void;
  #draining = false;
  #waiters: (() => void)[] = [];
  /** Errors thrown by reconciles (bugs of the simulation), reported by `idle()`. */
  readonly #failures: unknown[] = [];
  #stopped = false;

  constructor(store: ObjectStore, logs: LogStore, clock: Clock, random: Random) {
    this.#runtime = {
      store,
      logs,
      clock,
      random,
      events: new EventRecorder(store, clock),
      behaviours: this.behaviours,
      enqueue: (key) => this.enqueue(key),
      deletePod: (namespace, name) => this.deletePod(namespace, name),
    };
    this.#deployments = new DeploymentController(this.#runtime);
    this.#jobs = new JobController(this.#runtime);
    this.#nodes = new NodeAgent(this.#runtime);
    this.#network = new Network(this.#runtime);
    store.addDefaulter(this.#network.defaulter);
    this.#unsubscribe = store.subscribe((change) => this.#onChange(change));
  }

  /** Registers simulated nodes (Ready, 4 CPUs, 8 GiB each). */
  addNodes(names: string[]): void {
    const now = timestamp(this.#runtime.clock);
    for (const name of names)
      this.#runtime.store.create(
        typeOf('Node'),
        simulatedNode(name, { now, kubeletVersion: 'v1.34.0-kubedog-sim' }),
      );
  }

  /**
   * Deletes a pod as the API server does: a pod on a node gets a
   * deletionTimestamp — when its 30 s grace period ends — and is removed
   * once its containers stopped; a pod that never reached a node is removed
   * at once.
   */
  deletePod(namespace: string, name: string): KubeObject | undefined {
    const { store, clock } = this.#runtime;
    const pods = typeOf('Pod');
    const pod = store.get(pods, namespace, name);
    if (!pod) return undefined;
    if (pod.metadata.deletionTimestamp) return pod;
    const phase = (pod.status as { phase?: string } | undefined)?.phase;
    if (
      !(pod.spec as { nodeName?: string } | undefined)?.nodeName ||
      phase === 'Succeeded' ||
      phase === 'Failed'
    ) {
      return store.delete(pods, namespace, name);
    }
    return store.patch(pods, namespace, name, {
      metadata: { deletionTimestamp: timestamp(clock, 30_000), deletionGracePeriodSeconds: 30 },
    });
  }

  enqueue(key: string): void {
    if (this.#stopped) return;
    this.#queue.add(key);
    if (!this.#draining) {
      this.#draining = true;
      setImmediate(() => this.#drain());
    }
  }

  /** Resolves when every queued reconcile has run (and those they queued). */
  async idle(): Promise<void> {
    if (this.#draining || this.#queue.size > 0)
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    const failure = this.#failures.shift();
    if (failure) throw failure;
  }

  stop(): void {
    this.#stopped = true;
    this.#unsubscribe();
    this.#queue.clear();
    this.#nodes.stopAll();
    this.#deployments.stopAll();
    this.#jobs.stopAll();
    this.#network.stopAll();
  }

  #onChange(change: Change): void {
    const object = change.object;
    const kind = object.kind ?? '';
    const namespace = object.metadata.namespace ?? '';
    const name = object.metadata.name ?? '';
    if (kind === 'Event' || kind === 'ControllerRevision') return;
    if (kind === 'Node') {
      this.#nodes.nodesChanged();
      for (const ds of this.#runtime.store.list(typeOf('DaemonSet')).items) {
        this.enqueue(`DaemonSet/${ds.metadata.namespace}/${ds.metadata.name}`);
      }
      return;
    }
    this.enqueue(`${kind}/${namespace}/${name}`);
    for (const owner of ownersOf(object)) this.enqueue(`${owner.kind}/${namespace}/${owner.name}`);
  }

  #drain(): void {
    for (let budget = 10_000; this.#queue.size > 0 && budget > 0 && !this.#stopped; budget--) {
      const key = this.#queue.values().next().value as string;
      this.#queue.delete(key);
      const [kind = '', namespace = '', name = ''] = key.split('/');
      try {
        this.#dispatch(kind, namespace, name);
      } catch (error) {
        // A conflict with a concurrent write: try again on the next turn. Anything
        // else is a bug of the simulation, reported by idle().
        if ((error as { status?: { reason?: string } }).status?.reason === 'Conflict') this.#queue.add(key);
        else this.#failures.push(error);
      }
    }
    if (this.#queue.size > 0 && !this.#stopped) {
      setImmediate(() => this.#drain());
      return;
    }
    this.#draining = false;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const resolve of waiters) resolve();
  }

  #dispatch(kind: string, namespace: string, name: string): void {
    switch (kind) {
      case 'Pod':
        this.#nodes.reconcile(namespace, name);
        break;
      case 'ReplicaSet':
        reconcileReplicaSet(this.#runtime, namespace, name);
        break;
      case 'Deployment':
        this.#deployments.reconcile(namespace, name);
        break;
      case 'Job':
        this.#jobs.reconcile(namespace, name);
        break;
      case 'StatefulSet':
        reconcileStatefulSet(this.#runtime, namespace, name);
        break;
      case 'DaemonSet':
        reconcileDaemonSet(this.#runtime, namespace, name);
        break;
      case 'Service':
      case 'Ingress':
        this.#network.reconcile(kind, namespace, name);
        break;
      default:
        break;
    }
  }
}

function ownersOf(object: KubeObject): { kind: string; name: string }[] {
  return (object.metadata.ownerReferences ?? [])
    .filter((r) => r.controller)
    .map((r) => ({ kind: r.kind, name: r.name }));
}
