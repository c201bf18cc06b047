import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { KubeClient } from '../../src/kube/client.js';
import { kubeConfigFromString } from '../../src/kube/config.js';
import { REDACTED } from '../../src/kube/recorder.js';
import type { KubeObject } from '../../src/kube/types.js';
import { startFakeCluster } from '../../src/testing/cluster.js';
import { fixturePath, replayScenario } from '../../src/testing/fixtures.js';
import { closestRecorded, readRecording, replayFixture, shiftTimestamps } from '../../src/testing/replay.js';
import type { TrackEvent } from '../../src/track/events.js';
import { trackResource } from '../../src/track/resource.js';
import { deploymentManifest } from '../helpers.js';

const deployment = (name: string, replicas = 2) => deploymentManifest(name, { replicas });

async function collect(track: AsyncIterable<TrackEvent>): Promise<TrackEvent[]> {
  const events: TrackEvent[] = [];
  for await (const event of track) events.push(event);
  return events;
}

/** What must be the same in a recorded and a replayed track (times and order across streams may differ). */
function essence(events: TrackEvent[]) {
  const logs: Record<string, string[]> = {};
  for (const e of events) {
    if (e.type !== 'log') continue;
    const key = `${e.pod}/${e.container}`;
    logs[key] = [...(logs[key] ?? []), ...e.lines];
  }
  return {
    end: events.at(-1)?.type,
    reasons: events
      .flatMap((e) => (e.type === 'failed' || e.type === 'pod-error' ? [`${e.type} ${e.reason}`] : []))
      .sort(),
    pods: events.flatMap((e) => (e.type === 'pod' && e.change === 'added' ? [e.pod] : [])).sort(),
    events: [
      ...new Set(events.flatMap((e) => (e.type === 'event' ? [`${e.involvedObject} ${e.reason}`] : []))),
    ].sort(),
    logs,
  };
}

