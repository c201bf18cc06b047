/**
 * Objects of the wrong shape, generated: every field of real objects — and
 * every field kubedog reads, present or not — set to a value of the wrong
 * type or null, alone and several at once. The shape check never throws;
 * what it lets through, no verdict rule, strategy or tracker model throws
 * on (computeVerdict never throws at all, whatever it is given).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { findBuiltinResource, type ResourceType } from '../../src/kube/resources.js';
import type { KubeObject } from '../../src/kube/types.js';
import { computeVerdict } from '../../src/status/index.js';
import { malformed } from '../../src/status/shape.js';
import { type ModelInput, TrackModel, type WatchName } from '../../src/track/model/model.js';
import { podStrategyFor } from '../../src/track/strategies/index.js';
import { at, deployment, event, pod, replicaSet } from '../track/model/objects.js';

/** Values of every JSON type, and null. */
const WRONG: unknown[] = [null, 'x', 42, true, {}, [], [null], { a: 1 }, ['x']];

/** Fields kubedog reads that the sample objects may lack: set too, not only changed. */
const READ = [
  'metadata.ownerReferences',
  'metadata.labels',
  'metadata.annotations',
  'metadata.generation',
  'metadata.deletionTimestamp',
  'metadata.finalizers',
  'spec.selector.matchExpressions',
  'spec.template.metadata.labels',
  'spec.containers',
  'spec.initContainers',
  'status.containerStatuses',
  'status.initContainerStatuses',
  'status.ephemeralContainerStatuses',
  'status.conditions',
  'status.observedGeneration',
  'involvedObject',
  'series',
];

const job: KubeObject = {
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'web', namespace: 'default', uid: 'uid-web', generation: 1 },
  spec: { backoffLimit: 1, completions: 1, template: { spec: { containers: [{ name: 'app' }] } } },
  status: { active: 1, conditions: [{ type: 'Complete', status: 'False' }] },
};
const custom: KubeObject = {
  apiVersion: 'shop.example.com/v1',
  kind: 'Storefront',
  metadata: { name: 'web', namespace: 'default', uid: 'uid-web', generation: 2 },
  spec: {},
  status: { observedGeneration: 2, phase: 'Ready', conditions: [{ type: 'Ready', status: 'True' }] },
};
const crashing = pod('web-v1-a', {
  phase: 'Running',
  restarts: 3,
  waiting: { reason: 'CrashLoopBackOff', message: 'back-off' },
  last: { exitCode: 1, reason: 'Error', containerID: 'cri://c-3' },
});
const SAMPLES: { name: string; object: KubeObject; watch: WatchName }[] = [
  {
    name: 'Deployment',
    object: deployment({ updated: 1, total: 2, ready: 1, available: 1 }),
    watch: 'resource',
  },
  { name: 'ReplicaSet', object: replicaSet('web-v1'), watch: 'revision' },
  { name: 'Pod (running)', object: pod('web-v1-b', { phase: 'Running', ready: true }), watch: 'pod' },
  { name: 'Pod (crashing)', object: crashing, watch: 'pod' },
  {
    name: 'Event',
    object: event('Pod/web-v1-a', 'BackOff', { type: 'Warning', seconds: 2 }),
    watch: 'event',
  },
];

/** Every path of an object (keys and list elements, at every depth), and the read ones it lacks. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== 'object' || value === null) return [];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return entries.flatMap(([key, child]) => [[...prefix, key], ...pathsOf(child, [...prefix, key])]);
}

const allPaths = (object: KubeObject) => [...pathsOf(object), ...READ.map((path) => path.split('.'))];

/** A copy of `object` with the value at `path` replaced (made where missing). */
function withValue(object: KubeObject, path: (string | number)[], value: unknown): KubeObject {
  const copy = structuredClone(object) as Record<string | number, unknown>;
  let parent = copy;
  for (const step of path.slice(0, -1)) {
    const next = parent[step];
    if (typeof next !== 'object' || next === null) parent[step] = {};
    parent = parent[step] as Record<string | number, unknown>;
  }
  parent[path.at(-1) as string | number] = structuredClone(value);
  return copy as KubeObject;
}

const type = (kind: string) => findBuiltinResource(kind) as ResourceType;

/** A tracker model of `kind` with its watches listed, and the samples it can take fed to it. */
function trackerOf(kind: string, options: { deniedRevisions?: boolean } = {}): TrackModel {
  const resourceType = type(kind);
  const model = new TrackModel(
    { kind: resourceType.kind, namespace: 'default', name: 'web' },
    podStrategyFor(resourceType),
    { verdict: {}, until: 'ready', failureEnds: false, logs: {}, noActivityMs: 240_000, startedAt: at(0) },
  );
  if (options.deniedRevisions) model.step({ type: 'denied', watch: 'revision' }, at(0));
  return model;
}

/** Feeds every input, as the driver does once the shape check let the object through; returns nothing, throws nothing. */
function feed(model: TrackModel, inputs: ModelInput[]): void {
  let seconds = 1;
  for (const input of inputs) model.step(input, at(seconds++));
  model.step({ type: 'tick' }, at(seconds + 300));
}

