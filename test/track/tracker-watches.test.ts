import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { KubeApiError } from '../../src/kube/errors.js';
import { findBuiltinResource, type ResourceType } from '../../src/kube/resources.js';
import type { KubeObject, WatchEvent } from '../../src/kube/types.js';
import type { WatchOptions } from '../../src/kube/watch.js';
import type { WatchName } from '../../src/track/model/model.js';
import { EVENT_WATCHES } from '../../src/track/scope.js';
import { SharedWatches } from '../../src/track/shared-watch.js';
import type { WatchSource } from '../../src/track/sources.js';
import { podStrategyFor } from '../../src/track/strategies/index.js';
import { TrackerWatches } from '../../src/track/tracker-watches.js';

const type = (kind: string) => findBuiltinResource(kind) as ResourceType;

/** One watch the tracker opened: what it asked for; the test says what the server sends on it. */
interface ScriptedWatch {
  query: string;
  send(event: WatchEvent): void;
  /** The first list is in: said once the events sent before it were taken, as a real watch says it. */
  list(): void;
  /** The watch fails for good with this error (a 403 is never retried). */
  fail(error: Error): void;
  listed: boolean;
  closed: boolean;
}

/** A watch source whose watches the test drives by hand: no server, no sockets, no timers. */
function scriptedSource() {
  const watches: ScriptedWatch[] = [];
  /** `open QUERY` and `close QUERY`, in order. */
  const history: string[] = [];
  const source: WatchSource = {
    watch(kind, options: WatchOptions = {}) {
      const pending: (WatchEvent | 'listed' | Error)[] = [];
      let wake: (() => void) | undefined;
      const watch: ScriptedWatch = {
        query: [
          typeof kind === 'string' ? kind : kind.plural,
          options.labelSelector ? `labels ${options.labelSelector}` : '',
          options.fieldSelector ? `fields ${options.fieldSelector}` : '',
        ]
          .filter(Boolean)
          .join(' '),
        send: (event) => {
          pending.push(event);
          wake?.();
        },
        list: () => {
          watch.listed = true;
          pending.push('listed');
          wake?.();
        },
        fail: (error) => {
          pending.push(error);
          wake?.();
        },
        listed: false,
        closed: false,
      };
      watches.push(watch);
      history.push(`open ${watch.query}`);
      options.signal?.addEventListener('abort', () => wake?.(), { once: true });
      return {
        async *[Symbol.asyncIterator]() {
          try {
            while (!options.signal?.aborted) {
              const event = pending.shift();
              if (event === 'listed') options.onNotice?.({ type: 'listed', resource: watch.query, count: 0 });
              else if (event instanceof Error) throw event;
              else if (event) yield event;
              else await new Promise<void>((resolve) => (wake = resolve));
            }
          } finally {
            watch.closed = true;
            history.push(`close ${watch.query}`);
          }
        },
      } as AsyncIterable<never>;
    },
  };
  const open = () => watches.filter((w) => !w.closed);
  const find = (query: string) => {
    const found = open().find((w) => w.query === query);
    assert.ok(
      found,
      `a watch of ${query} among: ${open()
        .map((w) => w.query)
        .join('; ')}`,
    );
    return found;
  };
  /** Lists every Event watch as it opens, until no new one opens. */
  const listEvents = async () => {
    for (
      let unlisted = open().filter((w) => w.query.startsWith('events') && !w.listed);
      unlisted.length > 0;
    ) {
      for (const watch of unlisted) watch.list();
      await settle();
      unlisted = open().filter((w) => w.query.startsWith('events') && !w.listed);
    }
  };
  return { source, history, open: () => open().map((w) => w.query), find, listEvents };
}

/** What the tracker's model would be told: changes (kind/name) and first lists, in order. */
function modelLog() {
  const told: string[] = [];
  return {
    told,
    sink: {
      change: (watch: WatchName, change: WatchEvent) => {
        told.push(`${watch} ${change.type} ${change.object.metadata.name}`);
      },
      listed: (watch: WatchName) => {
        told.push(`${watch} listed`);
      },
      notice: () => {},
      without: (watch: WatchName, error: unknown) => {
        told.push(`${watch} given up: ${(error as Error).message}`);
      },
      failed: (watch: WatchName, error: unknown) => {
        told.push(`${watch} failed: ${(error as Error).message}`);
      },
      skipped: (watch: WatchName, object: string, problem: string) => {
        told.push(`${watch} ${object} skipped: ${problem}`);
      },
    },
  };
}

