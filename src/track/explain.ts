import { KubeApiError } from '../kube/errors.js';
import { formatCpu, formatMemory, parseQuantity } from '../kube/quantity.js';
import type { KubeObject } from '../kube/types.js';
import { field, list, str } from '../status/fields.js';
import { FailureReason } from '../status/reasons.js';
import type { Problem } from '../status/types.js';
import type { TrackSource } from './sources.js';

/**
 * Failures explained one lookup deeper: the object a failing pod waits for
 * — its ConfigMap or Secret, its imagePullSecrets, its claim, the nodes it
 * does not fit — is read once, and what it shows becomes a line of the
 * failure report and, when it says what to do, the hint. Only reads, only
 * within the report's time budget; a read that is not allowed (403) or
 * fails says nothing.
 */

/** What the lookups found, one line each, and the hint they lead to. */
export interface Explanation {
  findings: string[];
  hint?: string;
}

/** What an explainer reads with, and about what. */
interface Lookup {
  source: Required<Pick<TrackSource, 'get' | 'list'>>;
  namespace: string;
  cause: Problem;
  signal: AbortSignal;
}

type Explainer = (lookup: Lookup) => Promise<Explanation | undefined>;

const EXPLAINERS: Readonly<Record<string, Explainer>> = {
  [FailureReason.CreateContainerConfigError]: (lookup) => configReference(lookup, lookup.cause.message),
  [FailureReason.ErrImagePull]: pullCredentials,
  [FailureReason.ImagePullBackOff]: pullCredentials,
  [FailureReason.FailedMount]: mount,
  [FailureReason.Unschedulable]: scheduling,
  [FailureReason.FailedScheduling]: scheduling,
};

/** Explains a failure's cause, when it is one kubedog knows how to look further into. */
export async function explainFailure(
  source: TrackSource,
  namespace: string,
  cause: Problem | undefined,
  signal: AbortSignal,
): Promise<Explanation | undefined> {
  const explainer = cause ? EXPLAINERS[cause.reason] : undefined;
  const { get, list } = source;
  if (!cause || !explainer || !get || !list) return undefined;
  const reader = { get: get.bind(source), list: list.bind(source) };
  try {
    return await explainer({ source: reader, namespace, cause, signal });
  } catch {
    // Not allowed, gone, or out of time: the report goes without it.
    return undefined;
  }
}

/** An object, or undefined when it does not exist (any other error is thrown). */
async function find(lookup: Lookup, kind: string, name: string): Promise<KubeObject | undefined> {
  try {
    return await lookup.source.get(kind, { name, namespace: lookup.namespace }, { signal: lookup.signal });
  } catch (error) {
    if (error instanceof KubeApiError && error.statusCode === 404) return undefined;
    throw error;
  }
}

const KINDS: Readonly<Record<string, string>> = { configmap: 'ConfigMap', secret: 'Secret' };

/**
 * `configmap "web-config" not found`, `couldn't find key LOG_LEVEL in
 * ConfigMap default/web-config`: whether the object exists now, and which
 * keys it has (their names only, for a Secret too).
 */
async function configReference(lookup: Lookup, message: string): Promise<Explanation | undefined> {
  const missing = /\b(configmap|secret)s? "([^"]+)" not found/i.exec(message);
  const key = /couldn't find key (\S+) in (ConfigMap|Secret) [^/\s]+\/(\S+)/.exec(message);
  const kind = KINDS[(missing?.[1] ?? key?.[2] ?? '').toLowerCase()];
  const name = missing?.[2] ?? key?.[3];
  if (!kind || !name) return undefined;
  const where = `${kind} "${name}"`;
  const object = await find(lookup, kind, name);
  if (!object)
    return {
      findings: [`${where} does not exist in namespace "${lookup.namespace}"`],
      hint: `create the ${where} in namespace "${lookup.namespace}", or fix the pod's reference to it`,
    };
  if (!key) return { findings: [`${where} exists now: the kubelet starts the container at its next try`] };
  const keys = [
    ...Object.keys(field(object, 'data') ?? {}),
    ...Object.keys(field(object, 'binaryData') ?? {}),
  ];
  if (keys.includes(key[1] as string)) return { findings: [`${where} has the key "${key[1]}" now`] };
  return {
    findings: [`${where} has no key "${key[1]}" (its keys: ${keys.length > 0 ? keys.join(', ') : 'none'})`],
    hint: `add the key "${key[1]}" to the ${where}, or fix the key the pod refers to`,
  };
}

