import { parseDuration } from '../kube/duration.js';
import { expectText, InvalidInputError } from '../kube/errors.js';
import type { LogOptions } from '../track/logs.js';
import type { MultitrackSpec } from '../track/multitrack.js';
import { yaml } from '../vendor/yaml.js';
import { GO_FAIL_MODES, GO_TERMINATION_MODES, whyNotRegExp } from './annotations.js';

/**
 * The Go kubedog's `MultitrackSpecs` JSON (pkg/trackers/rollout/multitrack,
 * what `kubedog multitrack` reads from stdin): `Deployments`,
 * `StatefulSets`, `DaemonSets`, `Jobs`, `Canaries` (Flagger) and `Generics`.
 * Field names match case-insensitively, as Go's encoding/json does; unlike
 * it, a field that is not one of the spec's is an error, not ignored.
 */

type Json = Record<string, unknown>;

const LISTS: Readonly<Record<string, string>> = {
  Deployments: 'Deployment',
  StatefulSets: 'StatefulSet',
  DaemonSets: 'DaemonSet',
  Jobs: 'Job',
  Canaries: 'Canary.flagger.app',
};

const SPEC_FIELDS = [
  'ResourceName',
  'Namespace',
  'TrackTerminationMode',
  'FailMode',
  'AllowFailuresCount',
  'FailureThresholdSeconds',
  'IgnoreReadinessProbeFailsByContainerName',
  'LogRegex',
  'LogRegexByContainerName',
  'SkipLogs',
  'SkipLogsForContainers',
  'ShowLogsOnlyForContainers',
  'ShowServiceMessages',
] as const;

const GENERIC_FIELDS = [
  'Name',
  'Namespace',
  'GroupVersionKind',
  'Timeout',
  'NoActivityTimeout',
  'TrackTerminationMode',
  'FailMode',
  'AllowFailuresCount',
  'ShowServiceMessages',
  'HideEvents',
  'StatusProgressPeriod',
] as const;

/**
 * Reads a `MultitrackSpecs` document into multitrack specs, with the Go
 * kubedog's defaults: `FailWholeDeployProcessImmediately`,
 * `WaitUntilResourceReady`, one failure allowed (none for Canaries), no
 * Kubernetes Events unless `ShowServiceMessages`. `source` names the text
 * in errors.
 * @throws {InvalidInputError} malformed JSON (with its line and column), an unknown field, a value of the wrong type
 * @example
 * import { parseMultitrackSpecs } from 'kubedog';
 *
 * const specs = parseMultitrackSpecs('{"Deployments":[{"ResourceName":"web","FailMode":"IgnoreAndContinueDeployProcess"}]}', 'stdin');
 * console.log(specs[0]?.failMode);
 * // prints: ignore
 */
export function parseMultitrackSpecs(text: string, source: string): MultitrackSpec[] {
  // Named in every message: a name that is not text is none.
  source = typeof source === 'string' ? source : '(unnamed)';
  expectText(text, `multitrack specs ${source}`);
  const root = parseJson(text, source);
  const reader = new SpecReader(source);
  const top = reader.object(root, 'MultitrackSpecs', [...Object.keys(LISTS), 'Generics']);
  const specs: MultitrackSpec[] = [];
  for (const [list, kind] of Object.entries(LISTS))
    for (const [index, item] of reader.array(top[list], list).entries())
      specs.push(reader.spec(item, `${list}[${index}]`, kind));
  for (const [index, item] of reader.array(top.Generics, 'Generics').entries())
    specs.push(reader.generic(item, `Generics[${index}]`));
  return specs;
}

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const why = message.replace(/ in JSON at position \d+.*$/, '').replace(/, ".*" is not valid JSON$/s, '');
    const at = jsonErrorAt(text, message);
    throw new InvalidInputError(
      `invalid MultitrackSpecs JSON from ${source}: ${at ? `line ${at.line}, column ${at.col}: ` : ''}${why}`,
      source,
    );
  }
}

