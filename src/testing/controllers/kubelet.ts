import { parseQuantity } from '../../kube/quantity.js';
import type { KubeObject } from '../../kube/types.js';
import { type ContainerBehaviour, ms, type PodBehaviour } from './behaviour.js';
import { get, type Runtime, setCondition, str, timestamp, typeOf } from './runtime.js';

/**
 * The scheduler and the node agent of the simulated cluster. The scheduler
 * binds pending pods to Ready, schedulable nodes whose allocatable CPU and
 * memory fit the pod's requests, or reports FailedScheduling. The node agent
 * then moves each bound pod through its life as a kubelet would — image
 * pull, create, start, readiness, exit, restart with back-off — writing the
 * pod status, Events (reason, type, source component, count, timestamps,
 * involvedObject.fieldPath) and container logs.
 *
 * Sources: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/
 * (states, restart back-off 10s doubling to 5 min), kubelet event reasons in
 * pkg/kubelet/events/event.go, image back-off in pkg/kubelet/images.
 */

const POD_ANNOTATION_DEFAULTS = { pullMs: 50, readyAfter: 100 };
const RESTART_BACKOFF_START = 10_000;
const RESTART_BACKOFF_MAX = 300_000;
const IMAGE_BACKOFF_START = 10_000;
const RESYNC_MS = 10_000;
/** How long a terminating pod stays after its containers stopped (a quick, graceful shutdown). */
const TERMINATION_MS = 100;