describe('record and replay', () => {
  test('a track recorded on the fake cluster replays to the same events; the file keeps no secret', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubedog-rec-'));
    const file = join(dir, 'rollout.ndjson');
    writeFileSync(file, 'old content', { mode: 0o644 });
    let recorded: TrackEvent[] = [];
    {
      await using cluster = await startFakeCluster({ auth: { tokens: { 'sup3r-s3cret-t0ken': 'alice' } } });
      cluster.behave('web-*', 'app', { logs: ['starting', 'listening on :8080'], readyAfter: '500ms' });
      cluster.behave('bad-*', 'app', {
        readyAfter: null,
        exitAfter: '300ms',
        exitCode: 2,
        exitLogs: ['fatal: no config'],
      });
      await cluster.client.create('Secret', {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'db', namespace: 'default' },
        data: { password: Buffer.from('hunter2-db-password').toString('base64') },
      });
      const recording = new KubeClient(kubeConfigFromString(cluster.kubeconfig), { record: file });
      await recording.get('Secret', { name: 'db' });
      await recording.list('Secret', {});
      // Created a while after the track starts, so every Event is clearly newer than the track
      // (Event times have whole seconds) — in the recording and in the replay alike.
      const later = (object: KubeObject) =>
        setTimeout(() => void cluster.client.create('Deployment', object), 1100);
      later(deployment('web', 2));
      for await (const event of trackResource(
        recording,
        { kind: 'deploy', name: 'web' },
        { timeout: 10_000 },
      ))
        recorded.push(event);
      later(deployment('bad', 1));
      const bad: TrackEvent[] = [];
      for await (const event of trackResource(
        recording,
        { kind: 'deploy', name: 'bad' },
        { timeout: 10_000, failuresAllowedPerReplica: 0 },
      ))
        bad.push(event);
      recorded = [...recorded, ...bad];
      await recording.close();
    }
    const text = readFileSync(file, 'utf8');
    assert.equal(statSync(file).mode & 0o777, 0o600, 'the recording is private');
    assert.ok(!text.includes('sup3r-s3cret-t0ken'), 'no token');
    assert.ok(!text.toLowerCase().includes('authorization'), 'no Authorization header');
    assert.ok(!text.includes(Buffer.from('hunter2-db-password').toString('base64')), 'no Secret data');
    assert.ok(text.includes(REDACTED));
    assert.ok(readRecording(file).exchanges.length > 5);

    await using replay = await replayFixture(file, { speed: 1 });
    const replayed: TrackEvent[] = [];
    for await (const event of trackResource(
      replay.client,
      { kind: 'deploy', name: 'web' },
      { timeout: 10_000 },
    ))
      replayed.push(event);
    for await (const event of trackResource(
      replay.client,
      { kind: 'deploy', name: 'bad' },
      { timeout: 10_000, failuresAllowedPerReplica: 0 },
    ))
      replayed.push(event);
    const web = recorded.findIndex((e) => e.resource.name === 'bad');
    assert.deepEqual(
      essence(replayed.filter((e) => e.resource.name === 'web')),
      essence(recorded.slice(0, web)),
    );
    assert.deepEqual(
      essence(replayed.filter((e) => e.resource.name === 'bad')),
      essence(recorded.slice(web)),
    );
    assert.equal(
      essence(replayed).logs[Object.keys(essence(replayed).logs).find((k) => k.startsWith('bad-')) ?? '']?.at(
        -1,
      ),
      'fatal: no config',
    );
    assert.deepEqual(replay.unmatched, []);
  });

  test('a request the recording does not have: a 404 naming it and the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubedog-rec-'));
    const file = join(dir, 'empty.ndjson');
    writeFileSync(
      file,
      `${JSON.stringify({ kubedog: 'recording', version: 1, server: 'https://x', startedAt: new Date().toISOString() })}\n`,
    );
    await using replay = await replayFixture(file);
    await assert.rejects(replay.client.get('Deployment', { name: 'web' }), (error: Error) => {
      assert.match(
        error.message,
        /replay: no recorded exchange for GET \/apis\/apps\/v1\/namespaces\/default\/deployments\/web in .*empty\.ndjson/,
      );
      return true;
    });
    assert.deepEqual(replay.unmatched, ['GET /apis/apps/v1/namespaces/default/deployments/web']);
    const bad = join(dir, 'bad.ndjson');
    writeFileSync(bad, 'not json\n');
    await assert.rejects(replayFixture(bad), /recording .*bad\.ndjson: line 1 is not JSON/);
  });

  test('a watch the recorded client never got to open, after a recorded list: held open with nothing to say, until the end', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubedog-rec-'));
    const file = join(dir, 'list-only.ndjson');
    const list = { kind: 'ConfigMapList', apiVersion: 'v1', metadata: { resourceVersion: '7' }, items: [] };
    const path = '/api/v1/namespaces/default/configmaps';
    const lines = [
      { kubedog: 'recording', version: 1, server: 'https://x', startedAt: new Date().toISOString() },
      { event: 'request', id: 1, t: 0, method: 'GET', path, query: 'limit=500' },
      { event: 'response', id: 1, t: 5, status: 200, headers: { 'content-type': 'application/json' } },
      { event: 'chunk', id: 1, t: 5, data: JSON.stringify(list) },
      { event: 'end', id: 1, t: 5 },
    ];
    writeFileSync(file, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
    await using replay = await replayFixture(file);
    const started = Date.now();
    const response = await fetch(`${replay.url}${path}?limit=500`);
    assert.equal(response.status, 200);
    await response.text();
    const watch = await fetch(`${replay.url}${path}?watch=true&resourceVersion=7`);
    assert.equal(watch.status, 200, 'held, not a 404');
    // Nothing comes until the recording is over; then the watch ends as any watch still open does.
    const said = await watch.text();
    assert.ok(Date.now() - started >= 500, 'held until the recording was over');
    assert.match(said, /"type":"ERROR".*the recording .*list-only\.ndjson is over/);
    const stray = await fetch(`${replay.url}/api/v1/namespaces/default/secrets?watch=true`);
    assert.equal(stray.status, 404, 'a watch of a collection never listed is still not recorded');
    await stray.text();
  });

  test('a replay that no longer matches the code fails within a second of the end of its recording, naming what was waited for', async () => {
    // Tracked under another name: the recording never shows it. Without an end, this waited for the caller's abort.
    await using replay = await replayScenario('deployment-invalid-image-name', { speed: 10 });
    const recordedFor = Math.max(
      ...readRecording(fixturePath('deployment-invalid-image-name')).exchanges.map(
        (e) => e.chunks.at(-1)?.t ?? e.t,
      ),
    );
    const started = Date.now();
    await assert.rejects(
      collect(trackResource(replay.client, { kind: 'Deployment', name: 'webx' }, replay.options)),
      (error: Error) => {
        assert.match(
          error.message,
          /: 404 NotFound: replay: the recording \S+deployment-invalid-image-name\.ndjson is over, and GET \/\S+\?\S*watch=true\S* waits for what it never shows \(another name\? other options\?\)$/,
        );
        return true;
      },
    );
    // Within a second of the recording's end (its last moment, at ten times its pace).
    const took = Date.now() - started;
    assert.ok(
      took < recordedFor / 10 + 1000,
      `failed ${took} ms after it began (the recording is ${recordedFor} ms long)`,
    );
    assert.ok(
      replay.unmatched.some((request) => request.includes('watch=true')),
      replay.unmatched.join('\n'),
    );
  });

  test('replayScenario: the target, the recorded options, and a clock that runs at replay speed', async () => {
    await using replay = await replayScenario('deployment-crash-loop', { speed: 10 });
    assert.deepEqual(replay.target, { kind: 'Deployment', name: 'web' });
    const started = Date.now();
    const events = await collect(trackResource(replay.client, replay.target, replay.options));
    const last = events.at(-1);
    assert.equal(last?.type === 'failed' && last.reason, 'CrashLoopBackOff');
    assert.ok(Date.now() - started < 2000, `${Date.now() - started} ms for a crash loop recorded over 11 s`);
    const before = replay.clock.now();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const moved = replay.clock.now() - before;
    assert.ok(moved >= 1500 && moved < 3500, `the replay's clock moved ${moved} ms in 200 ms`);
  });

  test('the closest recorded request: same method and path, fewest differing parameters', () => {
    const exchange = (path: string, query: string) =>
      ({
        id: 0,
        method: 'GET',
        path,
        query,
        t: 0,
        status: 200,
        headers: {},
        chunks: [],
        ended: true,
      }) as const;
    const recorded = [
      exchange('/api/v1/namespaces/default/pods', 'watch=true&resourceVersion=10&labelSelector=app%3Dweb'),
      exchange('/api/v1/namespaces/default/pods', 'watch=true&resourceVersion=10'),
      exchange('/api/v1/namespaces/default/events', 'watch=true&resourceVersion=10'),
    ];
    assert.equal(
      closestRecorded(
        recorded,
        'GET',
        '/api/v1/namespaces/default/pods',
        'watch=true&resourceVersion=99&timeoutSeconds=300',
      ),
      'GET /api/v1/namespaces/default/pods?watch=true&resourceVersion=10',
    );
    assert.equal(
      closestRecorded(recorded, 'GET', '/api/v1/namespaces/default/services', ''),
      'GET /api/v1/namespaces/default/pods?watch=true&resourceVersion=10&labelSelector=app%3Dweb',
    );
    assert.equal(closestRecorded(recorded, 'DELETE', '/api/v1/namespaces/default/pods', ''), undefined);
  });

  test('timestamps move with the replay, keeping their precision', () => {
    const hour = 3_600_000;
    assert.equal(shiftTimestamps('"2026-11-26T10:00:00Z"', hour), '"2026-11-26T11:00:00Z"');
    assert.equal(
      shiftTimestamps('2026-11-26T10:00:00.123456789Z line', 1),
      '2026-11-26T10:00:00.124456789Z line',
    );
    assert.equal(shiftTimestamps('{"t":"2026-11-26T23:59:59.5Z"}', 1000), '{"t":"2026-11-27T00:00:00.5Z"}');
  });
});
