import { Backoff } from '../kube/backoff.js';
import { type Clock, sleep, systemClock, timeoutSignal } from '../kube/clock.js';
import { formatDuration } from '../kube/duration.js';
import { UnknownKindError } from '../kube/errors.js';
import { isForbidden } from '../kube/rbac.js';
import { isKubernetesGroup, type ResourceType } from '../kube/resources.js';
import type { KubeObject } from '../kube/types.js';
import { FailureReason } from '../status/reasons.js';
import type { DriverOptions, TrackTarget } from './driver.js';
import type { TrackEvent, TrackEventInit } from './events.js';
import type { TrackSource } from './sources.js';

/**
 * How often discovery is asked again for a kind not served yet: from half
 * a second, doubling (with jitter) up to 8 s — a CRD applied in the same
 * run is served within seconds, and a kind that never comes costs a few
 * requests a minute.
 */
const PACE = { initialDelayMs: 500, maxDelayMs: 8000, giveUpAfterMs: Number.POSITIVE_INFINITY };

/**
 * The REST type of a kind the API server did not serve when last asked
 * (its CustomResourceDefinition applied in the same run): discovery is asked
 * again, with back-off, until the kind is served — or `until` (ms since the
 * epoch) passes: undefined. Any error other than the kind's absence is
 * thrown at once.
 */
export async function resolveWhenServed(
  source: TrackSource,
  kind: string,
  options: { signal?: AbortSignal | undefined; until: number | undefined; clock: Clock },
): Promise<ResourceType | undefined> {
  const backoff = new Backoff(PACE);
  for (;;) {
    const left = (options.until ?? Number.POSITIVE_INFINITY) - options.clock.now();
    if (left <= 0) return undefined;
    await sleep(Math.min(left, backoff.next() ?? PACE.maxDelayMs), options.signal, options.clock);
    try {
      return await source.resolveType(kind, { signal: options.signal, fresh: true });
    } catch (error) {
      if (!(error instanceof UnknownKindError)) throw error;
    }
  }
}

/**
 * A target's REST type; undefined for a kind its manifest names that the
 * API server does not serve yet (`awaitKind`: its tracker waits for it).
 * Any other kind unknown is an error at once: a typo must not wait.
 */
export async function typeOrLater(
  source: Pick<TrackSource, 'resolveType'>,
  target: { kind: string | ResourceType; awaitKind?: boolean },
  signal: AbortSignal | undefined,
): Promise<ResourceType | undefined> {
  try {
    return await source.resolveType(target.kind, { signal });
  } catch (error) {
    if (error instanceof UnknownKindError && target.awaitKind) return undefined;
    throw error;
  }
}

/** `Storefront` of `Storefront.shop.example.com` or `storefronts.v1.shop.example.com`: how events name a kind not served yet. */
export function kindOfSpelling(kind: string): string {
  return kind.split('.')[0] ?? kind;
}

/** `shop.example.com` of `Storefront.shop.example.com`; '' when the spelling names no group. */
export function groupOfSpelling(kind: string): string {
  const dot = kind.indexOf('.');
  return dot < 0 ? '' : kind.slice(dot + 1);
}

/** How long reading a kind's CRD may take before the track goes on without it. */
const CRD_READ_MS = 2000;

/**
 * Whether a custom kind's CustomResourceDefinition declares a status
 * subresource for the version tracked — its controller is then expected to
 * report a status. Undefined for Kubernetes' own kinds, and when the CRD
 * cannot be read, whatever the reason (not allowed: `denied` is told).
 */
export function declaresStatus(
  source: TrackSource,
  type: ResourceType,
  options: CrdReadOptions,
): Promise<boolean | undefined> {
  if (isKubernetesGroup(type.group) || !source.get) return Promise.resolve(undefined);
  // Read once per source and kind: a thousand resources of one kind are one request.
  const known = crdReads.get(source) ?? new Map<string, Promise<boolean | undefined>>();
  crdReads.set(source, known);
  const key = `${type.plural}.${type.group}/${type.version}`;
  let read = known.get(key);
  if (!read) {
    read = readDeclaresStatus(source, type, options);
    known.set(key, read);
    // An aborted read says nothing of the kind: the next tracker asks again.
    read.catch(() => known.delete(key));
  }
  return read;
}

const crdReads = new WeakMap<TrackSource, Map<string, Promise<boolean | undefined>>>();

