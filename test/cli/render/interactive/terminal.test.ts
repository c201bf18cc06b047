import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { drawFrame } from '../../../../src/cli/render/interactive/frame.js';
import { Grid } from '../../../../src/cli/render/interactive/grid.js';
import { InteractiveView } from '../../../../src/cli/render/interactive/index.js';
import type { Key } from '../../../../src/cli/render/interactive/keys.js';
import {
  FRAME_INTERVAL_MS,
  FrameScheduler,
  TerminalSession,
  type Timers,
} from '../../../../src/cli/render/interactive/terminal.js';
import { fakeTerminal as memoryTerminal } from './fake-terminal.js';

/** Timers on a clock the test moves. */
function manualTimers() {
  let now = 0;
  const pending: { at: number; run: () => void }[] = [];
  const timers: Timers = {
    now: () => now,
    setTimeout: (run, ms) => {
      const timer = { at: now + ms, run };
      pending.push(timer);
      return timer;
    },
    clearTimeout: (timer) => {
      pending.splice(pending.indexOf(timer as (typeof pending)[number]), 1);
    },
  };
  const advance = (ms: number) => {
    const until = now + ms;
    for (;;) {
      pending.sort((a, b) => a.at - b.at);
      const next = pending[0];
      if (!next || next.at > until) break;
      pending.shift();
      now = next.at;
      next.run();
    }
    now = until;
  };
  return { timers, advance };
}

/** A fake terminal, and a session of the view on it. */
function fakeTerminal() {
  const { input, output } = memoryTerminal();
  return {
    input,
    output,
    session: (handlers: { keys(keys: Key[]): void; redraw(): void }) =>
      new TerminalSession(
        input as unknown as NodeJS.ReadStream,
        output as unknown as NodeJS.WriteStream,
        handlers,
      ),
  };
}

describe('frames', () => {
  test('a thousand changes in a burst make one frame; frames are at least 33 ms apart', () => {
    const { timers, advance } = manualTimers();
    const drawn: number[] = [];
    const frames = new FrameScheduler(() => drawn.push(timers.now()), timers);
    for (let i = 0; i < 1000; i++) frames.invalidate();
    advance(0);
    assert.deepEqual(drawn, [0]);
    for (let ms = 0; ms < 1000; ms++) {
      frames.invalidate();
      advance(1);
    }
    assert.ok(drawn.length <= 1 + Math.ceil(1000 / FRAME_INTERVAL_MS), `${drawn.length} frames in a second`);
    for (let i = 1; i < drawn.length; i++)
      assert.ok((drawn[i] as number) - (drawn[i - 1] as number) >= FRAME_INTERVAL_MS);
    frames.stop();
    frames.invalidate();
    advance(100);
    assert.equal(drawn.length, drawn.length);
  });
});

describe('the terminal session', () => {
  test('takes the alternate screen, hides the cursor and reads raw keys; restoring puts all back, once', () => {
    const terminal = fakeTerminal();
    const keys: Key[][] = [];
    let redraws = 0;
    const session = terminal.session({ keys: (k) => keys.push(k), redraw: () => redraws++ });
    const listeners = process.listenerCount('SIGTERM');
    session.start();
    assert.equal(terminal.input.raw, true);
    assert.equal(terminal.output.written, '\u001b[?1049h\u001b[?25l\u001b[H\u001b[2J');
    assert.equal(process.listenerCount('SIGTERM'), listeners + 1);
    terminal.input.emit('data', 'j\u001b[B');
    assert.deepEqual(keys, [['j', 'down']]);
    terminal.output.emit('resize');
    assert.equal(redraws, 1);
    session.restore();
    session.restore();
    assert.equal(terminal.input.raw, false);
    assert.ok(terminal.output.written.endsWith('\u001b[0m\u001b[?25h\u001b[?1049l'));
    assert.equal(terminal.output.written.split('\u001b[?1049l').length, 2, 'restored once');
    assert.equal(process.listenerCount('SIGTERM'), listeners);
    terminal.input.emit('data', 'q');
    assert.equal(keys.length, 1, 'no keys read after restoring');
  });

  test('a frame writes what changed; after a resize, the whole screen; a terminal behind gets the next once it drained', () => {
    const terminal = fakeTerminal();
    let redraws = 0;
    const session = terminal.session({ keys: () => {}, redraw: () => redraws++ });
    session.start();
    const frame = (text: string) => {
      const grid = new Grid(100, 30);
      grid.put(0, 0, text);
      return grid;
    };
    terminal.output.written = '';
    session.show(frame('ready 1/2'));
    assert.ok(terminal.output.written.startsWith('\u001b[0m\u001b[H\u001b[2J'));
    assert.match(terminal.output.written, /ready.*1\/2$/);
    terminal.output.written = '';
    session.show(frame('ready 2/2'));
    assert.equal(terminal.output.written, '\u001b[1;7H2');
    terminal.output.writableNeedDrain = true;
    terminal.output.written = '';
    session.show(frame('ready 2/3'));
    session.show(frame('ready 2/4'));
    assert.equal(terminal.output.written, '');
    terminal.output.writableNeedDrain = false;
    terminal.output.emit('drain');
    assert.equal(redraws, 1);
    session.show(frame('ready 2/4'));
    assert.equal(terminal.output.written, '\u001b[1;9H4');
    terminal.output.emit('resize');
    terminal.output.written = '';
    session.show(frame('ready 2/4'));
    assert.ok(terminal.output.written.startsWith('\u001b[0m\u001b[H\u001b[2J'), 'the whole screen again');
    session.restore();
  });
});

describe('the view of a hostile cluster', () => {
  test('escape sequences in log lines, Event messages and names reach the screen as text', () => {
    const terminal = fakeTerminal();
    const view = new InteractiveView(
      terminal.input as unknown as NodeJS.ReadStream,
      terminal.output as unknown as NodeJS.WriteStream,
      {
        title: 'kubedog follow',
        resources: [],
        allNamespaces: false,
        describe: () => ({ ok: true, text: '' }),
      },
    );
    const resource = { kind: 'Deployment', namespace: 'default', name: 'web\u001b[2J' };
    const time = new Date().toISOString();
    view.observe({
      type: 'log',
      time,
      resource,
      pod: 'web-1',
      container: 'app',
      lines: ['\u001b]52;c;ZXZpbA==\u0007owned\rok'],
      times: [time],
    });
    view.observe({
      type: 'event',
      time,
      resource,
      eventType: 'Warning',
      reason: 'X',
      message: '\u009b31mred',
      involvedObject: 'Pod/web-1',
      count: 1,
    });
    const text = drawFrame(
      view.state,
      view.nav,
      { title: 'kubedog follow' },
      { width: 120, height: 30 },
      Date.now(),
    )
      .text()
      .join('\n');
    assert.match(text, /deploy\/web\\x1b\[2J/);
    assert.match(text, /web-1 app │ \\x1b\]52;c;ZXZpbA==\\x07owned\\x0dok/);
    assert.match(text, /Warning X Pod\/web-1: \\x9b31mred/);
    view.close();
  });
});