/** The trackers an object of a watch goes through: each kind's strategy, and a Deployment without its ReplicaSets. */
function trackersFor(watch: WatchName, resource: KubeObject): [string, TrackModel, ModelInput[]][] {
  const listed = (['resource', 'revision', 'pod', 'event'] as const).map(
    (name): ModelInput => ({ type: 'listed', watch: name }),
  );
  const base: ModelInput[] = [
    { type: 'resource', change: { type: 'ADDED', object: resource } },
    { type: 'revision', change: { type: 'ADDED', object: replicaSet('web-v1') } },
    ...listed,
  ];
  if (watch === 'resource') return [['Deployment', trackerOf('Deployment'), base]];
  return [
    ['Deployment', trackerOf('Deployment'), base],
    ['Deployment without ReplicaSets', trackerOf('Deployment', { deniedRevisions: true }), base],
    [
      'StatefulSet',
      trackerOf('StatefulSet'),
      [
        { type: 'resource', change: { type: 'ADDED', object: { ...resource, kind: 'StatefulSet' } } },
        ...listed,
      ],
    ],
    [
      'DaemonSet',
      trackerOf('DaemonSet'),
      [
        { type: 'resource', change: { type: 'ADDED', object: { ...resource, kind: 'DaemonSet' } } },
        ...listed,
      ],
    ],
    ['Job', trackerOf('Job'), [{ type: 'resource', change: { type: 'ADDED', object: job } }, ...listed]],
  ];
}

/** One variant through everything that reads it: the check, then (if it passes) the verdicts and every tracker. */
function throughEverything(sample: (typeof SAMPLES)[number], variant: KubeObject, what: string): void {
  const problem = malformed(variant);
  assert.ok(problem === undefined || typeof problem === 'string', what);
  for (const object of [
    variant,
    { ...variant, kind: 'Pod' },
    { ...variant, apiVersion: custom.apiVersion, kind: custom.kind },
  ])
    computeVerdict(object, { now: at(5), trackingSince: at(0) });
  if (problem) return;
  const resource = sample.watch === 'resource' ? variant : (SAMPLES[0]?.object as KubeObject);
  for (const [name, model, inputs] of trackersFor(sample.watch, resource)) {
    const own: ModelInput[] =
      sample.watch === 'resource'
        ? []
        : [{ type: sample.watch, change: { type: 'ADDED', object: variant } } as ModelInput];
    try {
      feed(model, [
        ...inputs,
        ...own,
        ...(own.length > 0
          ? [{ ...own[0], change: { type: 'MODIFIED', object: variant } } as ModelInput]
          : []),
      ]);
    } catch (error) {
      assert.fail(`${what} through the ${name} tracker: ${(error as Error).stack}`);
    }
  }
  // A Pod is its own pod: the Pod tracker reads the whole pod as its resource.
  if (sample.watch === 'pod')
    feed(trackerOf('Pod'), [
      {
        type: 'resource',
        change: { type: 'ADDED', object: { ...variant, metadata: { ...variant.metadata, name: 'web' } } },
      },
      { type: 'listed', watch: 'resource' },
      { type: 'listed', watch: 'event' },
    ]);
}

describe('objects of the wrong shape, through everything that reads them', () => {
  for (const sample of SAMPLES)
    test(`${sample.name}: every field, each wrong type and null`, () => {
      for (const path of allPaths(sample.object))
        for (const value of WRONG)
          throughEverything(
            sample,
            withValue(sample.object, path, value),
            `${path.join('.')} = ${JSON.stringify(value)}`,
          );
    });

  test('several fields wrong at once (property)', () => {
    const samples = fc.constantFrom(...SAMPLES);
    fc.assert(
      fc.property(
        samples.chain((sample) =>
          fc.tuple(
            fc.constant(sample),
            fc.array(fc.tuple(fc.constantFrom(...allPaths(sample.object)), fc.constantFrom(...WRONG)), {
              minLength: 2,
              maxLength: 5,
            }),
          ),
        ),
        ([sample, changes]) => {
          let variant = sample.object;
          for (const [path, value] of changes) variant = withValue(variant, path, value);
          throughEverything(sample, variant, JSON.stringify(changes));
        },
      ),
      { numRuns: 300 },
    );
  });

  test('the check names the field and what it held', () => {
    const object = withValue(SAMPLES[2]?.object as KubeObject, ['status', 'containerStatuses'], { app: 1 });
    assert.equal(malformed(object), 'status.containerStatuses is an object, not a list');
    assert.equal(
      malformed(withValue(object, ['status', 'containerStatuses'], [{ name: 'app', restartCount: '3' }])),
      'status.containerStatuses[0].restartCount is "3", not a number',
    );
    assert.equal(
      malformed(withValue(job, ['metadata', 'ownerReferences'], 'web')),
      'metadata.ownerReferences is "web", not a list',
    );
    assert.equal(
      malformed(withValue(job, ['metadata', 'labels'], { app: 1 })),
      'metadata.labels is an object, not a map of strings',
    );
    assert.equal(
      malformed(withValue(job, ['status', 'conditions'], [null])),
      'status.conditions[0] is null, not an object',
    );
    assert.equal(malformed(custom), undefined);
    assert.equal(malformed(withValue(job, ['status', 'conditions'], null)), undefined, 'null is absent');
  });
});
