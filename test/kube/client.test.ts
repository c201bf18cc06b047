import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { KubeClient } from '../../src/kube/client.js';
import { InvalidInputError, type KubeApiError, KubeClientClosedError } from '../../src/kube/errors.js';
import type { KubeObject } from '../../src/kube/types.js';
import { type FakeCluster, startFakeCluster } from '../../src/testing/cluster.js';
import { delay, podManifest, waitFor } from '../helpers.js';

describe('KubeClient against the simulated cluster', () => {
  let cluster: FakeCluster;
  before(async () => {
    cluster = await startFakeCluster({ namespaces: ['default', 'kube-system', 'paged'], controllers: false });
  });
  after(() => cluster.close());

  test('create, get, merge patch, replace, status subresource, delete', async () => {
    const { client } = cluster;
    const created = await client.create('Pod', podManifest('crud', { labels: { app: 'crud' } }));
    assert.equal(created.metadata.namespace, 'default');
    assert.ok(created.metadata.uid);
    const patched = await client.patch('pods', { name: 'crud' }, { metadata: { labels: { tier: 'web' } } });
    assert.deepEqual(patched.metadata.labels, { app: 'crud', tier: 'web' });
    assert.ok(Number(patched.metadata.resourceVersion) > Number(created.metadata.resourceVersion));
    const withStatus = await client.patch(
      'pods',
      { name: 'crud' },
      { status: { phase: 'Running' } },
      { subresource: 'status' },
    );
    assert.deepEqual(withStatus.status, { phase: 'Running' });
    // A spec update keeps the status; a stale resourceVersion conflicts.
    const replaced = await client.replace('pods', {
      ...withStatus,
      spec: { containers: [{ name: 'app', image: 'v2' }] },
    });
    assert.deepEqual((replaced as KubeObject).status, { phase: 'Running' });
    await assert.rejects(
      client.replace('pods', withStatus),
      (error: KubeApiError) => error.statusCode === 409 && error.reason === 'Conflict',
    );
    await client.delete('pod', { name: 'crud' });
    await assert.rejects(client.get('po', { name: 'crud' }), { statusCode: 404, reason: 'NotFound' });
  });

  test('generation grows on spec changes only', async () => {
    const { client } = cluster;
    const deployment: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'gen' },
      spec: { replicas: 1 },
    };
    const created = await client.create('deployments', deployment);
    assert.equal(created.metadata.generation, 1);
    const scaled = await client.patch('deploy', { name: 'gen' }, { spec: { replicas: 3 } });
    assert.equal(scaled.metadata.generation, 2);
    const labelled = await client.patch('deploy', { name: 'gen' }, { metadata: { labels: { a: 'b' } } });
    assert.equal(labelled.metadata.generation, 2);
    const status = await client.patch(
      'deploy',
      { name: 'gen' },
      { status: { observedGeneration: 2 } },
      { subresource: 'status' },
    );
    assert.equal(status.metadata.generation, 2);
  });

  test('list follows continue tokens across pages and filters by selectors', async () => {
    for (let i = 0; i < 57; i++) {
      cluster.create(
        podManifest(`p-${String(i).padStart(2, '0')}`, {
          namespace: 'paged',
          labels: { parity: i % 2 ? 'odd' : 'even' },
        }),
      );
    }
    const before = cluster.stats.requests;
    const { items, resourceVersion } = await cluster.client.list('pods', {
      namespace: 'paged',
      pageSize: 10,
    });
    assert.equal(items.length, 57);
    assert.equal(cluster.stats.requests - before, 6, 'six pages of at most 10');
    assert.equal(new Set(items.map((p) => p.metadata.name)).size, 57);
    assert.equal(resourceVersion, String(cluster.store.resourceVersion));
    const odd = await cluster.client.list('pods', {
      namespace: 'paged',
      labelSelector: 'parity=odd',
      pageSize: 5,
    });
    assert.equal(odd.items.length, 28);
    const one = await cluster.client.list('pods', {
      namespace: 'paged',
      fieldSelector: 'metadata.name=p-07',
    });
    assert.deepEqual(
      one.items.map((p) => p.metadata.name),
      ['p-07'],
    );
    const all = await cluster.client.list('pods', { namespace: '' });
    assert.ok(all.items.length >= 57);
  });

  test('an expired continue token makes the list fail with 410 Expired', async () => {
    const firstPage = await cluster.client.requestJson<{ metadata: { continue: string } }>(
      'GET',
      '/api/v1/namespaces/paged/pods?limit=5',
    );
    cluster.create(podManifest('compaction-trigger', { namespace: 'paged' }));
    cluster.store.compact();
    await assert.rejects(
      cluster.client.requestJson(
        'GET',
        `/api/v1/namespaces/paged/pods?limit=5&continue=${firstPage.metadata.continue}`,
      ),
      (error: KubeApiError) =>
        error.statusCode === 410 && /continue parameter is too old/.test(error.message),
    );
  });

  test('a list whose continue token expires between pages begins again, whole, in one answer', async () => {
    const client = new KubeClient(cluster.client.config);
    const pages: string[] = [];
    const request = client.requestJson.bind(client);
    // The history is compacted after the first page, as a busy collection's is while it is listed page by page.
    client.requestJson = (async (
      method: string,
      path: string,
      options?: { query?: Record<string, unknown> },
    ) => {
      const answer = await request(method, path, options as never);
      pages.push(
        `limit=${options?.query?.limit ?? 'none'} continue=${options?.query?.continue ? 'yes' : 'no'}`,
      );
      if (pages.length === 1) {
        cluster.create(podManifest('compaction-trigger-2', { namespace: 'paged' }));
        cluster.store.compact();
      }
      return answer;
    }) as typeof client.requestJson;
    try {
      const { items } = await client.list('pods', { namespace: 'paged', pageSize: 10 });
      assert.deepEqual(pages, ['limit=10 continue=no', 'limit=none continue=no']);
      assert.equal(new Set(items.map((p) => p.metadata.name)).size, items.length, 'each object once');
      assert.ok(items.some((p) => p.metadata.name === 'compaction-trigger-2'));
      assert.ok(items.length >= 58);
    } finally {
      await client.close();
    }
  });

  test('bad selectors and names fail before any request', async () => {
    const before = cluster.stats.requests;
    await assert.rejects(cluster.client.list('pods', { labelSelector: 'app in web' }), InvalidInputError);
    await assert.rejects(
      cluster.client.get('pods', { name: '../secrets' }),
      /invalid Pod name "..\/secrets"/,
    );
    assert.equal(cluster.stats.requests, before);
  });

  test('creating in a namespace that does not exist is refused like the real server does', async () => {
    await assert.rejects(cluster.client.create('Pod', podManifest('x', { namespace: 'nowhere' })), {
      message: 'NotFound: namespaces "nowhere" not found',
    });
  });

  test('unknown kinds are resolved through API discovery', async () => {
    cluster.registerType({
      kind: 'Certificate',
      group: 'cert-manager.io',
      version: 'v1',
      plural: 'certificates',
      namespaced: true,
      shortNames: ['cert'],
    });
    const type = await cluster.client.resolveType('certificates.cert-manager.io');
    assert.deepEqual(type, {
      kind: 'Certificate',
      group: 'cert-manager.io',
      version: 'v1',
      plural: 'certificates',
      namespaced: true,
      shortNames: ['cert'],
    });
    // The discovery result is cached until the client sees a new client object.
    const fresh = new (cluster.client.constructor as typeof import('../../src/kube/client.js').KubeClient)(
      cluster.client.config,
    );
    try {
      assert.equal((await fresh.resolveType('cert')).kind, 'Certificate');
      await assert.rejects(fresh.resolveType('widgets'), /does not have a resource type "widgets"/);
    } finally {
      await fresh.close();
    }
  });

  test('discovery is shared: the first caller giving up does not fail the others', async () => {
    cluster.registerType({
      kind: 'Widget',
      group: 'example.com',
      version: 'v1',
      plural: 'widgets',
      namespaced: true,
    });
    const fresh = new KubeClient(cluster.client.config);
    try {
      cluster.faults.slow(300, 3, 'get');
      const impatient = new AbortController();
      const first = fresh.resolveType('widgets', { signal: impatient.signal });
      const second = fresh.resolveType('widgets.example.com');
      impatient.abort(new Error('gave up'));
      await assert.rejects(first, /gave up/);
      assert.equal((await second).kind, 'Widget');
    } finally {
      await fresh.close();
    }
  });

  test('a closed client says so with an error of its own', async () => {
    const fresh = new KubeClient(cluster.client.config);
    await fresh.close();
    await assert.rejects(fresh.get('namespaces', { name: 'default' }), (error: unknown) => {
      assert.ok(error instanceof KubeClientClosedError);
      assert.equal(error.code, 'KUBEDOG_CLIENT_CLOSED');
      assert.match(
        error.message,
        /^GET \/api\/v1\/namespaces\/default: the client for http:\/\/127\.0\.0\.1:\d+ is closed$/,
      );
      return true;
    });
  });

  test('aborting a request closes its socket at once', async () => {
    cluster.faults.slow(2000, 1, 'get');
    const controller = new AbortController();
    const started = Date.now();
    const pending = cluster.client.get('namespaces', { name: 'default' }, { signal: controller.signal });
    await waitFor(() => cluster.stats.openConnections > 0, 'a connection');
    controller.abort(new Error('stop'));
    await assert.rejects(pending, /stop/);
    assert.ok(Date.now() - started < 1000);
    // An already aborted signal fails without a request.
    await assert.rejects(
      cluster.client.get(
        'namespaces',
        { name: 'default' },
        { signal: AbortSignal.abort(new Error('early')) },
      ),
      /early/,
    );
    await delay(2100);
  });
});
