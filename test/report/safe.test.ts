import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { jsonForTerminal, safeForTerminal, terminalSafe } from '../../src/report/safe.js';

/** C0 and C1 controls but tab, and the invisible format characters: nothing of these may reach a terminal. */
const CONTROL =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters is the point
  /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;

describe('text from the cluster, made safe for a terminal', () => {
  test('escape sequences, carriage returns and C1 controls are shown escaped; tab and text are kept', () => {
    assert.equal(terminalSafe('\u001b]52;c;aGk=\u0007x'), '\\x1b]52;c;aGk=\\x07x');
    assert.equal(terminalSafe('50%\rFAKE ✓'), '50%\\x0dFAKE ✓');
    assert.equal(terminalSafe('a\u009b31mb\u007f'), 'a\\x9b31mb\\x7f');
    assert.equal(terminalSafe('line one\nline two'), 'line one\\x0aline two');
    assert.equal(terminalSafe('key:\tvalue — ünïcödé 🚀'), 'key:\tvalue — ünïcödé 🚀');
  });

  test('bidirectional controls and zero-width characters are shown escaped: text cannot be shown reordered', () => {
    const cases: [string, string][] = [
      ['\u202e', 'RIGHT-TO-LEFT OVERRIDE'],
      ['\u202a', 'LEFT-TO-RIGHT EMBEDDING'],
      ['\u202c', 'POP DIRECTIONAL FORMATTING'],
      ['\u2066', 'LEFT-TO-RIGHT ISOLATE'],
      ['\u2067', 'RIGHT-TO-LEFT ISOLATE'],
      ['\u2069', 'POP DIRECTIONAL ISOLATE'],
      ['\u200e', 'LEFT-TO-RIGHT MARK'],
      ['\u200f', 'RIGHT-TO-LEFT MARK'],
      ['\u061c', 'ARABIC LETTER MARK'],
      ['\u200b', 'ZERO WIDTH SPACE'],
      ['\u2060', 'WORD JOINER'],
      ['\ufeff', 'ZERO WIDTH NO-BREAK SPACE'],
    ];
    for (const [character, name] of cases) {
      const code = character.charCodeAt(0).toString(16).padStart(4, '0');
      assert.equal(terminalSafe(`a${character}b`), `a\\u${code}b`, name);
    }
    assert.equal(terminalSafe('access granted\u202e ?nimda'), 'access granted\\u202e ?nimda');
    // Right-to-left scripts themselves are text, shown as they are.
    assert.equal(terminalSafe('שלום مرحبا'), 'שלום مرحبا');
  });

  test('no string comes out with a control or format character in it (property)', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (text) => !CONTROL.test(terminalSafe(text))));
    const formats = fc.constantFrom('\u202e', '\u2066', '\u200f', '\u00ad', '\ufeff', 'a', ' ');
    fc.assert(
      fc.property(
        fc.array(formats).map((parts) => parts.join('')),
        (text) => !CONTROL.test(terminalSafe(text)),
      ),
    );
  });

  test('every string of an event is made safe; --raw-logs keeps log lines as written', () => {
    const log = { type: 'log', pod: 'p\u001b[2J', lines: ['\u001b[31mred\u001b[0m'] };
    assert.deepEqual(safeForTerminal(log), {
      type: 'log',
      pod: 'p\\x1b[2J',
      lines: ['\\x1b[31mred\\x1b[0m'],
    });
    assert.deepEqual(safeForTerminal(log, true), { type: 'log', pod: 'p\\x1b[2J', lines: log.lines });
    const failed = {
      type: 'failed',
      report: { warnings: [{ message: 'x\ry' }], logs: [{ lines: ['\u0007'] }] },
    };
    assert.deepEqual(safeForTerminal(failed, true), {
      type: 'failed',
      report: { warnings: [{ message: 'x\\x0dy' }], logs: [{ lines: ['\\x07'] }] },
    });
  });

  test('JSON output is the same JSON, with DEL, C1 and format characters escaped too', () => {
    const value = { message: 'a\u009b31m\u007f\u001b\u202egnp.exe\u2066' };
    const json = jsonForTerminal(value);
    assert.doesNotMatch(json, CONTROL);
    assert.deepEqual(JSON.parse(json), value);
  });
});
