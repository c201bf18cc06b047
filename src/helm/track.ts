import { type HelmStorage, recordName, recordVersion, STORAGE_KINDS } from '../helm-record/codec.js';
import { isTrackable, specFromManifest } from '../inputs/specs.js';
import { cancellable } from '../kube/cancellable.js';
import { type Clock, systemClock, type TimeoutSignal, timeoutSignal } from '../kube/clock.js';
import { formatDuration } from '../kube/duration.js';
import { InvalidInputError } from '../kube/errors.js';
import type { KubeObject } from '../kube/types.js';
import { FailureReason } from '../status/reasons.js';
import type { TrackOptions } from '../track/driver.js';
import type { MultitrackEvent, ResourceRef } from '../track/events.js';
import type { MultitrackSpec } from '../track/multitrack.js';
import { multitrack } from '../track/multitrack.js';
import type { FailMode } from '../track/outcome.js';
import type { TrackSource } from '../track/sources.js';
import { deletePoliciesOf, type ScheduledHook, scheduledHooks } from './hooks.js';
import { type HelmRelease, listRevisions, releaseFromRecord } from './release.js';
import { RevisionWatch } from './revisions.js';

/** Which hooks a release's track follows. */
export interface HelmHookOptions {
  /** The hooks of the revision's operation (`pre-upgrade`, `post-upgrade`…). @default true */
  hooks?: boolean;
  /** The `test` hooks too (`helm test`): the track waits for them to succeed. @default false */
  tests?: boolean;
}

/**
 * The specs of a revision, in Helm's order: the release's record (its
 * status is Helm's), the `pre-*` hooks, the resources, the `post-*` and
 * `test` hooks (see {@link scheduledHooks}). Each carries what Helm's work
 * on it means (`MultitrackSpec.helm`): a resource is judged once Helm has
 * applied the revision; a hook's earlier run is not this one.
 * @example
 * import { helmReleaseSpecs, readHelmRelease } from 'kubedog/helm';
 *
 * const release = await readHelmRelease(client, 'shop');
 * console.log(helmReleaseSpecs(release).map((spec) => `${spec.kind}/${spec.name}`).join(' '));
 * // prints: Secret/sh.helm.release.v1.shop.v1 Deployment/web
 */
export function helmReleaseSpecs(release: HelmRelease, options: HelmHookOptions = {}): MultitrackSpec[] {
  const record = { kind: release.record.kind, namespace: release.namespace, name: release.record.name };
  const helm = { record, ...(release.record.createdAt ? { createdAt: release.record.createdAt } : {}) };
  const hooks =
    options.hooks === false
      ? []
      : scheduledHooks(release.hooks, release.operation, { tests: options.tests ?? false });
  const hookSpec = ({ hook, phase }: ScheduledHook): MultitrackSpec[] => {
    if (!hook.object || !isTrackable(hook.object)) return [];
    const ran =
      hook.lastRun?.phase === 'Succeeded' || hook.lastRun?.phase === 'Failed'
        ? hook.lastRun.phase
        : undefined;
    const target = { phase, deletePolicies: deletePoliciesOf(hook), ...(ran ? { ran } : {}) };
    return [{ ...specFromManifest(hook.object, release.namespace), helm: { ...helm, hook: target } }];
  };
  const before = hooks.filter((h) => h.phase.startsWith('pre-'));
  const after = hooks.filter((h) => !h.phase.startsWith('pre-'));
  return [
    // Helm's failure counts once the rest has ended: a failed hook's own report (its last lines) says more.
    {
      kind: record.kind,
      name: record.name,
      namespace: record.namespace,
      logs: false,
      failMode: 'hope-until-end',
    },
    ...before.flatMap(hookSpec),
    ...release.objects
      .filter(isTrackable)
      .map((object) => ({ ...specFromManifest(object, release.namespace), helm })),
    ...after.flatMap(hookSpec),
  ];
}

/** Options of {@link trackHelmRelease}: a multitrack's, and which release and revision. */
export interface HelmTrackOptions extends TrackOptions, HelmHookOptions {
  /** The release's namespace. @default the source's */
  namespace?: string;
  /** Where Helm keeps the release (`HELM_DRIVER`). @default 'secret' */
  storage?: HelmStorage;
  /**
   * Which revision: a number (waited for if Helm has not written it yet);
   * `'next'`, the first one newer than the newest when the track starts
   * (start kubedog, then `helm upgrade`; a revision Helm is writing already
   * is that one); or, by default, the newest. Unless a number pins it, a
   * newer revision written during the track is followed instead.
   */
  revision?: number | 'next';
  /** More resources to track alongside the release's. */
  specs?: MultitrackSpec[];
  /** The fail mode of the release's resources and hooks whose annotations do not say one. @default 'fail-whole-deploy' */
  failMode?: FailMode;
}

/** What a release's track reads: watches and logs, and lists of its records. */
export type HelmSource = TrackSource & Required<Pick<TrackSource, 'list'>>;

