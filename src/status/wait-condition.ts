import { describeValue, InvalidInputError } from '../kube/errors.js';
import { isRecord, type KubeObject } from '../kube/types.js';
import { conditions, num } from './fields.js';
import { findJsonPath, formatJsonPathValue, parseJsonPath } from './jsonpath.js';

/**
 * What a track waits for instead of readiness, as `kubectl wait --for`
 * takes it: a condition of the object's status (`{ condition: 'Available' }`,
 * `status` `'True'` by default, both compared without regard to case, once
 * the condition — or the status — has observed the object's generation); a
 * JSONPath that selects one value (`{ jsonPath: '{.status.phase}', value:
 * 'Running' }`; without `value`, any value); or a predicate of your own.
 * Unless `strict`, the kind's failure detection still ends the wait early
 * (a crash loop, an image that does not exist), with the reason and the
 * report; `strict: true` waits as kubectl does: only the condition, or the
 * timeout, ends it.
 */
export type WaitCondition =
  | { condition: string; status?: string; strict?: boolean }
  | { jsonPath: string; value?: string; strict?: boolean }
  | { test: (object: KubeObject) => boolean; strict?: boolean }
  | ((object: KubeObject) => boolean);

/** A {@link WaitCondition} ready to be checked: whether an object meets it, and how it is said. */
export interface ConditionCheck {
  /** `condition Available=True`, `{.status.phase}=Running`, `the predicate`. */
  readonly said: string;
  readonly strict: boolean;
  met(object: KubeObject): boolean;
}

const invalid = (value: unknown) =>
  new InvalidInputError(
    `options.until: expected 'ready', 'never', 'deleted', 'exists', 'once', { condition, status? }, { jsonPath, value? }, { test } or a function, not ${describeValue(value)}`,
    describeValue(value),
  );

/** Each condition compiled once: the boundary, every tracker of a multitrack and the last line ask for it. */
const compiled = new WeakMap<WaitCondition, ConditionCheck>();

/**
 * Checks a wait condition's shape and compiles it (a JSONPath is parsed
 * here: a bad one is an error at the call, naming its character).
 * @throws {InvalidInputError} not a condition, or a JSONPath that does not parse
 */
export function conditionCheck(given: WaitCondition): ConditionCheck {
  const known = typeof given === 'function' || isRecord(given) ? compiled.get(given) : undefined;
  if (known) return known;
  const check = compile(given);
  compiled.set(given, check);
  return check;
}

function compile(given: WaitCondition): ConditionCheck {
  if (typeof given === 'function') return { said: 'the predicate', strict: false, met: given };
  // Checked field by field: a library caller may pass anything.
  const condition: unknown = given;
  if (!isRecord(condition)) throw invalid(condition);
  const strict = condition.strict === true;
  if (typeof condition.condition === 'string' && condition.condition !== '')
    return conditionOf(condition.condition, optionalText(condition.status) ?? 'True', strict);
  if (typeof condition.jsonPath === 'string')
    return jsonPathOf(condition.jsonPath, optionalText(condition.value), strict);
  if (typeof condition.test === 'function') {
    const test = condition.test as (object: KubeObject) => boolean;
    return { said: 'the predicate', strict, met: (object) => test(object) === true };
  }
  throw invalid(condition);
}

const optionalText = (value: unknown): string | undefined => {
  if (value === undefined || typeof value === 'string') return value;
  throw invalid(value);
};

/** kubectl's `--for=condition=NAME=STATUS`: Unicode simple case folding, and the generation observed. */
function conditionOf(name: string, status: string, strict: boolean): ConditionCheck {
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  return {
    said: `condition ${name}=${status}`,
    strict,
    met(object) {
      const found = conditions(object).find((c) => same(c.type, name));
      if (!found) return false;
      // The condition's own observedGeneration, else the status' (kubectl's order, numbers only).
      const generation = num(object, 'metadata', 'generation');
      const observed = num(found, 'observedGeneration') ?? num(object, 'status', 'observedGeneration');
      if (generation !== undefined && observed !== undefined && observed < generation) return false;
      return same(found.status, status);
    },
  };
}

/** kubectl's `--for=jsonpath=EXPR[=VALUE]`: one value selected, compared as Go prints it (trimmed). */
function jsonPathOf(expression: string, value: string | undefined, strict: boolean): ConditionCheck {
  const path = parseJsonPath(expression);
  return {
    said: value === undefined ? `${expression} set` : `${expression}=${value}`,
    strict,
    met(object) {
      const found = findJsonPath(path, object);
      if (found.length !== 1) return false;
      if (value === undefined) return true;
      return formatJsonPathValue(found[0])?.trim() === value.trim();
    },
  };
}