/** A Docker/OCI image reference the way containerd parses it: lowercase repository, optional tag or digest. */
const IMAGE_REFERENCE =
  /^(?:[a-z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;

interface ContainerRun {
  name: string;
  init: boolean;
  /** A native sidecar: an init container with restartPolicy Always, running beside the app containers. */
  sidecar: boolean;
  image: string;
  behaviour: ContainerBehaviour;
  state: Record<string, unknown>;
  lastState: Record<string, unknown>;
  ready: boolean;
  started: boolean;
  restartCount: number;
  containerID?: string;
  pullAttempts: number;
  done: boolean;
}

interface PodRun {
  uid: string;
  namespace: string;
  name: string;
  node: string;
  containers: ContainerRun[];
  timers: (() => void)[];
  stopped: boolean;
  initDone: boolean;
}

export class NodeAgent {
  readonly #runtime: Runtime;
  readonly #runs = new Map<string, PodRun>();
  readonly #schedulingRetries = new Map<string, () => void>();
  readonly #terminating = new Set<string>();
  #podIp = 10;

  constructor(runtime: Runtime) {
    this.#runtime = runtime;
  }

  /** Called for every change of a pod. */
  reconcile(namespace: string, name: string): void {
    const pods = typeOf('Pod');
    const pod = this.#runtime.store.get(pods, namespace, name);
    const key = `${namespace}/${name}`;
    const run = [...this.#runs.values()].find((r) => r.namespace === namespace && r.name === name);
    if (!pod || (run && run.uid !== pod.metadata.uid)) {
      if (run) this.#stop(run);
      this.#schedulingRetries.get(key)?.();
      this.#schedulingRetries.delete(key);
      if (!pod) return;
    }
    if (pod.metadata.deletionTimestamp) {
      this.#schedulingRetries.get(key)?.();
      this.#schedulingRetries.delete(key);
      if (this.#terminating.has(pod.metadata.uid ?? '')) return;
      if (run) this.#terminate(run);
      else this.#runtime.store.delete(pods, namespace, name);
      return;
    }
    if (['Succeeded', 'Failed'].includes(str(pod, 'status', 'phase') ?? '')) return;
    if (!str(pod, 'spec', 'nodeName')) {
      if (!this.#schedulingRetries.has(key)) this.#schedule(pod);
      return;
    }
    if (!this.#runs.has(pod.metadata.uid ?? '')) this.#start(pod);
  }

  /** Nodes changed (added, cordoned): pending pods get another scheduling attempt. */
  nodesChanged(): void {
    for (const [key, cancel] of this.#schedulingRetries) {
      cancel();
      this.#schedulingRetries.delete(key);
      const [namespace = '', name = ''] = key.split('/');
      this.#runtime.enqueue(`Pod/${namespace}/${name}`);
    }
  }

  /** Stops every pod's timers (the cluster is closing). */
  stopAll(): void {
    for (const run of this.#runs.values()) this.#stop(run);
    for (const cancel of this.#schedulingRetries.values()) cancel();
    this.#schedulingRetries.clear();
  }

  // -- scheduling ----------------------------------------------------------------------

  #schedule(pod: KubeObject): void {
    const { store, clock } = this.#runtime;
    const nodes = store.list(typeOf('Node')).items;
    const behaviour = this.#runtime.behaviours.forPod(pod);
    const requests = podRequests(pod);
    const reasons = new Map<string, number>();
    const fits = nodes.filter((node) => {
      const why = this.#unfit(node, requests, behaviour);
      if (why) reasons.set(why, (reasons.get(why) ?? 0) + 1);
      return why === undefined;
    });
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    if (fits.length === 0) {
      const detail = [...reasons].map(([why, count]) => `${count} ${why}`).join(', ');
      const message = `0/${nodes.length} nodes are available${detail ? `: ${detail}` : ''}. preemption: 0/${nodes.length} nodes are available: ${nodes.length} No preemption victims found for incoming pod.`;
      this.#writeStatus(pod, (status) => ({
        ...status,
        phase: 'Pending',
        conditions: setCondition(
          (status.conditions as Record<string, unknown>[]) ?? [],
          { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message },
          timestamp(clock),
          { lastProbeTime: null },
        ),
      }));
      this.#runtime.events.record(pod, 'Warning', 'FailedScheduling', message, {
        component: 'default-scheduler',
      });
      this.#schedulingRetries.set(
        key,
        clock.after(RESYNC_MS, () => {
          this.#schedulingRetries.delete(key);
          this.#runtime.enqueue(`Pod/${key}`);
        }),
      );
      return;
    }
    // Spread: the node with the fewest pods, then by name (deterministic).
    const load = (node: KubeObject) =>
      store.count(typeOf('Pod'), {
        fields: [{ path: 'spec.nodeName', op: '=', value: node.metadata.name ?? '' }],
      });
    const chosen = [...fits].sort(
      (a, b) => load(a) - load(b) || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''),
    )[0];
    const nodeName = chosen?.metadata.name ?? '';
    const current = store.get(typeOf('Pod'), pod.metadata.namespace, pod.metadata.name ?? '');
    if (!current) return;
    store.update(typeOf('Pod'), { ...current, spec: { ...(current.spec as object), nodeName } });
    this.#runtime.events.record(pod, 'Normal', 'Scheduled', `Successfully assigned ${key} to ${nodeName}`, {
      component: 'default-scheduler',
    });
  }

  #unfit(
    node: KubeObject,
    requests: { cpu: number; memory: number },
    behaviour: PodBehaviour,
  ): string | undefined {
    if (behaviour.unschedulable) return "node(s) didn't match Pod's node affinity/selector";
    if (get(node, 'spec', 'unschedulable') === true) return 'node(s) were unschedulable';
    const conditions = get(node, 'status', 'conditions');
    const readyNode =
      Array.isArray(conditions) && conditions.some((c) => c?.type === 'Ready' && c?.status === 'True');
    if (!readyNode) return 'node(s) had untolerated taint {node.kubernetes.io/not-ready: }';
    if (requests.cpu > parseCpu(str(node, 'status', 'allocatable', 'cpu') ?? '4')) return 'Insufficient cpu';
    if (requests.memory > parseMemory(str(node, 'status', 'allocatable', 'memory') ?? '8Gi'))
      return 'Insufficient memory';
    return undefined;
  }

  // -- the pod's life ------------------------------------------------------------------

  #start(pod: KubeObject): void {
    const { behaviours } = this.#runtime;
    const spec = (key: string) => (get(pod, 'spec', key) as Record<string, unknown>[] | undefined) ?? [];
    const restartPolicy = str(pod, 'spec', 'restartPolicy') ?? 'Always';
    const make = (c: Record<string, unknown>, init: boolean): ContainerRun => {
      const behaviour = { ...POD_ANNOTATION_DEFAULTS, ...behaviours.forContainer(pod, String(c.name)) };
      const sidecar = init && c.restartPolicy === 'Always';
      // Containers of pods that are not restarted (Jobs) run to completion by default; sidecars run on.
      if (behaviour.exitAfter === undefined && !sidecar && (init || restartPolicy !== 'Always'))
        behaviour.exitAfter = 200;
      return {
        name: String(c.name),
        init,
        sidecar,
        image: String(c.image ?? ''),
        behaviour,
        state: { waiting: { reason: init ? 'PodInitializing' : 'ContainerCreating' } },
        lastState: {},
        ready: false,
        started: false,
        restartCount: 0,
        pullAttempts: 0,
        done: false,
      };
    };
    const run: PodRun = {
      uid: pod.metadata.uid ?? '',
      namespace: pod.metadata.namespace ?? '',
      name: pod.metadata.name ?? '',
      node: str(pod, 'spec', 'nodeName') ?? '',
      containers: [
        ...spec('initContainers').map((c) => make(c, true)),
        ...spec('containers').map((c) => make(c, false)),
      ],
      timers: [],
      stopped: false,
      initDone: spec('initContainers').length === 0,
    };
    for (const c of run.containers)
      if (!c.init && !run.initDone) c.state = { waiting: { reason: 'PodInitializing' } };
    this.#runs.set(run.uid, run);
    this.#sync(run);
    const mount = this.#mountProblem(pod);
    if (mount) {
      this.#failMount(run, mount);
      return;
    }
    this.#startNext(run);
  }

  /** A graceful deletion: containers get SIGTERM and exit, then the pod object goes away. */
  #terminate(run: PodRun): void {
    this.#terminating.add(run.uid);
    for (const cancel of run.timers) cancel();
    run.timers = [];
    const now = timestamp(this.#runtime.clock);
    for (const c of run.containers) if ('running' in c.state) this.#stopContainer(run, c, now);
    this.#sync(run);
    this.#stop(run);
    this.#runtime.clock.after(TERMINATION_MS, () => {
      this.#terminating.delete(run.uid);
      const pod = this.#runtime.store.get(typeOf('Pod'), run.namespace, run.name);
      if (pod && pod.metadata.uid === run.uid)
        this.#runtime.store.delete(typeOf('Pod'), run.namespace, run.name);
    });
  }

  /** The app containers are done: the kubelet stops the sidecars, the last started first. */
  #stopSidecars(run: PodRun): void {
    const now = timestamp(this.#runtime.clock);
    for (const c of [...run.containers].reverse()) if (c.sidecar && !c.done) this.#stopContainer(run, c, now);
  }

  /** SIGTERM to a container (a Killing Event when it runs): it exits 0 and is done. */
  #stopContainer(run: PodRun, c: ContainerRun, now: string): void {
    if ('running' in c.state) this.#event(run, 'Normal', 'Killing', `Stopping container ${c.name}`, c);
    this.#runtime.logs.stop(run.namespace, run.name, c.name);
    c.state = {
      terminated: {
        exitCode: 0,
        reason: 'Completed',
        startedAt: get(c.state, 'running', 'startedAt'),
        finishedAt: now,
        containerID: c.containerID,
      },
    };
    c.ready = false;
    c.done = true;
  }

  #stop(run: PodRun): void {
    run.stopped = true;
    for (const cancel of run.timers) cancel();
    run.timers = [];
    this.#runs.delete(run.uid);
  }

  #after(run: PodRun, delay: number, fn: () => void): void {
    run.timers.push(
      this.#runtime.clock.after(delay, () => {
        if (!run.stopped) fn();
      }),
    );
  }

  #pod(run: PodRun): KubeObject | undefined {
    const pod = this.#runtime.store.get(typeOf('Pod'), run.namespace, run.name);
    return pod && pod.metadata.uid === run.uid ? pod : undefined;
  }

  #event(
    run: PodRun,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    container?: ContainerRun,
  ): void {
    const pod = this.#pod(run);
    if (!pod) return;
    const fieldPath = container
      ? `spec.${container.init ? 'initContainers' : 'containers'}{${container.name}}`
      : undefined;
    this.#runtime.events.record(pod, type, reason, message, {
      component: 'kubelet',
      host: run.node,
      ...(fieldPath ? { fieldPath } : {}),
    });
  }

  #failMount(run: PodRun, message: string): void {
    this.#event(run, 'Warning', 'FailedMount', message);
    this.#after(run, RESYNC_MS, () => {
      const pod = this.#pod(run);
      const still = pod ? this.#mountProblem(pod) : undefined;
      if (still) this.#failMount(run, still);
      else this.#startNext(run);
    });
  }

  /** Init containers one after another, then every app container. */
  #startNext(run: PodRun): void {
    if (!run.initDone) {
      // A sidecar lets the next init container start once it has started itself.
      const next = run.containers.find((c) => c.init && !c.done && !(c.sidecar && c.started));
      if (next) {
        if (!next.started && !('running' in next.state)) this.#pull(run, next);
        return;
      }
      run.initDone = true;
      for (const c of run.containers) if (!c.init) c.state = { waiting: { reason: 'ContainerCreating' } };
      this.#sync(run);
    }
    for (const c of run.containers) if (!c.init && !c.started) this.#pull(run, c);
  }

  #pull(run: PodRun, c: ContainerRun): void {
    if (c.pullAttempts === 0) this.#event(run, 'Normal', 'Pulling', `Pulling image "${c.image}"`, c);
    c.pullAttempts++;
    this.#after(run, ms(c.behaviour.pullMs, 50), () => {
      if (!IMAGE_REFERENCE.test(c.image)) {
        c.state = {
          waiting: {
            reason: 'InvalidImageName',
            message: `Failed to apply default image tag "${c.image}": couldn't parse image name "${c.image}": invalid reference format`,
          },
        };
        this.#event(
          run,
          'Warning',
          'InspectFailed',
          `Failed to apply default image tag "${c.image}": couldn't parse image name "${c.image}": invalid reference format`,
          c,
        );
        this.#event(run, 'Warning', 'Failed', 'Error: InvalidImageName', c);
        this.#sync(run);
        return;
      }
      if (c.behaviour.pullFails) {
        const error = `rpc error: code = NotFound desc = failed to pull and unpack image "${c.image}": failed to resolve reference "${c.image}": not found`;
        c.state = { waiting: { reason: 'ErrImagePull', message: error } };
        this.#event(run, 'Warning', 'Failed', `Failed to pull image "${c.image}": ${error}`, c);
        this.#event(run, 'Warning', 'Failed', 'Error: ErrImagePull', c);
        this.#sync(run);
        const backoff = Math.min(IMAGE_BACKOFF_START * 2 ** (c.pullAttempts - 1), RESTART_BACKOFF_MAX);
        this.#after(run, 1000, () => {
          // As the kubelet of v1.34: the back-off message carries the failed pull's error.
          c.state = {
            waiting: {
              reason: 'ImagePullBackOff',
              message: `Back-off pulling image "${c.image}": ErrImagePull: ${error}`,
            },
          };
          this.#event(run, 'Normal', 'BackOff', `Back-off pulling image "${c.image}"`, c);
          this.#event(run, 'Warning', 'Failed', 'Error: ImagePullBackOff', c);
          this.#sync(run);
          this.#after(run, backoff, () => this.#pull(run, c));
        });
        return;
      }
      this.#event(
        run,
        'Normal',
        'Pulled',
        `Successfully pulled image "${c.image}" in ${ms(c.behaviour.pullMs, 50)}ms`,
        c,
      );
      this.#create(run, c);
    });
  }

  /** Create and start the container, unless a ConfigMap or Secret it needs is missing. */
  #create(run: PodRun, c: ContainerRun): void {
    const pod = this.#pod(run);
    if (!pod) return;
    const missing = this.#configProblem(pod, c);
    if (missing) {
      c.state = { waiting: { reason: 'CreateContainerConfigError', message: missing } };
      this.#event(run, 'Warning', 'Failed', `Error: ${missing}`, c);
      this.#sync(run);
      this.#after(run, RESYNC_MS, () => this.#create(run, c));
      return;
    }
    const instance = c.restartCount;
    c.containerID = `containerd://${run.uid.replace(/-/g, '').slice(0, 16)}${c.name}${instance}`;
    c.state = { running: { startedAt: timestamp(this.#runtime.clock) } };
    c.started = true;
    c.ready = false;
    this.#event(run, 'Normal', 'Created', `Created container: ${c.name}`, c);
    this.#event(run, 'Normal', 'Started', `Started container ${c.name}`, c);
    const logs = this.#runtime.logs;
    if (c.behaviour.logs?.length) logs.append(run.namespace, run.name, c.name, c.behaviour.logs);
    this.#sync(run);
    const { readyAfter, exitAfter, exitTimes, logEvery } = c.behaviour;
    if (c.sidecar && !run.initDone) this.#startNext(run);
    if (!c.init || c.sidecar) {
      if (readyAfter === null) this.#failReadiness(run, c, pod);
      else {
        this.#after(run, ms(readyAfter, 100), () => {
          if (!('running' in c.state) || c.restartCount !== instance) return;
          c.ready = true;
          this.#sync(run);
        });
      }
    }
    if (logEvery !== undefined) {
      let n = 0;
      const tick = () => {
        if (!('running' in c.state) || c.restartCount !== instance) return;
        n++;
        logs.append(run.namespace, run.name, c.name, lineAt(c.behaviour.logLine, n));
        this.#after(run, ms(logEvery, 1000), tick);
      };
      this.#after(run, ms(logEvery, 1000), tick);
    }
    if (exitAfter !== undefined && (exitTimes === undefined || instance < exitTimes))
      this.#after(run, ms(exitAfter, 0), () => this.#exit(run, c, pod));
  }

  #failReadiness(run: PodRun, c: ContainerRun, pod: KubeObject): void {
    const spec = (get(pod, 'spec', 'containers') as Record<string, unknown>[] | undefined)?.find(
      (s) => s.name === c.name,
    );
    const period = (Number(get(spec, 'readinessProbe', 'periodSeconds')) || 10) * 1000;
    const probe = () => {
      if (!('running' in c.state)) return;
      this.#event(
        run,
        'Warning',
        'Unhealthy',
        'Readiness probe failed: HTTP probe failed with statuscode: 503',
        c,
      );
      this.#after(run, period, probe);
    };
    this.#after(run, period, probe);
  }

  #exit(run: PodRun, c: ContainerRun, pod: KubeObject): void {
    if (!('running' in c.state)) return;
    const { logs, clock } = this.#runtime;
    if (c.behaviour.exitLogs?.length) logs.append(run.namespace, run.name, c.name, c.behaviour.exitLogs);
    logs.stop(run.namespace, run.name, c.name);
    const oom = c.behaviour.oom === true;
    const exitCode = oom ? 137 : (c.behaviour.exitCode ?? 0);
    const terminated = {
      exitCode,
      reason: oom ? 'OOMKilled' : exitCode === 0 ? 'Completed' : 'Error',
      startedAt: get(c.state, 'running', 'startedAt'),
      finishedAt: timestamp(clock),
      containerID: c.containerID,
    };
    c.state = { terminated };
    c.ready = false;
    const policy = str(pod, 'spec', 'restartPolicy') ?? 'Always';
    const restart = c.sidecar || policy === 'Always' || (policy === 'OnFailure' && exitCode !== 0);
    if (c.init && !c.sidecar && exitCode === 0) {
      c.done = true;
      this.#sync(run);
      this.#startNext(run);
      return;
    }
    if (!restart) {
      c.done = true;
      if (run.containers.every((other) => other.init || other.done)) this.#stopSidecars(run);
      this.#sync(run);
      return;
    }
    // The first restart is immediate; then 10 s, doubling up to 5 min.
    const delay =
      c.restartCount === 0
        ? 0
        : Math.min(RESTART_BACKOFF_START * 2 ** (c.restartCount - 1), RESTART_BACKOFF_MAX);
    c.lastState = { terminated };
    if (delay > 0) {
      c.state = {
        waiting: {
          reason: 'CrashLoopBackOff',
          message: `back-off ${goDuration(delay)} restarting failed container=${c.name} pod=${run.name}_${run.namespace}(${run.uid})`,
        },
      };
      this.#event(
        run,
        'Warning',
        'BackOff',
        `Back-off restarting failed container ${c.name} in pod ${run.name}_${run.namespace}(${run.uid})`,
        c,
      );
    }
    this.#sync(run);
    this.#after(run, delay, () => {
      logs.restart(run.namespace, run.name, c.name);
      c.restartCount++;
      this.#event(run, 'Normal', 'Pulled', `Container image "${c.image}" already present on machine`, c);
      this.#create(run, c);
    });
  }

  // -- what a kubelet checks before starting containers ---------------------------------

  #exists(kind: 'ConfigMap' | 'Secret', namespace: string, name: string): boolean {
    return this.#runtime.store.get(typeOf(kind), namespace, name) !== undefined;
  }

  #configProblem(pod: KubeObject, c: ContainerRun): string | undefined {
    const namespace = pod.metadata.namespace ?? '';
    const spec = [
      ...((get(pod, 'spec', 'initContainers') as unknown[]) ?? []),
      ...((get(pod, 'spec', 'containers') as unknown[]) ?? []),
    ].find((s) => get(s, 'name') === c.name);
    for (const env of (get(spec, 'env') as unknown[]) ?? []) {
      for (const [refKey, kind] of [
        ['configMapKeyRef', 'ConfigMap'],
        ['secretKeyRef', 'Secret'],
      ] as const) {
        const ref = get(env, 'valueFrom', refKey);
        if (
          ref &&
          get(ref, 'optional') !== true &&
          !this.#exists(kind, namespace, String(get(ref, 'name')))
        ) {
          return `${kind.toLowerCase()} "${String(get(ref, 'name'))}" not found`;
        }
      }
    }
    for (const from of (get(spec, 'envFrom') as unknown[]) ?? []) {
      for (const [refKey, kind] of [
        ['configMapRef', 'ConfigMap'],
        ['secretRef', 'Secret'],
      ] as const) {
        const ref = get(from, refKey);
        if (
          ref &&
          get(ref, 'optional') !== true &&
          !this.#exists(kind, namespace, String(get(ref, 'name')))
        ) {
          return `${kind.toLowerCase()} "${String(get(ref, 'name'))}" not found`;
        }
      }
    }
    return undefined;
  }

  #mountProblem(pod: KubeObject): string | undefined {
    const behaviour = this.#runtime.behaviours.forPod(pod);
    if (behaviour.failedMount) return behaviour.failedMount;
    const namespace = pod.metadata.namespace ?? '';
    for (const volume of (get(pod, 'spec', 'volumes') as unknown[]) ?? []) {
      const name = String(get(volume, 'name'));
      const configMap = get(volume, 'configMap');
      if (
        configMap &&
        get(configMap, 'optional') !== true &&
        !this.#exists('ConfigMap', namespace, String(get(configMap, 'name')))
      ) {
        return `MountVolume.SetUp failed for volume "${name}" : configmap "${String(get(configMap, 'name'))}" not found`;
      }
      const secret = get(volume, 'secret');
      if (
        secret &&
        get(secret, 'optional') !== true &&
        !this.#exists('Secret', namespace, String(get(secret, 'secretName')))
      ) {
        return `MountVolume.SetUp failed for volume "${name}" : secret "${String(get(secret, 'secretName'))}" not found`;
      }
    }
    return undefined;
  }

  // -- status --------------------------------------------------------------------------

  #sync(run: PodRun): void {
    const pod = this.#pod(run);
    if (!pod) return;
    const now = timestamp(this.#runtime.clock);
    const app = run.containers.filter((c) => !c.init);
    const init = run.containers.filter((c) => c.init);
    const allDone = app.length > 0 && app.every((c) => c.done);
    const phase = allDone
      ? app.every((c) => get(c.state, 'terminated', 'exitCode') === 0)
        ? 'Succeeded'
        : 'Failed'
      : init.some((c) => c.done && get(c.state, 'terminated', 'exitCode') !== 0)
        ? 'Failed'
        : app.some((c) => c.started)
          ? 'Running'
          : 'Pending';
    const allReady = app.length > 0 && run.containers.every((c) => c.ready || (c.init && !c.sidecar));
    const toStatus = (c: ContainerRun) => ({
      name: c.name,
      image: c.image,
      imageID: c.started ? `${c.image}@sha256:${'0'.repeat(64)}` : '',
      ...(c.containerID ? { containerID: c.containerID } : {}),
      ready: c.ready,
      started: 'running' in c.state,
      restartCount: c.restartCount,
      state: c.state,
      lastState: c.lastState,
    });
    this.#writeStatus(pod, (status) => {
      let conditions = (status.conditions as Record<string, unknown>[]) ?? [];
      const set = (type: string, value: boolean, reason?: string) => {
        conditions = setCondition(
          conditions,
          { type, status: value ? 'True' : 'False', ...(reason && !value ? { reason } : {}) },
          now,
          {
            lastProbeTime: null,
          },
        );
      };
      set('PodReadyToStartContainers', true);
      set('Initialized', run.initDone, 'ContainersNotInitialized');
      set(
        'Ready',
        allReady && phase === 'Running',
        phase === 'Succeeded' ? 'PodCompleted' : 'ContainersNotReady',
      );
      set(
        'ContainersReady',
        allReady && phase === 'Running',
        phase === 'Succeeded' ? 'PodCompleted' : 'ContainersNotReady',
      );
      set('PodScheduled', true);
      return {
        ...status,
        phase,
        conditions,
        hostIP: '10.0.0.1',
        podIP: (status.podIP as string) ?? `10.244.0.${this.#podIp++ % 250}`,
        startTime: (status.startTime as string) ?? now,
        ...(init.length > 0 ? { initContainerStatuses: init.map(toStatus) } : {}),
        containerStatuses: app.map(toStatus),
      };
    });
  }

  #writeStatus(pod: KubeObject, change: (status: Record<string, unknown>) => Record<string, unknown>): void {
    const { store } = this.#runtime;
    const current = store.get(typeOf('Pod'), pod.metadata.namespace, pod.metadata.name ?? '');
    if (!current) return;
    store.replaceStatus(
      typeOf('Pod'),
      current.metadata.namespace,
      current.metadata.name ?? '',
      change((current.status as Record<string, unknown>) ?? {}),
    );
  }
}