/**
 * Tracks a Helm 3 release as Helm installs, upgrades or rolls it back: its
 * record (Helm's own status: pending → progressing, `failed` → failed with
 * Helm's description, `deployed` → ready), its resources, and its hooks in
 * Helm's order with their logs ({@link helmReleaseSpecs}). It can start
 * before Helm writes the revision (`revision: 'next'`); a newer revision
 * written meanwhile is followed instead, with a notice. The events and the
 * summary are {@link multitrack}'s; hooks' events name their phase
 * (`resource.helmHook`).
 * @throws {InvalidInputError} no such release (without `revision`), or a record that does not hold one
 * @example
 * import { trackHelmRelease } from 'kubedog/helm';
 *
 * for await (const event of trackHelmRelease(client, 'shop', { timeout: 300_000 })) {
 *   if (event.type === 'failed') console.error(`${event.resource.name}: ${event.message}`);
 *   if (event.type === 'summary') console.log(`outcome: ${event.summary.outcome}`);
 * }
 * // prints: outcome: ready
 */
export function trackHelmRelease(
  source: HelmSource,
  name: string,
  options: HelmTrackOptions = {},
): AsyncGenerator<MultitrackEvent, void, undefined> {
  return cancellable((signal) => run(source, name, { ...options, signal }), options.signal);
}

async function* run(
  source: HelmSource,
  name: string,
  options: HelmTrackOptions & { signal: AbortSignal },
): AsyncGenerator<MultitrackEvent, void, undefined> {
  const startedAt = (options.clock ?? systemClock).now();
  // The watch of the revisions ends with the track, however it ends.
  const stop = new AbortController();
  const signal = AbortSignal.any([options.signal, stop.signal]);
  try {
    yield* track(source, name, { ...options, signal }, startedAt);
  } finally {
    stop.abort();
  }
}

async function* track(
  source: HelmSource,
  name: string,
  options: HelmTrackOptions & { signal: AbortSignal },
  startedAt: number,
): AsyncGenerator<MultitrackEvent, void, undefined> {
  const { signal } = options;
  const deadline = options.timeout === undefined ? undefined : startedAt + options.timeout;
  const namespace = options.namespace ?? source.namespace;
  const storage = options.storage ?? 'secret';
  const at = (version: number) => recordRef(storage, namespace, name, version);
  // The multitrack's clock (a test's), for what this track says itself too.
  const clock = options.clock ?? systemClock;
  const by = { clock, deadline };
  const notice = (version: number, message: string) =>
    noticeEvent(at(version), message, new Date(clock.now()));
  const timeout = { startedAt, timeoutMs: options.timeout ?? 0, clock };
  const records = await listBy(source, name, { namespace, storage, signal }, by);
  if (!records) {
    const unanswered = `no answer from the API server about the revisions of Helm release "${name}" yet`;
    yield* timedOut(at(1), unanswered, timeout);
    return;
  }
  let wanted = firstWanted(options.revision, records, { name, namespace, storage });
  const watch = new RevisionWatch(source, name, { kind: STORAGE_KINDS[storage], namespace, signal });
  if (wanted > (records[0] ? recordVersion(records[0]) : 0))
    yield notice(wanted, `waiting for Helm to write revision ${wanted} of release "${name}"`);
  for (;;) {
    const record = await reachBy(watch, wanted, by, signal);
    if (!record) {
      const newest = watch.newest === 0 ? 'no revision at all' : `the newest is ${watch.newest}`;
      yield* timedOut(
        at(wanted),
        `Helm release "${name}" has no revision ${wanted} yet (${newest})`,
        timeout,
      );
      return;
    }
    const release = releaseFromRecord(record);
    yield notice(release.version, describeRevision(release));
    const round = trackRevision(source, release, options, by);
    const newer =
      typeof options.revision === 'number' ? undefined : watch.reach(release.version + 1, round.signal);
    const next = yield* round.events(newer);
    if (next === undefined) return;
    const version = recordVersion(next);
    yield notice(
      version,
      `Helm started revision ${version}: tracking it instead of revision ${release.version}`,
    );
    wanted = version;
  }
}

/** The revision the track starts waiting for. */
function firstWanted(
  revision: HelmTrackOptions['revision'],
  records: KubeObject[],
  where: { name: string; namespace: string; storage: HelmStorage },
): number {
  const newest = records[0];
  if (typeof revision === 'number') return revision;
  if (revision === 'next') {
    if (!newest) return 1;
    // Helm is writing it already (`kubedog … & helm upgrade`): that one.
    const pending = newest.metadata.labels?.status?.startsWith('pending-') ?? false;
    return recordVersion(newest) + (pending ? 0 : 1);
  }
  if (!newest)
    throw new InvalidInputError(
      `no Helm release "${where.name}" in namespace "${where.namespace}" (no ${STORAGE_KINDS[where.storage]} ${recordName(where.name, 1).replace(/1$/, 'N')}); to wait for its install: --helm-revision next`,
      where.name,
    );
  return recordVersion(newest);
}

