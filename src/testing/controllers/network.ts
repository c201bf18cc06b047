import type { ResourceType } from '../../kube/resources.js';
import type { KubeObject } from '../../kube/types.js';
import { get, type Runtime, str, typeOf } from './runtime.js';

const NO_ADDRESS = 'sim.kubedog.io/no-address';
const ADDRESS_DELAY_MS = 200;

/**
 * What the API server and a cloud provider do for Services and Ingresses:
 * a clusterIP (and node ports) at creation, and a load balancer address a
 * little later — unless the object carries the annotation
 * `sim.kubedog.io/no-address: "true"`, for tests of a load balancer that
 * never comes.
 */
export class Network {
  readonly #runtime: Runtime;
  #nextIp = 10;
  #nextPort = 30000;
  #nextExternal = 100;
  readonly #pending = new Map<string, () => void>();

  constructor(runtime: Runtime) {
    this.#runtime = runtime;
  }

  /** Admission-time defaults for a Service. */
  defaulter = (type: ResourceType, object: KubeObject): void => {
    if (type.kind !== 'Service') return;
    const spec = (object.spec ?? {}) as Record<string, unknown>;
    object.spec = spec;
    const serviceType = (spec.type as string | undefined) ?? 'ClusterIP';
    spec.type = serviceType;
    if (serviceType === 'ExternalName') return;
    if (!spec.clusterIP) spec.clusterIP = `10.96.0.${this.#nextIp++ % 250}`;
    spec.clusterIPs = [spec.clusterIP];
    if (serviceType === 'NodePort' || serviceType === 'LoadBalancer') {
      spec.ports = ((spec.ports as Record<string, unknown>[] | undefined) ?? []).map((p) => ({
        nodePort: this.#nextPort++,
        ...p,
      }));
    }
  };

  reconcile(kind: 'Service' | 'Ingress', namespace: string, name: string): void {
    const { store, clock } = this.#runtime;
    const type = typeOf(kind);
    const object = store.get(type, namespace, name);
    const key = `${kind}/${namespace}/${name}`;
    if (!object) {
      this.#pending.get(key)?.();
      this.#pending.delete(key);
      return;
    }
    const wantsAddress = kind === 'Ingress' || str(object, 'spec', 'type') === 'LoadBalancer';
    const ingress = get(object, 'status', 'loadBalancer', 'ingress');
    if (!wantsAddress || (Array.isArray(ingress) && ingress.length > 0) || this.#pending.has(key)) return;
    if (object.metadata.annotations?.[NO_ADDRESS] === 'true') return;
    this.#pending.set(
      key,
      clock.after(ADDRESS_DELAY_MS, () => {
        this.#pending.delete(key);
        const current = store.get(type, namespace, name);
        if (!current || current.metadata.annotations?.[NO_ADDRESS] === 'true') return;
        const ip = `172.18.255.${this.#nextExternal++ % 250}`;
        store.patch(
          type,
          namespace,
          name,
          {
            status: { loadBalancer: { ingress: [{ ip, ...(kind === 'Service' ? { ipMode: 'VIP' } : {}) }] } },
          },
          { subresource: 'status' },
        );
        if (kind === 'Service') {
          this.#runtime.events.record(current, 'Normal', 'EnsuredLoadBalancer', 'Ensured load balancer', {
            component: 'service-controller',
          });
        }
      }),
    );
  }

  stopAll(): void {
    for (const cancel of this.#pending.values()) cancel();
    this.#pending.clear();
  }
}
