import { describeValue } from '../kube/errors.js';
import { isRecord, type KubeObject } from '../kube/types.js';

/**
 * The shape of what kubedog reads of an object, checked where objects enter
 * a track, before any rule, strategy or the model reads them: a server (or
 * a proxy, or a buggy aggregated API) can send `"ownerReferences": "x"` or
 * `"containerStatuses": {}`, and a rule reading it would throw. Each field
 * may be absent; `null` only where Go writes it (a nil list, map or struct,
 * an unset time); when present it must have its type, and the elements of
 * a list theirs.
 */
type Expected = 'string' | 'number' | 'boolean' | 'object' | 'list' | 'labels' | 'generation' | 'no list';

/**
 * `path` (dots; `[]` for every element of a list) and what it must be.
 * `spec` and `status` need not be objects — the code reads them as
 * maybe-objects, and a custom resource whose `status` is a word has no
 * status kubedog can read, it is not malformed — but never lists.
 */
const FIELDS: [string, Expected][] = [
  ['spec', 'no list'],
  ['status', 'no list'],
  ['apiVersion', 'string'],
  ['kind', 'string'],
  ['metadata.name', 'string'],
  ['metadata.namespace', 'string'],
  ['metadata.uid', 'string'],
  ['metadata.resourceVersion', 'string'],
  ['metadata.generation', 'number'],
  ['metadata.creationTimestamp', 'string'],
  ['metadata.deletionTimestamp', 'string'],
  ['metadata.labels', 'labels'],
  ['metadata.annotations', 'labels'],
  ['metadata.finalizers', 'list'],
  ['metadata.finalizers[]', 'string'],
  ['metadata.ownerReferences', 'list'],
  ['metadata.ownerReferences[]', 'object'],
  ['metadata.ownerReferences[].apiVersion', 'string'],
  ['metadata.ownerReferences[].kind', 'string'],
  ['metadata.ownerReferences[].name', 'string'],
  ['metadata.ownerReferences[].uid', 'string'],
  ['metadata.ownerReferences[].controller', 'boolean'],
  ['status.observedGeneration', 'generation'],
  ['status.phase', 'string'],
  ['status.message', 'string'],
  ['status.reason', 'string'],
  ['status.conditions', 'list'],
  ['status.conditions[]', 'object'],
  ['status.conditions[].type', 'string'],
  ['status.conditions[].status', 'string'],
  ['status.conditions[].reason', 'string'],
  ['status.conditions[].message', 'string'],
  ['status.conditions[].lastTransitionTime', 'string'],
  ['status.conditions[].observedGeneration', 'generation'],
  // Workloads: replicas, selector, pod template.
  ['spec.replicas', 'number'],
  ['spec.paused', 'boolean'],
  ['spec.selector', 'object'],
  ['spec.selector.matchLabels', 'labels'],
  ['spec.selector.matchExpressions', 'list'],
  ['spec.selector.matchExpressions[]', 'object'],
  ['spec.selector.matchExpressions[].key', 'string'],
  ['spec.selector.matchExpressions[].operator', 'string'],
  ['spec.selector.matchExpressions[].values', 'list'],
  ['spec.selector.matchExpressions[].values[]', 'string'],
  ['spec.template', 'object'],
  ['spec.template.metadata', 'object'],
  ['spec.template.metadata.labels', 'labels'],
  ['spec.template.spec', 'object'],
  ['status.replicas', 'number'],
  ['status.updatedReplicas', 'number'],
  ['status.readyReplicas', 'number'],
  ['status.availableReplicas', 'number'],
  // Pods: containers and their statuses.
  ['spec.restartPolicy', 'string'],
  ['spec.nodeName', 'string'],
  ...containers('spec.containers'),
  ...containers('spec.initContainers'),
  ...containers('spec.ephemeralContainers'),
  ...containerStatuses('status.containerStatuses'),
  ...containerStatuses('status.initContainerStatuses'),
  ...containerStatuses('status.ephemeralContainerStatuses'),
  // Events.
  ['involvedObject', 'object'],
  ['involvedObject.kind', 'string'],
  ['involvedObject.name', 'string'],
  ['involvedObject.namespace', 'string'],
  ['involvedObject.uid', 'string'],
  ['involvedObject.fieldPath', 'string'],
  ['reason', 'string'],
  ['message', 'string'],
  ['type', 'string'],
  ['count', 'number'],
  ['firstTimestamp', 'string'],
  ['lastTimestamp', 'string'],
  ['eventTime', 'string'],
  ['series', 'object'],
  ['series.count', 'number'],
  ['series.lastObservedTime', 'string'],
];

function containers(path: string): [string, Expected][] {
  return [
    [path, 'list'],
    [`${path}[]`, 'object'],
    [`${path}[].name`, 'string'],
    [`${path}[].image`, 'string'],
    [`${path}[].restartPolicy`, 'string'],
  ];
}

