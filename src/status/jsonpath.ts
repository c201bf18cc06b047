import { InvalidInputError } from '../kube/errors.js';
import { isRecord } from '../kube/types.js';

/**
 * kubectl's JSONPath (client-go's `util/jsonpath`), one `{…}` expression:
 * `.field` (`\.` escapes a dot in a key), `['key']`, `$` and `@`, `..`
 * (recursive descent), `*` and `[*]`, `[n]` (negative from the end),
 * `[start:end:step]`, unions `[a,b]`, and filters `[?(@.a.b == "x")]` with
 * `==`, `!=`, `<`, `<=`, `>`, `>=` against text, numbers, `true`/`false`
 * or another path, or `[?(@.a)]` (it exists). As `kubectl get -o jsonpath`
 * and `kubectl wait --for=jsonpath` take it, the braces and the leading dot
 * may be left out (`status.phase`). Parsing is separate from evaluating, so
 * a bad expression is an error before anything is asked of a cluster.
 */
export interface JsonPath {
  /** The expression as given. */
  readonly source: string;
  readonly steps: readonly Step[];
}

type Operator = '==' | '!=' | '<' | '<=' | '>' | '>=';

type Step =
  | { type: 'field'; name: string }
  | { type: 'wildcard' }
  | { type: 'recursive' }
  | { type: 'slice'; start: number | undefined; end: number | undefined; single: boolean; step: number }
  | { type: 'union'; branches: Step[][] }
  | { type: 'filter'; left: Step[]; operator: Operator | 'exists'; right: Step[] }
  | { type: 'literal'; value: string | number | boolean };

/** A JSONPath expression that does not parse: what is wrong, and at which character (1-based). */
export class JsonPathError extends InvalidInputError {
  readonly position: number;

  constructor(expression: string, why: string, position: number) {
    super(`invalid JSONPath ${JSON.stringify(expression)}: ${why} at character ${position}`, expression);
    this.name = 'JsonPathError';
    this.position = position;
  }
}

const OPERATORS: readonly Operator[] = ['==', '!=', '<=', '>=', '<', '>'];
/** Characters that end a field name, as client-go's parser has them. */
const TERMINATORS = new Set([' ', '\t', '\r', '\n', '.', ',', '[', ']', '$', '@', '{', '}']);

/**
 * Parses one expression: `{.status.phase}`, `.status.phase` or `status.phase`.
 * @throws {JsonPathError} it does not parse (the message names the character)
 * @example
 * import { findJsonPath, parseJsonPath } from 'kubedog';
 *
 * const ready = parseJsonPath('{.status.conditions[?(@.type=="Ready")].status}');
 * console.log(findJsonPath(ready, { status: { conditions: [{ type: 'Ready', status: 'True' }] } }));
 * // prints: [ 'True' ]
 */
