import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, test } from 'node:test';
import { PlainScreen, prefixedStreams } from '../../../src/cli/render/screen.js';

const sink = () => {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  return { stream, text: () => text };
};

describe('screens', () => {
  test('--output-prefix: every line of both streams starts with the prefix, however the writes split them', () => {
    const out = sink();
    const err = sink();
    const streams = prefixedStreams({ stdout: out.stream, stderr: err.stream }, '[web] ');
    streams.stderr.write('one\ntw');
    streams.stderr.write('o\n');
    streams.stderr.write('\nthree\n');
    streams.stdout.write('log line\n');
    assert.equal(err.text(), '[web] one\n[web] two\n[web] \n[web] three\n');
    assert.equal(out.text(), '[web] log line\n');
  });

  test("--output-prefix leaves a CI system's commands at the start of their line", () => {
    const err = sink();
    const streams = prefixedStreams({ stdout: sink().stream, stderr: err.stream }, '[web] ', (line) =>
      line.startsWith('::'),
    );
    streams.stderr.write('::group::Last 2 log lines\n    │ boot\n::endgroup::\n');
    assert.equal(err.text(), '::group::Last 2 log lines\n[web]     │ boot\n::endgroup::\n');
  });

  test('a plain screen draws its table for the width it was given (KUBEDOG_TERMINAL_WIDTH)', (t) => {
    t.mock.timers.enable({ apis: ['setInterval'] });
    const err = sink();
    const widths: (number | undefined)[] = [];
    const screen = new PlainScreen({ stdout: sink().stream, stderr: err.stream }, 10, 72);
    screen.table((width) => {
      widths.push(width);
      return ['TABLE'];
    });
    t.mock.timers.tick(10);
    screen.close();
    assert.deepEqual(widths, [72]);
    assert.equal(err.text(), 'TABLE\n');
  });
});
