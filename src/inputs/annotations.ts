import { parseDuration } from '../kube/duration.js';
import { InvalidInputError } from '../kube/errors.js';
import type { KubeObject } from '../kube/types.js';
import type { LogOptions } from '../track/logs.js';
import type { FailMode } from '../track/outcome.js';

/**
 * The tracking annotations of werf and the Go kubedog, with werf's own
 * values (nelm pkg/resource/metadata.go, kubedog pkg/trackers/rollout/
 * multitrack): `werf.io/KEY` or `kubedog.io/KEY` (which wins). Lower-case
 * spellings of the values (`ignore`, `non-blocking`) are aliases. A value
 * that is not allowed, or a key one letter off a known one, is a warning
 * naming the annotation, the object and the allowed values; an invalid
 * regular expression is an error (exit 64).
 */

const PREFIXES = ['kubedog.io/', 'werf.io/'];

/** werf's and the Go kubedog's fail modes, by their values. */
export const GO_FAIL_MODES: Readonly<Record<string, FailMode>> = {
  FailWholeDeployProcessImmediately: 'fail-whole-deploy',
  IgnoreAndContinueDeployProcess: 'ignore',
  HopeUntilEndOfDeployProcess: 'hope-until-end',
};

/** werf's and the Go kubedog's track termination modes, by their values. */
export const GO_TERMINATION_MODES: Readonly<Record<string, 'wait-until-ready' | 'non-blocking'>> = {
  WaitUntilResourceReady: 'wait-until-ready',
  NonBlocking: 'non-blocking',
};

const FAIL_MODES: Readonly<Record<string, FailMode>> = {
  ...GO_FAIL_MODES,
  'fail-whole-deploy': 'fail-whole-deploy',
  ignore: 'ignore',
  'hope-until-end': 'hope-until-end',
};

const TERMINATION_MODES: Readonly<Record<string, 'wait-until-ready' | 'non-blocking'>> = {
  ...GO_TERMINATION_MODES,
  'wait-until-ready': 'wait-until-ready',
  'non-blocking': 'non-blocking',
};

/** Go's strconv.ParseBool, as werf reads booleans. */
const BOOLEANS: Readonly<Record<string, boolean>> = Object.fromEntries([
  ...['1', 't', 'T', 'TRUE', 'true', 'True'].map((v) => [v, true]),
  ...['0', 'f', 'F', 'FALSE', 'false', 'False'].map((v) => [v, false]),
]);

/** Keys of one value; keys that end in a container name are {@link PER_CONTAINER}. */
const KEYS = [
  'fail-mode',
  'track-termination-mode',
  'failures-allowed-per-replica',
  'no-activity-timeout',
  'skip-logs',
  'show-logs-only-for-containers',
  'skip-logs-for-containers',
  'log-regex',
  'log-regex-skip',
  'show-service-messages',
  'show-logs-only-for-number-of-replicas',
] as const;
const PER_CONTAINER = ['log-regex-for-', 'log-regex-skip-for-', 'ignore-readiness-probe-fails-for-'] as const;

/** What the annotations of an object ask of its track. */
export interface AnnotatedTracking {
  failMode?: FailMode;
  trackTerminationMode?: 'wait-until-ready' | 'non-blocking';
  failuresAllowedPerReplica?: number;
  noActivityTimeout?: number;
  logs?: boolean | LogOptions;
  /** Kubernetes Events of the resource shown (`show-service-messages`). */
  events?: boolean;
  /** Per container: how long its readiness probe may fail, in milliseconds. */
  readinessProbeGraceMs?: Record<string, number>;
  /** What was wrong or is not applied, one line each. */
  warnings: string[];
}

/**
 * Reads the tracking annotations of an object.
 * @throws {InvalidInputError} a log regular expression that does not compile
 */
export function readAnnotations(object: KubeObject): AnnotatedTracking {
  const reader = new AnnotationReader(object);
  const tracking: AnnotatedTracking = { warnings: reader.warnings };
  const set = <K extends keyof AnnotatedTracking>(key: K, value: AnnotatedTracking[K] | undefined) => {
    if (value !== undefined) tracking[key] = value;
  };
  set('failMode', reader.choice('fail-mode', FAIL_MODES));
  set('trackTerminationMode', reader.choice('track-termination-mode', TERMINATION_MODES));
  set('failuresAllowedPerReplica', reader.count('failures-allowed-per-replica'));
  set('noActivityTimeout', reader.duration('no-activity-timeout'));
  set('events', reader.flag('show-service-messages'));
  set('logs', logsOf(reader));
  const grace = reader.perContainer('ignore-readiness-probe-fails-for-', (value, key) =>
    reader.parseDuration(key, value),
  );
  if (Object.keys(grace).length > 0) tracking.readinessProbeGraceMs = grace;
  if (reader.value('show-logs-only-for-number-of-replicas') !== undefined)
    reader.warn(
      'show-logs-only-for-number-of-replicas',
      'is not applied: the logs of every replica are shown',
    );
  reader.misspelt();
  return tracking;
}

