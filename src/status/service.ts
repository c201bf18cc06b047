import type { KubeObject } from '../kube/types.js';
import { list, name, str } from './fields.js';
import { generic } from './generic.js';
import { Reason } from './reasons.js';
import type { Verdict } from './types.js';
import { progressing, ready } from './verdict.js';

/**
 * Service: ExternalName is ready at once; ClusterIP and NodePort once a
 * clusterIP is assigned (or None, headless); LoadBalancer waits for
 * status.loadBalancer.ingress, unless spec.externalIPs are given (Helm --wait
 * does the same).
 */
export function service(object: KubeObject): Verdict {
  const early = generic(object);
  if (early) return early;
  const serviceName = name(object);
  const type = str(object, 'spec', 'type') ?? 'ClusterIP';
  if (type === 'ExternalName')
    return ready(
      Reason.Ready,
      `service "${serviceName}" points to ${str(object, 'spec', 'externalName') ?? 'an external name'}`,
    );
  const clusterIP = str(object, 'spec', 'clusterIP');
  if (!clusterIP) return progressing(Reason.WaitingForIP, `service "${serviceName}" has no cluster IP yet`);
  if (type === 'LoadBalancer') {
    const ingress = list(object, 'status', 'loadBalancer', 'ingress');
    const external = list(object, 'spec', 'externalIPs');
    if (ingress.length === 0 && external.length === 0) {
      return progressing(
        Reason.WaitingForLoadBalancer,
        `service "${serviceName}" is waiting for a load balancer address`,
        {
          hint: 'no load balancer has been provisioned yet: check the cloud controller or MetalLB and the Service events',
        },
      );
    }
    const address = [...ingress.map((i) => str(i, 'ip') ?? str(i, 'hostname')), ...external]
      .filter(Boolean)
      .join(', ');
    return ready(Reason.Ready, `service "${serviceName}" is reachable at ${address}`);
  }
  return ready(Reason.Ready, `service "${serviceName}" has cluster IP ${clusterIP}`);
}

/** Ingress: waits for status.loadBalancer.ingress (the controller publishes its address). */
export function ingress(object: KubeObject): Verdict {
  const early = generic(object);
  if (early) return early;
  const ingressName = name(object);
  const addresses = list(object, 'status', 'loadBalancer', 'ingress')
    .map((i) => str(i, 'ip') ?? str(i, 'hostname'))
    .filter(Boolean);
  if (addresses.length === 0) {
    return progressing(Reason.WaitingForLoadBalancer, `ingress "${ingressName}" is waiting for an address`, {
      hint: `check that an ingress controller serves ingressClassName "${str(object, 'spec', 'ingressClassName') ?? '(default)'}"`,
    });
  }
  return ready(Reason.Ready, `ingress "${ingressName}" is reachable at ${addresses.join(', ')}`);
}