export function parseJsonPath(expression: string): JsonPath {
  if (typeof expression !== 'string' || expression.trim() === '')
    throw new JsonPathError(String(expression), 'the expression is empty', 1);
  const text = expression.trim();
  const braced = text.startsWith('{');
  if (braced && !text.endsWith('}')) throw new JsonPathError(expression, 'unclosed "{"', text.length + 1);
  const body = braced ? text.slice(1, -1) : text;
  const offset = expression.indexOf(text) + (braced ? 1 : 0);
  const brace = body.search(/[{}]/);
  if (brace >= 0)
    throw new JsonPathError(expression, 'one {…} expression is taken, not a template', offset + brace + 1);
  const relaxed = /^[\s$@.[]/.test(body) ? body : `.${body}`;
  const shift = relaxed === body ? 0 : -1;
  return { source: expression, steps: new Parser(expression, relaxed, offset + shift).steps() };
}

/** Reads one expression's steps, character by character, as client-go's parser does. */
class Parser {
  #pos = 0;

  constructor(
    readonly expression: string,
    readonly text: string,
    readonly offset: number,
  ) {}

  steps(until?: (rest: string) => boolean): Step[] {
    const steps: Step[] = [];
    while (this.#pos < this.text.length && !until?.(this.text.slice(this.#pos))) {
      const rest = this.text.slice(this.#pos);
      if (rest.startsWith('[?(')) steps.push(this.#filter());
      else if (rest.startsWith('..')) steps.push(...this.#recursive(steps));
      else if (rest[0] === '.') steps.push(...this.#field());
      else if (rest[0] === '[') steps.push(...this.#brackets());
      else if (rest[0] === '"' || rest[0] === "'") steps.push(this.#quoted());
      else if (/^[+-]?\d/.test(rest)) steps.push(this.#number());
      else if (/^(true|false)\b/.test(rest)) steps.push(this.#boolean());
      else if (/^[\s$@]/.test(rest)) this.#pos++;
      else throw this.#error(`unexpected ${JSON.stringify(rest[0])}`);
    }
    return steps;
  }

  #error(why: string, at = this.#pos): JsonPathError {
    return new JsonPathError(this.expression, why, this.offset + at + 1);
  }

  #recursive(before: Step[]): Step[] {
    if (before.at(-1)?.type === 'recursive') throw this.#error('".." twice in a row');
    this.#pos += 2;
    const next = this.text[this.#pos];
    if (next !== undefined && /[\p{L}\p{N}_]/u.test(next)) {
      this.#pos--;
      return [{ type: 'recursive' }, ...this.#field()];
    }
    return [{ type: 'recursive' }];
  }

  /** `.name` (a backslash keeps the next character, `\.` a dot in a key), or `.*`. */
  #field(): Step[] {
    this.#pos++;
    let name = '';
    while (this.#pos < this.text.length && !TERMINATORS.has(this.text[this.#pos] as string)) {
      if (this.text[this.#pos] === '\\') this.#pos++;
      name += this.text[this.#pos] ?? '';
      this.#pos++;
    }
    if (name === '*') return [{ type: 'wildcard' }];
    return name === '' ? [] : [{ type: 'field', name }];
  }

  /** `[n]`, `[a:b:c]`, `[*]`, `['key']`, or a union of those: `[a,b]`. */
  #brackets(): Step[] {
    const start = this.#pos;
    const close = this.text.indexOf(']', start);
    if (close < 0) throw this.#error('unterminated "["', start);
    this.#pos = close + 1;
    const inner = this.text.slice(start + 1, close);
    const parts = inner.split(',');
    if (parts.length === 1) return this.#subscript(inner.trim(), start);
    return [{ type: 'union', branches: parts.map((part) => this.#subscript(part.trim(), start)) }];
  }

  /**
   * One subscript. A key in quotes is read as `.key` is, as client-go does:
   * `['metadata.name']` is `.metadata.name`; `['kubernetes\.io/name']` one key.
   */
  #subscript(text: string, at: number): Step[] {
    const key = /^'([^']*)'$|^"([^"]*)"$/.exec(text);
    if (key) return new Parser(this.expression, `.${key[1] ?? key[2]}`, this.offset + at).steps();
    const slice = /^(-?\d*)(?::(-?\d*))?(?::(-?\d*))?$/.exec(text === '*' ? ':' : text);
    if (!slice) throw this.#error(`invalid array index ${JSON.stringify(text)}`, at);
    const [, from = '', to, every] = slice;
    const number = (s: string | undefined) => (s === undefined || s === '' ? undefined : Number(s));
    const step = number(every) ?? 1;
    if (step <= 0) throw this.#error('the step of a slice must be > 0', at);
    return [{ type: 'slice', start: number(from), end: number(to), single: to === undefined, step }];
  }

  /** `[?(left OP right)]`, or `[?(path)]`: the path exists. */
  #filter(): Step {
    const start = this.#pos;
    this.#pos += 3;
    let quote: string | undefined;
    let end = -1;
    for (let i = this.#pos; i < this.text.length; i++) {
      const c = this.text[i];
      if (quote) {
        if (c === quote && this.text[i - 1] !== '\\') quote = undefined;
      } else if (c === '"' || c === "'") quote = c;
      else if (c === ')' && this.text[i + 1] === ']') {
        end = i;
        break;
      }
    }
    if (end < 0) throw this.#error('unterminated filter "[?("', start);
    const inner = this.text.slice(this.#pos, end);
    this.#pos = end + 2;
    const split = /^([^!<>=]+)([!<>=]+)(.+)$/.exec(inner);
    if (!split) return { type: 'filter', left: this.#sub(inner, start + 3), operator: 'exists', right: [] };
    const [, left = '', operator = '', right = ''] = split;
    if (!OPERATORS.includes(operator as Operator))
      throw this.#error(`unknown filter operator ${JSON.stringify(operator)}`, start + 3 + left.length);
    return {
      type: 'filter',
      left: this.#sub(left, start + 3),
      operator: operator as Operator,
      right: this.#sub(right, start + 3 + left.length + operator.length),
    };
  }

  /** A part of a filter, parsed on its own (errors still point into the whole expression). */
  #sub(text: string, at: number): Step[] {
    return new Parser(this.expression, text.trim(), this.offset + at).steps();
  }

  #quoted(): Step {
    const quote = this.text[this.#pos] as string;
    let value = '';
    for (let i = this.#pos + 1; i < this.text.length; i++) {
      const c = this.text[i] as string;
      if (c === '\\' && i + 1 < this.text.length) {
        value += this.text[++i];
        continue;
      }
      if (c === quote) {
        this.#pos = i + 1;
        return { type: 'literal', value };
      }
      value += c;
    }
    throw this.#error('unterminated quoted text');
  }

  #number(): Step {
    const match = /^[+-]?\d+(\.\d+)?/.exec(this.text.slice(this.#pos)) as RegExpExecArray;
    this.#pos += match[0].length;
    return { type: 'literal', value: Number(match[0]) };
  }

  #boolean(): Step {
    const value = this.text.startsWith('true', this.#pos);
    this.#pos += value ? 4 : 5;
    return { type: 'literal', value };
  }
}

/**
 * What an expression selects in a value, in order. A key that is not
 * there selects nothing (as kubectl's `wait` and `--allow-missing-template-keys`
 * have it), and so does an index past the end of a list.
 * @example
 * import { findJsonPath, parseJsonPath } from 'kubedog';
 *
 * const images = parseJsonPath('{.spec.containers[*].image}');
 * console.log(findJsonPath(images, { spec: { containers: [{ image: 'web:v1' }, { image: 'proxy:v2' }] } }));
 * // prints: [ 'web:v1', 'proxy:v2' ]
 */
export function findJsonPath(path: JsonPath, value: unknown): unknown[] {
  return walk([value], path.steps);
}

function walk(values: unknown[], steps: readonly Step[]): unknown[] {
  let current = values;
  // A union's branches each take every value, one branch after the other (client-go's order).
  for (const step of steps)
    current =
      step.type === 'union'
        ? step.branches.flatMap((branch) => walk(current, branch))
        : current.flatMap((value) => apply(step, value));
  return current;
}

const childrenOf = (value: unknown): unknown[] =>
  Array.isArray(value) ? value : isRecord(value) ? Object.values(value) : [];

function apply(step: Exclude<Step, { type: 'union' }>, value: unknown): unknown[] {
  switch (step.type) {
    case 'field':
      return isRecord(value) && Object.hasOwn(value, step.name) ? [value[step.name]] : [];
    case 'wildcard':
      return childrenOf(value);
    case 'recursive':
      return descendants(value);
    case 'slice':
      return Array.isArray(value) ? slice(value, step) : [];
    case 'filter':
      return Array.isArray(value) ? value.filter((item) => passes(step, item)) : [];
    case 'literal':
      return [step.value];
  }
}

/**
 * The value and every container inside it, in document order (client-go's `..`: the next step
 * picks from all of them). A loop, not a recursion: an object nested a hundred thousand deep
 * (JSON.parse takes it) must not exhaust the stack inside a verdict.
 */
function descendants(root: unknown): unknown[] {
  const found: unknown[] = [];
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    const children = childrenOf(value);
    if (children.length === 0) continue;
    found.push(value);
    for (let i = children.length - 1; i >= 0; i--) pending.push(children[i]);
  }
  return found;
}

function slice(list: unknown[], step: Extract<Step, { type: 'slice' }>): unknown[] {
  const length = list.length;
  const from = step.start === undefined ? 0 : step.start < 0 ? step.start + length : step.start;
  let to = step.end === undefined ? (step.single ? from + 1 : length) : step.end;
  if (step.end !== undefined && to < 0) to += length;
  if (from < 0 || from >= length || to > length || from >= to) return [];
  const picked: unknown[] = [];
  for (let i = from; i < to; i += step.step) picked.push(list[i]);
  return picked;
}

function passes(filter: Extract<Step, { type: 'filter' }>, item: unknown): boolean {
  const lefts = walk([item], filter.left);
  if (filter.operator === 'exists') return lefts.length > 0;
  const rights = walk([item], filter.right);
  if (lefts.length !== 1 || rights.length !== 1) return false;
  return compare(lefts[0], filter.operator, rights[0]);
}

/** Go templates' comparison: values of one kind (text, number, boolean); anything else is not equal. */
function compare(left: unknown, operator: Operator, right: unknown): boolean {
  const comparable = typeof left === typeof right && ['string', 'number', 'boolean'].includes(typeof left);
  if (operator === '==') return comparable && left === right;
  if (operator === '!=') return !comparable || left !== right;
  if (!comparable || typeof left === 'boolean') return false;
  const [a, b] = [left as string | number, right as string | number];
  return operator === '<' ? a < b : operator === '<=' ? a <= b : operator === '>' ? a > b : a >= b;
}

/**
 * A selected value as kubectl prints it to compare it (`%v` in Go):
 * text as it is, numbers and booleans as written, `<nil>` for null;
 * undefined for a map or a list, which kubectl does not compare.
 */
export function formatJsonPathValue(value: unknown): string | undefined {
  if (value === null) return '<nil>';
  if (typeof value === 'object') return undefined;
  if (typeof value === 'number') return goNumber(value);
  return String(value);
}

/**
 * A JSON number as Go's `%v` prints it: integers whole; others in the
 * shortest form, in exponent form (two exponent digits at least) below
 * 1e-4 or from 1e6 on: `1.5`, `1.5e+06`, `1e-05`.
 */
function goNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  const exponent = Math.floor(Math.log10(Math.abs(value)));
  if (exponent >= -4 && exponent < 6) return String(value);
  const [mantissa, power = '0'] = value.toExponential().split('e');
  const sign = power.startsWith('-') ? '-' : '+';
  return `${mantissa}e${sign}${power.replace(/^[+-]/, '').padStart(2, '0')}`;
}
