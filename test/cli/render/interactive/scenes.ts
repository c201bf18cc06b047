/** The scenes the interactive view's tests draw: a rollout in progress, and a person's keys on it. */
import { drawFrame, type Heading } from '../../../../src/cli/render/interactive/frame.js';
import { parseKeys } from '../../../../src/cli/render/interactive/keys.js';
import type { Navigation } from '../../../../src/cli/render/interactive/navigation.js';
import { RolloutState } from '../../../../src/cli/render/interactive/rollout-state.js';
import type { PodErrorEvent, PodEvent, TrackEvent } from '../../../../src/track/events.js';

export const T0 = Date.parse('2026-12-02T10:00:00Z');
export const web = { kind: 'Deployment', namespace: 'shop', name: 'web' };
export const api = { kind: 'Deployment', namespace: 'shop', name: 'api' };
export const time = new Date(T0).toISOString();

export const pod = (resource: typeof web, name: string, ready: boolean): PodEvent => ({
  type: 'pod',
  time,
  resource,
  pod: name,
  change: ready ? 'ready' : 'added',
  phase: 'Running',
  containers: ['app', 'proxy'],
  ready,
  readyContainers: ready ? 2 : 1,
  current: true,
});
export const log = (resource: typeof web, name: string, container: string, lines: string[]): TrackEvent => ({
  type: 'log',
  time,
  resource,
  pod: name,
  container,
  lines,
  times: lines.map(() => time),
});
export const progress = (resource: typeof web, ready: number, message: string): TrackEvent => ({
  type: 'status',
  time,
  resource,
  verdict: { state: 'progressing', reason: 'Progressing', message, progress: { ready, desired: 2 } },
});

/** api-1's app container crash-looping, restarted 3 times. */
export const crashLoop = (): PodErrorEvent => ({
  type: 'pod-error',
  time,
  resource: api,
  pod: 'api-1',
  container: 'app',
  reason: 'CrashLoopBackOff',
  message: 'container app keeps crashing',
  restarts: 3,
  failures: 3,
});

/** A rollout in progress: web rolling out, api's pod crash-looping. */
export function rollout(): RolloutState {
  const state = new RolloutState([web, api], false);
  const events: TrackEvent[] = [
    progress(web, 1, 'Waiting for rollout: 1 of 2 updated replicas are available'),
    pod(web, 'web-1', true),
    pod(web, 'web-2', false),
    progress(api, 0, 'Waiting for rollout: 0 of 2 updated replicas are available'),
    pod(api, 'api-1', false),
    crashLoop(),
    {
      type: 'event',
      time,
      resource: api,
      eventType: 'Warning',
      reason: 'BackOff',
      message: 'Back-off restarting failed container app',
      involvedObject: 'Pod/api-1',
      count: 4,
    },
    log(web, 'web-1', 'app', ['GET /healthz 200', 'POST /orders 201']),
    log(web, 'web-2', 'proxy', ['proxy up']),
    log(api, 'api-1', 'app', ['starting api', 'panic: missing DATABASE_URL']),
  ];
  for (const event of events) state.observe(event, T0);
  return state;
}

export const heading: Heading = { title: 'kubedog rollout track' };

/** The screen a person sees, as text, after pressing `keys`. */
export function screen(
  state: RolloutState,
  nav: Navigation,
  keys = '',
  size = { width: 140, height: 30 },
): string[] {
  // Heights for page keys come from a frame: draw one first, as the view does.
  drawFrame(state, nav, heading, size, T0 + 5000);
  for (const key of parseKeys(keys)) nav.handle(key, state);
  return drawFrame(state, nav, heading, size, T0 + 5000).text();
}

/** The lines of the logs pane (below its title, above the footer). */
export const logPane = (lines: string[]) =>
  lines.slice(lines.findIndex((line) => /Logs ·/.test(line)) + 1, -1).filter((line) => line.trim() !== '');
export const eventPane = (lines: string[]) =>
  lines
    .slice(
      lines.findIndex((line) => /Events ·/.test(line)) + 1,
      lines.findIndex((line) => /Logs ·/.test(line)),
    )
    .filter((line) => line.trim() !== '');