/** Where JSON.parse stopped: its "at position N", or (V8 does not always say) where a YAML reading of the text stops. */
function jsonErrorAt(text: string, message: string): { line: number; col: number } | undefined {
  const position = /at position (\d+)/.exec(message)?.[1];
  if (position === undefined) return yaml().parseDocument(text).errors[0]?.linePos?.[0];
  const before = text.slice(0, Number(position)).split('\n');
  return { line: before.length, col: (before.at(-1)?.length ?? 0) + 1 };
}

/** Reads the parts of a document, every error naming where in it. */
class SpecReader {
  readonly #source: string;

  constructor(source: string) {
    this.#source = source;
  }

  fail(where: string, why: string): never {
    throw new InvalidInputError(`MultitrackSpecs from ${this.#source}: ${where}: ${why}`, this.#source);
  }

  /** An object's fields by their canonical names (matched ignoring case, as Go does). */
  object(value: unknown, where: string, fields: readonly string[]): Json {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      this.fail(where, 'expected an object');
    const out: Json = {};
    for (const [key, field] of Object.entries(value)) {
      const name = fields.find((f) => f === key) ?? fields.find((f) => f.toLowerCase() === key.toLowerCase());
      if (!name) this.fail(`${where}.${key}`, `unknown field (known: ${fields.join(', ')})`);
      out[name] = field;
    }
    return out;
  }

  array(value: unknown, where: string): unknown[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) this.fail(where, 'expected a list');
    return value;
  }

