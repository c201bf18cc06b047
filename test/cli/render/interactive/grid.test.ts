import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  BOLD,
  COLOR,
  charWidth,
  frameDiff,
  Grid,
  INVERSE,
  sgr,
  textWidth,
} from '../../../../src/cli/render/interactive/grid.js';

/**
 * A terminal as small as the diff needs: cursor position (CUP), clear
 * screen (ED 2), SGR and printable characters (a wide one takes two cells).
 */
function terminal(width: number, height: number) {
  const screen = new Grid(width, height);
  let row = 0;
  let col = 0;
  let style = 0;
  return {
    screen,
    write(text: string) {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: reading what the diff writes
      const tokens = text.match(/\u001b\[[\d;]*[A-Za-z]|[\s\S]/gu) ?? [];
      for (const token of tokens) {
        // biome-ignore lint/suspicious/noControlCharactersInRegex: reading what the diff writes
        const sequence = /^\u001b\[([\d;]*)([A-Za-z])$/.exec(token);
        if (!sequence) {
          col = screen.put(row, col, token, style);
          continue;
        }
        const [, params = '', final] = sequence;
        const numbers = params.split(';').map(Number);
        if (final === 'H') {
          row = (numbers[0] || 1) - 1;
          col = (numbers[1] || 1) - 1;
        } else if (final === 'J') screen.chars.fill(' ');
        else if (final === 'm') {
          style = 0;
          for (const n of numbers) {
            if (n === 1) style |= BOLD;
            if (n === 7) style |= INVERSE;
            if (n === 2) style |= 16;
            if (n >= 30 && n <= 37) style |= n - 30;
          }
        }
      }
    },
  };
}

describe('the cell grid', () => {
  test('text is cut at the edge or the limit, with … in its last cell; a tab moves to the next multiple of 8', () => {
    const grid = new Grid(12, 3);
    assert.equal(grid.put(0, 0, 'hello world, and more'), 12);
    grid.put(1, 0, 'a\tb', 0, 10);
    // Only blanks left out: nothing was cut that a person would miss.
    grid.put(2, 0, 'hello world     ');
    assert.deepEqual(grid.text(), ['hello world…', 'a       b', 'hello world']);
  });

  test('a wide character takes two cells; one that would not fit whole is a space', () => {
    const grid = new Grid(5, 1);
    assert.equal(grid.put(0, 0, '日本語'), 5);
    assert.deepEqual(grid.text(), ['日本']);
    assert.equal(textWidth('日本'), 4);
    assert.equal(charWidth('🚀'.codePointAt(0) ?? 0), 2);
  });

  test('control characters never reach the grid raw; zero-width and direction overrides take no cell', () => {
    const grid = new Grid(20, 1);
    grid.put(0, 0, 'a\u001b[2Jb\u202ec\u0301d');
    assert.deepEqual(grid.text(), ['a\ufffd[2Jbcd']);
  });

  test('a frame writes only the cells that changed', () => {
    const before = new Grid(20, 3);
    before.put(0, 0, 'status: progressing');
    const after = new Grid(20, 3);
    after.put(0, 0, 'status: ready');
    const diff = frameDiff(before, after);
    // One run from column 9 ("ready" over "progr"), then the rest of the old word blanked.
    assert.equal(diff, '\u001b[1;9Hready      ');
    assert.equal(frameDiff(after, after), '');
  });

  test('styles are switched only where they change, and reset at the end', () => {
    const before = new Grid(10, 1);
    const after = new Grid(10, 1);
    after.put(0, 0, 'ok', COLOR.green | BOLD);
    after.put(0, 2, ' no', COLOR.red);
    assert.equal(
      frameDiff(before, after),
      `\u001b[1;1H${sgr(COLOR.green | BOLD)}ok${sgr(COLOR.red)} no\u001b[0m`,
    );
  });

  test('the first frame, or one of another size, clears the screen and draws everything', () => {
    const after = new Grid(4, 2);
    after.put(1, 0, 'x');
    assert.equal(frameDiff(undefined, after), '\u001b[0m\u001b[H\u001b[2J\u001b[2;1Hx');
    assert.equal(frameDiff(new Grid(3, 2), after), '\u001b[0m\u001b[H\u001b[2J\u001b[2;1Hx');
  });

  test('any frame after any frame: the terminal shows exactly the new one', () => {
    const text = fc
      .array(fc.constantFrom('a', 'b', ' ', '日', '─', '\t'), { maxLength: 14 })
      .map((c) => c.join(''));
    const frame = fc.array(
      fc.tuple(fc.nat(3), fc.nat(9), text, fc.constantFrom(0, COLOR.red, BOLD | COLOR.green, INVERSE)),
      {
        maxLength: 8,
      },
    );
    fc.assert(
      fc.property(frame, frame, (first, second) => {
        const grids = [first, second].map((puts) => {
          const grid = new Grid(10, 4);
          for (const [row, col, value, style] of puts) grid.put(row, col, value, style);
          return grid;
        });
        const [a, b] = grids as [Grid, Grid];
        const shown = terminal(10, 4);
        shown.write(frameDiff(undefined, a));
        shown.write(frameDiff(a, b));
        assert.deepEqual(shown.screen.text(), b.text());
        assert.deepEqual(
          [...shown.screen.styles].filter((_, i) => b.chars[i] !== ' '),
          [...b.styles].filter((_, i) => b.chars[i] !== ' '),
        );
      }),
      { numRuns: 300 },
    );
  });
});
