import type { KubeObject } from '../../kube/types.js';
import {
  controllerRef,
  get,
  intOrPercent,
  num,
  owned,
  podTemplate,
  type Runtime,
  revisionHash,
  setCondition,
  str,
  timestamp,
  typeOf,
} from './runtime.js';

const REVISION = 'deployment.kubernetes.io/revision';

/**
 * The Deployment controller: one ReplicaSet per pod template (named
 * `<deployment>-<pod-template-hash>`, revision annotations), rolling updates
 * that respect maxSurge and maxUnavailable at every step (scale the new
 * ReplicaSet up within the surge, scale old ones down while availability
 * stays above replicas − maxUnavailable), Recreate, paused deployments,
 * status counters and the Available/Progressing conditions with
 * progressDeadlineSeconds → ProgressDeadlineExceeded.
 * Source: pkg/controller/deployment (rolling.go, sync.go, progress.go) and
 * https://kubernetes.io/docs/concepts/workloads/controllers/deployment/
 */
export class DeploymentController {
  readonly #runtime: Runtime;
  readonly #deadlines = new Map<string, () => void>();

  constructor(runtime: Runtime) {
    this.#runtime = runtime;
  }

  stopAll(): void {
    for (const cancel of this.#deadlines.values()) cancel();
    this.#deadlines.clear();
  }

  reconcile(namespace: string, name: string): void {
    const { store } = this.#runtime;
    const rsType = typeOf('ReplicaSet');
    const deployment = store.get(typeOf('Deployment'), namespace, name);
    if (!deployment) {
      this.#deadlines.get(`${namespace}/${name}`)?.();
      return;
    }
    const template = podTemplate(deployment);
    const hash = revisionHash(template);
    const all = owned(this.#runtime, 'ReplicaSet', deployment);
    const revisionOf = (rs: KubeObject) => Number(rs.metadata.annotations?.[REVISION] ?? 0);
    const maxRevision = all.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);
    let newRS = all.find((rs) => rs.metadata.labels?.['pod-template-hash'] === hash);
    const old = all.filter((rs) => rs !== newRS).sort((a, b) => revisionOf(a) - revisionOf(b));
    const replicas = num(deployment, 'spec', 'replicas') ?? 1;
    const paused = get(deployment, 'spec', 'paused') === true;
    const strategy = str(deployment, 'spec', 'strategy', 'type') ?? 'RollingUpdate';
    const maxSurge =
      strategy === 'Recreate'
        ? 0
        : intOrPercent(
            get(deployment, 'spec', 'strategy', 'rollingUpdate', 'maxSurge'),
            replicas,
            '25%',
            true,
          );
    let maxUnavailable = intOrPercent(
      get(deployment, 'spec', 'strategy', 'rollingUpdate', 'maxUnavailable'),
      replicas,
      '25%',
      false,
    );
    if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
    const specReplicas = (rs: KubeObject) => num(rs, 'spec', 'replicas') ?? 0;
    const available = (rs: KubeObject) => num(rs, 'status', 'availableReplicas') ?? 0;
    const scale = (rs: KubeObject, to: number) => {
      const from = specReplicas(rs);
      if (from === to) return;
      store.patch(rsType, namespace, rs.metadata.name ?? '', { spec: { replicas: to } });
      this.#runtime.events.record(
        deployment,
        'Normal',
        'ScalingReplicaSet',
        `Scaled ${to > from ? 'up' : 'down'} replica set ${rs.metadata.name} from ${from} to ${to}`,
        { component: 'deployment-controller' },
      );
    };

    if (!paused) {
      if (!newRS) {
        const labels = { ...(template.metadata?.labels ?? {}), 'pod-template-hash': hash };
        newRS = store.create(rsType, {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          metadata: {
            name: `${name}-${hash}`,
            namespace,
            labels,
            annotations: {
              [REVISION]: String(maxRevision + 1),
              'deployment.kubernetes.io/desired-replicas': String(replicas),
              'deployment.kubernetes.io/max-replicas': String(replicas + maxSurge),
            },
            ownerReferences: [controllerRef(deployment)],
          },
          spec: {
            replicas: 0,
            minReadySeconds: num(deployment, 'spec', 'minReadySeconds') ?? 0,
            selector: {
              matchLabels: {
                ...((get(deployment, 'spec', 'selector', 'matchLabels') as object) ?? {}),
                'pod-template-hash': hash,
              },
            },
            template: { ...template, metadata: { ...(template.metadata ?? {}), labels } },
          },
        });
      } else if (revisionOf(newRS) < maxRevision) {
        // A rollback to an older template: that ReplicaSet gets the next revision.
        newRS = store.patch(rsType, namespace, newRS.metadata.name ?? '', {
          metadata: { annotations: { [REVISION]: String(maxRevision + 1) } },
        });
      }
      const revision = newRS.metadata.annotations?.[REVISION] ?? '1';
      if (deployment.metadata.annotations?.[REVISION] !== revision) {
        store.patch(typeOf('Deployment'), namespace, name, {
          metadata: { annotations: { [REVISION]: revision } },
        });
      }
      if (strategy === 'Recreate') {
        for (const rs of old) scale(rs, 0);
        const oldPods = old.reduce((n, rs) => n + (num(rs, 'status', 'replicas') ?? 0), 0);
        if (oldPods === 0) scale(newRS, replicas);
      } else {
        const total = () => [newRS, ...old].reduce((n, rs) => n + specReplicas(rs as KubeObject), 0);
        // Scale up the new ReplicaSet within the surge.
        if (specReplicas(newRS) > replicas) scale(newRS, replicas);
        else {
          const room = Math.min(replicas + maxSurge - total(), replicas - specReplicas(newRS));
          if (room > 0) scale(newRS, specReplicas(newRS) + room);
        }
        // Scale down old ReplicaSets while availability stays above replicas − maxUnavailable.
        const fresh = store.get(rsType, namespace, newRS.metadata.name ?? '') ?? newRS;
        const minAvailable = replicas - maxUnavailable;
        const newUnavailable = Math.max(0, specReplicas(fresh) - available(fresh));
        let budget =
          [fresh, ...old].reduce((n, rs) => n + specReplicas(rs), 0) - minAvailable - newUnavailable;
        // Unhealthy old replicas go first: removing them costs no availability.
        for (const rs of old) {
          if (budget <= 0) break;
          const unhealthy = Math.min(budget, specReplicas(rs) - available(rs));
          if (unhealthy > 0) {
            scale(rs, specReplicas(rs) - unhealthy);
            budget -= unhealthy;
          }
        }
        const currentOld = old.map((rs) => store.get(rsType, namespace, rs.metadata.name ?? '') ?? rs);
        const availableNow = [fresh, ...currentOld].reduce((n, rs) => n + available(rs), 0);
        let down = Math.min(budget, availableNow - minAvailable);
        for (const rs of currentOld) {
          if (down <= 0) break;
          const by = Math.min(specReplicas(rs), down);
          if (by > 0) {
            scale(rs, specReplicas(rs) - by);
            down -= by;
          }
        }
      }
    }
    this.#writeStatus(deployment, newRS, replicas, maxUnavailable, paused);
  }