/**
 * Lets what was sent reach the trackers: a few turns of the event loop, as the shared watches give
 * one up after 10 ms of wall time (a loaded machine can take that in a single delivery).
 */
async function settle(): Promise<void> {
  for (let turn = 0; turn < 10; turn++) await new Promise((resolve) => setImmediate(resolve));
}

const deployment = (selector: Record<string, unknown> | undefined, uid = 'd1'): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'ns', uid },
  spec: selector ? { selector } : {},
});
const replicaSet = (name: string, replicas: number): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name, namespace: 'ns' },
  spec: { replicas },
});
const pod = (name: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'ns' },
});

function trackerOf(
  scope: 'resource' | 'namespace',
  kind = 'Deployment',
  name = 'web',
  on: { scripted: ReturnType<typeof scriptedSource>; shared: SharedWatches } = sourceAndWatches(),
) {
  const model = modelLog();
  const strategy = podStrategyFor(type(kind));
  const names: WatchName[] =
    kind === 'Deployment' ? ['resource', 'revision', 'pod', 'event'] : ['resource', 'event'];
  const watches = new TrackerWatches(
    on.shared,
    { type: type(kind), namespace: 'ns', name, strategy, names, scope },
    model.sink,
  );
  watches.open();
  return { ...on.scripted, ...model, watches };
}

function sourceAndWatches() {
  const scripted = scriptedSource();
  return { scripted, shared: new SharedWatches(scripted.source) };
}

