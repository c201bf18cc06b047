/**
 * Keys from a terminal in raw mode: the bytes of one read become key names
 * (`up`, `enter`, `ctrl-c`…) or the printable character itself. Escape
 * sequences are read in both cursor-key modes (`ESC [ A` and `ESC O A`);
 * one the view does not know is dropped whole, never read as letters.
 */

export type Key =
  | 'up'
  | 'down'
  | 'left'
  | 'right'
  | 'pageup'
  | 'pagedown'
  | 'home'
  | 'end'
  | 'enter'
  | 'tab'
  | 'shift-tab'
  | 'escape'
  | 'backspace'
  | 'ctrl-c'
  | 'ctrl-u'
  | (string & Record<never, never>);

const FINAL: Record<string, Key> = {
  A: 'up',
  B: 'down',
  C: 'right',
  D: 'left',
  H: 'home',
  F: 'end',
  Z: 'shift-tab',
};

const TILDE: Record<string, Key> = {
  '1': 'home',
  '7': 'home',
  '4': 'end',
  '8': 'end',
  '5': 'pageup',
  '6': 'pagedown',
};

const CONTROL: Record<string, Key> = {
  '\r': 'enter',
  '\n': 'enter',
  '\t': 'tab',
  '\u0003': 'ctrl-c',
  '\u0015': 'ctrl-u',
  '\u007f': 'backspace',
  '\b': 'backspace',
};

// ESC, then `[` or `O`, parameters (digits and `;`), and one final character.
// biome-ignore lint/suspicious/noControlCharactersInRegex: reading escape sequences is the point
const SEQUENCE = /^\u001b[[O]([\d;]*)([\x40-\x7e])/;

/** The keys in one chunk of terminal input. */
export function parseKeys(input: string): Key[] {
  const keys: Key[] = [];
  let rest = input;
  while (rest.length > 0) {
    const sequence = SEQUENCE.exec(rest);
    if (sequence) {
      const [whole, params = '', final = ''] = sequence;
      const key = final === '~' ? TILDE[params.split(';')[0] ?? ''] : FINAL[final];
      if (key) keys.push(key);
      rest = rest.slice(whole.length);
      continue;
    }
    const char = String.fromCodePoint(rest.codePointAt(0) ?? 0);
    rest = rest.slice(char.length);
    if (char === '\u001b') keys.push('escape');
    else if (CONTROL[char]) keys.push(CONTROL[char]);
    else if (char >= ' ') keys.push(char);
  }
  return keys;
}
