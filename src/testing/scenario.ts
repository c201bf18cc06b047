import type { ContainerBehaviour, PodBehaviour } from './controllers/behaviour.js';

/** Where a scenario's choices go: the cluster's behaviour registry and its nodes. */
export interface ScenarioTarget {
  behave(pattern: string, container: string | undefined, behaviour: ContainerBehaviour): void;
  behavePod(pattern: string, behaviour: PodBehaviour): void;
  cordon(node: string, unschedulable?: boolean): void;
}

type Duration = number | string;

/**
 * How the containers of matching pods behave, in readable steps:
 * `cluster.pod('web-*').container('app').crashLoops({ logs: ['panic: boom'] })`.
 * Each step adds to what was said before for the same pods and container;
 * the behaviour applies to pods that start after it is set.
 */
export class ContainerScenario {
  readonly #target: ScenarioTarget;
  readonly #pattern: string;
  readonly #container: string | undefined;
  #behaviour: ContainerBehaviour = {};

  constructor(target: ScenarioTarget, pattern: string, container: string | undefined) {
    this.#target = target;
    this.#pattern = pattern;
    this.#container = container;
  }

  #set(change: ContainerBehaviour): this {
    this.#behaviour = { ...this.#behaviour, ...change };
    this.#target.behave(this.#pattern, this.#container, this.#behaviour);
    return this;
  }

  /** Its image never pulls: ErrImagePull, then ImagePullBackOff. */
  failsToPull(): this {
    return this.#set({ pullFails: true });
  }

  /** Pulling the image takes this long. */
  pullsIn(duration: Duration): this {
    return this.#set({ pullMs: duration });
  }

  /** It exits soon after each start with `exitCode` (default 1), writing `logs` first: CrashLoopBackOff. */
  crashLoops(options: { logs?: string[]; exitCode?: number; after?: Duration } = {}): this {
    return this.#set({
      exitAfter: options.after ?? '100ms',
      exitCode: options.exitCode ?? 1,
      readyAfter: null,
      ...(options.logs ? { exitLogs: options.logs } : {}),
    });
  }

  /**
   * It crashes (exit code 1, `after` each start: default 50 ms) the first
   * `times` times it starts, then stays up and becomes ready: a crash that
   * recovers (a dependency that was not up yet).
   */
  crashes(times: number, options: { after?: Duration; exitCode?: number } = {}): this {
    return this.#set({
      exitAfter: options.after ?? '50ms',
      exitCode: options.exitCode ?? 1,
      exitTimes: times,
    });
  }

  /** It is killed for using too much memory (OOMKilled, exit code 137). */
  runsOutOfMemory(options: { after?: Duration } = {}): this {
    return this.#set({ oom: true, exitAfter: options.after ?? '100ms', readyAfter: null });
  }

  /** It becomes ready this long after it starts. */
  becomesReadyAfter(duration: Duration): this {
    return this.#set({ readyAfter: duration });
  }

  /** It never becomes ready (its readiness probe keeps failing). */
  neverBecomesReady(): this {
    return this.#set({ readyAfter: null });
  }

  /**
   * It writes these lines when it starts; with `every`, it keeps writing
   * (the lines in turn, `{n}` replaced by a counter) at that interval.
   */
  logs(lines: string[], options: { every?: Duration } = {}): this {
    if (options.every === undefined) return this.#set({ logs: lines });
    return this.#set({ logEvery: options.every, logLine: lines });
  }

  /** It exits this long after it starts (default at once), with this code, writing `logs` last. */
  exits(code: number, options: { after?: Duration; logs?: string[] } = {}): this {
    return this.#set({
      exitCode: code,
      exitAfter: options.after ?? 0,
      ...(options.logs ? { exitLogs: options.logs } : {}),
    });
  }
}

/** What happens to matching pods as a whole, and to their containers. */
export class PodScenario {
  readonly #target: ScenarioTarget;
  readonly #pattern: string;
  #behaviour: PodBehaviour = {};
  readonly #containers = new Map<string, ContainerScenario>();

  constructor(target: ScenarioTarget, pattern: string) {
    this.#target = target;
    this.#pattern = pattern;
  }

  /** A container of these pods (every container, when no name is given). */
  container(name?: string): ContainerScenario {
    const key = name ?? '*';
    let scenario = this.#containers.get(key);
    if (!scenario) {
      scenario = new ContainerScenario(this.#target, this.#pattern, name);
      this.#containers.set(key, scenario);
    }
    return scenario;
  }

  /** No node will take these pods (FailedScheduling). */
  isUnschedulable(): this {
    this.#behaviour = { ...this.#behaviour, unschedulable: true };
    this.#target.behavePod(this.#pattern, this.#behaviour);
    return this;
  }

  /** A volume of these pods never mounts (FailedMount events with this message). */
  failsToMount(message = 'MountVolume.SetUp failed: timed out waiting for the condition'): this {
    this.#behaviour = { ...this.#behaviour, failedMount: message };
    this.#target.behavePod(this.#pattern, this.#behaviour);
    return this;
  }
}

/** A node of the simulated cluster (`node-1`, `node-2`, …). */
export class NodeScenario {
  readonly #target: ScenarioTarget;
  readonly #name: string;

  constructor(target: ScenarioTarget, name: string) {
    this.#target = target;
    this.#name = name;
  }

  /** No new pods are scheduled on it (`kubectl cordon`). */
  cordon(): this {
    this.#target.cordon(this.#name, true);
    return this;
  }

  uncordon(): this {
    this.#target.cordon(this.#name, false);
    return this;
  }
}
