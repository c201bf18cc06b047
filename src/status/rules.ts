import { expectText, InvalidInputError } from '../kube/errors.js';
import type { KubeObject } from '../kube/types.js';
import { yaml } from '../vendor/yaml.js';
import { describeObject, generic } from './generic.js';
import { findJsonPath, type JsonPath, parseJsonPath } from './jsonpath.js';
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
    try {
      compiled(rule.jsonPath);
    } catch (error) {
      throw fail(`${where} (${rule.kind}): ${(error as Error).message}`);
    }
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
  const [value] = findJsonPath(compiled(rule.jsonPath), object);
  if (value === undefined) return progressing(Reason.Progressing, `${what}: ${rule.jsonPath} is not set yet`);
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (rule.failed.includes(text)) return failed(Reason.PhaseFailed, `${what}: ${rule.jsonPath} is ${text}`);
  if (rule.ready.includes(text)) return ready(Reason.Ready, `${what}: ${rule.jsonPath} is ${text}`);
  return progressing(Reason.Progressing, `${what}: ${rule.jsonPath} is ${text}`);
}

/** Each rule's expression, parsed once (verdicts are judged again and again). */
const parsedPaths = new Map<string, JsonPath>();

function compiled(expression: string): JsonPath {
  let path = parsedPaths.get(expression);
  if (!path) {
    path = parseJsonPath(expression);
    parsedPaths.set(expression, path);
  }
  return path;
}