/** How a kind's CRD is read: the track's signal and clock, and who is told of a 403. */
interface CrdReadOptions {
  signal?: AbortSignal | undefined;
  clock?: Clock | undefined;
  denied(error: unknown): void;
}

async function readDeclaresStatus(
  source: TrackSource,
  type: ResourceType,
  options: CrdReadOptions,
): Promise<boolean | undefined> {
  if (!source.get) return undefined;
  const { signal, clear } = timeoutSignal(options.clock ?? systemClock, CRD_READ_MS, options.signal);
  try {
    const crd = await source.get(
      'CustomResourceDefinition',
      { name: `${type.plural}.${type.group}` },
      { signal },
    );
    return statusSubresource(crd, type.version);
  } catch (error) {
    // Only the caller's abort ends the track; without the CRD the object's age decides.
    options.signal?.throwIfAborted();
    if (isForbidden(error)) options.denied(error);
    return undefined;
  } finally {
    clear();
  }
}

/** Whether a CRD declares `subresources.status` for a version (or for all, as v1beta1 CRDs may). */
export function statusSubresource(crd: KubeObject, version: string): boolean {
  const spec = crd.spec as
    | {
        subresources?: { status?: unknown };
        versions?: { name?: string; subresources?: { status?: unknown } }[];
      }
    | undefined;
  const served = spec?.versions?.find((v) => v.name === version);
  return (served?.subresources?.status ?? spec?.subresources?.status) !== undefined;
}

/**
 * The target's REST type. A kind a manifest names (`awaitKind`) that the
 * API server does not serve yet is waited for (said once): discovery is
 * asked again until it is served, or the track's deadline — in a rollout,
 * also its no-activity timeout — passes: then the track fails, saying the
 * kind never came, and there is no type.
 */
export async function* servedType(
  source: TrackSource,
  target: TrackTarget,
  options: DriverOptions,
): AsyncGenerator<TrackEvent, ResourceType | undefined, undefined> {
  const served = await typeOrLater(source, target, options.signal);
  const { kind } = target;
  if (served || typeof kind !== 'string') return served;
  const clock = options.clock ?? systemClock;
  const event = (init: TrackEventInit) =>
    ({
      time: new Date(clock.now()).toISOString(),
      resource: {
        kind: kindOfSpelling(kind),
        namespace: target.namespace ?? source.namespace,
        name: target.name,
      },
      ...init,
    }) as TrackEvent;
  if (options.until === 'deleted') {
    yield event({
      type: 'deleted',
      message: `${describeKind(kind)} is not served: "${target.name}" does not exist`,
    });
    return undefined;
  }
  yield event({
    type: 'notice',
    code: 'kind-not-served',
    message: `the API server does not serve ${describeKind(kind)} yet: waiting for it (its CustomResourceDefinition may be applied in this run)`,
  });
  const end = kindDeadline(options, clock.now());
  const type = await resolveWhenServed(source, kind, {
    signal: options.signal,
    until: end?.at,
    clock,
  });
  if (type || !end) return type;
  yield event({
    type: 'failed',
    reason: end.reason,
    message: `${end.what}: the API server never served ${describeKind(kind)}`,
    hint: `was its CustomResourceDefinition applied? (kubectl get crd | grep ${groupOfSpelling(kind) || kind})`,
    report: { warnings: [], logs: [], findings: [] },
  });
  return undefined;
}

const describeKind = (kind: string) => `kind "${kind}"`;

/** When waiting for a kind ends: the track's deadline, or in a rollout its no-activity timeout, whichever comes first. */
function kindDeadline(
  options: DriverOptions,
  now: number,
): { at: number; reason: FailureReason; what: string } | undefined {
  const { timeout, until = 'ready' } = options;
  const at = options.deadline ?? (timeout === undefined ? undefined : now + timeout);
  const idle = until === 'ready' ? now + (options.noActivityTimeout ?? 240_000) : undefined;
  if (idle !== undefined && (at === undefined || idle < at)) {
    const what = `nothing happened for ${formatDuration(idle - now)}`;
    return { at: idle, reason: FailureReason.NoActivity, what };
  }
  if (at === undefined) return undefined;
  return {
    at,
    reason: FailureReason.Timeout,
    what: `not ready after ${formatDuration(timeout ?? at - now)}`,
  };
}
