import { isRecord } from './types.js';

/**
 * The YAML kubeconfigs are written in — by kubectl, kind, minikube and the
 * cloud CLIs: block mappings and sequences of plain or quoted one-line
 * scalars, `{}` and `[]`, comments — or JSON, read without the YAML library
 * (loading and running it is a tenth of a track's CPU). Anything else
 * (anchors, tags, flow collections with content, block or multi-line
 * scalars, numbers, an escape beyond `\\` and `\"`) is `undefined`: the
 * library reads it, and says where it is wrong.
 */

/** A line of the document: its indentation and its text after it. */
interface Line {
  indent: number;
  text: string;
}

/** Thrown inside the reader when the text leaves the subset; caught at its one entry point. */
class NotSimple extends Error {}

const notSimple = (): never => {
  throw new NotSimple();
};

/** The document's top-level mapping, or undefined when it is not in the subset (or not a mapping). */
export function readBlockYaml(text: string): Record<string, unknown> | undefined {
  if (/^\s*\{/.test(text)) return readJson(text);
  try {
    const lines = significantLines(text);
    if (lines.length === 0) return undefined;
    const reader = new BlockReader(lines);
    const value = reader.node(0);
    if (!reader.done || !isRecord(value)) return undefined;
    return value;
  } catch (error) {
    if (error instanceof NotSimple) return undefined;
    throw error;
  }
}

function readJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The lines that carry content: comments, blank lines and a leading `---` left out; tabs are not simple. */
function significantLines(text: string): Line[] {
  const lines: Line[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\s+$/, '');
    if (line === '' || /^\s*#/.test(line)) continue;
    if (line === '---' && lines.length === 0) continue;
    const indent = line.length - line.trimStart().length;
    if (/^\s*\t/.test(raw) || line.startsWith('---') || line.startsWith('...') || line.startsWith('%'))
      notSimple();
    lines.push({ indent, text: line.slice(indent) });
  }
  return lines;
}

class BlockReader {
  readonly #lines: Line[];
  #at = 0;

  constructor(lines: Line[]) {
    this.#lines = lines;
  }

  get done(): boolean {
    return this.#at === this.#lines.length;
  }

  /** A mapping or a sequence whose lines start at `indent`. */
  node(indent: number): Record<string, unknown> | unknown[] {
    const first = this.#lines[this.#at];
    if (!first || first.indent !== indent) return notSimple();
    return isItem(first.text) ? this.#sequence(indent) : this.#mapping(indent, {});
  }

  #sequence(indent: number): unknown[] {
    const items: unknown[] = [];
    for (let line = this.#peek(indent); line && isItem(line.text); line = this.#peek(indent)) {
      const rest = line.text === '-' ? '' : line.text.slice(2);
      // `- key: value`: a mapping whose keys line up two columns in.
      const inner = indent + 2 + (rest.length - rest.trimStart().length);
      const content = rest.trimStart();
      if (content === '') {
        this.#at++;
        items.push(this.#nested(indent));
      } else if (keyOf(content)) {
        this.#lines[this.#at] = { indent: inner, text: content };
        items.push(this.#mapping(inner, {}));
      } else {
        this.#at++;
        items.push(scalar(content));
      }
    }
    return items;
  }

  #mapping(indent: number, into: Record<string, unknown>): Record<string, unknown> {
    for (let line = this.#peek(indent); line && !isItem(line.text); line = this.#peek(indent)) {
      const entry = keyOf(line.text) ?? notSimple();
      if (Object.hasOwn(into, entry.key)) notSimple();
      this.#at++;
      const value = entry.value === '' ? this.#valueBelow(indent) : scalar(entry.value);
      // An own property whatever the key: `__proto__: x` must not set the object's prototype.
      Object.defineProperty(into, entry.key, { value, enumerable: true, writable: true, configurable: true });
    }
    return into;
  }

  /** A key's value on the lines after it: deeper, or a sequence at the key's own indentation. */
  #valueBelow(indent: number): unknown {
    const next = this.#lines[this.#at];
    if (next && next.indent === indent && isItem(next.text)) return this.#sequence(indent);
    return this.#nested(indent);
  }

  /** What is nested deeper than `indent`, or null when nothing is. */
  #nested(indent: number): unknown {
    const next = this.#lines[this.#at];
    if (!next || next.indent <= indent) return null;
    return this.node(next.indent);
  }

  /** The next line when it is at `indent`; a line deeper than expected is not simple. */
  #peek(indent: number): Line | undefined {
    const line = this.#lines[this.#at];
    if (!line || line.indent < indent) return undefined;
    return line.indent === indent ? line : notSimple();
  }
}

const isItem = (text: string) => text === '-' || text.startsWith('- ');

/** `key: value` or `key:`, the key plain or quoted; undefined when the text is not a key. */
function keyOf(text: string): { key: string; value: string } | undefined {
  const quoted = /^("(?:[^"\\]|\\["\\])*"|'(?:[^']|'')*')\s*:(?:\s+(.*))?$/.exec(text);
  if (quoted) return { key: scalarText(quoted[1] as string), value: quoted[2] ?? '' };
  const plain = /^([^\s#'"&*!|>%@`{}[\],?:-][^:#]*?|-[^\s:#][^:#]*?)\s*:(?:\s+(.*))?$/.exec(text);
  if (!plain) return undefined;
  return { key: plain[1] as string, value: plain[2] ?? '' };
}

/** A one-line value: `{}`, `[]`, a quoted string, or a plain scalar the core schema reads as a string, a boolean or null. */
function scalar(text: string): unknown {
  if (text === '{}') return {};
  if (text === '[]') return [];
  if (text.startsWith('"') || text.startsWith("'")) return scalarText(text);
  // A comment after the value, or a value that is not one plain scalar.
  if (/\s#|:\s|:$/.test(text) || /^([,[\]{}#&*!|>%@`]|[-?:](\s|$))/.test(text)) return notSimple();
  if (/^(null|Null|NULL|~)$/.test(text)) return null;
  if (/^(true|True|TRUE)$/.test(text)) return true;
  if (/^(false|False|FALSE)$/.test(text)) return false;
  // Numbers, infinities and NaN: the library's core schema decides those.
  if (/^[-+]?(\.?\d|\.(inf|Inf|INF|nan|NaN|NAN)$)/.test(text) || /^0[ox]/.test(text)) return notSimple();
  return text;
}

/** A quoted string's text: single quotes double themselves; double quotes take `\\` and `\"` only. */
function scalarText(text: string): string {
  const single = /^'((?:[^']|'')*)'$/.exec(text);
  if (single) return (single[1] as string).replace(/''/g, "'");
  const double = /^"((?:[^"\\]|\\["\\])*)"$/.exec(text);
  if (double) return (double[1] as string).replace(/\\(["\\])/g, '$1');
  return notSimple();
}
