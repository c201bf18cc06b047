import { parseDuration } from '../../kube/duration.js';
import type { KubeObject } from '../../kube/types.js';

/**
 * How a simulated container behaves. Set per pod name pattern with
 * `cluster.behave(pattern, container, behaviour)`, or on the pod (template)
 * with the annotation `sim.kubedog.io/CONTAINER` holding the JSON of this
 * object. Durations are milliseconds or strings like "2s".
 *
 * Several problems need no behaviour at all, because the node agent finds
 * them the way a kubelet does: an invalid image reference, a missing
 * ConfigMap/Secret in env or volumes, requests no node can satisfy.
 */
export interface ContainerBehaviour {
  /** How long pulling the image takes. @default 50 */
  pullMs?: number | string;
  /** The pull fails, for ever: ErrImagePull then ImagePullBackOff, retried with back-off. */
  pullFails?: boolean;
  /** Lines written each time the container starts. */
  logs?: string[];
  /** Keep writing `tick N` lines (or `logLine` with {n}) at this interval while running. */
  logEvery?: number | string;
  /** The line `logEvery` writes (`{n}`: a counter from 1); several lines are written in turn. */
  logLine?: string | string[];
  /** Time from start to ready; `null`: never ready (readiness probe keeps failing). @default 100 */
  readyAfter?: number | string | null;
  /** The container exits this long after it starts. */
  exitAfter?: number | string;
  /** It exits only the first N times it starts, then stays up (a crash that recovers). @default every time */
  exitTimes?: number;
  /** Exit code when it exits. @default 0 */
  exitCode?: number;
  /** It is killed for using too much memory (exit code 137, OOMKilled) when it exits. */
  oom?: boolean;
  /** Lines written just before exiting (a crash's last words). */
  exitLogs?: string[];
}

export interface PodBehaviour {
  /** The scheduler finds no node for the pod. */
  unschedulable?: boolean;
  /** A volume never mounts: FailedMount events with this message. */
  failedMount?: string;
}

interface Entry {
  pattern: RegExp;
  container: string | undefined;
  behaviour: ContainerBehaviour | PodBehaviour;
}

const ANNOTATION = 'sim.kubedog.io/';

function globToRegExp(glob: string): RegExp {
  return new RegExp(
    `^${glob
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
}

export function ms(value: number | string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  return typeof value === 'number' ? value : parseDuration(value);
}

/** The behaviours tests registered, looked up by pod name (and namespace/name) patterns. */
export class Behaviours {
  readonly #entries: Entry[] = [];

  /** Sets how containers of pods matching `pattern` (glob on name or namespace/name) behave; later calls win. */
  container(pattern: string, container: string | undefined, behaviour: ContainerBehaviour): void {
    this.#entries.unshift({ pattern: globToRegExp(pattern), container, behaviour });
  }

  pod(pattern: string, behaviour: PodBehaviour): void {
    this.#entries.unshift({ pattern: globToRegExp(pattern), container: '', behaviour });
  }

  forContainer(pod: KubeObject, container: string): ContainerBehaviour {
    const annotation = pod.metadata.annotations?.[`${ANNOTATION}${container}`];
    const fromAnnotation = annotation ? (safeJson(annotation) as ContainerBehaviour) : {};
    const match = this.#match(pod, (e) => e.container === undefined || e.container === container);
    return { ...fromAnnotation, ...(match as ContainerBehaviour | undefined) };
  }

  forPod(pod: KubeObject): PodBehaviour {
    const annotation = pod.metadata.annotations?.[`${ANNOTATION}pod`];
    const fromAnnotation = annotation ? (safeJson(annotation) as PodBehaviour) : {};
    return {
      ...fromAnnotation,
      ...(this.#match(pod, (e) => e.container === '') as PodBehaviour | undefined),
    };
  }

  #match(pod: KubeObject, accept: (entry: Entry) => boolean) {
    const name = pod.metadata.name ?? '';
    const qualified = `${pod.metadata.namespace ?? ''}/${name}`;
    return this.#entries.find((e) => accept(e) && (e.pattern.test(name) || e.pattern.test(qualified)))
      ?.behaviour;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}
