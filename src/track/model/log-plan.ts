import type { KubeObject } from '../../kube/types.js';
import { type ContainerStatus, containerStatuses, ephemeralStatuses } from './pods.js';

/** One container instance to follow. */
export interface ContainerTail {
  pod: string;
  container: string;
  /** The runtime's container ID: a restarted container is a new instance, followed afresh. */
  containerId: string;
  /** Only lines from then on (a pod of an old revision: what it says now, not its history). */
  from?: Date;
  /**
   * The instance was running long before the track began (then): its lines
   * from before are history, left out unless the log options ask for a `since`.
   */
  history?: Date;
}

/** What to do with log streams. */
export type LogAction =
  /** Follow a container instance from its start (or from `from`). */
  | { type: 'follow'; tail: ContainerTail }
  /** Fetch the last lines of a container's previous instance, which crashed before it was followed. */
  | { type: 'previous'; pod: string; container: string }
  /** The pod is gone: stop following it. */
  | { type: 'unfollow'; pod: string };

/** A container instance's state, as stern's `--container-state` names it. */
export type ContainerState = 'running' | 'waiting' | 'terminated';

/** Which containers' logs are wanted. */
export interface ContainerFilter {
  /** Only these containers: names, or patterns (a RegExp matches the whole name as it says). @default all */
  containers?: (string | RegExp)[];
  /** Not these containers: names or patterns. */
  excludeContainers?: (string | RegExp)[];
  /** Not the pods whose name one of these matches (stern's `--exclude-pod`). */
  excludePods?: RegExp[];
  /** Only the pods on this node (stern's `--node`). */
  node?: string;
  /**
   * Only container instances in these states (stern's `--container-state`):
   * `running`, `terminated`, and `waiting` — the last lines of the crashed
   * instance of a container waiting to restart. @default all of them
   */
  states?: ContainerState[];
}

const stateOf = (container: ContainerStatus): ContainerState =>
  container.state?.running ? 'running' : container.state?.terminated ? 'terminated' : 'waiting';

/**
 * A container that started more than this before the track ran before it:
 * its lines from before the track are history (the pods of an unchanged
 * Deployment). One that started within it is most likely what the track
 * was started for (apply, then track) and is followed from its start.
 */
export const HISTORY_MS = 60_000;

const names = (list: (string | RegExp)[], container: string) =>
  list.some((p) => (typeof p === 'string' ? p === container : p.test(container)));

/**
 * Decides which container instances to follow, from pod statuses alone:
 * each instance once, as soon as it runs (init containers too); a restart
 * (a new container ID) is followed afresh; a container that crashed before
 * it was followed gets its previous instance's last lines fetched, once.
 */
export class LogPlan {
  readonly #filter: ContainerFilter;
  /** Instances already asked for: `pod/container/containerID`. */
  readonly #started = new Set<string>();

  constructor(filter: ContainerFilter = {}) {
    this.#filter = filter;
  }

  wanted(container: string): boolean {
    if (this.#filter.containers && !names(this.#filter.containers, container)) return false;
    return !(this.#filter.excludeContainers && names(this.#filter.excludeContainers, container));
  }

  /**
   * The log streams a pod's status calls for now. With `from` (a pod of an
   * old revision), only lines from then on and no previous instance; an
   * instance that started {@link HISTORY_MS} before `trackStart` is marked
   * as having history.
   */
  update(pod: KubeObject, from?: Date, trackStart?: Date): LogAction[] {
    const name = pod.metadata.name ?? '';
    const actions: LogAction[] = [];
    if (!this.#podWanted(pod)) return actions;
    for (const container of [...containerStatuses(pod), ...ephemeralStatuses(pod)]) {
      if (!this.wanted(container.name)) continue;
      const previous = container.lastState?.terminated?.containerID;
      const withPrevious = !from && this.#inState('waiting');
      if (withPrevious && previous && this.#first(`${name}/${container.name}/${previous}`))
        actions.push({ type: 'previous', pod: name, container: container.name });
      const id = container.containerID;
      const state = stateOf(container);
      if (!id || state === 'waiting' || !this.#inState(state)) continue;
      if (!this.#first(`${name}/${container.name}/${id}`)) continue;
      const started = Date.parse(
        container.state?.running?.startedAt ?? container.state?.terminated?.startedAt ?? '',
      );
      const ranBefore = trackStart && started < trackStart.getTime() - HISTORY_MS;
      const history = !from && ranBefore ? trackStart : undefined;
      actions.push({
        type: 'follow',
        tail: {
          pod: name,
          container: container.name,
          containerId: id,
          ...(from ? { from } : {}),
          ...(history ? { history } : {}),
        },
      });
    }
    return actions;
  }

  #podWanted(pod: KubeObject): boolean {
    const { node, excludePods } = this.#filter;
    if (node !== undefined && (pod.spec as { nodeName?: string } | undefined)?.nodeName !== node)
      return false;
    return !excludePods?.some((pattern) => pattern.test(pod.metadata.name ?? ''));
  }

  #inState(state: ContainerState): boolean {
    return this.#filter.states?.includes(state) ?? true;
  }

  /** Whether this instance is asked for the first time (and marks it). */
  #first(key: string): boolean {
    if (this.#started.has(key)) return false;
    this.#started.add(key);
    return true;
  }
}