/** A registry that asked for credentials: does the pod have imagePullSecrets, and do they exist and cover it? */
async function pullCredentials(lookup: Lookup): Promise<Explanation | undefined> {
  const { cause } = lookup;
  if (
    !/\b(401|403)\b|unauthori[sz]ed|denied|authentication required|no basic auth credentials/i.test(
      cause.message,
    )
  )
    return undefined;
  const pod = cause.pod ? await find(lookup, 'Pod', cause.pod) : undefined;
  if (!pod) return undefined;
  const image = podImage(pod, cause.container);
  const registry = image ? registryOf(image) : 'the registry';
  const names = list(pod, 'spec', 'imagePullSecrets').flatMap((s) => str(s, 'name') ?? []);
  if (names.length === 0)
    return {
      findings: [`pod ${cause.pod} has no imagePullSecrets, and ${registry} asks for credentials`],
      hint: `create a docker-registry Secret for ${registry} and list it in the pod's (or its ServiceAccount's) imagePullSecrets`,
    };
  const states = await Promise.all(names.map((name) => pullSecretState(lookup, name, registry)));
  const findings = [`imagePullSecrets of pod ${cause.pod}: ${states.map((s) => s.says).join(', ')}`];
  const missing = states.find((s) => s.state === 'missing');
  if (missing)
    return {
      findings,
      hint: `create the Secret "${missing.name}" (kubectl create secret docker-registry ${missing.name} --docker-server=${registry} …)`,
    };
  if (states.every((s) => s.state === 'other-registry'))
    return { findings, hint: `add credentials for ${registry} to the pod's imagePullSecrets` };
  return {
    findings,
    hint: `the credentials in the imagePullSecrets were refused by ${registry}: check that they are current and may pull the image`,
  };
}

type PullSecretState = {
  name: string;
  state: 'missing' | 'other-registry' | 'covers' | 'unknown';
  says: string;
};

async function pullSecretState(lookup: Lookup, name: string, registry: string): Promise<PullSecretState> {
  const secret = await find(lookup, 'Secret', name).catch(() => null);
  if (secret === undefined) return { name, state: 'missing', says: `"${name}" does not exist` };
  const config =
    secret === null
      ? undefined
      : (str(secret, 'data', '.dockerconfigjson') ?? str(secret, 'data', '.dockercfg'));
  if (config === undefined) return { name, state: 'unknown', says: `"${name}"` };
  const hosts = registryHosts(config);
  const covers = hosts.some((host) => host === registry);
  return covers
    ? { name, state: 'covers', says: `"${name}" (has credentials for ${registry})` }
    : {
        name,
        state: 'other-registry',
        says: `"${name}" (credentials for ${hosts.join(', ') || 'no registry'}, not ${registry})`,
      };
}

/** The registry hosts a docker config names (only the hosts: nothing else of the Secret is kept). */
function registryHosts(base64: string): string[] {
  try {
    const parsed = JSON.parse(Buffer.from(base64, 'base64').toString('utf8')) as Record<string, unknown>;
    const auths = (parsed.auths ?? parsed) as Record<string, unknown>;
    return Object.keys(auths).map((key) => {
      const host = key.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
      return host === 'index.docker.io' ? 'docker.io' : host;
    });
  } catch {
    return [];
  }
}

/** The registry of an image reference, as the runtime reads it (docker.io when the first part is not a host). */
function registryOf(image: string): string {
  const first = image.split('/')[0] ?? '';
  const isHost = image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  return isHost ? first : 'docker.io';
}

function podImage(pod: KubeObject, container: string | undefined): string | undefined {
  const all = [...list(pod, 'spec', 'initContainers'), ...list(pod, 'spec', 'containers')];
  const found = all.find((c) => container === undefined || str(c, 'name') === container);
  return str(found, 'image');
}

/** A volume that does not mount: its ConfigMap or Secret, or its claim. */
async function mount(lookup: Lookup): Promise<Explanation | undefined> {
  const config = await configReference(lookup, lookup.cause.message);
  if (config) return config;
  return claims(lookup);
}

