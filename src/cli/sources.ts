import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isTrackable, specFromManifest, specsFromCluster } from '../inputs/specs.js';
import type { KubeClient } from '../kube/client.js';
import { InvalidInputError } from '../kube/errors.js';
import { parseManifests } from '../kube/manifests.js';
import type { KubeObject } from '../kube/types.js';
import { typeOrLater } from '../track/custom-kinds.js';
import type { MultitrackSpec } from '../track/multitrack.js';
import type { TrackArgs } from './args.js';

const MANIFEST = /\.(ya?ml|json)$/;

/** The manifest files `-f` names: a file, every manifest of a directory (sorted), or `-` for stdin. */
function readManifestSources(path: string, stdin: () => string): { source: string; text: string }[] {
  if (path === '-') return [{ source: 'stdin', text: stdin() }];
  let isDirectory: boolean;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch {
    throw new InvalidInputError(`-f ${path}: no such file or directory`, path);
  }
  const files = isDirectory
    ? readdirSync(path)
        .filter((name) => MANIFEST.test(name))
        .sort()
        .map((name) => join(path, name))
    : [path];
  return files.map((file) => {
    try {
      return { source: file, text: readFileSync(file, 'utf8') };
    } catch (error) {
      throw new InvalidInputError(`-f ${file}: cannot read: ${(error as NodeJS.ErrnoException).code}`, file);
    }
  });
}

/**
 * The trackable objects of every `-f` manifest, read and checked before the
 * cluster is contacted — their annotations too (a pattern that does not
 * compile is a usage error without a kubeconfig).
 */
export function readManifests(args: TrackArgs, stdin: () => string): KubeObject[] {
  const objects = args.files.flatMap((path) =>
    readManifestSources(path, stdin).flatMap(({ source, text }) =>
      parseManifests(text, source).filter(isTrackable),
    ),
  );
  for (const object of objects) specFromManifest(object);
  return objects;
}

/**
 * Watches a kind until an object matches the selection (the watch starts
 * with what exists now), then lists the matches as specs.
 */
async function firstToMatch(
  client: KubeClient,
  kind: string,
  selection: Parameters<typeof specsFromCluster>[1] & { signal: AbortSignal | undefined },
): Promise<MultitrackSpec[]> {
  const { signal, ...watched } = selection;
  for await (const { type } of client.watch(kind, { ...watched, ...(signal ? { signal } : {}) })) {
    if (type === 'DELETED') continue;
    const found = await specsFromCluster(client, { ...selection, kinds: [kind] });
    if (found.length > 0) return found;
  }
  return [];
}

/** `-l` and `--all` in one namespace (`''`: all of them). */
async function listed(
  client: KubeClient,
  args: TrackArgs,
  namespace: string,
  signal: AbortSignal | undefined,
): Promise<MultitrackSpec[]> {
  const selection = {
    namespace,
    ...(args.selector !== undefined ? { labelSelector: args.selector } : {}),
    ...(args.fieldSelector !== undefined ? { fieldSelector: args.fieldSelector } : {}),
    signal,
  };
  const found = await specsFromCluster(client, {
    ...selection,
    ...(args.kinds ? { kinds: args.kinds } : {}),
  });
  // Waiting for a creation (`wait --for=create pod -l app=web`), the first one to match is what was waited for.
  if (found.length === 0 && args.create && args.kinds?.length === 1)
    return firstToMatch(client, args.kinds[0] as string, selection);
  // Waiting for deletions, nothing left to match is what was waited for.
  if (found.length === 0 && args.until !== 'deleted') {
    const where = namespace === '' ? 'any namespace' : `namespace "${namespace}"`;
    const what = args.selector !== undefined ? ` match -l ${args.selector}` : ' exist';
    const kinds = args.kinds ? args.kinds.join(',') : 'trackable resources';
    throw new InvalidInputError(`no ${kinds} in ${where}${what}`, 'selector');
  }
  return found;
}

/**
 * Everything the command line asks to track, as multitrack specs whose kind
 * is the resolved type (unknown kinds fail here, before anything is
 * watched), without duplicates — but a Helm release's, which its own track
 * reads as Helm writes its revisions.
 */
export async function collectSpecs(
  client: KubeClient,
  args: TrackArgs,
  options: { manifests: KubeObject[]; signal?: AbortSignal },
): Promise<MultitrackSpec[]> {
  // `-n a,b`: each namespace (stern's several namespaces).
  const namespaces = args.namespace?.split(',').filter((n) => n !== '') ?? [client.namespace];
  const namespace = namespaces[0] ?? client.namespace;
  const specs: MultitrackSpec[] = namespaces.flatMap((ns) =>
    args.targets.map((t) => ({ ...t, namespace: ns })),
  );
  for (const spec of args.specs) specs.push({ ...spec, namespace: spec.namespace ?? namespace });
  for (const object of options.manifests)
    for (const ns of object.metadata.namespace ? [namespace] : namespaces)
      specs.push(specFromManifest(object, ns));
  if (args.selector !== undefined || args.all)
    for (const ns of args.allNamespaces ? [''] : namespaces)
      specs.push(...(await listed(client, args, ns, options.signal)));
  const unique = new Map<string, MultitrackSpec>();
  for (const spec of specs) {
    const type = await typeOrLater(client, spec, options.signal);
    // A manifest's kind not served yet: its tracker waits for it (its CRD may be applied in this run).
    const resolved = type
      ? { ...spec, kind: type, namespace: type.namespaced ? (spec.namespace ?? namespace) : '' }
      : { ...spec, namespace: spec.namespace ?? namespace };
    const key = `${type ? `${type.group}/${type.kind}` : String(spec.kind)}/${resolved.namespace}/${resolved.name}`;
    if (!unique.has(key)) unique.set(key, resolved);
  }
  return [...unique.values()];
}
