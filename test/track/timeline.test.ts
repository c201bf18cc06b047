import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ganttChart } from '../../src/report/gantt.js';
import type { TrackEvent } from '../../src/track/events.js';
import { TimelineBuilder } from '../../src/track/timeline.js';

const T0 = Date.parse('2026-12-02T10:00:00Z');
const resource = { kind: 'Deployment', namespace: 'shop', name: 'web' };
const at = (ms: number) => new Date(T0 + ms).toISOString();
const pod = (ms: number, change: 'added' | 'phase' | 'ready' | 'deleted', phase: string): TrackEvent => ({
  type: 'pod',
  time: at(ms),
  resource,
  pod: 'web-1',
  change,
  phase,
  containers: ['app'],
  ready: change === 'ready',
  readyContainers: change === 'ready' ? 1 : 0,
  current: true,
});
const kubeEvent = (ms: number, reason: string): TrackEvent => ({
  type: 'event',
  time: at(ms),
  resource,
  eventType: 'Normal',
  reason,
  message: '',
  involvedObject: 'Pod/web-1',
  count: 1,
});

describe('the rollout timeline', () => {
  const events: TrackEvent[] = [
    pod(100, 'added', 'Pending'),
    kubeEvent(150, 'Scheduled'),
    kubeEvent(1200, 'Pulled'),
    kubeEvent(1250, 'Started'),
    pod(1300, 'phase', 'Running'),
    kubeEvent(2000, 'Started'),
    pod(2500, 'ready', 'Running'),
    { type: 'ready', time: at(3000), resource, message: 'rolled out' },
  ];

  test("each pod's steps, the first time of each, and the resource's end, from the start of the track", () => {
    const builder = new TimelineBuilder(T0);
    for (const event of events) builder.observe(event);
    assert.deepEqual(builder.timeline(), [
      {
        resource,
        end: { state: 'ready', atMs: 3000 },
        pods: [
          {
            pod: 'web-1',
            steps: [
              { step: 'created', atMs: 100 },
              { step: 'scheduled', atMs: 150 },
              { step: 'pulled', atMs: 1200 },
              { step: 'started', atMs: 1250 },
              { step: 'running', atMs: 1300 },
              { step: 'ready', atMs: 2500 },
            ],
          },
        ],
      },
    ]);
  });

  test('drawn as a text Gantt chart: marks where each step happened, and their times', () => {
    const builder = new TimelineBuilder(T0);
    for (const event of events) builder.observe(event);
    const lines = ganttChart(builder.timeline(), 3000, 31);
    assert.equal(
      lines[0],
      'Timeline: 0s to 3.0s, 31 columns (c created, s scheduled, p pulled, S started, r running, ✓ ready, ! failing, x deleted)',
    );
    assert.equal(lines[1], 'deploy/web ✓ ready at 3.0s');
    assert.equal(
      lines[2],
      '  web-1 │ cs·········pr···········✓     │ c 0.1s  s 0.1s  p 1.2s  S 1.3s  r 1.3s  ✓ 2.5s',
    );
  });

  test('a 10,000-pod Deployment is ten lines and a count', () => {
    const many = {
      resource,
      pods: Array.from({ length: 10_000 }, (_, i) => ({
        pod: `web-${i}`,
        steps: [{ step: 'created' as const, atMs: i }],
      })),
    };
    const lines = ganttChart([many], 10_000);
    assert.equal(lines.length, 13);
    assert.equal(lines.at(-1), '  … and 9990 more pods');
    assert.equal(lines[1], 'deploy/web (not done)');
  });
});