describe('the watches of one tracker', () => {
  test('scoped to the resource: the resource by name and its Events at once; its ReplicaSets and pods once its selector is known', async () => {
    const t = trackerOf('resource');
    assert.deepEqual(t.open(), [
      'deployments fields metadata.name=web',
      'events fields involvedObject.name=web',
    ]);
    t.find('deployments fields metadata.name=web').send({
      type: 'ADDED',
      object: deployment({ matchLabels: { app: 'web' } }),
    });
    await settle();
    assert.deepEqual(t.open(), [
      'deployments fields metadata.name=web',
      'events fields involvedObject.name=web',
      'replicasets labels app=web',
      'pods labels app=web',
    ]);
    t.watches.close();
    await settle();
    assert.deepEqual(t.open(), []);
  });

  test("the Events are said to be listed once the pods, the ReplicaSets and each one's Events have listed", async () => {
    const t = trackerOf('resource');
    t.find('deployments fields metadata.name=web').send({
      type: 'ADDED',
      object: deployment({ matchLabels: { app: 'web' } }),
    });
    t.find('deployments fields metadata.name=web').list();
    t.find('events fields involvedObject.name=web').list();
    await settle();
    const replicaSets = t.find('replicasets labels app=web');
    replicaSets.send({ type: 'ADDED', object: replicaSet('web-1', 2) });
    replicaSets.send({ type: 'ADDED', object: replicaSet('web-0', 0) });
    replicaSets.list();
    await settle();
    t.find('pods labels app=web').send({ type: 'ADDED', object: pod('web-1-a') });
    t.find('pods labels app=web').list();
    await settle();
    // A ReplicaSet scaled to nothing has no Events of the rollout's: not watched.
    assert.deepEqual(
      t.open().filter((q) => q.startsWith('events')),
      [
        'events fields involvedObject.name=web',
        'events fields involvedObject.name=web-1',
        'events fields involvedObject.name=web-1-a',
      ],
    );
    t.find('events fields involvedObject.name=web-1').send({
      type: 'ADDED',
      object: { ...pod('web-1.1'), kind: 'Event' },
    });
    t.find('events fields involvedObject.name=web-1').list();
    await settle();
    assert.ok(!t.told.includes('event listed'), "the pod's Events are not listed yet");
    t.find('events fields involvedObject.name=web-1-a').list();
    await settle();
    assert.deepEqual(t.told, [
      'resource ADDED web',
      'resource listed',
      'revision ADDED web-1',
      'revision ADDED web-0',
      'revision listed',
      'pod ADDED web-1-a',
      'pod listed',
      'event ADDED web-1.1',
      'event listed',
    ]);
  });

  test('a resource made again with another selector has its pods and ReplicaSets watched with the new one, the old watches closed', async () => {
    const t = trackerOf('resource');
    const resource = t.find('deployments fields metadata.name=web');
    resource.send({ type: 'ADDED', object: deployment({ matchLabels: { run: 'v1' } }) });
    await settle();
    resource.send({ type: 'DELETED', object: deployment({ matchLabels: { run: 'v1' } }) });
    resource.send({ type: 'ADDED', object: deployment({ matchLabels: { run: 'v2' } }, 'd2') });
    await settle();
    assert.deepEqual(
      t.open().filter((q) => !q.startsWith('events')),
      ['deployments fields metadata.name=web', 'replicasets labels run=v2', 'pods labels run=v2'],
    );
  });

  test(`beyond ${EVENT_WATCHES} objects, one watch of the namespace's Events, opened before the others close`, async () => {
    const t = trackerOf('resource');
    t.find('deployments fields metadata.name=web').send({
      type: 'ADDED',
      object: deployment({ matchLabels: { app: 'web' } }),
    });
    await settle();
    const pods = t.find('pods labels app=web');
    for (let i = 0; i < EVENT_WATCHES - 1; i++) pods.send({ type: 'ADDED', object: pod(`web-${i}`) });
    await settle();
    await t.listEvents();
    assert.equal(t.open().filter((q) => q.startsWith('events')).length, EVENT_WATCHES);
    pods.send({ type: 'ADDED', object: pod('web-one-more') });
    await settle();
    await t.listEvents();
    assert.ok(
      t.told.includes('pod ADDED web-one-more'),
      "the pod came once the namespace's Events were listed",
    );
    assert.deepEqual(
      t.open().filter((q) => q.startsWith('events')),
      ['events'],
    );
    const firstClosed = t.history.findIndex((h) => h.startsWith('close events'));
    assert.ok(t.history.indexOf('open events') < firstClosed, t.history.join('\n'));
  });

  test("a workload without a selector: its pods and Events are the namespace's", async () => {
    const t = trackerOf('resource');
    t.find('deployments fields metadata.name=web').send({ type: 'ADDED', object: deployment(undefined) });
    await settle();
    assert.deepEqual(t.open(), ['deployments fields metadata.name=web', 'events', 'replicasets', 'pods']);
  });

  test('a kind without pods: the resource and its Events by name; a selector in it does not matter', async () => {
    const t = trackerOf('resource', 'Service');
    t.find('services fields metadata.name=web').send({
      type: 'ADDED',
      object: { ...deployment({ app: 'web' }), kind: 'Service' },
    });
    await settle();
    t.find('services fields metadata.name=web').list();
    t.find('events fields involvedObject.name=web').list();
    await settle();
    assert.deepEqual(t.open(), [
      'services fields metadata.name=web',
      'events fields involvedObject.name=web',
    ]);
    assert.deepEqual(t.told, ['resource ADDED web', 'resource listed', 'event listed']);
  });

  test('watching the namespace: one watch per kind, nothing selected by the server; each tracker gets only its own objects', async () => {
    const on = sourceAndWatches();
    const web = trackerOf('namespace', 'Deployment', 'web', on);
    const api = trackerOf('namespace', 'Deployment', 'api', on);
    const app = (name: string) => ({
      ...deployment({ matchLabels: { app: name } }, name),
      metadata: { name, namespace: 'ns', uid: name },
    });
    const deployments = on.scripted.find('deployments');
    deployments.send({ type: 'ADDED', object: app('web') });
    deployments.send({ type: 'ADDED', object: app('api') });
    deployments.list();
    await settle();
    assert.deepEqual(web.open(), ['deployments', 'events', 'replicasets', 'pods']);
    const labelled = (name: string, app: string) => ({
      ...pod(name),
      metadata: { name, namespace: 'ns', labels: { app } },
    });
    on.scripted.find('pods').send({ type: 'ADDED', object: labelled('web-1', 'web') });
    on.scripted.find('pods').send({ type: 'ADDED', object: labelled('api-1', 'api') });
    on.scripted.find('events').send({
      type: 'ADDED',
      object: { ...pod('api-1.1'), kind: 'Event', involvedObject: { name: 'api-1' } },
    });
    on.scripted.find('events').list();
    await settle();
    assert.deepEqual(web.told, ['resource ADDED web', 'resource listed', 'pod ADDED web-1']);
    // The pod's Events are selected once the pod is there: they follow it.
    assert.deepEqual(api.told, [
      'resource ADDED api',
      'resource listed',
      'pod ADDED api-1',
      'event ADDED api-1.1',
    ]);
    // A pod relabelled out of the selection is gone for its tracker, as the server would say.
    on.scripted.find('pods').send({ type: 'MODIFIED', object: labelled('web-1', 'debug') });
    await settle();
    assert.equal(web.told.at(-1), 'pod DELETED web-1');
  });
});

