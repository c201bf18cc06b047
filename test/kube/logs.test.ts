import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import type { KubeApiError } from '../../src/kube/errors.js';
import type { LogLine, LogNotice } from '../../src/kube/logs.js';
import { type FakeCluster, startFakeCluster } from '../../src/testing/cluster.js';
import { podManifest, take, waitFor } from '../helpers.js';

const fast = { retry: { initialDelayMs: 1, maxDelayMs: 20 } };
const texts = (lines: LogLine[]) => lines.map((l) => l.text);

describe('logs', () => {
  let cluster: FakeCluster;
  let n = 0;
  const newPod = (containers?: string[]) => {
    const name = `pod-${++n}`;
    cluster.create({
      ...podManifest(name, containers ? { containers } : {}),
      status: {
        phase: 'Running',
        containerStatuses: (containers ?? ['app']).map((c) => ({ name: c, state: { running: {} } })),
      },
    });
    return name;
  };
  const all = async (iterable: AsyncIterable<LogLine>) => {
    const lines: LogLine[] = [];
    for await (const line of iterable) lines.push(line);
    return lines;
  };

  before(async () => {
    cluster = await startFakeCluster({ controllers: false });
  });
  afterEach(async () => {
    cluster.faults.clear();
    await waitFor(() => cluster.stats.openLogStreams === 0, 'every log stream to close');
  });
  after(() => cluster.close());

  test('reads a log with timestamps parsed off the text', async () => {
    const pod = newPod();
    cluster.logs.append('default', pod, 'app', ['first line', 'second  line with  spaces', '']);
    const lines = await all(cluster.client.logs({ name: pod }));
    assert.deepEqual(texts(lines), ['first line', 'second  line with  spaces', '']);
    assert.match(lines[0]?.time ?? '', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
  });

  test('tailLines, sinceTime, previous and container', async () => {
    const pod = newPod(['app', 'sidecar']);
    cluster.logs.append('default', pod, 'app', ['a1', 'a2'], { atNs: 1_000_000_000_000_000_000n });
    cluster.logs.append('default', pod, 'app', ['a3', 'a4'], { atNs: 1_000_000_010_000_000_000n });
    cluster.logs.append('default', pod, 'sidecar', ['s1']);
    assert.deepEqual(
      texts(await all(cluster.client.logs({ name: pod }, { container: 'app', tailLines: 1 }))),
      ['a4'],
    );
    const since = new Date(Number(1_000_000_005_000_000_000n / 1_000_000n));
    assert.deepEqual(
      texts(await all(cluster.client.logs({ name: pod }, { container: 'app', sinceTime: since }))),
      ['a3', 'a4'],
    );
    assert.deepEqual(texts(await all(cluster.client.logs({ name: pod }, { container: 'sidecar' }))), ['s1']);
    cluster.logs.restart('default', pod, 'app');
    cluster.logs.append('default', pod, 'app', ['after restart']);
    assert.deepEqual(
      texts(await all(cluster.client.logs({ name: pod }, { container: 'app', previous: true }))),
      ['a1', 'a2', 'a3', 'a4'],
    );
    assert.deepEqual(texts(await all(cluster.client.logs({ name: pod }, { container: 'app' }))), [
      'after restart',
    ]);
    await assert.rejects(all(cluster.client.logs({ name: pod })), (error: KubeApiError) =>
      /a container name must be specified for pod pod-\d+, choose one of: \[app sidecar\]/.test(
        error.message,
      ),
    );
    await assert.rejects(all(cluster.client.logs({ name: 'missing-pod' })), { statusCode: 404 });
  });

  test('follow delivers new lines and ends when the container stops', async () => {
    const pod = newPod();
    cluster.logs.append('default', pod, 'app', 'before');
    const stream = cluster.client.logs({ name: pod }, { follow: true });
    assert.deepEqual(texts(await take(stream, 1)), ['before']);
    cluster.logs.append('default', pod, 'app', ['live 1', 'live 2']);
    assert.deepEqual(texts(await take(stream, 2)), ['live 1', 'live 2']);
    // The container stops: the pod status says so, the stream ends, the iterable ends.
    await cluster.client.patch(
      'pods',
      { name: pod },
      { status: { containerStatuses: [{ name: 'app', state: { terminated: { exitCode: 0 } } }] } },
      { subresource: 'status' },
    );
    cluster.logs.append('default', pod, 'app', 'last words');
    cluster.logs.stop('default', pod, 'app');
    assert.deepEqual(texts(await all(stream)), ['last words']);
  });

  test('a follow stream cut mid-line resumes: every line exactly once, in order', async () => {
    const pod = newPod();
    const notices: LogNotice[] = [];
    // Many lines share a second, and some share the very same nanosecond.
    const base = BigInt(Date.now()) * 1_000_000n;
    const expected: string[] = [];
    for (let i = 0; i < 300; i++) {
      const text = `line ${String(i).padStart(3, '0')} ${'x'.repeat(i % 37)} é`;
      expected.push(text);
      cluster.logs.append('default', pod, 'app', text, { atNs: base + BigInt(Math.floor(i / 3)) * 1000n });
    }
    // Cut three times, at byte offsets that fall inside lines (and inside the é).
    cluster.faults.cutLogStream(1234, 1).cutLogStream(777, 1).cutLogStream(4321, 1);
    const stream = cluster.client.logs(
      { name: pod },
      { follow: true, ...fast, onNotice: (n) => notices.push(n) },
    );
    const received = texts(await take(stream, 300));
    assert.deepEqual(received, expected);
    assert.equal(notices.filter((n) => n.type === 'log-reconnecting').length, 3);
    // Later lines arrive on the resumed stream, no repeats.
    cluster.logs.append('default', pod, 'app', ['after the cuts']);
    assert.deepEqual(texts(await take(stream, 1)), ['after the cuts']);
    await stream.return(undefined);
  });

  test('a stream cut while the container keeps running is resumed, a deleted pod ends it', async () => {
    const pod = newPod();
    const stream = cluster.client.logs({ name: pod }, { follow: true, ...fast });
    const next = stream.next();
    await waitFor(() => cluster.stats.openLogStreams === 1, 'the stream');
    cluster.dropStreams();
    await waitFor(() => cluster.stats.openLogStreams === 1, 'the resumed stream');
    cluster.logs.append('default', pod, 'app', 'still here');
    assert.equal((await next).value?.text, 'still here');
    await cluster.client.delete('pods', { name: pod });
    assert.deepEqual(await stream.next(), { done: true, value: undefined });
  });

  test('a restarted container ends the followed stream: one stream per container instance', async () => {
    const pod = `pod-${++n}`;
    const running = (id: string) => ({
      containerStatuses: [{ name: 'app', containerID: id, state: { running: {} } }],
    });
    cluster.create({ ...podManifest(pod), status: running('containerd://first') });
    cluster.logs.append('default', pod, 'app', 'first instance');
    const stream = cluster.client.logs({ name: pod }, { follow: true, ...fast });
    assert.deepEqual(texts(await take(stream, 1)), ['first instance']);
    // The kubelet restarts the container: new ID, new log; the old stream ends.
    await cluster.client.patch(
      'pods',
      { name: pod },
      { status: running('containerd://second') },
      { subresource: 'status' },
    );
    cluster.logs.restart('default', pod, 'app');
    cluster.logs.append('default', pod, 'app', 'second instance');
    assert.deepEqual(await stream.next(), { done: true, value: undefined });
    assert.deepEqual(texts(await take(cluster.client.logs({ name: pod }), 1)), ['second instance']);
  });

  test('break and abort close the stream on the server', async () => {
    const pod = newPod();
    cluster.logs.append('default', pod, 'app', ['one', 'two', 'three']);
    for await (const line of cluster.client.logs({ name: pod }, { follow: true })) {
      if (line.text === 'two') break;
    }
    await waitFor(() => cluster.stats.openLogStreams === 0, 'the stream to close after break');
    const controller = new AbortController();
    const stream = cluster.client.logs(
      { name: pod },
      { follow: true, tailLines: 0, signal: controller.signal },
    );
    const pending = stream.next();
    await waitFor(() => cluster.stats.openLogStreams === 1, 'the stream');
    controller.abort(new Error('Ctrl-C'));
    await assert.rejects(pending, /Ctrl-C/);
    await waitFor(() => cluster.stats.openLogStreams === 0, 'the stream to close after abort');
  });

  test('a container that has not started is a clear 400', async () => {
    const name = `pod-${++n}`;
    cluster.create({
      ...podManifest(name),
      status: { containerStatuses: [{ name: 'app', state: { waiting: { reason: 'ContainerCreating' } } }] },
    });
    await assert.rejects(all(cluster.client.logs({ name })), {
      message: `GET /api/v1/namespaces/default/pods/${name}/log?timestamps=true failed: 400 BadRequest: container "app" in pod "${name}" is waiting to start: ContainerCreating`,
    });
  });
});
