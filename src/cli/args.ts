import { parseArgs } from 'node:util';
import type { HelmStorage } from '../helm-record/codec.js';
import { parseDuration } from '../kube/duration.js';
import { InvalidInputError } from '../kube/errors.js';
import { DEFAULT_RATE_LIMIT } from '../kube/rate-limit.js';
import { type CiSystem, detectCi } from '../report/ci.js';
import { conditionCheck, type WaitCondition } from '../status/wait-condition.js';
import type { ContainerState } from '../track/model/log-plan.js';
import type { MultitrackSpec } from '../track/multitrack.js';
import type { FailMode } from '../track/outcome.js';
import type { WatchScope } from '../track/scope.js';
import { logFlags } from './log-flags.js';
import type { TimestampFormat } from './render/timestamps.js';

/** Every flag of every command (one table: kubectl takes global flags anywhere). */
export const OPTIONS = {
  namespace: { type: 'string', short: 'n' },
  context: { type: 'string' },
  kubeconfig: { type: 'string' },
  'all-namespaces': { type: 'boolean', short: 'A' },
  filename: { type: 'string', short: 'f', multiple: true },
  selector: { type: 'string', short: 'l' },
  'field-selector': { type: 'string' },
  all: { type: 'boolean' },
  'helm-release': { type: 'string' },
  'helm-revision': { type: 'string' },
  'helm-storage': { type: 'string' },
  'helm-tests': { type: 'boolean' },
  'no-helm-hooks': { type: 'boolean' },
  timeout: { type: 'string', short: 't' },
  for: { type: 'string', multiple: true },
  // kubectl rollout status' own (--watch=false is read as --no-watch: goBooleans).
  watch: { type: 'boolean', short: 'w' },
  'no-watch': { type: 'boolean' },
  revision: { type: 'string' },
  strict: { type: 'boolean' },
  'logs-since': { type: 'string' },
  'no-logs': { type: 'boolean' },
  'no-follow': { type: 'boolean' },
  'raw-logs': { type: 'boolean' },
  container: { type: 'string', short: 'c', multiple: true },
  'exclude-container': { type: 'string', short: 'E', multiple: true },
  // stern's log selection.
  include: { type: 'string', short: 'i', multiple: true },
  exclude: { type: 'string', short: 'e', multiple: true },
  highlight: { type: 'string', short: 'H', multiple: true },
  tail: { type: 'string' },
  timestamps: { type: 'boolean' },
  'max-log-requests': { type: 'string' },
  'container-state': { type: 'string', multiple: true },
  'exclude-pod': { type: 'string', multiple: true },
  node: { type: 'string' },
  'timestamp-format': { type: 'string' },
  timezone: { type: 'string' },
  since: { type: 'string' },
  output: { type: 'string', short: 'o' },
  'status-every': { type: 'string' },
  'no-color': { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  'fail-mode': { type: 'string' },
  'failures-allowed-per-replica': { type: 'string' },
  'no-activity-timeout': { type: 'string' },
  rules: { type: 'string' },
  record: { type: 'string' },
  'request-timeout': { type: 'string' },
  'kube-api-qps': { type: 'string' },
  'kube-api-burst': { type: 'string' },
  'watch-scope': { type: 'string' },
  debug: { type: 'boolean' },
  // The Go kubedog's spellings (withGoAliases).
  'kube-context': { type: 'string' },
  'kube-config': { type: 'string' },
  'kube-config-base64': { type: 'string' },
  'status-progress-period': { type: 'string' },
  'output-prefix': { type: 'string' },
  ci: { type: 'string' },
  junit: { type: 'string' },
  timeline: { type: 'boolean' },
  report: { type: 'string' },
  'terminal-width': { type: 'string' },
  interactive: { type: 'boolean' },
  clipboard: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

export type ParsedValues = ReturnType<typeof parseCommandLine>['values'];

/**
 * `--status-progress-period -1`, `-t -1` (the Go kubedog's "off" and
 * "never"): a negative number after a flag that takes a value is its value,
 * as Go's flag parsing reads it (parseArgs would take it for a flag).
 */
function negativeValues(argv: string[]): string[] {
  const takesValue = (arg: string) =>
    Object.entries(OPTIONS).some(
      ([name, o]) => o.type === 'string' && (arg === `--${name}` || ('short' in o && arg === `-${o.short}`)),
    );
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const next = argv[i + 1];
    if (next !== undefined && /^-\d+$/.test(next) && takesValue(arg)) {
      // `--flag=-1`, `-t-1`: the value attached, as parseArgs takes it.
      out.push(arg.startsWith('--') ? `${arg}=${next}` : `${arg}${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

/** stern's `--timestamps=short`: a flag that may take a value, as `--timestamps --timestamp-format short`. */
const optionalValues = (argv: string[]) =>
  argv.flatMap((arg) =>
    arg.startsWith('--timestamps=') ? ['--timestamps', `--timestamp-format=${arg.slice(13)}`] : [arg],
  );

/** Go's boolean flag values (strconv.ParseBool). */
const GO_BOOLEANS: Record<string, boolean> = Object.fromEntries([
  ...['1', 't', 'T', 'TRUE', 'true', 'True'].map((v) => [v, true]),
  ...['0', 'f', 'F', 'FALSE', 'false', 'False'].map((v) => [v, false]),
]);

/** kubectl's `--watch=false` (`-w=false`): a boolean flag given a value, as Go's flag parsing takes it. */
const goBooleans = (argv: string[]) =>
  argv.map((arg) => {
    const given = /^(?:--watch|-w)=(.*)$/s.exec(arg)?.[1];
    if (given === undefined) return arg;
    const value = GO_BOOLEANS[given];
    if (value === undefined) throw new InvalidInputError(`--watch: "${given}" is not true or false`, 'watch');
    return value ? '--watch' : '--no-watch';
  });

/** Parses the command line; a bad flag is an {@link InvalidInputError} with parseArgs' first sentence. */
export function parseCommandLine(argv: string[]) {
  const args = negativeValues(optionalValues(goBooleans(argv)));
  try {
    return parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    // "Unknown option '--x'. To specify a positional argument …": the first sentence says it.
    const message = (error as Error).message.split('\n')[0]?.split('. ')[0] ?? String(error);
    throw new InvalidInputError(message, 'command line');
  }
}

/**
 * The Go kubedog's flags and variables as kubedog's: `--kube-context` and
 * `KUBEDOG_KUBE_CONTEXT` (`--context`), `--kube-config` and
 * `KUBEDOG_KUBE_CONFIG` (`--kubeconfig`), `KUBEDOG_KUBE_CONFIG_BASE64`
 * (`--kube-config-base64`), `--status-progress-period SECONDS` (-1: off;
 * `--status-every`), `KUBEDOG_NO_COLOR` (`--no-color`), `KUBEDOG_TERMINAL_WIDTH`
 * (`--terminal-width`). kubedog's own flag wins.
 */
export function withGoAliases(values: ParsedValues, env: NodeJS.ProcessEnv): ParsedValues {
  const out = { ...values };
  const set = (value: string | undefined) => (value === '' ? undefined : value);
  out.context ??= set(values['kube-context']) ?? set(env.KUBEDOG_KUBE_CONTEXT);
  out.kubeconfig ??= set(values['kube-config']) ?? set(env.KUBEDOG_KUBE_CONFIG);
  out['kube-config-base64'] ??= set(env.KUBEDOG_KUBE_CONFIG_BASE64);
  const period = values['status-progress-period'];
  if (period !== undefined && out['status-every'] === undefined) {
    if (!/^-?\d+$/.test(period))
      throw new InvalidInputError(
        `--status-progress-period: "${period}" is not a number of seconds (-1: off)`,
        'status-progress-period',
      );
    if (Number(period) > 0) out['status-every'] = period;
  }
  // -t -1: the Go kubedog's "wait for ever".
  if (values.timeout === '-1') out.timeout = '0';
  if (envFlag(env.KUBEDOG_NO_COLOR)) out['no-color'] = true;
  out['terminal-width'] ??= set(env.KUBEDOG_TERMINAL_WIDTH);
  return out;
}

/** A yes/no environment variable: set, and not empty, "0" or "false". */
export function envFlag(value: string | undefined): boolean {
  return value !== undefined && !['', '0', 'false'].includes(value);
}

/** A resource named on the command line. */
export interface NamedTarget {
  kind: string;
  name: string;
}

/**
 * `KIND NAME [NAME…]` or `KIND/NAME [KIND/NAME…]`, as kubectl takes them.
 */
export function parseTargets(words: string[], command: string): NamedTarget[] {
  if (words.length === 0) return [];
  const [first, ...rest] = words as [string, ...string[]];
  if (first.includes('/')) {
    return words.map((word) => {
      const slash = word.indexOf('/');
      const kind = word.slice(0, slash);
      const name = word.slice(slash + 1);
      if (slash === -1 || !kind || !name || name.includes('/'))
        throw new InvalidInputError(
          `${command}: "${word}" is not KIND/NAME (give every resource as KIND/NAME, or KIND NAME…)`,
          word,
        );
      return { kind, name };
    });
  }
  if (rest.length === 0)
    throw new InvalidInputError(
      `${command}: missing NAME after "${first}" (usage: ${command} KIND NAME)`,
      first,
    );
  const slashed = rest.find((word) => word.includes('/'));
  if (slashed)
    throw new InvalidInputError(
      `${command}: "${slashed}": there is no need to give a kind as a separate argument when passing KIND/NAME`,
      slashed,
    );
  return rest.map((name) => ({ kind: first, name }));
}

/** What `wait --for` takes (kubectl's `delete` and `create`; `ready` is a rollout's readiness). */
export const WAIT_FOR = { delete: 'deleted', create: 'exists', ready: 'ready' } as const;

/** The `--for` word of each `until`. */
const WAIT_WORD = { deleted: 'delete', exists: 'create', ready: 'ready' } as const;

/** What `rollout track`, `follow` and `wait` were asked to do, validated. */
export interface TrackArgs {
  /** `status`: `rollout status`, kubectl's spelling of a rollout track (its flags, no timeout by default). */
  mode: 'rollout' | 'status' | 'follow' | 'wait';
  /** What the track waits for (`wait --for`; `ready` for `rollout track`, `never` for `follow`, `once` with `--no-follow` or `rollout status --watch=false`). */
  until: 'ready' | 'never' | 'deleted' | 'exists' | 'once';
  /** `wait --for=condition=…` or `--for=jsonpath=…` (several: met in their order): what ends the wait instead of readiness (`--strict`: nothing else). */
  condition?: WaitCondition | WaitCondition[];
  /** `rollout status --revision N`: Deployments are judged at this revision only. */
  deploymentRevision?: number;
  /** `wait --for=create`, alone or with conditions: with `KIND -l`/`--all`, the wait starts when something matches. */
  create?: true;
  targets: NamedTarget[];
  files: string[];
  selector?: string;
  /** With `-l` or `--all`: only what matches this field selector (kubectl's `--field-selector`). */
  fieldSelector?: string;
  /** `KIND -l SELECTOR`, `KIND --all` (kubectl's `wait pod -l app=web`): these kinds, not the trackable ones. */
  kinds?: string[];
  all: boolean;
  helmRelease?: string;
  /** How `--helm-release` is read and tracked. */
  helm: HelmFlags;
  namespace?: string;
  context?: string;
  kubeconfig?: string;
  allNamespaces: boolean;
  timeout?: number;
  logsSince?: number | Date;
  logs: boolean;
  /** Log lines as the containers wrote them, escape sequences included (their colours). */
  rawLogs: boolean;
  /** `-c`: container names or patterns, matched whole. */
  containers: RegExp[];
  excludeContainers: RegExp[];
  /** stern's `--include`, `--exclude`, `--highlight`: lines that match any of them. */
  include?: RegExp;
  exclude?: RegExp;
  highlight?: RegExp;
  /** Only the last N lines of each container (stern's and kubectl's `--tail`). */
  tail?: number;
  /** stern's stream choices: at most this many log streams at once; only these states, nodes, pods. */
  maxLogRequests?: number;
  containerStates?: ContainerState[];
  excludePods?: RegExp[];
  node?: string;
  /** Put each log line's time before it (stern's `--timestamps[=short]`, in `--timezone`). */
  timestamps?: { format: TimestampFormat; zone?: string };
  output: 'text' | 'json';
  statusEvery?: number;
  noColor: boolean;
  quiet: boolean;
  failMode?: FailMode;
  failuresAllowedPerReplica?: number;
  noActivityTimeout?: number;
  rules?: string;
  record?: string;
  /** Milliseconds an API request that is not a stream may take (0: no limit). */
  requestTimeout?: number;
  /** Requests a second to the API server, and how many may go at once (`--kube-api-qps`, `--kube-api-burst`). */
  rateLimit?: { qps: number; burst: number };
  /** What the watches ask the server for (`--watch-scope`). */
  watchScope?: WatchScope;
  /** Print one line per API request on stderr (never a header, body or credential). */
  debug: boolean;
  /** Specs given whole (`kubedog multitrack`'s MultitrackSpecs). */
  specs: MultitrackSpec[];
  /** A kubeconfig given whole, base64-encoded (the Go kubedog's `--kube-config-base64`). */
  kubeconfigBase64?: string;
  /** Put before every line of text output (the Go kubedog's `--output-prefix`). */
  outputPrefix?: string;
  /** The width the status table is drawn for (`--terminal-width`, `KUBEDOG_TERMINAL_WIDTH`). */
  terminalWidth?: number;
  /** The CI system spoken to (`--ci`, else detected from the environment). */
  ci?: CiSystem;
  /** Write a JUnit XML report here (`--junit`). */
  junit?: string;
  /** Write the Markdown report here (`--report`). */
  report?: string;
  /** Draw the rollout timeline at the end of the text output (`--timeline`). */
  timeline: boolean;
  /** A full-screen view with panes for status, events and logs (`--interactive`). */
  interactive: boolean;
  /** In the view, `c` copies to the terminal's clipboard with OSC 52 (`--clipboard`). */
  clipboard: boolean;
}

/** `--helm-revision`, `--helm-storage` (else `HELM_DRIVER`), `--helm-tests`, `--no-helm-hooks`. */
export interface HelmFlags {
  revision?: number | 'next';
  storage: HelmStorage;
  hooks: boolean;
  tests: boolean;
}

/** Helm's `HELM_DRIVER` values that name storage in the cluster, and kubedog's names for them. */
const HELM_STORAGES: Record<string, HelmStorage> = {
  '': 'secret',
  secret: 'secret',
  secrets: 'secret',
  configmap: 'configmap',
  configmaps: 'configmap',
};

const HELM_ONLY = ['helm-revision', 'helm-storage', 'helm-tests', 'no-helm-hooks'] as const;

function helmFlags(values: ParsedValues, env: NodeJS.ProcessEnv, command: string): HelmFlags {
  if (values['helm-release'] === undefined) {
    const stray = HELM_ONLY.find((flag) => values[flag] !== undefined);
    if (stray) throw new InvalidInputError(`${command}: --${stray} works with --helm-release`, stray);
    return { storage: 'secret', hooks: true, tests: false };
  }
  const given = values['helm-storage'];
  const storage = HELM_STORAGES[(given ?? env.HELM_DRIVER ?? '').toLowerCase()];
  if (!storage)
    throw new InvalidInputError(
      `${given !== undefined ? '--helm-storage' : 'HELM_DRIVER'}: "${given ?? env.HELM_DRIVER}" is not one of secret, configmap (kubedog reads the releases Helm keeps in the cluster)`,
      'helm-storage',
    );
  const revision = values['helm-revision'];
  if (revision !== undefined && revision !== 'next' && !/^[1-9]\d*$/.test(revision))
    throw new InvalidInputError(
      `--helm-revision: "${revision}" is not a revision number or next`,
      'helm-revision',
    );
  return {
    storage,
    hooks: values['no-helm-hooks'] !== true,
    tests: values['helm-tests'] ?? false,
    ...(revision !== undefined
      ? { revision: revision === 'next' ? ('next' as const) : Number(revision) }
      : {}),
  };
}

const FAIL_MODES: readonly FailMode[] = ['fail-whole-deploy', 'ignore', 'hope-until-end'];

const duration = (flag: string, text: string | undefined) => {
  if (text === undefined) return undefined;
  try {
    return parseDuration(text);
  } catch (error) {
    throw new InvalidInputError(`--${flag}: ${(error as Error).message}`, flag);
  }
};

const COMMANDS = {
  rollout: 'kubedog rollout track',
  status: 'kubedog rollout status',
  follow: 'kubedog follow',
  wait: 'kubedog wait',
} as const;

/**
 * Default timeouts: `rollout track` 5m (kubectl rollout status in CI),
 * `wait` 30s (kubectl wait's), `follow` and `rollout status` none (kubectl's).
 */
const DEFAULT_TIMEOUT = { rollout: '5m', status: undefined, wait: '30s', follow: undefined } as const;

/** Turns parsed flags into {@link TrackArgs}; every bad value names its flag. `env`: where CI is detected. */
export function trackArgs(
  mode: TrackArgs['mode'],
  values: ParsedValues,
  words: string[],
  specs: MultitrackSpec[] = [],
  env: NodeJS.ProcessEnv = {},
): TrackArgs {
  const command = COMMANDS[mode];
  const output = oneOf('output', values.output ?? 'text', ['text', 'json'] as const);
  const args: TrackArgs = {
    mode,
    ...waitOf(mode, values.for, values.strict === true, onceAsked(mode, values)),
    ...rolloutStatusFlags(mode, values),
    ...targetsOf(words, values, command),
    files: values.filename ?? [],
    all: values.all ?? false,
    allNamespaces: values['all-namespaces'] ?? false,
    output,
    noColor: values['no-color'] ?? false,
    quiet: values.quiet ?? false,
    timeline: values.timeline ?? false,
    interactive: values.interactive ?? false,
    clipboard: values.clipboard ?? false,
    debug: values.debug ?? false,
    specs,
    helm: helmFlags(values, env, command),
    ...logFlags(values),
    ...verdictFlags(values),
    ...(values.selector !== undefined ? { selector: values.selector } : {}),
    ...(values['field-selector'] !== undefined ? { fieldSelector: values['field-selector'] } : {}),
    ...(values['helm-release'] !== undefined ? { helmRelease: values['helm-release'] } : {}),
    ...(values.namespace !== undefined ? { namespace: values.namespace } : {}),
    ...(values.context !== undefined ? { context: values.context } : {}),
    ...(values.kubeconfig !== undefined ? { kubeconfig: values.kubeconfig } : {}),
    ...(values['kube-config-base64'] !== undefined ? { kubeconfigBase64: values['kube-config-base64'] } : {}),
    ...(values.rules !== undefined ? { rules: values.rules } : {}),
    ...(values.record !== undefined ? { record: values.record } : {}),
  };
  Object.assign(args, outputFlags(values), ciFlags(values, env));
  const timeout = duration('timeout', values.timeout ?? DEFAULT_TIMEOUT[mode]);
  if (timeout !== undefined && timeout > 0) args.timeout = timeout;
  const statusEvery = duration('status-every', values['status-every']);
  if (statusEvery !== undefined) args.statusEvery = statusEvery;
  const requestTimeout = duration('request-timeout', values['request-timeout']);
  if (requestTimeout !== undefined) args.requestTimeout = requestTimeout;
  const watchScope = values['watch-scope'];
  if (watchScope !== undefined) args.watchScope = oneOf('watch-scope', watchScope, WATCH_SCOPES);
  const rateLimit = rateLimitFlags(values);
  if (rateLimit) args.rateLimit = rateLimit;
  checkTogether(args, command);
  return args;
}

const WATCH_SCOPES = ['auto', 'resource', 'namespace'] as const;

/** `--kube-api-qps N` and `--kube-api-burst N`: positive numbers; either alone keeps the other's default. */
function rateLimitFlags(values: ParsedValues): TrackArgs['rateLimit'] {
  const number = (flag: 'kube-api-qps' | 'kube-api-burst', fallback: number) => {
    const text = values[flag];
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!/^\d+(\.\d+)?$/.test(text) || value <= 0)
      throw new InvalidInputError(`--${flag}: "${text}" is not a positive number of requests`, flag);
    return value;
  };
  if (values['kube-api-qps'] === undefined && values['kube-api-burst'] === undefined) return undefined;
  return {
    qps: number('kube-api-qps', DEFAULT_RATE_LIMIT.qps),
    burst: number('kube-api-burst', DEFAULT_RATE_LIMIT.burst),
  };
}

/** A flag's value among the allowed ones, else a usage error that names them. */
function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!allowed.includes(value as T))
    throw new InvalidInputError(`--${flag}: "${value}" is not one of ${allowed.join(', ')}`, flag);
  return value as T;
}

const CI_SYSTEMS = ['github', 'gitlab', 'none'] as const;

/** `--ci github|gitlab|none` (default: detected from the environment), `--junit FILE`, `--report FILE.md`. */
function ciFlags(values: ParsedValues, env: NodeJS.ProcessEnv): Pick<TrackArgs, 'ci' | 'junit' | 'report'> {
  const asked = values.ci === undefined ? undefined : oneOf('ci', values.ci, CI_SYSTEMS);
  const ci = asked === undefined ? detectCi(env) : asked === 'none' ? undefined : asked;
  return {
    ...(ci ? { ci } : {}),
    ...(values.junit !== undefined ? { junit: values.junit } : {}),
    ...(values.report !== undefined ? { report: values.report } : {}),
  };
}

/** `--output-prefix` (text only) and `--terminal-width` (a whole number of columns). */
function outputFlags(values: ParsedValues): Pick<TrackArgs, 'outputPrefix' | 'terminalWidth'> {
  const prefix = values['output-prefix'];
  if (prefix !== undefined && values.output === 'json')
    throw new InvalidInputError(
      '--output-prefix is for text output: -o json lines stay JSON',
      'output-prefix',
    );
  const width = values['terminal-width'];
  if (width !== undefined && !/^[1-9]\d*$/.test(width))
    throw new InvalidInputError(
      `--terminal-width (or KUBEDOG_TERMINAL_WIDTH): "${width}" is not a number of columns`,
      'terminal-width',
    );
  return {
    ...(prefix !== undefined && prefix !== '' ? { outputPrefix: prefix } : {}),
    ...(width !== undefined ? { terminalWidth: Number(width) } : {}),
  };
}

/** `KIND NAME…`, `KIND/NAME…`, or with `-l`/`--all` one bare `KIND[,KIND…]` to list. */
function targetsOf(
  words: string[],
  values: ParsedValues,
  command: string,
): Pick<TrackArgs, 'targets' | 'kinds'> {
  const [only] = words;
  const listing = values.selector !== undefined || values.all === true;
  if (listing && words.length === 1 && only !== undefined && !only.includes('/'))
    return { targets: [], kinds: only.split(',').filter((kind) => kind !== '') };
  return { targets: parseTargets(words, command) };
}

/**
 * `wait --for`, as the current kubectl takes it: several conditions
 * (`condition=…`, `jsonpath=…`) met in their order, with `create` or not (a
 * condition waits for its object to exist); `delete`, `create` or `ready`
 * alone. The other commands' own `until`.
 */
function waitOf(
  mode: TrackArgs['mode'],
  wanted: string[] | undefined,
  strict: boolean,
  once: boolean,
): Pick<TrackArgs, 'until' | 'condition' | 'create'> {
  if (strict && (mode !== 'wait' || !wanted?.some(isConditionFlag)))
    throw new InvalidInputError(
      '--strict: only with kubedog wait --for=condition=… or --for=jsonpath=…',
      'strict',
    );
  if (mode !== 'wait' || wanted === undefined) return { until: untilOf(mode, wanted?.[0], once) };
  const conditions = wanted.flatMap((flag) => conditionFlag(flag, strict) ?? []);
  const words = wanted.filter((flag) => !isConditionFlag(flag)).map((flag) => untilOf(mode, flag, once));
  const [only] = words;
  const create = words.includes('exists') ? { create: true as const } : {};
  if (conditions.length === 0 && words.length === 1 && only) return { until: only, ...create };
  const alone = words.find((until) => until !== 'exists' || conditions.length === 0);
  if (alone)
    throw new InvalidInputError(
      `--for=${WAIT_WORD[alone as keyof typeof WAIT_WORD]} goes alone: several --for are condition=… and jsonpath=…, with create or not`,
      'for',
    );
  const condition = conditions.length === 1 ? (conditions[0] as WaitCondition) : conditions;
  return { until: 'ready', condition, ...create };
}

const isConditionFlag = (flag: string) => flag.startsWith('condition=') || flag.startsWith('jsonpath=');

/**
 * `--for=condition=NAME[=VALUE]` and `--for=jsonpath=EXPR[=VALUE]`, split
 * as kubectl splits them; undefined for the other `--for` words.
 */
function conditionFlag(wanted: string, strict: boolean): WaitCondition | undefined {
  const strictly = strict ? { strict } : {};
  if (wanted.startsWith('condition=')) {
    const [name = '', ...status] = wanted.slice('condition='.length).split('=');
    if (name === '')
      throw new InvalidInputError('--for=condition=NAME[=VALUE]: the condition has no name', 'for');
    return { condition: name, ...(status.length > 0 ? { status: status.join('=') } : {}), ...strictly };
  }
  if (!wanted.startsWith('jsonpath=')) return undefined;
  const { expression, value } = splitJsonPathFlag(wanted.slice('jsonpath='.length));
  const check = { jsonPath: expression, ...(value !== undefined ? { value } : {}), ...strictly };
  try {
    conditionCheck(check);
  } catch (error) {
    throw new InvalidInputError(`--for=jsonpath: ${(error as Error).message}`, 'for');
  }
  return check;
}

/**
 * `EXPR[=VALUE]` at its first `=` outside braces and brackets (kubectl splits
 * at any single `=`, so its filters cannot say `!=`); the value loses the
 * quotes around it (every one, as Go's strings.Trim), as kubectl's does.
 */
function splitJsonPathFlag(input: string): { expression: string; value?: string } {
  let depth = 0;
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
    else if (c === '=' && depth === 0) {
      const value = input.slice(i + 1).replace(/^['"]+|['"]+$/g, '');
      if (value === '')
        throw new InvalidInputError(
          "--for=jsonpath: a value must follow the =, like --for=jsonpath='{.status.readyReplicas}'=3",
          'for',
        );
      return { expression: input.slice(0, i), value };
    }
  }
  if (input.trim() === '')
    throw new InvalidInputError(
      "--for=jsonpath: the expression is empty, like --for=jsonpath='{.status.phase}'",
      'for',
    );
  return { expression: input };
}

/** `wait --for=delete|create|ready`; the other commands' own. */
function untilOf(mode: TrackArgs['mode'], wanted: string | undefined, once: boolean): TrackArgs['until'] {
  if (mode !== 'wait') {
    if (wanted !== undefined)
      throw new InvalidInputError(`${COMMANDS[mode]}: --for is a flag of kubedog wait`, 'for');
    return once ? 'once' : mode === 'follow' ? 'never' : 'ready';
  }
  const allowed = `${Object.keys(WAIT_FOR).join(', ')}, condition=NAME[=VALUE], jsonpath=EXPR[=VALUE]`;
  if (wanted === undefined)
    throw new InvalidInputError(`kubedog wait: missing --for (one of ${allowed})`, 'for');
  // kubectl compares the words without regard to case.
  const word = wanted.toLowerCase();
  if (!Object.hasOwn(WAIT_FOR, word))
    throw new InvalidInputError(`--for: "${wanted}" is not one of ${allowed}`, 'for');
  return WAIT_FOR[word as keyof typeof WAIT_FOR];
}

/**
 * What there is now, then the end: `follow --no-follow`, `rollout status
 * --watch=false` (`-w=false`); each a flag of its own command.
 */
function onceAsked(mode: TrackArgs['mode'], values: ParsedValues): boolean {
  if (values['no-follow'] === true && mode !== 'follow')
    throw new InvalidInputError(`${COMMANDS[mode]}: --no-follow is a flag of kubedog follow`, 'no-follow');
  if (mode === 'follow') return values['no-follow'] === true;
  return mode === 'status' && values['no-watch'] === true && values.watch !== true;
}

/**
 * `rollout status`' own flags: `--watch` (read by {@link onceAsked}) and
 * `--revision N` (0: the newest, as kubectl's).
 */
function rolloutStatusFlags(
  mode: TrackArgs['mode'],
  values: ParsedValues,
): Pick<TrackArgs, 'deploymentRevision'> {
  const given = (['watch', 'no-watch', 'revision'] as const).find((flag) => values[flag] !== undefined);
  if (mode !== 'status') {
    if (given)
      throw new InvalidInputError(
        `${COMMANDS[mode]}: --${given === 'no-watch' ? 'watch' : given} is a flag of kubedog rollout status`,
        given,
      );
    return {};
  }
  const revision = values.revision;
  if (revision !== undefined && !/^\d+$/.test(revision))
    throw new InvalidInputError(
      `--revision: "${revision}" is not a revision number (0: the newest)`,
      'revision',
    );
  return revision !== undefined && Number(revision) > 0 ? { deploymentRevision: Number(revision) } : {};
}

/** How failures count: `--fail-mode`, `--failures-allowed-per-replica`, `--no-activity-timeout`. */
function verdictFlags(
  values: ParsedValues,
): Pick<TrackArgs, 'failMode' | 'failuresAllowedPerReplica' | 'noActivityTimeout'> {
  const failMode = values['fail-mode'];
  if (failMode !== undefined && !FAIL_MODES.includes(failMode as FailMode))
    throw new InvalidInputError(
      `--fail-mode: "${failMode}" is not one of ${FAIL_MODES.join(', ')}`,
      'fail-mode',
    );
  const allowed = values['failures-allowed-per-replica'];
  if (allowed !== undefined && !/^\d+$/.test(allowed))
    throw new InvalidInputError(
      `--failures-allowed-per-replica: "${allowed}" is not a whole number`,
      'failures-allowed-per-replica',
    );
  const idle = duration('no-activity-timeout', values['no-activity-timeout']);
  return {
    ...(failMode !== undefined ? { failMode: failMode as FailMode } : {}),
    ...(allowed !== undefined ? { failuresAllowedPerReplica: Number(allowed) } : {}),
    ...(idle !== undefined ? { noActivityTimeout: idle } : {}),
  };
}

/** `--interactive` draws the whole screen: for a track or a follow, in text, with the keyboard free. */
function checkInteractive(args: TrackArgs, command: string): void {
  if (args.clipboard && !args.interactive)
    throw new InvalidInputError(
      `${command}: --clipboard is a flag of the interactive view: add --interactive`,
      'clipboard',
    );
  if (!args.interactive) return;
  const clash =
    args.mode === 'wait'
      ? 'is a flag of kubedog rollout track and kubedog follow'
      : args.output === 'json'
        ? 'and -o json exclude each other'
        : args.quiet
          ? 'and --quiet exclude each other'
          : args.outputPrefix !== undefined
            ? 'and --output-prefix exclude each other'
            : args.rawLogs
              ? 'and --raw-logs exclude each other: the view draws every character itself'
              : args.files.includes('-')
                ? 'reads the keyboard: give the manifests as a file, not -f - (stdin)'
                : undefined;
  if (clash) throw new InvalidInputError(`${command}: --interactive ${clash}`, 'interactive');
}

/** Flags that need or exclude each other, and that there is something to track. */
function checkTogether(args: TrackArgs, command: string): void {
  checkInteractive(args, command);
  const sources =
    args.targets.length +
    args.files.length +
    args.specs.length +
    (args.selector !== undefined ? 1 : 0) +
    (args.all ? 1 : 0);
  if (sources === 0 && args.helmRelease === undefined)
    throw new InvalidInputError(
      `${command}: nothing to track: give KIND NAME, -f FILE, -l SELECTOR, --all or --helm-release NAME`,
      'command line',
    );
  if (args.kubeconfig !== undefined && args.kubeconfigBase64 !== undefined)
    throw new InvalidInputError(
      `${command}: --kubeconfig and --kube-config-base64 exclude each other`,
      'command line',
    );
  if (args.selector !== undefined && args.all)
    throw new InvalidInputError(`${command}: -l and --all exclude each other`, 'command line');
  if (args.fieldSelector !== undefined && args.selector === undefined && !args.all)
    throw new InvalidInputError(`${command}: --field-selector works with -l or --all`, 'field-selector');
  if (args.helmRelease !== undefined && args.namespace?.includes(','))
    throw new InvalidInputError(
      `${command}: --helm-release reads one namespace, not ${args.namespace}`,
      'namespace',
    );
  if (args.allNamespaces && args.selector === undefined && !args.all)
    throw new InvalidInputError(`${command}: -A works with -l or --all`, 'all-namespaces');
  // A selector lists what exists already: there is nothing to wait for the creation of.
  const selected = args.selector !== undefined || args.all;
  if (args.create && (args.helmRelease !== undefined || (selected && args.kinds?.length !== 1)))
    throw new InvalidInputError(
      `${command}: --for=create waits for named resources (KIND/NAME or -f FILE) or one KIND with -l or --all (pod -l app=web), not --helm-release`,
      'for',
    );
}
