import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { KubeClient } from '../../src/kube/client.js';
import { KubeApiError } from '../../src/kube/errors.js';
import type { KubeObject } from '../../src/kube/types.js';
import type { WatchNotice } from '../../src/kube/watch.js';
import { type ControlPlane, startControlPlane } from '../control-plane.js';
import { kubernetesVersion } from './helpers.js';

/** A TCP proxy in front of the API server whose connections a test can cut, and refuse for a while. */
class CuttableProxy {
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  refusing = false;
  port = 0;
  /** When bytes last went to the server, and last came back (Date.now()). */
  lastUp = 0;
  lastDown = 0;

  constructor(target: number) {
    this.#server = createServer((client) => {
      if (this.refusing) return client.destroy();
      const upstream = connect(target, '127.0.0.1');
      for (const socket of [client, upstream]) {
        this.#sockets.add(socket);
        socket.on('close', () => this.#sockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.on('data', () => {
        this.lastUp = Date.now();
      });
      upstream.on('data', () => {
        this.lastDown = Date.now();
      });
      client.pipe(upstream).pipe(client);
    });
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.port = (this.#server.address() as { port: number }).port;
  }

  cut(): void {
    for (const socket of this.#sockets) socket.destroy();
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise((resolve) => this.#server.close(resolve));
  }
}

const fast = { retry: { initialDelayMs: 20, maxDelayMs: 200 } };

async function until(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the Kubernetes client against a real kube-apiserver', () => {
  let plane: ControlPlane;
  const clients: KubeClient[] = [];
  const client = (context: string, kubeconfig?: string) => {
    const c = KubeClient.fromKubeConfig({ kubeconfig: kubeconfig ?? plane.kubeconfigPath, context });
    clients.push(c);
    return c;
  };
  const namespace = async (name: string) => {
    await client('admin').create('Namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  };

  /** A watch through a cuttable proxy, with what it received and the notices it gave. */
  const proxiedWatch = async (
    ns: string,
    initialEvents: boolean,
    extra: { kind?: string; timeoutSeconds?: number } = {},
  ) => {
    const proxy = new CuttableProxy(Number(new URL(plane.server).port));
    await proxy.listen();
    const kubeconfig = join(plane.dir, `kubeconfig-${ns}`);
    writeFileSync(
      kubeconfig,
      readFileSync(plane.kubeconfigPath, 'utf8').replace(plane.server, `https://127.0.0.1:${proxy.port}`),
    );
    const notices: WatchNotice[] = [];
    const watch = client('admin', kubeconfig).watch<KubeObject>(extra.kind ?? 'configmaps', {
      namespace: ns,
      initialEvents,
      ...(extra.timeoutSeconds ? { timeoutSeconds: extra.timeoutSeconds } : {}),
      ...fast,
      onNotice: (n) => notices.push(n),
    });
    const received: string[] = [];
    const consumer = (async () => {
      for await (const event of watch) received.push(`${event.type} ${event.object.metadata.name}`);
    })();
    const close = async () => {
      await watch.return(undefined);
      await consumer;
      await proxy.close();
    };
    return { proxy, notices, received, close };
  };

  before(async () => {
    const bin = execFileSync('bash', ['e2e/build.sh'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    }).trim();
    plane = await startControlPlane({
      bin,
      // ConfigMap watches go straight to etcd, and etcd is compacted every 2 s,
      // so a watch that was away for a while gets a real 410.
      apiserverFlags: ['--watch-cache-sizes=configmaps#0', '--etcd-compaction-interval=2s'],
    });
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await plane?.stop();
  });

  test('client certificate and bearer token authenticate; the server is the pinned release', async () => {
    for (const context of ['admin', 'admin-token']) {
      const { items } = await client(context).list('namespaces');
      assert.ok(
        items.some((n) => n.metadata.name === 'kube-system'),
        context,
      );
    }
    const version = await client('admin').requestJson<{ gitVersion: string }>('GET', '/version');
    assert.equal(version.gitVersion, kubernetesVersion());
    assert.match(version.gitVersion, /^v1\.\d+\.\d+$/);
  });

  test('RBAC 403 reads the same as on the simulated cluster', async () => {
    await assert.rejects(client('nobody').list('pods', { namespace: 'default' }), (error: unknown) => {
      assert.ok(error instanceof KubeApiError);
      assert.equal(error.statusCode, 403);
      assert.equal(
        error.message,
        `Forbidden: pods is forbidden: User "nobody" cannot list resource "pods" in API group "" in the namespace "default" (context "nobody" in ${plane.kubeconfigPath})`,
      );
      return true;
    });
  });

  test('pagination over 1000 objects', async () => {
    await namespace('paging');
    const admin = client('admin');
    for (let batch = 0; batch < 20; batch++) {
      await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          admin.create('ConfigMap', {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: { name: `cm-${batch * 50 + i}`, namespace: 'paging' },
            data: {},
          }),
        ),
      );
    }
    const firstPage = await admin.requestJson<{ items: unknown[]; metadata: { continue?: string } }>(
      'GET',
      '/api/v1/namespaces/paging/configmaps?limit=100',
    );
    assert.equal(firstPage.items.length, 100);
    assert.ok(firstPage.metadata.continue, 'the server pages');
    const { items } = await admin.list('configmaps', { namespace: 'paging', pageSize: 100 });
    assert.equal(items.filter((c) => c.metadata.name?.startsWith('cm-')).length, 1000);
    assert.equal(new Set(items.map((c) => c.metadata.name)).size, items.length);
  });

  test('watch: connections cut again and again lose and repeat nothing', async () => {
    await namespace('cuts');
    const { proxy, notices, received, close } = await proxiedWatch('cuts', false);
    try {
      await new Promise((r) => setTimeout(r, 500));
      const admin = client('admin');
      const expected: string[] = [];
      for (let i = 0; i < 40; i++) {
        const name = `c${i % 7}`;
        const exists = expected.filter((e) => e.endsWith(` ${name}`)).at(-1);
        if (!exists || exists.startsWith('DELETED')) {
          await admin.create('ConfigMap', {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: { name, namespace: 'cuts' },
            data: { i: String(i) },
          });
          expected.push(`ADDED ${name}`);
        } else if (i % 3 === 0) {
          await admin.delete('configmap', { namespace: 'cuts', name });
          expected.push(`DELETED ${name}`);
        } else {
          await admin.patch('configmap', { namespace: 'cuts', name }, { data: { i: String(i) } });
          expected.push(`MODIFIED ${name}`);
        }
        if (i % 5 === 2) {
          // Cut, and let the watch come back before the next cut, so each cut is its own outage.
          const before = notices.filter((n) => n.type === 'resumed').length;
          proxy.cut();
          const until = Date.now() + 10_000;
          while (notices.filter((n) => n.type === 'resumed').length === before && Date.now() < until) {
            await new Promise((r) => setTimeout(r, 10));
          }
        }
      }
      const deadline = Date.now() + 15_000;
      while (received.length < expected.length && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(received, expected);
      const resumed = notices.filter((n) => n.type === 'resumed').length;
      assert.equal(resumed, 8, 'each of the eight cuts was followed by a resume');
    } finally {
      await close();
    }
  });

  test('bookmarks: a quiet watch resumes from the bookmark sent before the request times out', async () => {
    await namespace('quiet');
    await namespace('busy');
    const admin = client('admin');
    const secret = (ns: string, name: string) =>
      admin.create('Secret', { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: ns } });
    const listed = Number((await admin.list('Secret', { namespace: 'quiet' })).resourceVersion);
    // Secrets are served from the watch cache, which sends a bookmark about 2 s before a
    // request's timeout (8 s here); the connection is cut after that bookmark, before the timeout.
    const { proxy, notices, received, close } = await proxiedWatch('quiet', false, {
      kind: 'secrets',
      timeoutSeconds: 8,
    });
    try {
      // The watch's list, then its request, then quiet: the watch is established. Only writes
      // after its start make a bookmark: the cache sends none that is not newer than the watch.
      await until(() => proxy.lastDown > 0 && Date.now() - proxy.lastDown > 500, 'the watch to start');
      for (let i = 0; i < 20; i++) await secret('busy', `elsewhere-${i}`);
      const lastElsewhere = Number((await admin.list('Secret', { namespace: 'busy' })).resourceVersion);
      // The watch request is the last thing sent; the quiet namespace's watch then hears
      // nothing until the bookmark (TLS hides it from the proxy, but not that it came).
      await until(() => proxy.lastDown - proxy.lastUp > 3000, 'the bookmark before the timeout');
      proxy.cut();
      await until(() => notices.some((n) => n.type === 'resumed'), 'the watch to resume');
      const resumed = notices.find((n) => n.type === 'resumed');
      const from = Number(resumed?.type === 'resumed' ? resumed.resourceVersion : 0);
      assert.ok(
        from > listed,
        `resumed from ${from}, not from the list's ${listed}: ${JSON.stringify(notices)}`,
      );
      assert.ok(
        from >= lastElsewhere,
        `the bookmark is as recent as the last write elsewhere (${lastElsewhere})`,
      );
      await secret('quiet', 'mine');
      await until(() => received.includes('ADDED mine'), 'the new secret');
      assert.deepEqual(received, ['ADDED mine']);
    } finally {
      await close();
    }
  });

  test('410 after etcd compaction: the watch re-lists and emits only the differences', async () => {
    await namespace('gone');
    const admin = client('admin');
    for (const name of ['keep', 'change', 'remove']) {
      await admin.create('ConfigMap', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name, namespace: 'gone' },
        data: {},
      });
    }
    const { proxy, notices, received, close } = await proxiedWatch('gone', true);
    try {
      const deadline = Date.now() + 10_000;
      while (received.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual([...received].sort(), ['ADDED change', 'ADDED keep', 'ADDED remove']);
      // The watch is away while things change and etcd compacts its history.
      proxy.refusing = true;
      proxy.cut();
      await admin.patch('configmap', { namespace: 'gone', name: 'change' }, { data: { v: '2' } });
      await admin.delete('configmap', { namespace: 'gone', name: 'remove' });
      await admin.create('ConfigMap', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'added', namespace: 'gone' },
        data: {},
      });
      for (let i = 0; i < 5; i++)
        await admin.patch(
          'configmap',
          { namespace: 'gone', name: 'keep' },
          { metadata: { labels: { churn: String(i) } } },
        );
      await new Promise((r) => setTimeout(r, 6000));
      proxy.refusing = false;
      const until = Date.now() + 20_000;
      while (!notices.some((n) => n.type === 'relisted') && Date.now() < until)
        await new Promise((r) => setTimeout(r, 100));
      assert.ok(
        notices.some((n) => n.type === 'relisted'),
        `a re-list after 410; notices: ${JSON.stringify(notices.map((n) => n.type))}`,
      );
      assert.deepEqual(received.slice(3).sort(), [
        'ADDED added',
        'DELETED remove',
        'MODIFIED change',
        'MODIFIED keep',
      ]);
    } finally {
      await close();
    }
  });
});
