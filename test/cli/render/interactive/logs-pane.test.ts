import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { drawFrame } from '../../../../src/cli/render/interactive/frame.js';
import { COLOR, INVERSE } from '../../../../src/cli/render/interactive/grid.js';
import { Navigation } from '../../../../src/cli/render/interactive/navigation.js';
import { LOG_LINES_KEPT, RolloutState } from '../../../../src/cli/render/interactive/rollout-state.js';
import type { FailedEvent } from '../../../../src/track/events.js';
import {
  api,
  crashLoop,
  eventPane,
  heading,
  log,
  logPane,
  rollout,
  screen,
  T0,
  time,
  web,
} from './scenes.js';

/** The logs pane's title line. */
const logTitle = (lines: string[]) => lines.find((line) => /Logs ·/.test(line)) ?? '';

describe('the logs pane', () => {
  test('paused while lines pour in: a place that leaves the scroll-back says how many lines were dropped and stays usable', () => {
    const state = new RolloutState([web], false);
    state.observe(log(web, 'web-1', 'app', ['first line']), T0);
    const nav = new Navigation();
    screen(state, nav, '\t\tk');
    assert.match(logTitle(screen(state, nav)), /paused/);
    // More than the whole scroll-back arrives while paused: the paused line is gone.
    const flood = Array.from({ length: LOG_LINES_KEPT + 2000 }, (_, i) => `line ${i}`);
    state.observe(log(web, 'web-1', 'app', flood), T0);
    let lines = screen(state, nav);
    assert.doesNotMatch(lines.join('\n'), /undefined|no line/);
    assert.match(logTitle(lines), /paused \(f: follow\) · 2,001 older lines dropped/);
    // The oldest lines kept, a pane of them; scrolling goes on from there.
    assert.match(logPane(lines)[0] ?? '', /│ line 2000$/);
    const bottom = logPane(lines).at(-1) ?? '';
    lines = screen(state, nav, 'j');
    assert.notEqual(logPane(lines).at(-1), bottom);
    assert.match(logPane(lines).at(-1) ?? '', /│ line \d+$/);
    lines = screen(state, nav, 'f');
    assert.doesNotMatch(logTitle(lines), /dropped/);
    assert.match(logPane(lines).at(-1) ?? '', /│ line 11999$/);
  });

  test('no line matching the filter says which filter; no line at all never names one', () => {
    const state = rollout();
    const nav = new Navigation();
    const lines = screen(state, nav, '/nothing-like-this\r');
    assert.match(lines.join('\n'), /no line matches \/nothing-like-this\//);
  });

  test('the filter paints what it matches, counts the matching lines, and n / N step through them', () => {
    const state = rollout();
    state.observe(log(web, 'web-1', 'app', ['GET /orders 200', 'GET /cart 200']), T0);
    const nav = new Navigation();
    const size = { width: 140, height: 30 };
    screen(state, nav, '/get\r');
    let grid = drawFrame(state, nav, heading, size, T0 + 5000);
    let lines = grid.text();
    assert.match(logTitle(lines), /filter \/get\/: 3 lines/);
    const row = lines.findIndex((line) => line.endsWith('GET /cart 200'));
    const col = (lines[row] ?? '').indexOf('GET');
    assert.equal(grid.styles[row * grid.width + col], INVERSE | COLOR.yellow);
    assert.equal(grid.styles[row * grid.width + col + 3], 0, 'only the match');
    // New lines count as they come.
    state.observe(log(web, 'web-1', 'app', ['GET /pay 200', 'POST /pay 201']), T0);
    assert.match(logTitle(screen(state, nav)), /: 4 lines/);
    // n: the previous match (the logs pause there, marked); N: the next; at the newest, following again.
    lines = screen(state, nav, 'n');
    assert.match(logTitle(lines), /paused/);
    assert.match(logPane(lines).at(-1) ?? '', /^›web-1 app │ GET \/cart 200$/);
    lines = screen(state, nav, 'n');
    assert.match(logPane(lines).at(-1) ?? '', /GET \/orders 200$/);
    lines = screen(state, nav, 'NN');
    assert.match(logPane(lines).at(-1) ?? '', /^›web-1 app │ GET \/pay 200$/);
    lines = screen(state, nav, 'N');
    assert.match(logTitle(lines), /· follow ·/);
    grid = drawFrame(state, nav, heading, size, T0 + 5000);
    assert.match(logPane(grid.text()).at(-1) ?? '', /^ web-1 app │ GET \/pay 200$/);
    assert.match(screen(state, new Navigation(), 'n').at(-1) ?? '', /no filter to match: \/ sets one/);
  });

  test('where a container restarted, its logs say so', () => {
    const state = rollout();
    state.observe({ ...crashLoop(), restarts: 4, failures: 4 }, T0);
    state.observe(log(api, 'api-1', 'app', ['starting api']), T0);
    const lines = logPane(screen(state, new Navigation(), 'j'));
    assert.deepEqual(lines, [
      ' api-1 app │ starting api',
      ' api-1 app │ panic: missing DATABASE_URL',
      ' api-1 app │ ── app restarted (restart 4) ──',
      ' api-1 app │ starting api',
    ]);
  });

  test('t shows and hides each line’s time; --timestamps starts with them shown', () => {
    const state = rollout();
    const nav = new Navigation();
    assert.match(logPane(screen(state, nav)).at(-1) ?? '', /^ api-1 app │ panic/);
    const shown = logPane(screen(state, nav, 't')).at(-1) ?? '';
    assert.match(shown, /^ api-1 app │ \d\d:\d\d:\d\d panic/);
    assert.match(logPane(screen(state, nav, 't')).at(-1) ?? '', /^ api-1 app │ panic/);
  });

  test('a long line is cut with …; w wraps it instead', () => {
    const state = new RolloutState([web], false);
    state.observe(log(web, 'web-1', 'app', [`${'x'.repeat(70)}END`]), T0);
    const nav = new Navigation();
    const size = { width: 60, height: 30 };
    assert.match(logPane(screen(state, nav, '', size)).at(-1) ?? '', /^ web-1 app │ x+…$/);
    assert.match(logPane(screen(state, nav, 'w', size)).at(-1) ?? '', /^ {13}x+END$/);
  });

  test('a failure report’s evidence shows in the panes: Warning Events from before the track, the crashed instance’s last lines', () => {
    const state = new RolloutState([api], false);
    const failed: FailedEvent = {
      type: 'failed',
      time,
      resource: api,
      reason: 'CrashLoopBackOff',
      message: 'container app keeps crashing',
      report: {
        warnings: [
          { involvedObject: 'Pod/api-1', reason: 'BackOff', message: 'Back-off restarting', count: 7 },
        ],
        logs: [{ pod: 'api-1', container: 'app', previous: true, lines: ['starting api', 'panic: boom'] }],
        findings: [],
      },
    };
    state.observe(failed, T0);
    const lines = screen(state, new Navigation(), 'j');
    assert.ok(
      eventPane(lines).some((line) => /! Warning BackOff Pod\/api-1: Back-off restarting \(×7\)/.test(line)),
      eventPane(lines).join('\n'),
    );
    assert.deepEqual(logPane(lines), [
      ' api-1 app │ ── the last 2 lines of the crashed instance, from the failure report ──',
      ' api-1 app │ starting api',
      ' api-1 app │ panic: boom',
    ]);
  });

  test('a Warning already streamed is not repeated from the failure report', () => {
    const state = new RolloutState([api], false);
    const warning = {
      involvedObject: 'Pod/api-1',
      reason: 'BackOff',
      message: 'Back-off restarting',
      count: 7,
    };
    state.observe({ type: 'event', time, resource: api, eventType: 'Warning', ...warning }, T0);
    state.observe(
      {
        type: 'failed',
        time,
        resource: api,
        reason: 'CrashLoopBackOff',
        message: 'container app keeps crashing',
        report: { warnings: [warning], logs: [], findings: [] },
      },
      T0,
    );
    const backOffs = eventPane(screen(state, new Navigation())).filter((line) => /BackOff Pod/.test(line));
    assert.equal(backOffs.length, 1);
  });
});