function containerStatuses(path: string): [string, Expected][] {
  const state = (where: string): [string, Expected][] => [
    [where, 'object'],
    [`${where}.waiting`, 'object'],
    [`${where}.waiting.reason`, 'string'],
    [`${where}.waiting.message`, 'string'],
    [`${where}.running`, 'object'],
    [`${where}.running.startedAt`, 'string'],
    [`${where}.terminated`, 'object'],
    [`${where}.terminated.exitCode`, 'number'],
    [`${where}.terminated.reason`, 'string'],
    [`${where}.terminated.message`, 'string'],
    [`${where}.terminated.containerID`, 'string'],
    [`${where}.terminated.startedAt`, 'string'],
    [`${where}.terminated.finishedAt`, 'string'],
  ];
  return [
    [path, 'list'],
    [`${path}[]`, 'object'],
    [`${path}[].name`, 'string'],
    [`${path}[].image`, 'string'],
    [`${path}[].containerID`, 'string'],
    [`${path}[].restartCount`, 'number'],
    [`${path}[].ready`, 'boolean'],
    [`${path}[].started`, 'boolean'],
    ...state(`${path}[].state`),
    ...state(`${path}[].lastState`),
  ];
}

interface Rule {
  expected: Expected;
  nullable: boolean;
}

/**
 * The fields as a tree, built once: an object is walked once, along the
 * fields it has, instead of once per path from its root.
 */
interface Field {
  /** What the value here must be, when a path ends here. */
  rule?: Rule;
  /** The fields under it, when it is an object. */
  fields: Map<string, Field>;
  /** Every element, when it is a list (`name[]`). */
  each?: Field;
}

const newField = (): Field => ({ fields: new Map() });

const TREE: Field = newField();
for (const [path, expected] of FIELDS) {
  let field = TREE;
  for (const step of path.split('.')) {
    const name = step.endsWith('[]') ? step.slice(0, -2) : step;
    let child = field.fields.get(name);
    if (!child) {
      child = newField();
      field.fields.set(name, child);
    }
    field = child;
    if (step.endsWith('[]')) field = field.each ??= newField();
  }
  const element = path.endsWith('[]');
  // A list's elements are never null; Go writes null for a nil list, map or struct, or an unset time.
  const nullable =
    !element &&
    (expected === 'list' ||
      expected === 'object' ||
      expected === 'labels' ||
      /(Timestamp|Time|At)$/.test(path));
  field.rule = { expected, nullable };
}

function fits(value: unknown, expected: Expected): boolean {
  switch (expected) {
    case 'list':
      return Array.isArray(value);
    case 'object':
      return isRecord(value);
    case 'labels':
      return isRecord(value) && Object.values(value).every((v) => typeof v === 'string');
    case 'generation':
      return typeof value === 'number' || typeof value === 'string';
    case 'no list':
      return !Array.isArray(value);
    default:
      return typeof value === expected;
  }
}

const describe = (expected: Expected) =>
  ({
    string: 'a string',
    number: 'a number',
    boolean: 'true or false',
    object: 'an object',
    list: 'a list',
    labels: 'a map of strings',
    generation: 'a number',
    'no list': 'an object',
  })[expected];

/**
 * What is wrong with an object's shape — `status.containerStatuses is an
 * object, not a list` — or undefined when every field kubedog reads has its
 * type. Checks each field as far as the object has it.
 */
export function malformed(object: KubeObject): string | undefined {
  if (!isRecord(object) || !isRecord(object.metadata)) return 'it is not an object with metadata';
  return fieldsOf(object, TREE, '');
}

/** The first field of `record` under `field` that does not have its type. */
function fieldsOf(record: Record<string, unknown>, field: Field, where: string): string | undefined {
  for (const [name, child] of field.fields) {
    const value = record[name];
    if (value === undefined) continue;
    const problem = check(value, child, where ? `${where}.${name}` : name);
    if (problem) return problem;
  }
  return undefined;
}

/** A value present at `where`: its own type, then what is under it (as far as it has it). */
function check(value: unknown, field: Field, where: string): string | undefined {
  const { rule } = field;
  if (rule && !(value === null ? rule.nullable : fits(value, rule.expected)))
    return `${where} is ${describeValue(value)}, not ${describe(rule.expected)}`;
  if (isRecord(value) && field.fields.size > 0) return fieldsOf(value, field, where);
  if (Array.isArray(value) && field.each)
    for (const [index, element] of value.entries()) {
      const problem = check(element, field.each, `${where}[${index}]`);
      if (problem) return problem;
    }
  return undefined;
}

/** The object with what every rule reads first — apiVersion, kind, metadata — of the right type (dropped when not). */
export function identifiable(object: KubeObject): KubeObject {
  if (typeof object !== 'object' || object === null) return { metadata: {} };
  const { apiVersion, kind, metadata } = object;
  const fine =
    (apiVersion === undefined || typeof apiVersion === 'string') &&
    (kind === undefined || typeof kind === 'string') &&
    typeof metadata === 'object' &&
    metadata !== null &&
    !Array.isArray(metadata);
  if (fine) return object;
  const { apiVersion: _a, kind: _k, metadata: _m, ...rest } = object;
  return {
    ...rest,
    ...(typeof apiVersion === 'string' ? { apiVersion } : {}),
    ...(typeof kind === 'string' ? { kind } : {}),
    metadata: typeof metadata === 'object' && metadata !== null && !Array.isArray(metadata) ? metadata : {},
  };
}