/** A 403 as the API server sends it for a watch's list. */
const forbidden = (plural: string, group = '') =>
  new KubeApiError(`Forbidden: ${plural} is forbidden`, {
    statusCode: 403,
    status: { kind: 'Status', code: 403, reason: 'Forbidden' },
    method: 'GET',
    path: `/api${group ? `s/${group}` : ''}/v1/namespaces/ns/${plural}?labelSelector=app%3Dweb`,
  });

describe('the watches of one tracker, where some reads are refused', () => {
  test('Events refused: given up once, every Event watch closed and none opened for the pods; the Events count as listed', async () => {
    const t = trackerOf('resource');
    const resource = t.find('deployments fields metadata.name=web');
    resource.send({ type: 'ADDED', object: deployment({ matchLabels: { app: 'web' } }) });
    resource.list();
    await settle();
    t.find('events fields involvedObject.name=web').fail(forbidden('events'));
    await settle();
    t.find('replicasets labels app=web').list();
    t.find('pods labels app=web').send({ type: 'ADDED', object: pod('web-1-a') });
    t.find('pods labels app=web').list();
    await settle();
    assert.deepEqual(t.open(), [
      'deployments fields metadata.name=web',
      'replicasets labels app=web',
      'pods labels app=web',
    ]);
    assert.deepEqual(t.told, [
      'resource ADDED web',
      'resource listed',
      'event given up: Forbidden: events is forbidden',
      'event listed',
      'revision listed',
      'pod ADDED web-1-a',
      'pod listed',
    ]);
  });

  test('ReplicaSets refused: given up, and not asked for again when the selector changes', async () => {
    const t = trackerOf('resource');
    const resource = t.find('deployments fields metadata.name=web');
    resource.send({ type: 'ADDED', object: deployment({ matchLabels: { app: 'web' } }) });
    await settle();
    t.find('replicasets labels app=web').fail(forbidden('replicasets', 'apps'));
    await settle();
    resource.send({ type: 'MODIFIED', object: deployment({ matchLabels: { app: 'web2' } }) });
    await settle();
    assert.ok(!t.open().some((q) => q.startsWith('replicasets')), t.open().join('; '));
    assert.ok(t.open().includes('pods labels app=web2'));
    assert.deepEqual(
      t.told.filter((line) => line.startsWith('revision')),
      ['revision given up: Forbidden: replicasets is forbidden'],
    );
  });

  test('the resource itself refused: the track fails (it cannot be judged at all)', async () => {
    const t = trackerOf('resource');
    t.find('deployments fields metadata.name=web').fail(forbidden('deployments', 'apps'));
    await settle();
    assert.deepEqual(t.told, ['resource failed: Forbidden: deployments is forbidden']);
  });

  test('any other error of the Events: the track fails, as before', async () => {
    const t = trackerOf('resource');
    t.find('events fields involvedObject.name=web').fail(new Error('decode error'));
    await settle();
    assert.deepEqual(t.told, ['event failed: decode error']);
  });
});

describe('the watches of one tracker, where the server sends malformed objects', () => {
  test('a malformed pod is skipped, said once; a malformed resource fails the track naming the field', async () => {
    const t = trackerOf('resource');
    const resource = t.find('deployments fields metadata.name=web');
    resource.send({ type: 'ADDED', object: deployment({ matchLabels: { app: 'web' } }) });
    await settle();
    const pods = t.find('pods labels app=web');
    const broken = { ...pod('web-1-a'), status: { containerStatuses: { app: 'running' } } } as KubeObject;
    pods.send({ type: 'ADDED', object: broken });
    pods.send({ type: 'MODIFIED', object: broken });
    pods.send({ type: 'ADDED', object: pod('web-1-b') });
    await settle();
    resource.send({
      type: 'MODIFIED',
      object: {
        ...deployment({ matchLabels: { app: 'web' } }),
        metadata: { name: 'web', ownerReferences: 'x' },
      } as unknown as KubeObject,
    });
    await settle();
    assert.deepEqual(t.told, [
      'resource ADDED web',
      'pod web-1-a skipped: status.containerStatuses is an object, not a list',
      'pod ADDED web-1-b',
      'resource failed: deployment/web: the API server sent it malformed: metadata.ownerReferences is "x", not a list',
    ]);
  });
});
