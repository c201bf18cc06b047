import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { KubeClient } from '../src/kube/client.js';
import { KubeApiError } from '../src/kube/errors.js';
import type { KubeObject } from '../src/kube/types.js';
import { RealClock } from '../src/testing/clock.js';
import { Behaviours } from '../src/testing/controllers/behaviour.js';
import { EventRecorder } from '../src/testing/controllers/events.js';
import { NodeAgent } from '../src/testing/controllers/kubelet.js';
import { nodeConditions, simulatedNode } from '../src/testing/controllers/node.js';
import { type Runtime, typeOf } from '../src/testing/controllers/runtime.js';
import { serveLog } from '../src/testing/log-server.js';
import { LogStore } from '../src/testing/log-store.js';
import { Random } from '../src/testing/random.js';
import { NodeScenario, PodScenario, type ScenarioTarget } from '../src/testing/scenario.js';
import { StatusError, statusError } from '../src/testing/status.js';
import { type Change, ObjectStore } from '../src/testing/store.js';

/**
 * Simulated nodes for a real control plane. Real kubelets need a container
 * runtime, which this machine does not have; these nodes run the simulated
 * cluster's node agent (the same pod lifecycle, scripted the same way —
 * `nodes.pod('web-*').container('app').crashLoops()` or the
 * `sim.kubedog.io/CONTAINER` annotation) against the real kube-apiserver:
 *
 * - Node objects with InternalIP 127.0.0.1 and the port of an HTTPS server
 *   that answers `GET /containerLogs/NS/POD/CONTAINER` like a kubelet, so
 *   `kubectl logs` and our log streams go through the API server's proxy;
 * - Leases in kube-node-lease, renewed every 10 s, and a Ready heartbeat;
 * - the pods the real scheduler binds to them are copied into a local store,
 *   where the node agent moves them through their life; what it writes —
 *   pod status, Events, the final deletion — goes back to the API server.
 *
 * The copy is one way for each part: the API server owns pod specs and
 * metadata, the node owns pod status once it runs the pod (as a kubelet
 * does).
 */
export interface SimulatedNodes {
  readonly names: string[];
  /** Scripts the pods whose name matches `pattern` (a glob), as on the simulated cluster. */
  pod(pattern: string): PodScenario;
  /** `nodes.node('node-2').cordon()` marks the real Node unschedulable. */
  node(name: string): NodeScenario;
  /** The containers' logs, as the node agent writes them. */
  readonly logs: LogStore;
  /** Writes that the API server refused (a bug of the simulation when not empty). */
  readonly errors: string[];
  stop(): Promise<void>;
}

export interface NodesOptions {
  /** A client with the rights of a node (or an admin). */
  client: KubeClient;
  /** @default 3 */
  count?: number;
  /** Serving certificate and key of the node's HTTPS endpoint, and the CA its clients' certificates must chain to. */
  tls: { cert: string | Buffer; key: string | Buffer; ca: string | Buffer };
  /** @default 'node-' */
  prefix?: string;
}

const LEASE_RENEW_MS = 10_000;