/** The release's records, or undefined when the deadline comes first. */
async function listBy(
  source: HelmSource,
  name: string,
  options: { namespace: string; storage: HelmStorage; signal: AbortSignal },
  by: Deadline,
): Promise<KubeObject[] | undefined> {
  const timeout = boundedBy(by, options.signal);
  try {
    return await listRevisions(source, name, { ...options, signal: timeout.signal });
  } catch (error) {
    if (timeout.signal.aborted && !options.signal.aborted) return undefined;
    throw error;
  } finally {
    timeout.clear();
  }
}

/** The record of a revision once there, or undefined at the deadline. */
async function reachBy(
  watch: RevisionWatch,
  version: number,
  by: Deadline,
  signal: AbortSignal,
): Promise<KubeObject | undefined> {
  const timeout = boundedBy(by, signal);
  return watch
    .reach(version, timeout.signal)
    .then((record) => {
      signal.throwIfAborted();
      return record;
    })
    .finally(timeout.clear);
}

/** The track's one deadline (ms since the epoch, on its clock; none: no timeout). */
interface Deadline {
  clock: Clock;
  deadline: number | undefined;
}

/** `signal`, also aborted when the deadline comes. */
function boundedBy({ clock, deadline }: Deadline, signal: AbortSignal): TimeoutSignal {
  if (deadline === undefined) return { signal, clear: () => {} };
  return timeoutSignal(clock, Math.max(1, deadline - clock.now()), signal);
}

/** One revision's multitrack, ended early when a newer revision appears. */
function trackRevision(
  source: HelmSource,
  release: HelmRelease,
  options: HelmTrackOptions & { signal: AbortSignal },
  { clock, deadline }: Deadline,
) {
  const controller = new AbortController();
  const own = helmReleaseSpecs(release, options).map((spec) =>
    options.failMode && !spec.failMode ? { ...spec, failMode: options.failMode } : spec,
  );
  const specs = [...own, ...(options.specs ?? [])];
  const timeout = deadline === undefined ? {} : { timeout: Math.max(1, deadline - clock.now()) };
  const events = multitrack(source, specs, { ...options, ...timeout });
  return {
    signal: AbortSignal.any([options.signal, controller.signal]),
    /** Yields the multitrack's events; returns the newer revision's record if one came first. */
    async *events(newer: Promise<KubeObject | undefined> | undefined) {
      const interrupted = (newer ?? new Promise<undefined>(() => {})).then((record) => ({ record }));
      // The watch's error, if it comes, ends the track through the race; never unhandled.
      interrupted.catch(() => {});
      try {
        for (;;) {
          const step = await Promise.race([events.next(), interrupted]);
          if ('record' in step) {
            if (step.record) return step.record;
            continue;
          }
          if (step.done) return undefined;
          yield step.value;
          if (step.value.type === 'summary') return undefined;
        }
      } finally {
        controller.abort();
        await events.return(undefined);
      }
    },
  };
}

const recordRef = (
  storage: HelmStorage,
  namespace: string,
  release: string,
  version: number,
): ResourceRef => ({
  kind: STORAGE_KINDS[storage],
  namespace,
  name: recordName(release, version),
});

const noticeEvent = (resource: ResourceRef, message: string, time: Date): MultitrackEvent => ({
  type: 'notice',
  code: 'helm',
  time: time.toISOString(),
  resource,
  message,
});

/** `Helm release "shop" revision 4 (upgrade, pending-upgrade): hooks pre-upgrade job/migrate`. */
function describeRevision(release: HelmRelease): string {
  const hooks = release.hooks
    .filter((hook) => hook.object)
    .map((hook) => `${hook.events.join(',')} ${hook.kind.toLowerCase()}/${hook.name}`);
  const said = `Helm release "${release.name}" revision ${release.version} (${release.operation}, ${release.status})`;
  return hooks.length > 0 ? `${said}; hooks: ${hooks.join('; ')}` : said;
}

/** The revision waited for never came: the track times out as a multitrack would. */
function* timedOut(
  resource: ResourceRef,
  waiting: string,
  { startedAt, timeoutMs, clock }: { startedAt: number; timeoutMs: number; clock: Clock },
): Generator<MultitrackEvent> {
  const message = `not created after ${formatDuration(timeoutMs)}: ${waiting}`;
  const now = clock.now();
  const time = new Date(now).toISOString();
  const elapsedMs = now - startedAt;
  yield {
    type: 'failed',
    time,
    resource,
    reason: FailureReason.Timeout,
    message,
    hint: 'start kubedog before helm (--helm-revision next), check the release name and namespace, or raise the timeout',
    report: { warnings: [], logs: [], findings: [] },
  };
  yield {
    type: 'summary',
    time,
    summary: {
      outcome: 'timeout',
      elapsedMs,
      ready: [],
      failed: [{ resource, reason: FailureReason.Timeout, message, elapsedMs, ignored: false }],
      pending: [],
      timeline: [],
      degraded: [],
    },
  };
}
