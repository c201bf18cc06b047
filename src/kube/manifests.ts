import { yaml } from '../vendor/yaml.js';
import { expectText, InvalidInputError } from './errors.js';
import type { KubeObject } from './types.js';

/**
 * Parses Kubernetes manifests: multi-document YAML or JSON, `List` kinds
 * unrolled, empty documents skipped. `source` names the text in errors (a
 * file name).
 * @throws {InvalidInputError} text that is not YAML, or a document that is not a Kubernetes object; the message names the source, the document and the line
 * @example
 * import { parseManifests } from 'kubedog';
 *
 * const objects = parseManifests('kind: ConfigMap\napiVersion: v1\nmetadata: {name: a}\n---\nkind: Secret\napiVersion: v1\nmetadata: {name: b}\n', 'app.yaml');
 * console.log(objects.map((object) => object.kind).join(', '));
 * // prints: ConfigMap, Secret
 */
export function parseManifests(text: string, source: string): KubeObject[] {
  // Named in every message: a name that is not text is none.
  source = typeof source === 'string' ? source : '(unnamed)';
  expectText(text, `manifests ${source}`);
  const objects: KubeObject[] = [];
  const documents = yaml().parseAllDocuments(text, { prettyErrors: true });
  const list = Array.isArray(documents) ? documents : [documents];
  for (const [index, document] of list.entries()) {
    const error = document.errors[0];
    if (error) {
      const line = error.linePos?.[0]?.line;
      const what = (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
      throw new InvalidInputError(
        `invalid manifest ${source}: document ${index + 1}${line ? `, line ${line}` : ''}: ${what}`,
        source,
      );
    }
    let value: unknown;
    try {
      value = document.toJS();
    } catch (error) {
      // An alias to an anchor that is not there, and the like.
      throw new InvalidInputError(
        `invalid manifest ${source}: document ${index + 1}: ${(error as Error).message.split('\n')[0]}`,
        source,
      );
    }
    if (value === null || value === undefined) continue;
    collect(value, `${source}: document ${index + 1}`, objects);
  }
  return objects;
}

function collect(value: unknown, where: string, into: KubeObject[]): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidInputError(`invalid manifest ${where}: not a Kubernetes object`, where);
  }
  const object = value as Partial<KubeObject> & { items?: unknown };
  if (typeof object.kind === 'string' && object.kind.endsWith('List') && Array.isArray(object.items)) {
    for (const [i, item] of object.items.entries()) collect(item, `${where}, item ${i + 1}`, into);
    return;
  }
  if (typeof object.kind !== 'string' || object.kind === '')
    throw new InvalidInputError(`invalid manifest ${where}: no kind`, where);
  if (typeof object.apiVersion !== 'string')
    throw new InvalidInputError(`invalid manifest ${where}: ${object.kind} has no apiVersion`, where);
  if (typeof object.metadata?.name !== 'string' || object.metadata.name === '') {
    throw new InvalidInputError(`invalid manifest ${where}: ${object.kind} has no metadata.name`, where);
  }
  into.push(object as KubeObject);
}

/** The objects of manifests given as text (parsed), one object, or a list of them. */
export function manifestObjects(
  manifests: string | KubeObject | readonly KubeObject[],
  source = 'given as text',
): KubeObject[] {
  if (typeof manifests === 'string') return parseManifests(manifests, source);
  return Array.isArray(manifests) ? [...manifests] : [manifests as KubeObject];
}