export async function startNodes(options: NodesOptions): Promise<SimulatedNodes> {
  const { client } = options;
  const names = Array.from({ length: options.count ?? 3 }, (_, i) => `${options.prefix ?? 'node-'}${i + 1}`);
  const store = new ObjectStore();
  const logs = new LogStore();
  const clock = new RealClock();
  const behaviours = new Behaviours();
  const errors: string[] = [];
  const pods = typeOf('Pod');
  const abort = new AbortController();

  const runtime: Runtime = {
    store,
    logs,
    clock,
    random: new Random(1),
    events: new EventRecorder(store, clock),
    behaviours,
    enqueue: (key) => {
      const [, namespace = '', name = ''] = key.split('/');
      queueMicrotask(() => agent.reconcile(namespace, name));
    },
    // Only the simulated controllers delete pods; here the real ones do, through the API server.
    deletePod: () => undefined,
  };
  const agent = new NodeAgent(runtime);
  const push = new PushQueue(client, store, errors);

  // What the agent writes goes to the API server; what the API server sends is copied in quietly.
  let copying = false;
  const unsubscribe = store.subscribe((change) => {
    if (!copying) push.changed(change);
  });
  const copy = (fn: () => void) => {
    copying = true;
    try {
      fn();
    } finally {
      copying = false;
    }
  };

  const server = await serveKubeletApi(store, logs, options.tls);
  const port = (server.address() as { port: number }).port;
  try {
    for (const name of names) await registerNode(client, name, port);
  } catch (error) {
    // Nothing of a half-made set of nodes may keep the process alive.
    unsubscribe();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    throw error;
  }
  const heartbeat = setInterval(() => {
    for (const name of names) void renew(client, name).catch((e) => errors.push(`renew ${name}: ${e}`));
  }, LEASE_RENEW_MS);
  heartbeat.unref();

  const ours = new Set(names);
  const follow = async (kind: string, onChange: (type: string, object: KubeObject) => void) => {
    try {
      for await (const event of client.watch(kind, { namespace: '', signal: abort.signal }))
        onChange(event.type, event.object);
    } catch (error) {
      if (!abort.signal.aborted) errors.push(`watch ${kind}: ${error}`);
    }
  };
  const watches = [
    follow('pods', (type, pod) => {
      const { namespace = '', name = '' } = pod.metadata;
      if (!ours.has(String((pod.spec as { nodeName?: string } | undefined)?.nodeName ?? ''))) return;
      const local = store.get(pods, namespace, name);
      const same = local !== undefined && local.metadata.uid === pod.metadata.uid;
      if (type === 'DELETED') {
        if (same) copy(() => store.delete(pods, namespace, name));
      } else {
        // Once the node runs a pod, the status is the node's.
        const status = same ? local.status : pod.status;
        copy(() => store.mirror(pods, { ...pod, status }));
      }
      agent.reconcile(namespace, name);
    }),
    // The node agent checks that the ConfigMaps and Secrets a pod needs exist.
    ...['ConfigMap', 'Secret'].map((kind) =>
      follow(kind, (type, object) => {
        const { namespace = '', name = '' } = object.metadata;
        const shell = { apiVersion: 'v1', kind, metadata: object.metadata };
        copy(() => {
          if (type !== 'DELETED') store.mirror(typeOf(kind), shell);
          else if (store.get(typeOf(kind), namespace, name)) store.delete(typeOf(kind), namespace, name);
        });
      }),
    ),
  ];

  const target: ScenarioTarget = {
    behave: (pattern, container, behaviour) => behaviours.container(pattern, container, behaviour),
    behavePod: (pattern, behaviour) => behaviours.pod(pattern, behaviour),
    cordon: (node, unschedulable = true) => {
      void client
        .patch('Node', { name: node }, { spec: { unschedulable } })
        .catch((e) => errors.push(`cordon ${node}: ${e}`));
    },
  };

  return {
    names,
    logs,
    errors,
    pod: (pattern) => new PodScenario(target, pattern),
    node: (name) => new NodeScenario(target, name),
    async stop() {
      abort.abort();
      clearInterval(heartbeat);
      agent.stopAll();
      unsubscribe();
      await Promise.allSettled(watches);
      await push.idle();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Sends the node agent's writes to the API server, one at a time, in order; repeated status writes of a pod coalesce. */
class PushQueue {
  readonly #client: KubeClient;
  readonly #store: ObjectStore;
  readonly #errors: string[];
  readonly #queue: string[] = [];
  readonly #queued = new Set<string>();
  readonly #createdEvents = new Set<string>();
  #running: Promise<void> | undefined;

  constructor(client: KubeClient, store: ObjectStore, errors: string[]) {
    this.#client = client;
    this.#store = store;
    this.#errors = errors;
  }

  changed(change: Change): void {
    const { namespace = '', name = '', uid = '' } = change.object.metadata;
    if (change.typeKey === '/pods')
      this.#add(
        change.type === 'DELETED' ? `delete\0${namespace}\0${name}\0${uid}` : `pod\0${namespace}\0${name}`,
      );
    else if (change.typeKey === '/events') this.#add(`event\0${namespace}\0${name}`);
  }

  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  #add(key: string): void {
    if (this.#queued.has(key)) return;
    this.#queued.add(key);
    this.#queue.push(key);
    this.#running ??= this.#drain().finally(() => {
      this.#running = undefined;
    });
  }

  async #drain(): Promise<void> {
    for (let key = this.#queue.shift(); key !== undefined; key = this.#queue.shift()) {
      this.#queued.delete(key);
      try {
        await this.#send(key);
      } catch (error) {
        // A pod deleted meanwhile is not a problem; anything else the API server refused is.
        if (!(error instanceof KubeApiError && error.statusCode === 404))
          this.#errors.push(
            `${key.replaceAll('\0', ' ')}: ${error instanceof Error ? error.message : error}`,
          );
      }
    }
  }

  async #send(key: string): Promise<void> {
    const [what, namespace = '', name = '', uid] = key.split('\0');
    if (what === 'delete') {
      // The kubelet's last word on a pod: its containers are gone, the object may go (grace 0).
      await this.#client.requestJson('DELETE', `/api/v1/namespaces/${namespace}/pods/${name}`, {
        body: { kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 0, preconditions: { uid } },
      });
      return;
    }
    if (what === 'pod') {
      const pod = this.#store.get(typeOf('Pod'), namespace, name);
      if (!pod) return;
      await this.#client.patch('Pod', { namespace, name }, { status: pod.status }, { subresource: 'status' });
      return;
    }
    const event = this.#store.get(typeOf('Event'), namespace, name);
    if (!event) return;
    if (this.#createdEvents.has(key)) {
      const { count, lastTimestamp, message } = event as {
        count?: number;
        lastTimestamp?: string;
        message?: string;
      };
      await this.#client.patch('Event', { namespace, name }, { count, lastTimestamp, message });
      return;
    }
    const { resourceVersion: _rv, uid: _uid, creationTimestamp: _ct, ...metadata } = event.metadata;
    await this.#client.create('Event', { ...event, metadata });
    this.#createdEvents.add(key);
  }
}

