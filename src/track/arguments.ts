import { describeValue, InvalidInputError } from '../kube/errors.js';
import { isDnsLabel, isPathName } from '../kube/resources.js';
import { isRecord } from '../kube/types.js';
import { conditionCheck } from '../status/wait-condition.js';

/**
 * The library's boundary: what a caller passes to a tracker, checked before
 * anything starts, so that a wrong argument is an {@link InvalidInputError}
 * naming it and what is allowed — never a TypeError later, from a timer the
 * caller cannot catch.
 */

const UNTIL = ['ready', 'never', 'deleted', 'exists', 'once'] as const;
const WATCH_SCOPES = ['auto', 'resource', 'namespace'] as const;
const FAIL_MODES = ['fail-whole-deploy', 'ignore', 'hope-until-end'] as const;
const TERMINATION_MODES = ['wait-until-ready', 'non-blocking'] as const;

const invalid = (argument: string, value: unknown, expected: string) =>
  new InvalidInputError(`${argument}: ${describeValue(value)} is not ${expected}`, describeValue(value));

function oneOf(argument: string, value: unknown, allowed: readonly string[]): void {
  if (value !== undefined && !allowed.includes(value as string))
    throw invalid(argument, value, `one of ${allowed.join(', ')}`);
}

/** A duration in milliseconds: a finite number ≥ 0; a string is told how to say it. */
function milliseconds(argument: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof value === 'string')
    throw invalid(argument, value, 'a number of milliseconds (write 5 * 60_000 for five minutes)');
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    throw invalid(argument, value, 'a finite number of milliseconds, 0 or more');
}

function count(argument: string, value: unknown): void {
  if (value !== undefined && !(Number.isInteger(value) && (value as number) >= 0))
    throw invalid(argument, value, 'a whole number, 0 or more');
}

/** What a source needs: watch, logs and kinds resolved (a `KubeClient`). */
export function checkSource(source: unknown): void {
  const needed = ['watch', 'logBatches', 'resolveType'] as const;
  if (!isRecord(source) || needed.some((method) => typeof source[method] !== 'function'))
    throw invalid('source', source, 'a KubeClient (or a TrackSource: watch, logBatches, resolveType)');
}

/**
 * A target: a kind (a kubectl spelling or a resolved type), a name the API
 * accepts in a path, a namespace that is a DNS label ('' for a
 * cluster-scoped kind).
 */
export function checkTarget(target: unknown, argument = 'target'): void {
  if (!isRecord(target)) throw invalid(argument, target, 'an object with kind and name');
  const { kind, name, namespace } = target;
  const kindOk =
    (typeof kind === 'string' && kind.trim() !== '') || (isRecord(kind) && typeof kind.kind === 'string');
  if (!kindOk)
    throw invalid(`${argument}.kind`, kind, 'a kind (`Deployment`, `deploy`, `Certificate.cert-manager.io`)');
  if (typeof name !== 'string' || !isPathName(name) || name.length > 253)
    throw invalid(`${argument}.name`, name, 'a Kubernetes name (`web`): 1 to 253 characters, no `/` or `%`');
  if (
    namespace !== undefined &&
    // '' is a cluster-scoped resource's (a CustomResourceDefinition, a Namespace).
    !(
      typeof namespace === 'string' &&
      (namespace === '' || (isDnsLabel(namespace) && namespace.length <= 63))
    )
  )
    throw invalid(
      `${argument}.namespace`,
      namespace,
      "a namespace name (lowercase letters, digits and `-`; '' for a cluster-scoped kind)",
    );
}