  #writeStatus(
    deployment: KubeObject,
    newRS: KubeObject | undefined,
    replicas: number,
    maxUnavailable: number,
    paused: boolean,
  ): void {
    const { store, clock } = this.#runtime;
    const namespace = deployment.metadata.namespace ?? '';
    const name = deployment.metadata.name ?? '';
    const current = store.get(typeOf('Deployment'), namespace, name);
    if (!current) return;
    const all = owned(this.#runtime, 'ReplicaSet', current);
    const fresh = newRS ? all.find((rs) => rs.metadata.uid === newRS.metadata.uid) : undefined;
    const sum = (field: string) => all.reduce((n, rs) => n + (num(rs, 'status', field) ?? 0), 0);
    const counts = {
      replicas: sum('replicas'),
      updatedReplicas: fresh ? (num(fresh, 'status', 'replicas') ?? 0) : 0,
      readyReplicas: sum('readyReplicas'),
      availableReplicas: sum('availableReplicas'),
    };
    const previous = (current.status as Record<string, unknown>) ?? {};
    const now = timestamp(clock);
    const moved = Object.entries(counts).some(([key, value]) => previous[key] !== value);
    let conditions = (previous.conditions as Record<string, unknown>[]) ?? [];
    const availableNow = counts.availableReplicas >= replicas - maxUnavailable;
    const availableBefore = conditions.find((c) => c.type === 'Available');
    conditions = setCondition(
      conditions,
      availableNow
        ? {
            type: 'Available',
            status: 'True',
            reason: 'MinimumReplicasAvailable',
            message: 'Deployment has minimum availability.',
          }
        : {
            type: 'Available',
            status: 'False',
            reason: 'MinimumReplicasUnavailable',
            message: 'Deployment does not have minimum availability.',
          },
      now,
      {
        lastUpdateTime:
          availableBefore && (availableBefore.status === 'True') === availableNow
            ? availableBefore.lastUpdateTime
            : now,
      },
    );
    const rsName = fresh?.metadata.name ?? '';
    const complete =
      counts.updatedReplicas === replicas &&
      counts.availableReplicas === replicas &&
      counts.replicas === replicas;
    const progressing = conditions.find((c) => c.type === 'Progressing');
    const deadlineSeconds = num(current, 'spec', 'progressDeadlineSeconds') ?? 600;
    const key = `${namespace}/${name}`;
    this.#deadlines.get(key)?.();
    this.#deadlines.delete(key);
    if (paused) {
      const pausedBefore = progressing?.reason === 'DeploymentPaused';
      conditions = setCondition(
        conditions,
        {
          type: 'Progressing',
          status: 'Unknown',
          reason: 'DeploymentPaused',
          message: 'Deployment is paused',
        },
        now,
        { lastUpdateTime: pausedBefore ? progressing?.lastUpdateTime : now },
      );
    } else if (complete) {
      if (progressing?.reason !== 'NewReplicaSetAvailable') {
        conditions = setCondition(
          conditions,
          {
            type: 'Progressing',
            status: 'True',
            reason: 'NewReplicaSetAvailable',
            message: `ReplicaSet "${rsName}" has successfully progressed.`,
          },
          now,
          { lastUpdateTime: now },
        );
      }
    } else if (progressing?.reason === 'ProgressDeadlineExceeded' && !moved) {
      // Stays failed until something changes.
    } else {
      const lastUpdate =
        moved || !progressing || progressing.reason === 'NewReplicaSetAvailable'
          ? now
          : String(progressing.lastUpdateTime ?? now);
      const overdue = clock.now() - Date.parse(lastUpdate) >= deadlineSeconds * 1000;
      conditions = setCondition(
        conditions,
        overdue
          ? {
              type: 'Progressing',
              status: 'False',
              reason: 'ProgressDeadlineExceeded',
              message: `ReplicaSet "${rsName}" has timed out progressing.`,
            }
          : {
              type: 'Progressing',
              status: 'True',
              reason: progressing ? 'ReplicaSetUpdated' : 'NewReplicaSetCreated',
              message: progressing
                ? `ReplicaSet "${rsName}" is progressing.`
                : `Created new replica set "${rsName}"`,
            },
        now,
        { lastUpdateTime: lastUpdate },
      );
      if (!overdue) {
        const remaining = Date.parse(lastUpdate) + deadlineSeconds * 1000 - clock.now();
        this.#deadlines.set(
          key,
          clock.after(remaining, () => this.#runtime.enqueue(`Deployment/${key}`)),
        );
      }
    }
    const status = {
      ...previous,
      observedGeneration: current.metadata.generation,
      ...counts,
      unavailableReplicas: Math.max(0, replicas - counts.availableReplicas),
      conditions,
    };
    store.replaceStatus(typeOf('Deployment'), namespace, name, status);
  }
}
