import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { drawFrame } from '../../../../src/cli/render/interactive/frame.js';
import { Navigation } from '../../../../src/cli/render/interactive/navigation.js';
import { RolloutState } from '../../../../src/cli/render/interactive/rollout-state.js';
import type { TrackEvent } from '../../../../src/track/events.js';
import { api, heading, pod, progress, rollout, screen, T0, time, web } from './scenes.js';

/** Four healthy resources and, last in the order given, one that failed. */
function manyWithOneFailed(): RolloutState {
  const names = ['a', 'b', 'c', 'd'].map((name) => ({ kind: 'Deployment', namespace: 'shop', name }));
  const state = new RolloutState([...names, api], false);
  for (const ref of names) state.observe({ type: 'ready', time, resource: ref, message: 'rolled out' }, T0);
  const failed: TrackEvent = {
    type: 'failed',
    time,
    resource: api,
    reason: 'ImagePullBackOff',
    message: 'container app: ImagePullBackOff: image "registry.local/api:v1": not found',
    report: { warnings: [], logs: [], findings: [] },
  };
  state.observe(failed, T0);
  return state;
}

describe('the view on narrow and short terminals', () => {
  test('at 160 columns every column shows', () => {
    const lines = screen(rollout(), new Navigation(), '', { width: 160, height: 45 });
    assert.match(lines[1] ?? '', /NAME +READY +STATE +RESTARTS +AGE +STATUS/);
  });

  test('at 80×24 RESTARTS goes first; the reason leads STATUS', () => {
    const lines = screen(rollout(), new Navigation(), '', { width: 80, height: 24 });
    assert.match(lines[1] ?? '', /^▶NAME +READY +STATE +AGE +STATUS$/);
    assert.match(lines[3] ?? '', /deploy\/api +0\/2 +progressing +5s +CrashLoopBackOff: pod api-1: con.*…$/);
    assert.ok(lines.every((line) => [...line].length <= 80));
  });

  test('at 60×15 the failed resource stays on screen with its reason, and the footer says how to leave and get help', () => {
    const lines = screen(manyWithOneFailed(), new Navigation(), '', { width: 60, height: 15 });
    assert.match(lines[1] ?? '', /^▶NAME +READY +STATE +STATUS$/);
    assert.match(lines[3] ?? '', /^ {3}deploy\/api +- +failed +ImagePullBackOff: contain…$/);
    assert.match(lines.at(-1) ?? '', /\? +help +q +leave$/);
    assert.ok(lines.every((line) => [...line].length <= 60));
  });

  test('after the track ended, every row says how it ended and ages stop', () => {
    const state = new RolloutState([web, api], false);
    state.observe(progress(web, 1, 'Waiting for rollout'), T0 - 30_000);
    state.observe(pod(web, 'web-1', true), T0 - 30_000);
    state.observe({ type: 'ready', time, resource: api, message: 'rolled out' }, T0);
    state.end(T0);
    const nav = new Navigation();
    const later = drawFrame(state, nav, heading, { width: 140, height: 30 }, T0 + 60_000).text();
    assert.match(later[0] ?? '', /2 resources: 1 not finished, 1 ready/);
    const webRow = later.find((line) => line.includes('deploy/web')) ?? '';
    assert.match(webRow, /deploy\/web +1\/2 +not finished +0 +30s /);
    assert.match(later.find((line) => line.includes('deploy/api')) ?? '', /deploy\/api +- +ready +0 +0s /);
  });

  test('AGE is how long ago the cluster created the resource or pod, as k9s shows it', () => {
    const state = new RolloutState([web], false);
    state.observe(
      {
        type: 'added',
        time,
        resource: web,
        ready: false,
        verdict: { state: 'progressing', reason: 'Progressing', message: 'Waiting' },
        created: new Date(T0 - 3 * 3600_000).toISOString(),
      },
      T0,
    );
    state.observe({ ...pod(web, 'web-1', true), created: new Date(T0 - 90_000).toISOString() }, T0);
    const lines = screen(state, new Navigation(), 'j\r', { width: 140, height: 30 });
    assert.match(lines.find((line) => line.includes('deploy/web')) ?? '', / 3h /);
    assert.match(lines.find((line) => line.includes('web-1')) ?? '', / 95s$/);
  });

  test('"1 container", "2 resources"', () => {
    const state = new RolloutState([web], false);
    state.observe(
      { type: 'log', time, resource: web, pod: 'web-1', container: 'app', lines: ['x'], times: [time] },
      T0,
    );
    assert.match(screen(state, new Navigation())[2] ?? '', /1 resource, 1 container logging/);
  });
});