/** The options of a tracker or a multitrack. */
export function checkTrackOptions(options: unknown): void {
  if (options === undefined) return;
  if (!isRecord(options)) throw invalid('options', options, 'an object');
  // A condition (kubectl wait's --for) is checked, and its JSONPath parsed, at the call.
  if (options.until !== undefined && typeof options.until !== 'string')
    conditionCheck(options.until as never);
  else oneOf('options.until', options.until, UNTIL);
  oneOf('options.watchScope', options.watchScope, WATCH_SCOPES);
  milliseconds('options.timeout', options.timeout);
  milliseconds('options.noActivityTimeout', options.noActivityTimeout);
  milliseconds('options.unschedulableGraceMs', options.unschedulableGraceMs);
  milliseconds('options.configGraceMs', options.configGraceMs);
  count('options.failuresAllowedPerReplica', options.failuresAllowedPerReplica);
  count('options.failuresAllowed', options.failuresAllowed);
  count('options.deploymentRevision', options.deploymentRevision);
  const { signal, clock, logs, rules } = options;
  if (signal !== undefined && !(signal instanceof AbortSignal))
    throw invalid('options.signal', signal, 'an AbortSignal');
  if (
    clock !== undefined &&
    !(isRecord(clock) && typeof clock.now === 'function' && typeof clock.after === 'function')
  )
    throw invalid('options.clock', clock, 'a Clock: { now(), after(ms, fn) }');
  if (logs !== undefined && typeof logs !== 'boolean' && !isRecord(logs))
    throw invalid('options.logs', logs, 'true, false, or log options');
  if (isRecord(logs)) checkLogOptions(logs);
  if (rules !== undefined && !Array.isArray(rules))
    throw invalid('options.rules', rules, 'a list of rules (parseRules)');
}

function checkLogOptions(logs: Record<string, unknown>): void {
  for (const key of ['include', 'exclude'] as const)
    if (logs[key] !== undefined && !(logs[key] instanceof RegExp))
      throw invalid(`options.logs.${key}`, logs[key], 'a regular expression');
  count('options.logs.tailLines', logs.tailLines);
  count('options.logs.maxStreams', logs.maxStreams);
  const { since, follow } = logs;
  if (since !== undefined && !(since instanceof Date && !Number.isNaN(since.getTime())))
    milliseconds('options.logs.since', since);
  if (follow !== undefined && typeof follow !== 'boolean')
    throw invalid('options.logs.follow', follow, 'true or false');
}

/** The specs of a multitrack: targets, each with its fail mode and termination mode. */
export function checkSpecs(specs: unknown): void {
  if (!Array.isArray(specs)) throw invalid('specs', specs, 'a list of specs ({ kind, name, … })');
  for (const [index, spec] of specs.entries()) {
    const argument = `specs[${index}]`;
    checkTarget(spec, argument);
    oneOf(`${argument}.failMode`, (spec as Record<string, unknown>).failMode, FAIL_MODES);
    oneOf(
      `${argument}.trackTerminationMode`,
      (spec as Record<string, unknown>).trackTerminationMode,
      TERMINATION_MODES,
    );
    count(
      `${argument}.failuresAllowedPerReplica`,
      (spec as Record<string, unknown>).failuresAllowedPerReplica,
    );
    milliseconds(`${argument}.noActivityTimeout`, (spec as Record<string, unknown>).noActivityTimeout);
  }
}

/** What `specsFromCluster` is asked: a namespace, selectors, kinds, a signal. */
export function checkListOptions(options: unknown): void {
  if (!isRecord(options))
    throw invalid('options', options, 'an object ({ namespace, labelSelector, kinds })');
  for (const key of ['namespace', 'labelSelector', 'fieldSelector'] as const)
    if (options[key] !== undefined && typeof options[key] !== 'string')
      throw invalid(`options.${key}`, options[key], 'a string');
  const { kinds, signal } = options;
  if (
    kinds !== undefined &&
    !(Array.isArray(kinds) && kinds.every((kind) => typeof kind === 'string' && kind !== ''))
  )
    throw invalid('options.kinds', kinds, 'a list of kinds (`deploy`, `Job`)');
  if (signal !== undefined && !(signal instanceof AbortSignal))
    throw invalid('options.signal', signal, 'an AbortSignal');
}

/**
 * Runs the checks; an error they throw is kept for the generator to throw
 * at its first `next()` (a generator's errors come from iterating it).
 */
export function checked(check: () => void): unknown {
  try {
    check();
    return undefined;
  } catch (error) {
    return error;
  }
}

export { failing } from '../kube/cancellable.js';
