import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { drawFrame } from '../../../../src/cli/render/interactive/frame.js';
import { BOLD, COLOR } from '../../../../src/cli/render/interactive/grid.js';
import { Navigation, rowId } from '../../../../src/cli/render/interactive/navigation.js';
import { LOG_LINES_KEPT, RolloutState } from '../../../../src/cli/render/interactive/rollout-state.js';
import {
  api,
  crashLoop,
  eventPane,
  heading,
  log,
  logPane,
  pod,
  rollout,
  screen,
  T0,
  time,
  web,
} from './scenes.js';

describe('the interactive view', () => {
  test('the status pane: every resource, the failing first and open, STATUS leading with the reason', () => {
    const lines = screen(rollout(), new Navigation());
    assert.match(lines[0] ?? '', /kubedog rollout track · 2 resources: 2 progressing/);
    assert.match(lines[1] ?? '', /▶NAME +READY +STATE +RESTARTS +AGE +STATUS/);
    assert.match(lines[2] ?? '', /\(every resource\) +2 resources, 3 containers logging/);
    assert.match(
      lines[3] ?? '',
      /▾ deploy\/api +0\/2 +progressing +3 +5s +CrashLoopBackOff: pod api-1: container app keeps crashing; Waiting for rollout: 0 of ?…$/,
    );
    assert.match(
      lines[4] ?? '',
      /^ +▸ api-1 +1\/2 +failing +3 +5s +CrashLoopBackOff: container app keeps crashing$/,
    );
    assert.match(
      lines[5] ?? '',
      /▸ deploy\/web +1\/2 +progressing +0 +5s +Progressing: Waiting for rollout: 1 of 2/,
    );
    assert.match(
      lines.at(-1) ?? '',
      /↑↓ +move .*⏎ +open .*! +next failing .*Tab +pane .*d +describe .*\? +help +q +leave$/,
    );
  });

  test('STATUS says a reason once: a message that repeats it loses it', () => {
    const state = new RolloutState([web], false);
    state.observe(
      {
        type: 'failed',
        time,
        resource: web,
        reason: 'ImagePullBackOff',
        message: 'container app: ImagePullBackOff: image "registry.local/web:v1": not found',
        report: { warnings: [], logs: [], findings: [] },
      },
      T0,
    );
    const lines = screen(state, new Navigation());
    assert.match(
      lines[3] ?? '',
      /failed .* ImagePullBackOff: container app: image "registry\.local\/web:v1": not found$/,
    );
  });

  test('Enter opens a resource to its pods, and a pod to its containers; Left closes them', () => {
    const state = rollout();
    const nav = new Navigation();
    let lines = screen(state, nav, 'jjj\r');
    assert.match(lines[5] ?? '', /▾ deploy\/web/);
    assert.match(lines[6] ?? '', /^ +▸ web-1 +2\/2 +ready +0 +5s$/);
    lines = screen(state, nav, 'j\r');
    assert.match(lines[6] ?? '', /^ +▾ web-1 /);
    assert.match(lines[7] ?? '', /^ +app +0$/);
    assert.match(lines[8] ?? '', /^ +proxy +0$/);
    lines = screen(state, nav, 'h');
    assert.doesNotMatch(lines.join('\n'), /proxy +0/);
    lines = screen(state, nav, 'hh');
    assert.match(lines[5] ?? '', /▸ deploy\/web/);
    // A resource that opened itself because it fails closes as any other, and stays closed.
    lines = screen(state, nav, 'gjh');
    assert.match(lines[3] ?? '', /▸ deploy\/api/);
    state.observe({ ...crashLoop(), restarts: 4, failures: 4 }, T0);
    assert.match(screen(state, nav)[3] ?? '', /▸ deploy\/api/);
  });

  test('! goes to the next resource or pod that failed or is failing, round and round', () => {
    const state = rollout();
    const nav = new Navigation();
    screen(state, nav, 'jjj');
    assert.equal(nav.cursor, rowId({ kind: 'resource', key: 'Deployment/shop/web' }));
    screen(state, nav, '!');
    assert.equal(nav.cursor, rowId({ kind: 'resource', key: 'Deployment/shop/api' }));
    screen(state, nav, '!');
    assert.equal(nav.cursor, rowId({ kind: 'pod', key: 'Deployment/shop/api', pod: 'api-1' }));
    const healthy = new RolloutState([web], false);
    const lines = screen(healthy, new Navigation(), '!');
    assert.match(lines.at(-1) ?? '', /nothing is failing/);
  });

  test('the events and logs panes show the selection: every resource, one, a pod, a container', () => {
    const state = rollout();
    const nav = new Navigation();
    let lines = screen(state, nav);
    assert.match(lines.join('\n'), /Events · every resource/);
    assert.equal(logPane(lines).length, 5);
    lines = screen(state, nav, 'j');
    assert.match(lines.join('\n'), /Logs · deploy\/api · follow/);
    assert.deepEqual(logPane(lines), [
      ' api-1 app │ starting api',
      ' api-1 app │ panic: missing DATABASE_URL',
    ]);
    assert.ok(
      eventPane(lines).every((line) => / deploy\/api /.test(line)),
      eventPane(lines).join('\n'),
    );
    assert.ok(
      eventPane(lines).some((line) =>
        /! Warning BackOff Pod\/api-1: Back-off restarting failed container app \(×4\)/.test(line),
      ),
    );
    // web's second pod, then its proxy container: no label, the container is the title.
    lines = screen(state, nav, 'jjljj');
    assert.match(lines.join('\n'), /Logs · deploy\/web › pod web-2 · follow/);
    assert.deepEqual(logPane(lines), [' web-2 proxy │ proxy up']);
    lines = screen(state, nav, '\rjj');
    assert.match(lines.join('\n'), /Logs · deploy\/web › pod web-2 › proxy/);
    assert.deepEqual(logPane(lines), [' proxy up']);
  });

  test('/ filters the logs by a regular expression: lowercase matches any case; a bad one says so and changes nothing', () => {
    const state = rollout();
    const nav = new Navigation();
    let lines = screen(state, nav, '/panic|get');
    assert.match(lines.at(-1) ?? '', /filter logs .* \/panic\|get█/);
    lines = screen(state, nav, '\r');
    assert.match(lines.join('\n'), /filter \/panic\|get\//);
    assert.deepEqual(logPane(lines), [
      ' web-1 app │ GET /healthz 200',
      ' api-1 app │ panic: missing DATABASE_URL',
    ]);
    lines = screen(state, nav, '/\u0015GET\r');
    assert.deepEqual(logPane(lines), [' web-1 app │ GET /healthz 200']);
    lines = screen(state, nav, '/\u0015(unclosed\r');
    assert.match(lines.at(-1) ?? '', /not a regular expression: \/\(unclosed\/ \(.*Unterminated group\)/);
    assert.deepEqual(logPane(lines), [' web-1 app │ GET /healthz 200']);
    lines = screen(state, nav, '/\u0015\r');
    assert.equal(logPane(lines).length, 5);
    lines = screen(state, nav, '/xyz\u001b');
    assert.equal(logPane(lines).length, 5, 'Escape leaves the filter as it was');
  });

  test('paused, the logs stay where they are while lines come; f follows again; scrolling up pauses, End follows', () => {
    const state = rollout();
    const nav = new Navigation();
    screen(state, nav, 'f');
    state.observe(log(web, 'web-1', 'app', ['newer line']), T0);
    let lines = screen(state, nav);
    assert.match(lines.join('\n'), /paused \(f: follow\)/);
    assert.ok(!lines.join('\n').includes('newer line'));
    lines = screen(state, nav, 'f');
    assert.match(logPane(lines).at(-1) ?? '', /newer line/);
    for (let i = 0; i < 100; i++) state.observe(log(web, 'web-1', 'app', [`line ${i}`]), T0);
    lines = screen(state, nav, '\t\tkk');
    assert.match(lines.join('\n'), /▶ Logs · every resource · paused/);
    assert.match(logPane(lines).at(-1) ?? '', /line 97$/);
    lines = screen(state, nav, '\u001b[5~');
    const page = logPane(lines).length;
    assert.match(logPane(lines).at(-1) ?? '', new RegExp(`line ${97 - page + 1}$`));
    lines = screen(state, nav, 'G');
    assert.match(logPane(lines).at(-1) ?? '', /line 99$/);
    lines = screen(state, nav, 'g');
    assert.match(logPane(lines)[0] ?? '', /GET \/healthz 200/);
  });

  test('w wraps long lines onto the next rows, under their label', () => {
    const state = rollout();
    state.observe(log(web, 'web-1', 'app', [`${'x'.repeat(70)}END`]), T0);
    const nav = new Navigation();
    assert.doesNotMatch(logPane(screen(state, nav, '', { width: 60, height: 30 })).join('\n'), /END/);
    const wrapped = logPane(screen(state, nav, 'w', { width: 60, height: 30 }));
    assert.match(wrapped.at(-1) ?? '', /^ {13}x+END$/);
    assert.match(wrapped.at(-2) ?? '', /^ web-1 app │ x+$/);
  });

  test('Tab moves between the panes; each scrolls its own lines', () => {
    const state = rollout();
    const nav = new Navigation();
    assert.match(screen(state, nav, '\t').join('\n'), /▶ Events · every resource/);
    assert.match(screen(state, nav, 'k').join('\n'), /Events · every resource · scrolled \(End: newest\)/);
    assert.match(screen(state, nav, '\t').join('\n'), /▶ Logs/);
    assert.match(screen(state, nav, '\t').join('\n'), /▶NAME/);
    assert.match(screen(state, nav, '\u001b[Z').join('\n'), /▶ Logs/);
  });

  test('once the track ended, the title says how, and the view stays', () => {
    const state = rollout();
    const lines = drawFrame(
      state,
      new Navigation(),
      { ...heading, end: { ok: false, text: '1 of 2 resources failed after 12s: deploy/api' } },
      { width: 120, height: 30 },
      T0,
    ).text();
    assert.match(lines[0] ?? '', /✗ 1 of 2 resources failed after 12s: deploy\/api · q: leave$/);
  });

  test('q and Ctrl-C leave; while typing a filter q is a letter', () => {
    const state = rollout();
    const nav = new Navigation();
    assert.equal(nav.handle('q', state), 'quit');
    assert.equal(nav.handle('ctrl-c', state), 'quit');
    nav.handle('/', state);
    assert.equal(nav.handle('q', state), undefined);
    assert.equal(nav.editing, 'q');
    // Ctrl-C while typing a filter cancels the prompt, as in a shell.
    assert.equal(nav.handle('ctrl-c', state), undefined);
    assert.equal(nav.editing, undefined);
    assert.equal(nav.handle('ctrl-c', state), 'quit');
  });

  test('a deleted pod stays, below the others, its logs still there to read', () => {
    const state = rollout();
    state.observe({ ...pod(web, 'web-1', false), change: 'deleted', phase: 'Succeeded' }, T0);
    const nav = new Navigation();
    let lines = screen(state, nav, 'jjj\r');
    assert.match(lines[6] ?? '', /^ +▸ web-2 /);
    assert.match(lines[7] ?? '', /^ +▸ web-1 +1\/2 +deleted/);
    lines = screen(state, nav, 'jj');
    assert.deepEqual(logPane(lines), [' web-1 app │ GET /healthz 200', ' web-1 app │ POST /orders 201']);
  });

  test('the scroll-back keeps the last 10,000 lines of each container', () => {
    const state = new RolloutState([web], false);
    const many = Array.from({ length: LOG_LINES_KEPT + 500 }, (_, i) => `line ${i}`);
    state.observe(log(web, 'web-1', 'app', many), T0);
    const lines = screen(state, new Navigation(), '\t\tg');
    assert.match(logPane(lines)[0] ?? '', /│ line 500$/);
  });

  test("--timestamps puts each line's time before it; --highlight paints what matches", () => {
    const state = rollout();
    const look = { timestamp: (t: string) => `[${t.slice(11, 19)}]`, highlight: /panic|GET/ };
    const nav = new Navigation();
    // The view starts with times shown when --timestamps was given.
    nav.timestamps = true;
    const grid = drawFrame(state, nav, heading, { width: 140, height: 30 }, T0, look);
    const lines = grid.text();
    const row = lines.findIndex((line) => line.includes('panic: missing'));
    assert.match(lines[row] ?? '', /^ api-1 app │ \[10:00:00\] panic: missing DATABASE_URL$/);
    const col = (lines[row] ?? '').indexOf('panic');
    const styleAt = (c: number) => grid.styles[row * grid.width + c];
    assert.equal(styleAt(col), COLOR.red | BOLD);
    assert.equal(styleAt(col + 4), COLOR.red | BOLD);
    assert.equal(styleAt(col + 5), 0, 'only the match');
  });

  test('the events pane never starts with a hint cut off from its failure', () => {
    const state = new RolloutState([api], false);
    state.observe({ ...crashLoop(), hint: 'see the last log lines' }, T0);
    state.observe(
      {
        type: 'notice',
        code: 'watch-resumed',
        stream: 'watch of pods',
        time,
        resource: api,
        message: 'watch of pods resumed',
      },
      T0,
    );
    // 14 rows: two for events — the newest two lines are the hint and the notice.
    const lines = eventPane(screen(state, new Navigation(), '', { width: 100, height: 14 }));
    assert.deepEqual(
      lines.map((line) => line.replace(/^ \S+ /, '')),
      ['deploy/api ! watch of pods resumed'],
    );
  });

  test('a terminal too small for the panes says so', () => {
    const lines = drawFrame(rollout(), new Navigation(), heading, { width: 30, height: 10 }, T0).text();
    assert.deepEqual(lines.slice(0, 3), ['kubedog: 30×10 is too small', 'the view needs 40×12', 'q: leave']);
  });
});