async function registerNode(client: KubeClient, name: string, port: number): Promise<void> {
  const { status, ...node } = simulatedNode(name, {
    now: now(),
    kubeletPort: port,
    kubeletVersion: 'v1.34.4',
  });
  await client.create('Node', node);
  // A patch, not a replace: the node controller may change the Node between its creation and here (a 409).
  await client.patch('Node', { name }, { status }, { subresource: 'status' });
  await client.create('Lease', {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name, namespace: 'kube-node-lease' },
    spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: microTime() },
  });
}

async function renew(client: KubeClient, name: string): Promise<void> {
  await client.patch('Lease', { namespace: 'kube-node-lease', name }, { spec: { renewTime: microTime() } });
  await client.patch(
    'Node',
    { name },
    { status: { conditions: nodeConditions(now()) } },
    { subresource: 'status' },
  );
}

/** metav1.Time: RFC 3339 in whole seconds. */
function now(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
}

/** metav1.MicroTime: RFC 3339 with microseconds. */
function microTime(): string {
  return new Date().toISOString().replace(/Z$/, '000Z');
}

/**
 * The part of the kubelet's API the API server uses for `pods/log`:
 * `GET /containerLogs/{namespace}/{pod}/{container}`. Clients must present a
 * certificate of the cluster's CA (the API server's kubelet client certificate).
 */
async function serveKubeletApi(
  store: ObjectStore,
  logs: LogStore,
  tls: { cert: string | Buffer; key: string | Buffer; ca: string | Buffer },
): Promise<Server> {
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'https://node');
    const match = /^\/containerLogs\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    try {
      if (req.method !== 'GET' || !match) throw statusError(404, 'NotFound', 'not found');
      const [, namespace = '', name = '', container = ''] = match.map(decodeURIComponent);
      const pod = store.get(typeOf('Pod'), namespace, name);
      if (!pod) throw statusError(404, 'NotFound', `pod "${name}" not found`);
      serveLog(res, {
        logs,
        pod,
        container,
        query: url.searchParams,
        open: (response) => {
          response.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'no-cache' });
          response.flushHeaders();
          return () => {};
        },
      });
    } catch (error) {
      // The kubelet answers errors as plain text; the API server passes the text on.
      const code = error instanceof StatusError ? error.status.code : 500;
      const message = error instanceof StatusError ? error.status.message : String(error);
      if (!res.headersSent) res.writeHead(code, { 'content-type': 'text/plain' });
      res.end(message);
    }
  };
  const server = createServer(
    { cert: tls.cert, key: tls.key, ca: tls.ca, requestCert: true, rejectUnauthorized: true },
    handle,
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}
