import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseKeys } from '../../../../src/cli/render/interactive/keys.js';

describe('keys from a raw terminal', () => {
  test('cursor keys in both modes, page and home/end keys, Shift-Tab', () => {
    assert.deepEqual(parseKeys('\u001b[A\u001bOB\u001b[C\u001b[D'), ['up', 'down', 'right', 'left']);
    assert.deepEqual(parseKeys('\u001b[5~\u001b[6~\u001b[H\u001b[F\u001b[1~\u001b[4~\u001b[Z'), [
      'pageup',
      'pagedown',
      'home',
      'end',
      'home',
      'end',
      'shift-tab',
    ]);
  });

  test('Enter, Tab, Backspace, Ctrl-C, Ctrl-U, Escape and letters, several in one read', () => {
    assert.deepEqual(parseKeys('jk\r\t\u007f\u0003\u0015/é'), [
      'j',
      'k',
      'enter',
      'tab',
      'backspace',
      'ctrl-c',
      'ctrl-u',
      '/',
      'é',
    ]);
    assert.deepEqual(parseKeys('\u001b'), ['escape']);
  });

  test('a sequence the view does not know is dropped whole, never read as letters', () => {
    assert.deepEqual(parseKeys('\u001b[1;5Aq\u001b[200~x'), ['up', 'q', 'x']);
    assert.deepEqual(parseKeys('\u001b[15~'), []);
    assert.deepEqual(parseKeys('\u0001\u0002'), []);
  });
});
