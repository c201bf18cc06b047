import type { KubeObject } from '../../../kube/types.js';
import { terminalSafe } from '../../../report/safe.js';
import { eventCount, eventTime } from '../../../status/events.js';
import { conditions, list, record, str } from '../../../status/fields.js';
import { describeExit } from '../../../status/pod.js';
import { redactCredentials } from '../../../status/redact.js';
import { age } from './frame.js';
import { COLOR, DIM } from './grid.js';
import { type Row, rowProblems } from './navigation.js';
import type { Page, PageKind, PageLine } from './pages.js';
import { type RolloutState, withReason } from './rollout-state.js';

/** An object the view can read: the tracked resource, or one of its pods. */
export interface ObjectRef {
  kind: string;
  namespace: string;
  name: string;
}

/** One read of a container's log: lines with their runtime timestamps. */
export interface LogRead {
  container: string;
  previous?: boolean;
  follow?: boolean;
  tailLines?: number;
  sinceTime?: string;
  signal?: AbortSignal;
}

/** What the view reads from the cluster itself, on a key or for a selection: objects, Events, logs. */
export interface Inspector {
  get(ref: ObjectRef): Promise<KubeObject>;
  /** Events of a namespace (`fieldSelector`: of one object). */
  events(namespace: string, fieldSelector?: string): Promise<KubeObject[]>;
  logs(pod: ObjectRef, read: LogRead): AsyncIterable<{ time: string; text: string }[]>;
}

/** The object a row is about: the resource, or its pod (a container's too). */
export function objectOf(state: RolloutState, row: Row): ObjectRef | undefined {
  if (row.kind === 'all') return undefined;
  const resource = state.resources.get(row.key);
  if (!resource) return undefined;
  const { kind, namespace, name } = resource.ref;
  return row.kind === 'resource' ? { kind, namespace, name } : { kind: 'Pod', namespace, name: row.pod };
}

const TITLES: Record<Exclude<PageKind, 'help'>, string> = {
  describe: 'Describe',
  events: 'Events',
  yaml: 'YAML',
  previous: 'Previous logs',
};

/** A page about a row, read from the cluster: undefined when the row has nothing to show (every resource). */
export function pageFor(
  kind: Exclude<PageKind, 'help'>,
  state: RolloutState,
  row: Row,
  inspector: Inspector,
  now: number,
): { page: Page; read: Promise<PageLine[]> } | undefined {
  const about = kind === 'previous' ? podRow(state, row) : row;
  const ref = objectOf(state, about);
  if (!ref) return undefined;
  const container = previousContainer(state, about);
  const what = `${ref.kind.toLowerCase()}/${ref.name}${kind === 'previous' && container ? ` › ${container}` : ''}`;
  const page: Page = { kind, title: `${TITLES[kind]} · ${what}`, lines: undefined, top: 0 };
  const read = readPage(kind, state, about, ref, inspector, now).catch((error: unknown) => [
    { text: `cannot read ${what}: ${oneLine(error)}`, style: COLOR.red },
  ]);
  return { page, read };
}

async function readPage(
  kind: Exclude<PageKind, 'help'>,
  state: RolloutState,
  row: Row,
  ref: ObjectRef,
  inspector: Inspector,
  now: number,
): Promise<PageLine[]> {
  if (kind === 'previous') return previousLogs(state, row, ref, inspector);
  if (kind === 'events') return eventLines(await eventsOf(state, row, ref, inspector), now);
  const object = await inspector.get(ref);
  if (kind === 'yaml') return yamlLines(object);
  const events = await eventsOf(state, row, ref, inspector).catch(() => undefined);
  return describeLines(state, row, object, events, now);
}

/** The error's first line, credentials masked. */
function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return safe(message.split('\n')[0] ?? '');
}

const safe = (text: string) => terminalSafe(redactCredentials(text));

/**
 * The Events of a row, oldest first, those from before the track too: a
 * pod's by field selector; a resource's, its own and those of the objects
 * named after it (its ReplicaSets and pods) and of its pods.
 */
async function eventsOf(state: RolloutState, row: Row, ref: ObjectRef, inspector: Inspector) {
  if (ref.kind === 'Pod')
    return sortEvents(await inspector.events(ref.namespace, `involvedObject.name=${ref.name}`));
  const pods = new Set(state.resources.get(row.kind === 'all' ? '' : row.key)?.pods.keys());
  const events = await inspector.events(ref.namespace);
  return sortEvents(
    events.filter((event) => {
      const name = str(event, 'involvedObject', 'name') ?? '';
      return name === ref.name || name.startsWith(`${ref.name}-`) || pods.has(name);
    }),
  );
}

/** When an Event last happened (ms since the epoch; 0 when it does not say). */
const lastSeen = (event: KubeObject) => Date.parse(eventTime(event) ?? '') || 0;