function podRequests(pod: KubeObject): { cpu: number; memory: number } {
  const containers = (get(pod, 'spec', 'containers') as unknown[]) ?? [];
  return containers.reduce<{ cpu: number; memory: number }>(
    (total, c) => ({
      cpu: total.cpu + parseCpu(String(get(c, 'resources', 'requests', 'cpu') ?? '0')),
      memory: total.memory + parseMemory(String(get(c, 'resources', 'requests', 'memory') ?? '0')),
    }),
    { cpu: 0, memory: 0 },
  );
}

/** CPU cores and memory bytes of a quantity; 0 when it is none. */
export const parseCpu = (text: string): number => parseQuantity(text) ?? 0;
export const parseMemory = (text: string): number => parseQuantity(text) ?? 0;

/** The n-th (from 1) line a `logEvery` container writes. */
function lineAt(logLine: string | string[] | undefined, n: number): string {
  const lines = logLine === undefined ? ['tick {n}'] : Array.isArray(logLine) ? logLine : [logLine];
  return (lines[(n - 1) % Math.max(1, lines.length)] ?? '').replace('{n}', String(n));
}

/** A whole number of seconds as Go's time.Duration prints it (the kubelet's back-off message): 40s, 1m20s, 5m0s. */
export function goDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  const minutes = Math.floor(seconds / 60);
  const hours = Math.floor(minutes / 60);
  if (hours > 0) return `${hours}h${minutes % 60}m${seconds % 60}s`;
  return minutes > 0 ? `${minutes}m${seconds % 60}s` : `${seconds}s`;
}
