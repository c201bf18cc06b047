import { describeValue, InvalidInputError } from '../kube/errors.js';
import { isRecord, type KubeObject } from '../kube/types.js';
import { conditions, num } from './fields.js';
import { findJsonPath, formatJsonPathValue, parseJsonPath } from './jsonpath.js';
import type { Verdict } from './types.js';

/**
 * What a track waits for instead of readiness, as `kubectl wait --for`
 * takes it: a condition of the object's status (`{ condition: 'Available' }`,
 * `status` `'True'` by default, both compared without regard to case, once
 * the condition — or the status — has observed the object's generation); a
 * JSONPath that selects one value (`{ jsonPath: '{.status.phase}', value:
 * 'Running' }`; without `value`, any value); or a predicate of your own,
 * which answers `true`, or a {@link Verdict} (`ready` is met; `failed` ends
 * the wait with its reason; `progressing` is what the wait is shown waiting
 * for). Unless `strict`, the kind's failure detection still ends the wait
 * early (a crash loop, an image that does not exist), with the reason and
 * the report; `strict: true` waits as kubectl does: only the condition, or
 * the timeout, ends it. Several conditions are met in their order, as
 * kubectl's several `--for`: each is waited for once the one before it was.
 */
export type WaitCondition =
  | { condition: string; status?: string; strict?: boolean }
  | { jsonPath: string; value?: string; strict?: boolean }
  | { test: ConditionPredicate; strict?: boolean }
  | ConditionPredicate;

/** A predicate of the tracked object: `true` (or a `ready` verdict) when met. */
export type ConditionPredicate = (object: KubeObject) => boolean | Verdict;

/** One condition of a {@link ConditionCheck}: met, not met, or the verdict a predicate gave. */
export interface ConditionStep {
  /** `condition Available=True`, `{.status.phase}=Running`, `predicate bothReady`. */
  readonly said: string;
  check(object: KubeObject): boolean | Verdict;
}

/** {@link WaitCondition}s ready to be checked: the steps in their order, and how they are said. */
export interface ConditionCheck {
  /** The steps' words, joined by `and`. */
  readonly said: string;
  readonly strict: boolean;
  readonly steps: readonly ConditionStep[];
}

const invalid = (value: unknown) =>
  new InvalidInputError(
    `options.until: expected 'ready', 'never', 'deleted', 'exists', 'once', { condition, status? }, { jsonPath, value? }, { test }, a function or a list of these, not ${describeValue(value)}`,
    describeValue(value),
  );

/** Each condition compiled once: the boundary, every tracker of a multitrack and the last line ask for it. */
const compiled = new WeakMap<object, ConditionCheck>();

/**
 * Checks wait conditions' shape and compiles them (a JSONPath is parsed
 * here: a bad one is an error at the call, naming its character). The
 * wait is strict if any of them says so.
 * @throws {InvalidInputError} not a condition, or a JSONPath that does not parse
 */
export function conditionCheck(given: WaitCondition | readonly WaitCondition[]): ConditionCheck {
  const keyed = typeof given === 'function' || (typeof given === 'object' && given !== null);
  const known = keyed ? compiled.get(given) : undefined;
  if (known) return known;
  const list: readonly unknown[] = Array.isArray(given) ? given : [given];
  if (list.length === 0)
    throw new InvalidInputError('options.until: an empty list of conditions (give one or more)', '[]');
  const compiledSteps = list.map(compile);
  const check: ConditionCheck = {
    said: compiledSteps.map((c) => c.step.said).join(' and '),
    strict: compiledSteps.some((c) => c.strict),
    steps: compiledSteps.map((c) => c.step),
  };
  if (keyed) compiled.set(given, check);
  return check;
}

function compile(given: unknown): { step: ConditionStep; strict: boolean } {
  if (typeof given === 'function') return { step: predicateStep(given as ConditionPredicate), strict: false };
  // Checked field by field: a library caller may pass anything.
  if (!isRecord(given)) throw invalid(given);
  const strict = given.strict === true;
  if (typeof given.condition === 'string' && given.condition !== '')
    return { step: conditionOf(given.condition, optionalText(given.status) ?? 'True'), strict };
  if (typeof given.jsonPath === 'string')
    return { step: jsonPathOf(given.jsonPath, optionalText(given.value)), strict };
  if (typeof given.test === 'function')
    return { step: predicateStep(given.test as ConditionPredicate), strict };
  throw invalid(given);
}

const optionalText = (value: unknown): string | undefined => {
  if (value === undefined || typeof value === 'string') return value;
  throw invalid(value);
};

/**
 * A caller's predicate: `true` or a verdict is its answer (anything else is
 * "not met"); a predicate that throws fails the track with what it threw,
 * never the process.
 */
function predicateStep(test: ConditionPredicate): ConditionStep {
  // A named function is said by its name (`const bothReady = …`).
  const named = test.name !== '' && test.name !== 'test';
  return {
    said: named ? `predicate ${test.name}` : 'the predicate',
    check(object) {
      let answer: unknown;
      try {
        answer = test(object);
      } catch (error) {
        return {
          state: 'failed',
          reason: 'PredicateThrew',
          message: `the predicate threw: ${describeError(error)}`,
        };
      }
      return answer === true || isVerdict(answer) ? answer : false;
    },
  };
}

const describeError = (error: unknown) => (error instanceof Error ? error.message : describeValue(error));

const isVerdict = (value: unknown): value is Verdict =>
  isRecord(value) &&
  (value.state === 'ready' || value.state === 'failed' || value.state === 'progressing') &&
  typeof value.reason === 'string' &&
  typeof value.message === 'string';

/** kubectl's `--for=condition=NAME=STATUS`: Unicode simple case folding, and the generation observed. */
function conditionOf(name: string, status: string): ConditionStep {
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  return {
    said: `condition ${name}=${status}`,
    check(object) {
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

/**
 * kubectl's `--for=jsonpath=EXPR[=VALUE]`: one value selected, compared as
 * Go prints it (trimmed). Several values end the wait, as kubectl's error
 * does; nothing — a missing key, an index past a list's end (where
 * kubectl stops) — is not yet: lists grow while a wait waits.
 */
function jsonPathOf(expression: string, value: string | undefined): ConditionStep {
  const path = parseJsonPath(expression);
  return {
    said: value === undefined ? `${expression} set` : `${expression}=${value}`,
    check(object) {
      const found = findJsonPath(path, object);
      if (found.length > 1) return ambiguous(expression, found.length);
      if (found.length === 0) return false;
      if (value === undefined) return true;
      return formatJsonPathValue(found[0])?.trim() === value.trim();
    },
  };
}

const ambiguous = (expression: string, count: number): Verdict => ({
  state: 'failed',
  reason: 'AmbiguousJsonPath',
  message: `${expression} selects ${count} values; a wait compares one (kubectl: "given jsonpath expression matches more than one value")`,
  hint: 'select one value with a filter or an index: {.status.conditions[?(@.type=="Ready")].status}',
});
