import { whyNotRegExp } from '../inputs/annotations.js';
import { parseSince } from '../kube/duration.js';
import { InvalidInputError } from '../kube/errors.js';
import type { ContainerState } from '../track/model/log-plan.js';
import type { ParsedValues, TrackArgs } from './args.js';
import { TIMESTAMP_FORMATS, type TimestampFormat, timestampFormatter } from './render/timestamps.js';

/** The log flags of `rollout track` and `follow` (kubedog's, stern's), validated: every bad value names its flag. */
export function logFlags(values: ParsedValues) {
  return { ...logSelection(values), ...logTimestamps(values), ...logStreams(values) };
}

/** A flag's regular expression (`source`), or a usage error naming the flag and what was given. */
const pattern = (flag: string, source: string, given: string) => {
  try {
    return new RegExp(source);
  } catch (error) {
    const why = whyNotRegExp(error);
    throw new InvalidInputError(`--${flag}: invalid regular expression "${given}": ${why}`, flag);
  }
};

const CONTAINER_STATES: readonly ContainerState[] = ['running', 'waiting', 'terminated'];

/** stern's `--max-log-requests`, `--container-state` (a list, or `all`), `--exclude-pod`, `--node`. */
function logStreams(
  values: ParsedValues,
): Pick<TrackArgs, 'maxLogRequests' | 'containerStates' | 'excludePods' | 'node'> {
  const max = values['max-log-requests'];
  if (max !== undefined && !/^[1-9]\d*$/.test(max))
    throw new InvalidInputError(`--max-log-requests: "${max}" is not a number above 0`, 'max-log-requests');
  const states = (values['container-state'] ?? []).flatMap((list) => list.split(',')).filter((s) => s !== '');
  for (const state of states)
    if (state !== 'all' && !CONTAINER_STATES.includes(state as ContainerState))
      throw new InvalidInputError(
        `--container-state: "${state}" is not one of ${CONTAINER_STATES.join(', ')}, all`,
        'container-state',
      );
  const excludePods = (values['exclude-pod'] ?? []).map((p) => pattern('exclude-pod', p, p));
  return {
    ...(max !== undefined ? { maxLogRequests: Number(max) } : {}),
    ...(states.length > 0 && !states.includes('all') ? { containerStates: states as ContainerState[] } : {}),
    ...(excludePods.length > 0 ? { excludePods } : {}),
    ...(values.node !== undefined ? { node: values.node } : {}),
  };
}

/** stern's `--timestamps[=default|short]` and `--timezone` (checked here: a bad zone is a usage error). */
function logTimestamps(values: ParsedValues): Pick<TrackArgs, 'timestamps'> {
  const format = values['timestamp-format'] ?? 'default';
  if (!TIMESTAMP_FORMATS.includes(format as TimestampFormat))
    throw new InvalidInputError(
      `--timestamps: "${format}" is not one of ${TIMESTAMP_FORMATS.join(', ')}`,
      'timestamps',
    );
  const zone = values.timezone;
  if (zone !== undefined) timestampFormatter('default', zone);
  if (!values.timestamps) {
    if (zone !== undefined) throw new InvalidInputError('--timezone goes with --timestamps', 'timezone');
    return {};
  }
  return { timestamps: { format: format as TimestampFormat, ...(zone !== undefined ? { zone } : {}) } };
}

/** Which log lines: `--no-logs`, `--raw-logs`, `-c`/`-E` (whole-name patterns), stern's `-i`/`-e`/`-H`, `--tail`, `--since`. */
function logSelection(values: ParsedValues) {
  const selection: Pick<
    TrackArgs,
    | 'logs'
    | 'rawLogs'
    | 'containers'
    | 'excludeContainers'
    | 'include'
    | 'exclude'
    | 'highlight'
    | 'tail'
    | 'logsSince'
  > = {
    logs: !values['no-logs'],
    rawLogs: values['raw-logs'] === true,
    containers: (values.container ?? []).map((c) => pattern('container', `^(?:${c})$`, c)),
    excludeContainers: (values['exclude-container'] ?? []).map((c) =>
      pattern('exclude-container', `^(?:${c})$`, c),
    ),
  };
  for (const flag of ['include', 'exclude', 'highlight'] as const) {
    const given = values[flag];
    if (given && given.length > 0)
      selection[flag] = pattern(flag, given.map((g) => `(?:${g})`).join('|'), given.join(' '));
  }
  if (values.tail !== undefined) {
    if (!/^\d+$/.test(values.tail))
      throw new InvalidInputError(`--tail: "${values.tail}" is not a whole number`, 'tail');
    selection.tail = Number(values.tail);
  }
  const since = values['logs-since'] ?? values.since;
  if (since !== undefined) {
    try {
      const logsSince = parseSince(since);
      if (logsSince !== undefined) selection.logsSince = logsSince;
    } catch (error) {
      throw new InvalidInputError(
        `--logs-since: ${(error as Error).message} (or "now", "all")`,
        'logs-since',
      );
    }
  }
  return selection;
}