const sortEvents = (events: KubeObject[]) => [...events].sort((a, b) => lastSeen(a) - lastSeen(b));

/** Events as `kubectl get events` lists them: last seen, type, reason, object, message. */
export function eventLines(events: KubeObject[], now: number): PageLine[] {
  if (events.length === 0)
    return [{ text: 'no Events (the API server keeps them for an hour by default)', style: DIM }];
  const rows = events.map((event) => {
    const count = eventCount(event);
    return {
      cells: [
        age(lastSeen(event), now),
        str(event, 'type') ?? '',
        str(event, 'reason') ?? '',
        `${(str(event, 'involvedObject', 'kind') ?? '').toLowerCase()}/${str(event, 'involvedObject', 'name') ?? ''}`,
        `${(str(event, 'message') ?? '').trim()}${count > 1 ? ` (×${count})` : ''}`,
      ].map(safe),
      warning: str(event, 'type') === 'Warning',
    };
  });
  const header = ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row.cells[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ');
  // A long message wraps under its own column.
  const indent = widths.slice(0, -1).reduce((sum, w) => sum + w + 2, 0);
  return [
    { text: line(header), style: DIM },
    ...rows.map((row) => ({
      text: line(row.cells),
      indent,
      ...(row.warning ? { style: COLOR.yellow } : {}),
    })),
  ];
}

/** A resource's pod that restarted most (a pod or a container: itself): whose previous logs `p` reads. */
function podRow(state: RolloutState, row: Row): Row {
  if (row.kind !== 'resource') return row;
  const pods = [...(state.resources.get(row.key)?.pods.values() ?? [])].filter((pod) => !pod.deleted);
  const restarts = (pod: (typeof pods)[number]) => [...pod.restarts.values()].reduce((a, b) => a + b, 0);
  const [most] = pods.sort((a, b) => restarts(b) - restarts(a));
  return most ? { kind: 'pod', key: row.key, pod: most.name } : row;
}

/** The container whose previous instance `p` reads: the selected one, else the pod's that restarted most. */
function previousContainer(state: RolloutState, row: Row): string | undefined {
  if (row.kind === 'container') return row.container;
  if (row.kind !== 'pod') return undefined;
  const pod = state.resources.get(row.key)?.pods.get(row.pod);
  const restarted = [...(pod?.restarts ?? [])].sort((a, b) => b[1] - a[1])[0];
  return restarted?.[0] ?? pod?.containers.at(-1);
}

async function previousLogs(state: RolloutState, row: Row, ref: ObjectRef, inspector: Inspector) {
  const container = previousContainer(state, row);
  if (ref.kind !== 'Pod' || !container)
    return [{ text: 'select a pod or a container (Enter opens a resource to its pods)', style: DIM }];
  const lines: PageLine[] = [];
  // Log lines are shown as written, as in the logs pane: escaped, not masked.
  for await (const batch of inspector.logs(ref, { container, previous: true, tailLines: 1000 }))
    for (const line of batch) lines.push({ text: terminalSafe(line.text) });
  return lines.length > 0 ? lines : [{ text: 'the previous instance wrote nothing', style: DIM }];
}

/** Annotations too long and too mechanical to read, folded like managedFields. */
const FOLDED_ANNOTATIONS = ['kubectl.kubernetes.io/last-applied-configuration'];
/** An env var whose name says it holds a credential. */
const SECRET_NAME = /pass|token|secret|key|credential|auth/i;

/** The object as YAML, as the server has it: managedFields and the last applied configuration folded, credentials masked. */
export async function yamlLines(object: KubeObject): Promise<PageLine[]> {
  const { stringify } = await import('yaml');
  return stringify(readable(object), { lineWidth: 0 })
    .trimEnd()
    .split('\n')
    .map((text) => ({ text: safe(text) }));
}

/** A copy with what nobody reads folded into a count, and credentials masked. */
function readable(object: KubeObject): unknown {
  const copy = structuredClone(object) as KubeObject;
  const metadata = record(copy, 'metadata');
  const fields = metadata?.managedFields;
  if (metadata && Array.isArray(fields)) metadata.managedFields = `(${fields.length} entries folded)`;
  const annotations = record(metadata, 'annotations');
  for (const name of FOLDED_ANNOTATIONS) {
    const applied = annotations?.[name];
    if (annotations && typeof applied === 'string')
      annotations[name] = `(${applied.length} characters folded)`;
  }
  if (copy.kind === 'Secret')
    for (const field of ['data', 'stringData'])
      if (copy[field] && typeof copy[field] === 'object')
        for (const key of Object.keys(copy[field] as object))
          (copy[field] as Record<string, string>)[key] = '***';
  maskEnv(copy);
  return copy;
}

/** `{ name: DB_PASSWORD, value: … }` anywhere in the object: the value masked. */
function maskEnv(value: unknown): void {
  const stack = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item !== 'object' || item === null) continue;
    const entry = item as Record<string, unknown>;
    if (typeof entry.name === 'string' && typeof entry.value === 'string' && SECRET_NAME.test(entry.name))
      entry.value = '***';
    stack.push(...Object.values(entry));
  }
}

