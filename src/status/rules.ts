import { expectText, InvalidInputError } from '../kube/errors.js';
import type { KubeObject } from '../kube/types.js';
import { yaml } from '../vendor/yaml.js';
import { describeObject, generic } from './generic.js';
import { Reason } from './reasons.js';
import type { Verdict } from './types.js';
import { failed, progressing, ready } from './verdict.js';

/**
 * User-supplied verdict rules for custom kinds, loaded from YAML
 * (`--rules FILE`):
 *
 * ```yaml
 * rules:
 *   - kind: Widget
 *     group: example.com          # optional
 *     jsonPath: '{.status.conditions[?(@.type=="Ready")].status}'
 *     ready: ["True"]
 *     failed: ["False"]
 *     progressing: ["Unknown"]     # optional: anything not listed is progressing
 * ```
 */
export interface CustomRule {
  kind: string;
  group?: string;
  jsonPath: string;
  ready: string[];
  progressing: string[];
  failed: string[];
}

/**
 * Reads verdict rules for custom kinds (the YAML above), for a tracker's
 * `rules` option or {@link computeVerdict}'s context. `source` names the
 * text in errors.
 * @throws {InvalidInputError} malformed YAML, a rule without `kind`, `jsonPath` or `ready`, or a JSONPath that cannot be parsed
 * @example
 * import { computeVerdict, parseRules } from 'kubedog';
 *
 * const rules = parseRules('rules:\n- kind: Widget\n  jsonPath: "{.status.state}"\n  ready: [Done]\n  failed: [Broken]\n', 'rules.yaml');
 * const widget = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, status: { state: 'Broken' } };
 * console.log(computeVerdict(widget, { now: new Date(), rules }).state);
 * // prints: failed
 */
export function parseRules(text: string, source: string): CustomRule[] {
  // Named in every message: a name that is not text is none.
  source = typeof source === 'string' ? source : '(unnamed)';
  expectText(text, `rules file ${source}`);
  const doc = yaml().parseDocument(text);
  const error = doc.errors[0];
  const fail = (why: string) => new InvalidInputError(`rules file ${source}: ${why}`, source);
  if (error) {
    const at = error.linePos?.[0];
    throw fail(
      `${at ? `line ${at.line}: ` : ''}${(error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '')}`,
    );
  }
  let root: { rules?: unknown } | null;
  try {
    root = doc.toJS() as { rules?: unknown } | null;
  } catch (error) {
    // An alias to an anchor that is not there, and the like.
    throw fail((error as Error).message.split('\n')[0] ?? 'not valid YAML');
  }
  if (!root || typeof root !== 'object' || !Array.isArray(root.rules))
    throw fail('expected a top-level "rules" list');
  return root.rules.map((raw, index) => {
    const rule = raw as Record<string, unknown>;
    const where = `rules[${index}]`;
    if (!rule || typeof rule !== 'object') throw fail(`${where} is not a mapping`);
    if (typeof rule.kind !== 'string' || rule.kind === '') throw fail(`${where} has no kind`);
    if (typeof rule.jsonPath !== 'string' || rule.jsonPath === '')
      throw fail(`${where} (${rule.kind}) has no jsonPath`);
    compileJsonPath(rule.jsonPath, `${source} ${where}`);
    const values = (key: string) => {
      const v = rule[key];
      if (v === undefined) return [];
      if (!Array.isArray(v)) throw fail(`${where} (${rule.kind}): "${key}" must be a list of values`);
      return v.map(String);
    };
    const parsed: CustomRule = {
      kind: rule.kind,
      jsonPath: rule.jsonPath,
      ready: values('ready'),
      progressing: values('progressing'),
      failed: values('failed'),
    };
    if (typeof rule.group === 'string') parsed.group = rule.group;
    if (parsed.ready.length === 0) throw fail(`${where} (${rule.kind}) lists no "ready" values`);
    return parsed;
  });
}

