/**
 * The screen model of the interactive view: a grid of cells, each a
 * character and a style, and the escape sequences that turn one frame into
 * the next on a terminal — only the cells that changed are written, so a
 * redraw costs what changed, not the size of the screen.
 */

/** Foreground colours, as SGR 30–37 numbers less 30 (0: the terminal's own). */
export const COLOR = { none: 0, red: 1, green: 2, yellow: 3, blue: 4, magenta: 5, cyan: 6 } as const;
export const BOLD = 8;
export const DIM = 16;
export const INVERSE = 32;

/** A colour from {@link COLOR} with any of {@link BOLD}, {@link DIM}, {@link INVERSE}. */
export type Style = number;

const ESC = '\u001b';

/** `ESC [ … m` for a style, from a reset. */
export function sgr(style: Style): string {
  const codes = ['0'];
  if (style & BOLD) codes.push('1');
  if (style & DIM) codes.push('2');
  if (style & INVERSE) codes.push('7');
  const color = style & 7;
  if (color !== 0) codes.push(String(30 + color));
  return `${ESC}[${codes.join(';')}m`;
}

/**
 * Columns a character takes: 0 for combining marks, zero-width and
 * direction-changing characters (they would shift or reorder what follows),
 * 2 for East Asian wide characters and emoji, 1 otherwise.
 */
export function charWidth(code: number): 0 | 1 | 2 {
  if (
    (code >= 0x300 && code <= 0x36f) ||
    (code >= 0x200b && code <= 0x200f) ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2060 && code <= 0x206f) ||
    (code >= 0xfe00 && code <= 0xfe0f) ||
    code === 0xfeff
  )
    return 0;
  if (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf && code !== 0x303f) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1f300 && code <= 0x1faff) ||
    (code >= 0x20000 && code <= 0x3fffd)
  )
    return 2;
  return 1;
}

/** Columns a string takes on the grid (tabs count as one: {@link Grid.put} widens them). */
export function textWidth(text: string): number {
  let width = 0;
  for (const char of text) width += charWidth(char.codePointAt(0) ?? 0);
  return width;
}

/** A control character that reached the grid (none should: text is made safe before) is drawn as this. */
const REPLACEMENT = '\ufffd';
const isControl = (code: number) => code < 0x20 || (code >= 0x7f && code <= 0x9f);

/** Unchanged cells rewritten rather than moving the cursor over them (a move takes 6 to 8 bytes). */
const GAP = 5;

/** The second cell of a wide character holds no character of its own. */
const CONTINUATION = '';

export class Grid {
  readonly width: number;
  readonly height: number;
  readonly chars: string[];
  readonly styles: Uint8Array;

  constructor(width: number, height: number) {
    this.width = Math.max(0, width);
    this.height = Math.max(0, height);
    this.chars = new Array<string>(this.width * this.height).fill(' ');
    this.styles = new Uint8Array(this.width * this.height);
  }

  /**
   * Writes `text` at a row from a column, cut at `limit` columns (the
   * grid's edge at most) with `…` in its last cell; returns the column after it. A tab moves to the
   * next multiple of 8; a wide character that would not fit whole is a space.
   */
  put(row: number, col: number, text: string, style: Style = 0, limit = this.width): number {
    if (row < 0 || row >= this.height) return col;
    const end = Math.min(limit, this.width);
    let at = col;
    let index = 0;
    for (const char of text) {
      index += char.length;
      if (at >= end) {
        // Cut: the last cell says so, unless only blanks were left out.
        if (at > col && text.slice(index - char.length).trim() !== '') this.#set(row, at - 1, '…', style);
        break;
      }
      const code = char.codePointAt(0) ?? 0;
      if (code === 9) {
        const stop = Math.min(end, at + 8 - ((at - col) % 8));
        while (at < stop) this.#set(row, at++, ' ', style);
        continue;
      }
      const width = isControl(code) ? 1 : charWidth(code);
      if (width === 0) continue;
      if (width === 2 && at + 1 >= end) {
        this.#set(row, at++, ' ', style);
        break;
      }
      this.#set(row, at++, isControl(code) ? REPLACEMENT : char, style, width === 2);
      if (width === 2) this.#set(row, at++, CONTINUATION, style);
    }
    return at;
  }

  /** Sets the style of a run of cells (a highlighted row), leaving their characters. */
  paint(row: number, col: number, length: number, style: Style): void {
    if (row < 0 || row >= this.height) return;
    const end = Math.min(this.width, col + length);
    for (let at = Math.max(0, col); at < end; at++) this.styles[row * this.width + at] = style;
  }

  /** Sets a cell; `wide`: the first half of a wide character (its second is set next). */
  #set(row: number, col: number, char: string, style: Style, wide = false): void {
    const i = row * this.width + col;
    // Half of a wide character overwritten: the other half is blank, not half a character.
    if (this.chars[i] === CONTINUATION && char !== CONTINUATION && col > 0) this.chars[i - 1] = ' ';
    if (!wide && col + 1 < this.width && this.chars[i + 1] === CONTINUATION) this.chars[i + 1] = ' ';
    this.chars[i] = char;
    this.styles[i] = style;
  }

  /** The rows as plain text, right-trimmed: what a person reads (tests compare frames with it). */
  text(): string[] {
    const rows: string[] = [];
    for (let row = 0; row < this.height; row++)
      rows.push(
        this.chars
          .slice(row * this.width, (row + 1) * this.width)
          .join('')
          .trimEnd(),
      );
    return rows;
  }
}

/**
 * What to write to a terminal showing `before` so that it shows `after`:
 * the cursor moved to each run of changed cells, styles switched only when
 * they change. Without `before` (the first frame, or the size changed) the
 * screen is cleared and every cell that is not a blank space is written.
 */
export function frameDiff(before: Grid | undefined, after: Grid): string {
  const same = before !== undefined && before.width === after.width && before.height === after.height;
  const base = same ? before : new Grid(after.width, after.height);
  let out = same ? '' : `${ESC}[0m${ESC}[H${ESC}[2J`;
  // Every frame ends with its styles reset (and a cleared screen starts so).
  let style = 0;
  let cursor = -1;
  const { width } = after;
  const changed = (i: number) => after.chars[i] !== base.chars[i] || after.styles[i] !== base.styles[i];
  // A few unchanged cells before the next change on the row are rewritten: shorter than moving the cursor.
  const changeSoon = (i: number) => {
    for (let k = i; k < i + GAP && k % width !== 0; k++) if (changed(k)) return true;
    return false;
  };
  for (let i = 0; i < after.chars.length; i++) {
    if (!changed(i) && (i !== cursor || !changeSoon(i))) continue;
    // A changed second half of a wide character is written from its first.
    let at = after.chars[i] === CONTINUATION && i % width > 0 ? i - 1 : i;
    if (at !== cursor) out += `${ESC}[${Math.floor(at / width) + 1};${(at % width) + 1}H`;
    const cellStyle = after.styles[at] ?? 0;
    if (cellStyle !== style) {
      out += sgr(cellStyle);
      style = cellStyle;
    }
    const char = after.chars[at] ?? ' ';
    out += char === CONTINUATION ? ' ' : char;
    at += after.chars[at + 1] === CONTINUATION && (at + 1) % width !== 0 ? 2 : 1;
    // At the end of a row the terminal's cursor does not move on to the next one: move it there.
    cursor = at % width === 0 ? -1 : at;
    i = at - 1;
  }
  if (style > 0) out += `${ESC}[0m`;
  return out;
}