function logsOf(reader: AnnotationReader): boolean | LogOptions | undefined {
  if (reader.flag('skip-logs') === true) return false;
  const logs: LogOptions = {};
  const only = reader.list('show-logs-only-for-containers');
  if (only) logs.containers = only;
  const skip = reader.list('skip-logs-for-containers');
  if (skip) logs.excludeContainers = skip;
  const include = reader.regex('log-regex');
  if (include) logs.include = include;
  const exclude = reader.regex('log-regex-skip');
  if (exclude) logs.exclude = exclude;
  const includeFor = reader.perContainer('log-regex-for-', (value, key) => reader.compile(key, value));
  if (Object.keys(includeFor).length > 0) logs.includeFor = includeFor;
  const excludeFor = reader.perContainer('log-regex-skip-for-', (value, key) => reader.compile(key, value));
  if (Object.keys(excludeFor).length > 0) logs.excludeFor = excludeFor;
  return Object.keys(logs).length > 0 ? logs : undefined;
}

/** The annotations of one object: values by key, and what was wrong with them. */
class AnnotationReader {
  readonly warnings: string[] = [];
  readonly #object: KubeObject;
  readonly #annotations: Readonly<Record<string, string>>;

  constructor(object: KubeObject) {
    this.#object = object;
    this.#annotations = object.metadata.annotations ?? {};
  }

  /** The annotation's full key as the object spells it, and its value. */
  #find(key: string): { full: string; value: string } | undefined {
    for (const prefix of PREFIXES) {
      const value = this.#annotations[`${prefix}${key}`];
      if (value !== undefined) return { full: `${prefix}${key}`, value };
    }
    return undefined;
  }

  value(key: string): string | undefined {
    return this.#find(key)?.value;
  }

  warn(key: string, what: string): void {
    const full = this.#find(key)?.full ?? `werf.io/${key}`;
    this.warnings.push(`${this.#where()}: annotation ${full} ${what}`);
  }

  #where(): string {
    const kind = (this.#object.kind ?? 'object').toLowerCase();
    const namespace = this.#object.metadata.namespace;
    return `${kind}/${this.#object.metadata.name ?? ''}${namespace ? ` in ${namespace}` : ''}`;
  }

  choice<T>(key: string, allowed: Readonly<Record<string, T>>): T | undefined {
    const value = this.value(key);
    if (value === undefined) return undefined;
    const chosen = allowed[value];
    if (chosen === undefined)
      this.warn(key, `is "${value}", not one of ${Object.keys(allowed).join(', ')}: ignored`);
    return chosen;
  }

  count(key: string): number | undefined {
    const value = this.value(key);
    if (value === undefined) return undefined;
    if (/^\d+$/.test(value.trim())) return Number(value.trim());
    this.warn(key, `is "${value}", not a whole number of 0 or more: ignored`);
    return undefined;
  }

  duration(key: string): number | undefined {
    const value = this.value(key);
    return value === undefined ? undefined : this.parseDuration(key, value);
  }

  parseDuration(key: string, value: string): number | undefined {
    try {
      return parseDuration(value);
    } catch {
      this.warn(key, `is "${value}", not a duration (like 90s, 8m30s or 1h; bare seconds too): ignored`);
      return undefined;
    }
  }

  flag(key: string): boolean | undefined {
    const value = this.value(key);
    if (value === undefined) return undefined;
    const flag = BOOLEANS[value.trim()];
    if (flag === undefined) this.warn(key, `is "${value}", not true or false: ignored`);
    return flag;
  }

  list(key: string): string[] | undefined {
    const value = this.value(key);
    if (value === undefined) return undefined;
    const items = value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
    return items.length > 0 ? items : undefined;
  }

  regex(key: string): RegExp | undefined {
    const value = this.value(key);
    return value === undefined ? undefined : this.compile(key, value);
  }

  compile(key: string, value: string): RegExp {
    try {
      return new RegExp(value);
    } catch (error) {
      const why = whyNotRegExp(error);
      const full = this.#find(key)?.full ?? key;
      throw new InvalidInputError(
        `${this.#where()}: annotation ${full}: invalid regular expression "${value}": ${why}`,
        value,
      );
    }
  }

  /** The annotations `PREFIX<container>`, by container. */
  perContainer<T>(prefix: string, parse: (value: string, key: string) => T | undefined): Record<string, T> {
    const found: Record<string, T> = {};
    for (const [full, value] of Object.entries(this.#annotations)) {
      const key = PREFIXES.reduce((k, p) => (k.startsWith(p) ? k.slice(p.length) : k), full);
      if (key === full || !key.startsWith(prefix) || key.length === prefix.length) continue;
      const parsed = parse(value, key);
      if (parsed !== undefined) found[key.slice(prefix.length)] = parsed;
    }
    return found;
  }

  /** Warns of keys one or two letters off a known one (`fail-mod`, `werf.io/skiplogs`). */
  misspelt(): void {
    for (const full of Object.keys(this.#annotations)) {
      const prefix = PREFIXES.find((p) => full.startsWith(p));
      if (!prefix) continue;
      const key = full.slice(prefix.length);
      if ((KEYS as readonly string[]).includes(key) || PER_CONTAINER.some((p) => key.startsWith(p))) continue;
      const near = KEYS.find((known) => editDistance(key, known) <= 2);
      if (near)
        this.warnings.push(
          `${this.#where()}: annotation ${full} is not known: did you mean ${prefix}${near}?`,
        );
    }
  }
}

/** Why a pattern does not compile, without the pattern again (`Unterminated group`). */
export function whyNotRegExp(error: unknown): string {
  return (error as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '');
}

/** Levenshtein distance, for keys of a few dozen letters. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (row[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    previous = row;
  }
  return previous[b.length] ?? 0;
}
