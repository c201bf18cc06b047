import {
  type FieldRequirement,
  type LabelRequirement,
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
} from '../kube/selector.js';
import type { KubeObject } from '../kube/types.js';
import type { WatchOptions } from '../kube/watch.js';

/** What a watch selects besides kind and namespace. */
export type Selectors = Pick<WatchOptions, 'labelSelector' | 'fieldSelector'>;

/** The fields a selection can be indexed by: each object is filed under its values of them. */
const INDEXED_FIELDS = ['metadata.name', 'involvedObject.name'] as const;

/**
 * Selectors applied in the client, to the objects of a watch of the whole
 * namespace, as the API server would apply them: a subscriber that selects
 * gets only the objects it selects, an object that starts to match as
 * ADDED, one that stops as DELETED. A selection is filed under one index
 * key (`metadata.name=web`, `label:app=web`) so that an object is checked
 * only against the selections that may match it.
 */
export class Selection {
  readonly #labels: LabelRequirement[];
  readonly #fields: FieldRequirement[];
  /** The index key it is filed under; undefined: checked against every object. */
  readonly index: string | undefined;

  constructor(selectors: Selectors) {
    this.#labels = parseLabelSelector(selectors.labelSelector ?? '');
    this.#fields = parseFieldSelector(selectors.fieldSelector ?? '');
    this.index = indexOf(this.#labels, this.#fields);
  }

  matches(object: KubeObject): boolean {
    return matchesFields(this.#fields, object) && matchesLabels(this.#labels, object.metadata.labels);
  }
}

function indexOf(labels: LabelRequirement[], fields: FieldRequirement[]): string | undefined {
  for (const field of fields)
    if (field.op === '=' && (INDEXED_FIELDS as readonly string[]).includes(field.path))
      return `${field.path}=${field.value}`;
  for (const label of labels)
    if (label.op === 'in' && label.values.length === 1) return `label:${label.key}=${label.values[0]}`;
  return undefined;
}

/** The index keys an object is filed under. */
export function indexKeysOf(object: KubeObject): string[] {
  const keys = [`metadata.name=${object.metadata.name ?? ''}`];
  const involved = (object.involvedObject as { name?: string } | undefined)?.name;
  if (involved !== undefined) keys.push(`involvedObject.name=${involved}`);
  for (const [key, value] of Object.entries(object.metadata.labels ?? {})) keys.push(`label:${key}=${value}`);
  return keys;
}