/** The pod's PersistentVolumeClaims that are not Bound: missing, or Pending with their provisioner's last word. */
async function claims(lookup: Lookup): Promise<Explanation | undefined> {
  const pod = lookup.cause.pod ? await find(lookup, 'Pod', lookup.cause.pod) : undefined;
  const names = list(pod, 'spec', 'volumes').flatMap(
    (v) => str(v, 'persistentVolumeClaim', 'claimName') ?? [],
  );
  const findings: string[] = [];
  let hint: string | undefined;
  for (const name of names) {
    const claim = await find(lookup, 'PersistentVolumeClaim', name);
    const phase = str(claim, 'status', 'phase') ?? 'Pending';
    if (claim && phase === 'Bound') continue;
    if (!claim) {
      findings.push(`PersistentVolumeClaim "${name}" does not exist`);
      hint ??= `create the PersistentVolumeClaim "${name}", or fix the pod's claimName`;
      continue;
    }
    const last = await lastWarning(lookup, 'PersistentVolumeClaim', name);
    findings.push(`PersistentVolumeClaim "${name}" is ${phase}${last ? `: ${last}` : ''}`);
    hint ??= `the claim is not bound: check its storageClassName ("${str(claim, 'spec', 'storageClassName') ?? 'the default'}") and that class's provisioner`;
  }
  return findings.length > 0 ? { findings, ...(hint ? { hint } : {}) } : undefined;
}

/** The newest Warning Event about an object: `Reason: message`. */
async function lastWarning(lookup: Lookup, kind: string, name: string): Promise<string | undefined> {
  const { items } = await lookup.source.list('Event', {
    namespace: lookup.namespace,
    fieldSelector: `involvedObject.kind=${kind},involvedObject.name=${name},type=Warning`,
    signal: lookup.signal,
  });
  const newest = items.sort((a, b) => time(b) - time(a))[0];
  return newest ? `${str(newest, 'reason') ?? ''}: ${str(newest, 'message') ?? ''}` : undefined;
}

const time = (event: KubeObject) =>
  Date.parse(str(event, 'lastTimestamp') ?? str(event, 'eventTime') ?? '') || 0;

/**
 * A pod that does not fit: the scheduler's message in short, the pod's
 * requests next to the most any node can allocate, and the nodes that take
 * no pods (cordoned, tainted NoSchedule); unbound claims when it waits for them.
 */
async function scheduling(lookup: Lookup): Promise<Explanation | undefined> {
  const { cause } = lookup;
  if (/unbound .*PersistentVolumeClaims/.test(cause.message)) return claims(lookup);
  const pod = cause.pod ? await find(lookup, 'Pod', cause.pod) : undefined;
  if (!pod) return undefined;
  const { items: nodes } = await lookup.source.list('Node', { signal: lookup.signal });
  const wants = podRequests(pod);
  const most = largestAllocatable(nodes);
  const closed = nodes.filter((n) => field(n, 'spec', 'unschedulable') === true || noScheduleTaint(n)).length;
  const requested = [
    wants.cpu ? `cpu ${formatCpu(wants.cpu)}` : '',
    wants.memory ? `memory ${formatMemory(wants.memory)}` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const findings = [
    `pod ${cause.pod} requests ${requested || 'no cpu or memory'}; of ${nodes.length} nodes, the most any allocates is cpu ${formatCpu(most.cpu)}, memory ${formatMemory(most.memory)}${closed ? ` (${closed} take no new pods: cordoned or tainted NoSchedule)` : ''}`,
  ];
  const tooBig = [
    wants.cpu > most.cpu ? `cpu to ${formatCpu(most.cpu)}` : '',
    wants.memory > most.memory ? `memory to ${formatMemory(most.memory)}` : '',
  ].filter(Boolean);
  const hint =
    tooBig.length > 0
      ? `no node is big enough: lower the pod's requests (${tooBig.join(', ')} or less) or add larger nodes`
      : 'a node is big enough, but not free: check what runs there, the nodeSelector/affinity, and taints and tolerations';
  return { findings, hint };
}

function podRequests(pod: KubeObject): { cpu: number; memory: number } {
  const request = (c: unknown, name: string) =>
    parseQuantity(str(c, 'resources', 'requests', name) ?? '0') ?? 0;
  const sum = (name: string) =>
    list(pod, 'spec', 'containers').reduce<number>((n, c) => n + request(c, name), 0);
  const init = (name: string) =>
    Math.max(0, ...list(pod, 'spec', 'initContainers').map((c) => request(c, name)));
  return { cpu: Math.max(sum('cpu'), init('cpu')), memory: Math.max(sum('memory'), init('memory')) };
}

function largestAllocatable(nodes: KubeObject[]): { cpu: number; memory: number } {
  const most = (name: string) =>
    Math.max(0, ...nodes.map((n) => parseQuantity(str(n, 'status', 'allocatable', name) ?? '0') ?? 0));
  return { cpu: most('cpu'), memory: most('memory') };
}

const noScheduleTaint = (node: KubeObject) =>
  list(node, 'spec', 'taints').some((t) => str(t, 'effect') === 'NoSchedule');