export function findRule(rules: readonly CustomRule[], object: KubeObject): CustomRule | undefined {
  const group = (object.apiVersion ?? '').includes('/') ? (object.apiVersion ?? '').split('/')[0] : '';
  return rules.find((r) => r.kind === object.kind && (r.group === undefined || r.group === group));
}

export function applyRule(rule: CustomRule, object: KubeObject): Verdict {
  const early = generic(object);
  if (early) return early;
  const what = describeObject(object);
  const value = evaluateJsonPath(compileJsonPath(rule.jsonPath, rule.kind), object);
  if (value === undefined) return progressing(Reason.Progressing, `${what}: ${rule.jsonPath} is not set yet`);
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (rule.failed.includes(text)) return failed(Reason.PhaseFailed, `${what}: ${rule.jsonPath} is ${text}`);
  if (rule.ready.includes(text)) return ready(Reason.Ready, `${what}: ${rule.jsonPath} is ${text}`);
  return progressing(Reason.Progressing, `${what}: ${rule.jsonPath} is ${text}`);
}

// -- a JSONPath subset: .field, ['field'], [n], [*], [?(@.a.b=="value")] --------------

type Segment =
  | { type: 'field'; name: string }
  | { type: 'index'; index: number }
  | { type: 'all' }
  | { type: 'filter'; path: string[]; value: string };

export function compileJsonPath(expression: string, where: string): Segment[] {
  let text = expression.trim();
  if (text.startsWith('{') && text.endsWith('}')) text = text.slice(1, -1).trim();
  if (text.startsWith('$')) text = text.slice(1);
  const segments: Segment[] = [];
  const token =
    /\.([A-Za-z_][\w-]*)|\[\s*'([^']*)'\s*\]|\[\s*"([^"]*)"\s*\]|\[\s*(\d+)\s*\]|\[\s*\*\s*\]|\[\s*\?\(\s*@((?:\.[A-Za-z_][\w-]*)+)\s*==\s*(?:"([^"]*)"|'([^']*)')\s*\)\s*\]/y;
  while (token.lastIndex < text.length) {
    const start = token.lastIndex;
    const m = token.exec(text);
    if (!m) {
      throw new InvalidInputError(
        `invalid jsonPath "${expression}" (${where}) at "${text.slice(start)}"`,
        expression,
      );
    }
    if (m[1] !== undefined) segments.push({ type: 'field', name: m[1] });
    else if (m[2] !== undefined || m[3] !== undefined)
      segments.push({ type: 'field', name: (m[2] ?? m[3]) as string });
    else if (m[4] !== undefined) segments.push({ type: 'index', index: Number(m[4]) });
    else if (m[5] !== undefined)
      segments.push({ type: 'filter', path: m[5].slice(1).split('.'), value: (m[6] ?? m[7]) as string });
    else segments.push({ type: 'all' });
  }
  if (segments.length === 0)
    throw new InvalidInputError(`invalid jsonPath "${expression}" (${where}): empty`, expression);
  return segments;
}

/** The first value the path selects, or undefined. */
export function evaluateJsonPath(segments: Segment[], object: unknown): unknown {
  let current: unknown[] = [object];
  for (const segment of segments) {
    const next: unknown[] = [];
    for (const value of current) {
      if (segment.type === 'field') {
        if (typeof value === 'object' && value !== null && !Array.isArray(value) && segment.name in value) {
          next.push((value as Record<string, unknown>)[segment.name]);
        }
      } else if (Array.isArray(value)) {
        if (segment.type === 'index' && segment.index < value.length) next.push(value[segment.index]);
        if (segment.type === 'all') next.push(...value);
        if (segment.type === 'filter') {
          for (const item of value) {
            let probe: unknown = item;
            for (const key of segment.path)
              probe =
                typeof probe === 'object' && probe !== null
                  ? (probe as Record<string, unknown>)[key]
                  : undefined;
            if (probe !== undefined && String(probe) === segment.value) next.push(item);
          }
        }
      }
    }
    current = next;
  }
  return current[0];
}
