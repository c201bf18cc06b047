import { type SpawnOptions, spawn } from 'node:child_process';
import type { KubeObject } from '../src/kube/types.js';

/** A minimal Pod manifest. */
export function podManifest(
  name: string,
  options: { namespace?: string; labels?: Record<string, string>; containers?: string[] } = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: options.namespace ?? 'default',
      ...(options.labels ? { labels: options.labels } : {}),
    },
    spec: {
      containers: (options.containers ?? ['app']).map((c) => ({ name: c, image: `registry.local/${c}:v1` })),
    },
  };
}

/**
 * A Deployment in "default" whose pods (labelled `app: NAME`) run
 * `containers` (default: app) of `image`; `labels` and `spec` add to it.
 */
export function deploymentManifest(
  name: string,
  options: {
    replicas?: number;
    image?: string;
    labels?: Record<string, string>;
    containers?: string[];
    spec?: Record<string, unknown>;
  } = {},
): KubeObject {
  const image = options.image ?? `registry.local/${name}:v1`;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default', ...(options.labels ? { labels: options.labels } : {}) },
    spec: {
      replicas: options.replicas ?? 2,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: (options.containers ?? ['app']).map((container) => ({ name: container, image })),
        },
      },
      ...options.spec,
    },
  };
}

/** Polls until `condition` holds; fails with `what` after `timeoutMs`. */
export async function waitFor(
  condition: () => boolean,
  what: string,
  timeoutMs = 5000,
  everyMs = 5,
): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Takes the next `count` items of an async iterator without closing it. */
/**
 * Resolves once `count` watches are open on the simulated cluster: a track
 * (in this process, or a CLI's) has begun, so what happens next is news to it.
 */
export const watching = (cluster: { stats: { openWatches: number } }, count = 1): Promise<void> =>
  waitFor(() => cluster.stats.openWatches >= count, `${count} open watch(es)`, 15_000);

export async function take<T>(iterator: AsyncIterator<T>, count: number): Promise<T[]> {
  const items: T[] = [];
  while (items.length < count) {
    const next = await iterator.next();
    if (next.done) break;
    items.push(next.value);
  }
  return items;
}

/** Everything an iterator has left, to its end. */
export const rest = <T>(iterator: AsyncIterator<T>): Promise<T[]> => take(iterator, Number.POSITIVE_INFINITY);

export const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs a command to its end and collects what it printed. */
export function runCommand(
  command: string,
  args: string[],
  options: SpawnOptions = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr?.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * The CustomResourceDefinition of `storefronts.shop.example.com` (namespaced,
 * v1, with a status subresource): a custom kind no built-in rule knows.
 */
export const storefrontCrd = (): KubeObject => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'storefronts.shop.example.com' },
  spec: {
    group: 'shop.example.com',
    scope: 'Namespaced',
    names: { kind: 'Storefront', plural: 'storefronts', singular: 'storefront', listKind: 'StorefrontList' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
      },
    ],
  },
});

/** A Storefront `main` in `namespace`, with no status (its operator has not reported yet). */
export const storefrontManifest = (namespace = 'default'): KubeObject => ({
  apiVersion: 'shop.example.com/v1',
  kind: 'Storefront',
  metadata: { name: 'main', namespace },
  spec: { theme: 'dark' },
});
