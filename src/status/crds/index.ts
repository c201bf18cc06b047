import type { KubeObject } from '../../kube/types.js';
import type { VerdictRule } from '../types.js';
import { argoApplication, argoRollout } from './argo.js';
import { gateway, route } from './gateway.js';
import { virtualMachine } from './kubevirt.js';
import { crossplaneRule, isCrossplaneManaged, OPERATOR_RULES } from './operators.js';

const GATEWAY_API = 'gateway.networking.k8s.io';

/** Rules for custom resources, by "group/Kind". */
export const CRD_RULES: Readonly<Record<string, VerdictRule>> = {
  ...OPERATOR_RULES,
  'argoproj.io/Rollout': argoRollout,
  'argoproj.io/Application': argoApplication,
  [`${GATEWAY_API}/Gateway`]: gateway,
  ...Object.fromEntries(
    ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute'].map((kind) => [
      `${GATEWAY_API}/${kind}`,
      route,
    ]),
  ),
  'kubevirt.io/VirtualMachine': virtualMachine,
};

/**
 * The rule of a custom resource without one of its own by group/Kind:
 * Crossplane's managed resources, composites and claims live in the
 * providers' and the platform's groups, and are known by their shape.
 */
export function crdRuleByShape(object: KubeObject): VerdictRule | undefined {
  return isCrossplaneManaged(object) ? crossplaneRule : undefined;
}
