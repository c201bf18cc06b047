import { InvalidInputError, quote } from './errors.js';

/**
 * Label and field selectors, parsed with the grammar of
 * k8s.io/apimachinery/pkg/labels (`=`, `==`, `!=`, `in`, `notin`, `key`,
 * `!key`, `>`, `<`) and pkg/fields (`=`, `==`, `!=`). The client validates
 * selectors before sending them, so a typo fails at once with the offending
 * text; the simulated API server uses the same code to match objects.
 */

export type LabelRequirement =
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | '!exists' }
  | { key: string; op: 'gt' | 'lt'; value: number };

export type FieldRequirement = { path: string; op: '=' | '!='; value: string };

const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function checkKey(key: string, selector: string): string {
  const slash = key.indexOf('/');
  const prefix = slash === -1 ? undefined : key.slice(0, slash);
  const name = slash === -1 ? key : key.slice(slash + 1);
  const valid =
    NAME.test(name) && (prefix === undefined || (prefix.length <= 253 && DNS_SUBDOMAIN.test(prefix)));
  if (!valid)
    throw new InvalidInputError(
      `invalid label selector ${quote(selector)}: ${quote(key)} is not a valid label key`,
      selector,
    );
  return key;
}

function checkValue(value: string, selector: string): string {
  if (value !== '' && !NAME.test(value)) {
    throw new InvalidInputError(
      `invalid label selector ${quote(selector)}: ${quote(value)} is not a valid label value`,
      selector,
    );
  }
  return value;
}

/** Splits on commas that are not inside parentheses. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

export function parseLabelSelector(selector: string): LabelRequirement[] {
  if (selector.trim() === '') return [];
  return splitTopLevel(selector).map((raw) => parseLabelRequirement(raw.trim(), selector));
}

function parseLabelRequirement(text: string, selector: string): LabelRequirement {
  const fail = (why: string) =>
    new InvalidInputError(`invalid label selector ${quote(selector)}: ${why}`, selector);
  if (text === '') throw fail('empty requirement');
  const set = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(text);
  if (set) {
    const values = (set[3] ?? '').split(',').map((v) => checkValue(v.trim(), selector));
    if (values.length === 1 && values[0] === '') throw fail(`${quote(text)} needs at least one value`);
    return { key: checkKey(set[1] ?? '', selector), op: set[2] as 'in' | 'notin', values };
  }
  const binary = /^([^=!<>\s]+)\s*(==|=|!=|<|>)\s*(.*)$/.exec(text);
  if (binary) {
    const key = checkKey(binary[1] ?? '', selector);
    const op = binary[2];
    const value = (binary[3] ?? '').trim();
    if (op === '<' || op === '>') {
      if (!/^-?\d+$/.test(value)) throw fail(`${quote(text)} needs an integer after ${op}`);
      return { key, op: op === '>' ? 'gt' : 'lt', value: Number(value) };
    }
    return { key, op: op === '!=' ? 'notin' : 'in', values: [checkValue(value, selector)] };
  }
  if (text.startsWith('!')) return { key: checkKey(text.slice(1).trim(), selector), op: '!exists' };
  if (/^\S+$/.test(text)) return { key: checkKey(text, selector), op: 'exists' };
  throw fail(`cannot parse ${quote(text)}`);
}

export function matchesLabels(
  requirements: LabelRequirement[],
  labels: Record<string, string> | undefined,
): boolean {
  const actual = labels ?? {};
  return requirements.every((r) => {
    const has = Object.hasOwn(actual, r.key);
    const value = actual[r.key];
    switch (r.op) {
      case 'exists':
        return has;
      case '!exists':
        return !has;
      case 'in':
        return has && r.values.includes(value ?? '');
      case 'notin':
        return !has || !r.values.includes(value ?? '');
      case 'gt':
        return has && /^-?\d+$/.test(value ?? '') && Number(value) > r.value;
      case 'lt':
        return has && /^-?\d+$/.test(value ?? '') && Number(value) < r.value;
      default:
        return false;
    }
  });
}

/** Splits on commas not escaped with a backslash, as pkg/fields does. */
function splitEscaped(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && i + 1 < text.length) {
      current += c + text[i + 1];
      i++;
    } else if (c === ',') {
      parts.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  parts.push(current);
  return parts;
}

const unescapeField = (text: string) => text.replace(/\\(.)/g, '$1');

export function parseFieldSelector(selector: string): FieldRequirement[] {
  if (selector.trim() === '') return [];
  return splitEscaped(selector).map((raw) => {
    const text = raw.trim();
    const m = /^([^=!\s]+)\s*(==|=|!=)\s*(.*)$/.exec(text);
    if (!m) {
      throw new InvalidInputError(
        `invalid field selector ${quote(selector)}: ${quote(text)} is not of the form field=value or field!=value`,
        selector,
      );
    }
    return { path: m[1] ?? '', op: m[2] === '!=' ? '!=' : '=', value: unescapeField((m[3] ?? '').trim()) };
  });
}

/** Reads a dotted field path (`involvedObject.name`, `status.phase`) as a string. */
export function fieldValue(object: unknown, path: string): string {
  let current: unknown = object;
  for (const part of path.split('.')) {
    if (typeof current !== 'object' || current === null) return '';
    current = (current as Record<string, unknown>)[part];
  }
  if (current === undefined || current === null) return '';
  return typeof current === 'object' ? JSON.stringify(current) : String(current);
}

export function matchesFields(requirements: FieldRequirement[], object: unknown): boolean {
  return requirements.every((r) => (fieldValue(object, r.path) === r.value) === (r.op === '='));
}
