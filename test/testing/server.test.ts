import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { type FakeCluster, startFakeCluster } from '../../src/testing/cluster.js';
import { podManifest, waitFor } from '../helpers.js';

describe('simulated API server over HTTP', () => {
  let cluster: FakeCluster;
  before(async () => {
    cluster = await startFakeCluster({ bookmarkIntervalMs: 20, controllers: false });
  });
  after(() => cluster.close());

  const get = async (path: string) => {
    const response = await fetch(`${cluster.url}${path}`);
    // biome-ignore lint/suspicious/noExplicitAny: test reads arbitrary JSON
    return { status: response.status, body: (await response.json()) as any };
  };

  test('discovery documents, as kubectl reads them', async () => {
    const version = await get('/version');
    assert.equal(version.body.gitVersion, 'v1.34.0-kubedog-fake');
    assert.deepEqual((await get('/api')).body.versions, ['v1']);
    const core = await get('/api/v1');
    const names = core.body.resources.map((r: { name: string }) => r.name);
    assert.ok(names.includes('pods') && names.includes('pods/log') && names.includes('pods/status'));
    const groups = (await get('/apis')).body.groups.map((g: { name: string }) => g.name);
    assert.ok(
      ['apps', 'batch', 'networking.k8s.io', 'apiextensions.k8s.io'].every((g) => groups.includes(g)),
    );
    const apps = await get('/apis/apps/v1');
    assert.ok(
      apps.body.resources.some(
        (r: { kind: string; shortNames?: string[] }) =>
          r.kind === 'Deployment' && r.shortNames?.includes('deploy'),
      ),
    );
    assert.equal((await get('/apis/nope/v1')).status, 404);
  });

  test('a watch from a compacted resourceVersion answers 200 with an ERROR event carrying 410', async () => {
    const old = cluster.store.resourceVersion;
    cluster.create(podManifest('compact-me'));
    cluster.store.compact();
    const response = await fetch(
      `${cluster.url}/api/v1/namespaces/default/pods?watch=true&resourceVersion=${old}`,
    );
    assert.equal(response.status, 200);
    const [line] = (await response.text()).trim().split('\n');
    const event = JSON.parse(line ?? '');
    assert.equal(event.type, 'ERROR');
    assert.equal(event.object.code, 410);
    assert.equal(event.object.reason, 'Expired');
  });

  test('bookmarks carry the current resourceVersion when asked for', async () => {
    const controller = new AbortController();
    const response = await fetch(
      `${cluster.url}/api/v1/namespaces/default/pods?watch=1&resourceVersion=${cluster.store.resourceVersion}&allowWatchBookmarks=true`,
      {
        signal: controller.signal,
      },
    );
    const reader = response.body?.getReader();
    const { value } = (await reader?.read()) ?? {};
    controller.abort();
    const event = JSON.parse(new TextDecoder().decode(value).split('\n')[0] ?? '');
    assert.equal(event.type, 'BOOKMARK');
    assert.equal(event.object.metadata.resourceVersion, String(cluster.store.resourceVersion));
  });

  test('a watch-list streams the current objects, the bookmark that ends them, then the changes', async () => {
    await cluster.apply(podManifest('wl-a'));
    await cluster.apply(podManifest('wl-b'));
    const listedAt = String(cluster.store.resourceVersion);
    const controller = new AbortController();
    const response = await fetch(
      `${cluster.url}/api/v1/namespaces/default/pods?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&resourceVersion=1`,
      { signal: controller.signal },
    );
    const events = readEvents(response);
    const initial = await takeUntil(events, (event) => event.type === 'BOOKMARK');
    const added = initial
      .filter((event) => event.type === 'ADDED')
      .map((event) => event.object.metadata.name);
    assert.ok(added.includes('wl-a') && added.includes('wl-b'));
    const end = initial.at(-1);
    assert.equal(end?.object.metadata.resourceVersion, listedAt);
    assert.deepEqual(end?.object.metadata.annotations, { 'k8s.io/initial-events-end': 'true' });
    await cluster.apply({
      ...podManifest('wl-a'),
      metadata: { ...podManifest('wl-a').metadata, labels: { v: '2' } },
    });
    const [modified] = await takeUntil(events, (event) => event.type === 'MODIFIED');
    assert.equal(modified?.object.metadata.name, 'wl-a');
    controller.abort();
  });

  test('watch-list options the API server forbids are a 422 on ListOptions', async () => {
    const watch = await get('/api/v1/namespaces/default/pods?watch=1&sendInitialEvents=true');
    assert.equal(watch.status, 422);
    assert.equal(watch.body.reason, 'Invalid');
    assert.equal(watch.body.details.kind, 'ListOptions');
    const list = await get('/api/v1/namespaces/default/pods?sendInitialEvents=true');
    assert.equal(list.status, 422);
  });

  test('wrong methods, media types and bodies get Status errors', async () => {
    const patch = await fetch(`${cluster.url}/api/v1/namespaces/default/pods/x`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json-patch+json' },
      body: '[]',
    });
    assert.equal(patch.status, 415);
    const bad = await fetch(`${cluster.url}/api/v1/namespaces/default/pods`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{not json',
    });
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { message: string }).message, 'the request body is not valid JSON');
    const mismatch = await fetch(`${cluster.url}/api/v1/namespaces/kube-system/pods`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(podManifest('x', { namespace: 'default' })),
    });
    assert.equal(mismatch.status, 400);
    assert.match(
      ((await mismatch.json()) as { message: string }).message,
      /does not match the namespace sent on the request/,
    );
  });

  test('RBAC-like denials read like the real server, also for subresources', async () => {
    cluster.create(podManifest('secret-logs'));
    cluster.forbid({ resource: 'pods/log' });
    const response = await get('/api/v1/namespaces/default/pods/secret-logs/log');
    assert.equal(response.status, 403);
    assert.equal(
      response.body.message,
      'pods "secret-logs" is forbidden: User "system:admin" cannot get resource "pods/log" in API group "" in the namespace "default"',
    );
  });

  test('statistics count open watches and log streams', async () => {
    const controller = new AbortController();
    const response = await fetch(`${cluster.url}/api/v1/namespaces/default/pods?watch=true`, {
      signal: controller.signal,
    });
    assert.equal(response.status, 200);
    assert.equal(cluster.stats.openWatches, 1);
    controller.abort();
    const deadline = Date.now() + 2000;
    const open = () => cluster.stats.openWatches;
    while (open() !== 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    assert.equal(open(), 0);
  });

  test('statistics count the bytes sent, on open connections and closed ones', async () => {
    const before = cluster.stats.bytesSent;
    const body = await (await fetch(`${cluster.url}/api/v1/namespaces`)).text();
    // The body and its headers went out.
    assert.ok(cluster.stats.bytesSent - before > body.length, `${cluster.stats.bytesSent - before} bytes`);
  });

  test('streams queued behind another response on a keep-alive connection end with the connection', async () => {
    // Its own cluster: the one above forbids pods/log by now.
    await using cluster = await startFakeCluster({ controllers: false });
    await cluster.apply(podManifest('queued'));
    cluster.logs.append('default', 'queued', 'app', 'hello');
    // Pipelined: the second watch and the log wait until the first watch's response is over,
    // which it never is; Node gives a queued response no 'close' of its own.
    const url = new URL(cluster.url);
    const socket = connect(Number(url.port), url.hostname);
    await new Promise((resolve) => socket.once('connect', resolve));
    const get = (path: string) => `GET ${path} HTTP/1.1\r\nHost: ${url.host}\r\n\r\n`;
    socket.on('data', () => {});
    socket.write(
      get('/api/v1/namespaces/quiet/pods?watch=true') +
        get('/api/v1/namespaces/quiet/configmaps?watch=true') +
        get('/api/v1/namespaces/default/pods/queued/log?follow=true'),
    );
    await waitFor(
      () => cluster.stats.openWatches === 2 && cluster.stats.openLogStreams === 1,
      'two watches and a log stream',
    );
    socket.destroy();
    await waitFor(
      () => cluster.stats.openWatches === 0 && cluster.stats.openLogStreams === 0,
      'every stream released',
      2000,
    );
  });
});

// biome-ignore lint/suspicious/noExplicitAny: test reads arbitrary JSON
type WatchEvent = { type: string; object: any };

async function* readEvents(response: Response): AsyncGenerator<WatchEvent> {
  const decoder = new TextDecoder();
  let buffered = '';
  for await (const chunk of response.body ?? []) {
    buffered += decoder.decode(chunk as Uint8Array, { stream: true });
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) if (line) yield JSON.parse(line) as WatchEvent;
  }
}

/** The events up to and with the first that `last` accepts. */
async function takeUntil(events: AsyncGenerator<WatchEvent>, last: (event: WatchEvent) => boolean) {
  const taken: WatchEvent[] = [];
  for (;;) {
    const { value, done } = await events.next();
    if (done) return taken;
    taken.push(value);
    if (last(value)) return taken;
  }
}