/**
 * `kubectl describe`, shortened to what a rollout needs: the object's
 * identity and age, kubedog's verdict in full with its hint, the
 * conditions, a pod's containers, and the Events.
 */
export function describeLines(
  state: RolloutState,
  row: Row,
  object: KubeObject,
  events: KubeObject[] | undefined,
  now: number,
): PageLine[] {
  const labels = Object.entries(record(object, 'metadata', 'labels') ?? {}).map(([k, v]) => `${k}=${v}`);
  const field = (name: string, value: string) => ({
    text: safe(`${`${name}:`.padEnd(14)}${value}`),
    indent: 14,
  });
  const namespace = str(object, 'metadata', 'namespace');
  const createdAt = str(object, 'metadata', 'creationTimestamp');
  const created = Date.parse(createdAt ?? '');
  const lines: PageLine[] = [
    field('Name', str(object, 'metadata', 'name') ?? ''),
    ...(namespace ? [field('Namespace', namespace)] : []),
    field('Kind', str(object, 'kind') ?? ''),
    field('Created', Number.isNaN(created) ? '-' : `${createdAt} (${age(created, now)} ago)`),
    field('Labels', labels.join(', ') || '<none>'),
  ];
  const said = state.rows.row(row.kind === 'all' ? '' : row.key);
  if (said && row.kind === 'resource')
    lines.push(field('kubedog', state.resources.get(row.key)?.final ?? said.state));
  for (const problem of rowProblems(state, row)) {
    lines.push({
      ...field('Status', withReason(problem)),
      ...(said?.state === 'failed' ? { style: COLOR.red } : {}),
    });
    if (problem.hint) lines.push(field('Hint', problem.hint));
  }
  lines.push(...conditionLines(object), ...containerLines(object));
  lines.push({ text: '' }, { text: 'Events:' });
  if (events === undefined) lines.push({ text: '  could not be read', style: DIM });
  else
    lines.push(
      ...eventLines(events, now).map((line) => ({
        ...line,
        text: `  ${line.text}`,
        indent: (line.indent ?? 0) + 2,
      })),
    );
  return lines;
}

function conditionLines(object: KubeObject): PageLine[] {
  const all = conditions(object);
  if (all.length === 0) return [];
  const lines: PageLine[] = [{ text: '' }, { text: 'Conditions:' }];
  for (const condition of all) {
    const words = [condition.type, condition.status, condition.reason, condition.message].filter(
      (word) => typeof word === 'string' && word !== '',
    );
    lines.push({
      text: safe(`  ${words.join('  ')}`),
      ...(condition.status === 'False' ? { style: COLOR.yellow } : {}),
    });
  }
  return lines;
}

/** A pod's containers: image, state, last state, ready, restarts. */
function containerLines(object: KubeObject): PageLine[] {
  const statuses = [
    ...list(object, 'status', 'initContainerStatuses'),
    ...list(object, 'status', 'containerStatuses'),
  ].filter((status) => record(status) !== undefined);
  if (object.kind !== 'Pod' || statuses.length === 0) return [];
  const lines: PageLine[] = [{ text: '' }, { text: 'Containers:' }];
  for (const container of statuses) {
    lines.push({ text: safe(`  ${str(container, 'name') ?? ''}  image ${str(container, 'image') ?? ''}`) });
    lines.push({ text: safe(`    state:       ${stateText(record(container, 'state'))}`) });
    const last = record(container, 'lastState');
    if (last && Object.keys(last).length > 0)
      lines.push({ text: safe(`    last state:  ${stateText(last)}`) });
    const ready = record(container)?.ready === true;
    const restarts = record(container)?.restartCount;
    lines.push({ text: `    ready: ${ready}, restarts: ${typeof restarts === 'number' ? restarts : 0}` });
  }
  return lines;
}

/** `waiting (ImagePullBackOff): Back-off pulling…`, `terminated (exit code 1, Error)`, `running since …`. */
function stateText(state: Record<string, unknown> | undefined): string {
  const [name] = Object.keys(state ?? {});
  const detail = record(state, name ?? '');
  if (!name || !detail) return '-';
  if (name === 'running') return `running since ${str(detail, 'startedAt') ?? '?'}`;
  const reason = str(detail, 'reason');
  const message = str(detail, 'message');
  const how = name === 'terminated' ? describeExit(detail) : `${name}${reason ? ` (${reason})` : ''}`;
  return `${how}${message ? `: ${message}` : ''}`;
}