  string(value: unknown, where: string): string | undefined {
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value !== 'string') this.fail(where, 'expected a string');
    return value;
  }

  count(value: unknown, where: string): number | undefined {
    if (value === undefined || value === null) return undefined;
    if (!Number.isInteger(value) || (value as number) < 0)
      this.fail(where, 'expected a whole number of 0 or more');
    return value as number;
  }

  flag(value: unknown, where: string): boolean {
    if (value === undefined || value === null) return false;
    if (typeof value !== 'boolean') this.fail(where, 'expected true or false');
    return value;
  }

  strings(value: unknown, where: string): string[] | undefined {
    const list = this.array(value, where);
    return list.length > 0 ? list.map((item, i) => this.string(item, `${where}[${i}]`) ?? '') : undefined;
  }

  choice<T>(value: unknown, where: string, allowed: Readonly<Record<string, T>>): T | undefined {
    const text = this.string(value, where);
    if (text === undefined) return undefined;
    const chosen = allowed[text];
    if (chosen === undefined) this.fail(where, `"${text}" is not one of ${Object.keys(allowed).join(', ')}`);
    return chosen;
  }

  regex(value: unknown, where: string): RegExp | undefined {
    const text = this.string(value, where);
    if (text === undefined) return undefined;
    try {
      return new RegExp(text);
    } catch (error) {
      this.fail(where, `invalid regular expression "${text}": ${whyNotRegExp(error)}`);
    }
  }

  /** A Go time.Duration: nanoseconds as JSON writes it, or a duration text (`90s`); in milliseconds. */
  duration(value: unknown, where: string): number | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value / 1e6;
    if (typeof value === 'string') {
      try {
        return parseDuration(value);
      } catch {}
    }
    this.fail(where, 'expected a duration: nanoseconds, or a text like "90s"');
  }

  /** An object of container names to values. */
  byContainer<T>(value: unknown, where: string, parse: (item: unknown, where: string) => T | undefined) {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object' || Array.isArray(value))
      this.fail(where, 'expected an object of container names');
    const out: Record<string, T> = {};
    for (const [container, item] of Object.entries(value)) {
      const parsed = parse(item, `${where}.${container}`);
      if (parsed !== undefined) out[container] = parsed;
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }

  spec(value: unknown, where: string, kind: string): MultitrackSpec {
    const s = this.object(value, where, SPEC_FIELDS);
    const name = this.string(s.ResourceName, `${where}.ResourceName`) ?? this.fail(where, 'no ResourceName');
    const spec: MultitrackSpec = { kind, name, ...this.#modes(s, where) };
    const namespace = this.string(s.Namespace, `${where}.Namespace`);
    if (namespace) spec.namespace = namespace;
    spec.failuresAllowed =
      this.count(s.AllowFailuresCount, `${where}.AllowFailuresCount`) ?? (kind.startsWith('Canary') ? 0 : 1);
    const grace = this.byContainer(
      s.IgnoreReadinessProbeFailsByContainerName,
      `${where}.IgnoreReadinessProbeFailsByContainerName`,
      (v, w) => this.duration(v, w),
    );
    if (grace) spec.readinessProbeGraceMs = grace;
    spec.logs = this.#logs(s, where);
    spec.events = this.flag(s.ShowServiceMessages, `${where}.ShowServiceMessages`);
    if (this.count(s.FailureThresholdSeconds, `${where}.FailureThresholdSeconds`) !== undefined)
      spec.warnings = [
        `${where}.FailureThresholdSeconds is not applied: failures count by the allowance and grace windows`,
      ];
    return spec;
  }

  #modes(s: Json, where: string): Pick<MultitrackSpec, 'failMode' | 'trackTerminationMode'> {
    const failMode = this.choice(s.FailMode, `${where}.FailMode`, GO_FAIL_MODES);
    const termination = this.choice(
      s.TrackTerminationMode,
      `${where}.TrackTerminationMode`,
      GO_TERMINATION_MODES,
    );
    return {
      ...(failMode ? { failMode } : {}),
      ...(termination ? { trackTerminationMode: termination } : {}),
    };
  }

  #logs(s: Json, where: string): boolean | LogOptions {
    if (this.flag(s.SkipLogs, `${where}.SkipLogs`)) return false;
    const logs: LogOptions = {};
    const include = this.regex(s.LogRegex, `${where}.LogRegex`);
    if (include) logs.include = include;
    const includeFor = this.byContainer(
      s.LogRegexByContainerName,
      `${where}.LogRegexByContainerName`,
      (v, w) => this.regex(v, w),
    );
    if (includeFor) logs.includeFor = includeFor;
    const skip = this.strings(s.SkipLogsForContainers, `${where}.SkipLogsForContainers`);
    if (skip) logs.excludeContainers = skip;
    const only = this.strings(s.ShowLogsOnlyForContainers, `${where}.ShowLogsOnlyForContainers`);
    if (only) logs.containers = only;
    return logs;
  }

  generic(value: unknown, where: string): MultitrackSpec {
    const s = this.object(value, where, GENERIC_FIELDS);
    const gvk = this.object(s.GroupVersionKind ?? {}, `${where}.GroupVersionKind`, [
      'Group',
      'Version',
      'Kind',
    ]);
    const kind =
      this.string(gvk.Kind, `${where}.GroupVersionKind.Kind`) ?? this.fail(where, 'no GroupVersionKind.Kind');
    const group = this.string(gvk.Group, `${where}.GroupVersionKind.Group`);
    const name = this.string(s.Name, `${where}.Name`) ?? this.fail(where, 'no Name');
    const spec: MultitrackSpec = { kind: group ? `${kind}.${group}` : kind, name, ...this.#modes(s, where) };
    const namespace = this.string(s.Namespace, `${where}.Namespace`);
    if (namespace) spec.namespace = namespace;
    const allowed = this.count(s.AllowFailuresCount, `${where}.AllowFailuresCount`);
    if (allowed !== undefined) spec.failuresAllowed = allowed;
    const idle = this.duration(s.NoActivityTimeout, `${where}.NoActivityTimeout`);
    if (idle !== undefined) spec.noActivityTimeout = idle;
    spec.events = !this.flag(s.HideEvents, `${where}.HideEvents`);
    // Checked only: a generic spec shows its Events unless HideEvents (the Go generic tracker).
    this.flag(s.ShowServiceMessages, `${where}.ShowServiceMessages`);
    const ignored = (['Timeout', 'StatusProgressPeriod'] as const).filter(
      (f) => this.duration(s[f], `${where}.${f}`) !== undefined,
    );
    if (ignored.length > 0)
      spec.warnings = ignored.map(
        (f) => `${where}.${f} is not applied: the command's --timeout and --status-every are`,
      );
    return spec;
  }
}
