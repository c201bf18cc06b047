import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { KubeClient } from '../../src/kube/client.js';
import { KubeApiError } from '../../src/kube/errors.js';
import type { KubeObject } from '../../src/kube/types.js';
import type { TrackEvent } from '../../src/track/events.js';
import { type ControlPlane, startControlPlane } from '../control-plane.js';
import type { SimulatedNodes } from '../nodes.js';

/** The directory of the tier's binaries, built on first use (e2e/build.sh). */
export const binaries = (): string =>
  execFileSync('bash', ['e2e/build.sh'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();

/** A real control plane with controllers, scheduler and three simulated nodes. */
export async function startCluster(): Promise<ControlPlane> {
  return startControlPlane({ bin: binaries(), controllers: true, nodes: 3 });
}

/** The Kubernetes release the tier runs (e2e/build.sh names its binaries' directory after it). */
export const kubernetesVersion = (): string => /\/k8s-(v[^-/]+)-etcd-/.exec(binaries())?.[1] ?? 'unknown';

/** kubectl of the control plane's version (k8s.io/kubernetes pinned in e2e/k8s/VERSION/go.mod). */
export const kubectlBinary = (): string => join(binaries(), 'kubectl');

/** The Helm CLI pinned in e2e/helm/go.mod. */
export function helmBinary(): string {
  const pin = readFileSync('e2e/helm/go.mod', 'utf8').match(/^require helm\.sh\/helm\/v3 (\S+)$/m)?.[1];
  return join(binaries(), `helm-${pin}`);
}

/**
 * A namespace pods can be created in: the ServiceAccount admission plugin
 * refuses pods until the controller-manager made the `default` ServiceAccount.
 */
export async function namespace(client: KubeClient, name: string): Promise<string> {
  await client.create('Namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  return defaultServiceAccount(client, name);
}

/** Waits for the `default` ServiceAccount of a namespace; returns the namespace. */
export async function defaultServiceAccount(client: KubeClient, name: string): Promise<string> {
  for (let attempt = 0; attempt < 200; attempt++) {
    try {
      await client.get('ServiceAccount', { namespace: name, name: 'default' });
      return name;
    } catch (error) {
      if (!(error instanceof KubeApiError && error.statusCode === 404)) throw error;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no default ServiceAccount in namespace ${name} after 20 s`);
}

/** A Deployment, StatefulSet, DaemonSet or Job whose pods run one container `app`. */
export function workload(
  kind: 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'Job',
  name: string,
  namespace: string,
  options: { spec?: Record<string, unknown>; pod?: Record<string, unknown>; image?: string } = {},
): KubeObject {
  return {
    apiVersion: kind === 'Job' ? 'batch/v1' : 'apps/v1',
    kind,
    metadata: { name, namespace },
    spec: {
      ...(kind === 'Job' ? {} : { selector: { matchLabels: { app: name } } }),
      ...(kind === 'StatefulSet' ? { serviceName: name } : {}),
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [{ name: 'app', image: options.image ?? `registry.local/${name}:v1` }],
          terminationGracePeriodSeconds: 5,
          ...(kind === 'Job' ? { restartPolicy: 'Never' } : {}),
          ...options.pod,
        },
      },
      ...options.spec,
    },
  };
}

export async function collect(track: AsyncIterable<TrackEvent>): Promise<TrackEvent[]> {
  const events: TrackEvent[] = [];
  for await (const event of track) events.push(event);
  return events;
}

/** `pod: line` for every log line of a track. */
export const logLines = (events: TrackEvent[]) =>
  events.flatMap((e) => (e.type === 'log' ? e.lines.map((l) => `${e.pod}: ${l}`) : []));

/** The verdict a track ended with: `ready`, or `failed: REASON`. */
export const outcome = (events: TrackEvent[]) => {
  const last = events.at(-1);
  return last?.type === 'failed' ? `failed: ${last.reason}` : String(last?.type);
};

/** A track in short lines, for assertion messages. */
export const story = (events: TrackEvent[]) =>
  events
    .map((e) => {
      switch (e.type) {
        case 'event':
          return `event ${e.involvedObject} ${e.reason}`;
        case 'pod':
          return `pod ${e.pod} ${e.change} ${e.phase}${e.current ? '' : ' (old)'}`;
        case 'pod-error':
          return `pod-error ${e.pod} ${e.reason}`;
        case 'log':
          return `log ${e.pod}: ${e.lines.join(' | ')}`;
        case 'status':
        case 'added':
          return `${e.type} ${e.verdict.state} ${e.verdict.reason}`;
        case 'failed':
          return `failed ${e.reason}`;
        case 'replicaset':
          return `replicaset ${e.replicaSet}${e.new ? ' (new)' : ''}`;
        default:
          return e.type;
      }
    })
    .join('\n');

/**
 * For a `describe` block: a real control plane with simulated nodes, started
 * before its tests and stopped after them, and an admin client.
 */
export function useCluster(): {
  readonly plane: ControlPlane;
  readonly client: KubeClient;
  readonly nodes: SimulatedNodes;
} {
  let plane: ControlPlane | undefined;
  let client: KubeClient | undefined;
  before(async () => {
    plane = await startCluster();
    client = KubeClient.fromKubeConfig({ kubeconfig: plane.kubeconfigPath, context: 'admin' });
  });
  after(async () => {
    await client?.close();
    await plane?.stop();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the control plane has not started');
    return value;
  };
  return {
    get plane() {
      return started(plane);
    },
    get client() {
      return started(client);
    },
    get nodes() {
      return started(plane?.nodes);
    },
  };
}
