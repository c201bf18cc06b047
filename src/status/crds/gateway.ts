import type { KubeObject } from '../../kube/types.js';
import { type Condition, conditions, describeCondition, list, name, num, str } from '../fields.js';
import { describeObject, generic } from '../generic.js';
import { Reason } from '../reasons.js';
import type { Verdict, VerdictContext } from '../types.js';
import { failed, progressing, ready } from '../verdict.js';
import { lastedBeyondGrace } from './kit.js';

/**
 * Gateway API (https://gateway-api.sigs.k8s.io/reference/spec/): a Gateway
 * is ready when Accepted and Programmed; a route when every parent it names
 * has Accepted it and its references resolve. `Pending` is a controller
 * that has not looked yet.
 */

const PENDING = 'Pending';

/** Gateway: Accepted and Programmed; a listener not accepted fails; an unresolved certificate waits. */
export function gateway(object: KubeObject): Verdict {
  const early = generic(object);
  if (early) return early;
  const what = `gateway "${name(object)}"`;
  const hint = 'see the Gateway status (kubectl describe gateway) and the GatewayClass controller';
  const refused = conditions(object).find(
    (c) => (c.type === 'Accepted' || c.type === 'Programmed') && c.status === 'False' && refusal(c),
  );
  if (refused)
    return failed(
      refused.reason ?? refused.type,
      `${what}: ${refused.type} is False: ${describeCondition(refused)}`,
      { hint },
    );
  for (const listener of list(object, 'status', 'listeners')) {
    const accepted = conditions({ status: listener }).find((c) => c.type === 'Accepted');
    if (accepted?.status === 'False' && refusal(accepted))
      return failed(
        accepted.reason ?? 'ListenerNotAccepted',
        `${what}: listener ${str(listener, 'name') ?? ''}: ${describeCondition(accepted)}`,
        { hint },
      );
  }
  const waiting = ['Accepted', 'Programmed']
    .map((type) => conditions(object).find((c) => c.type === type) ?? type)
    .find((c) => typeof c === 'string' || c.status !== 'True');
  if (waiting === undefined) return ready(Reason.Ready, `${what} is Accepted and Programmed`);
  return progressing(
    Reason.Progressing,
    typeof waiting === 'string'
      ? `${what}: not ${waiting} yet`
      : `${what}: ${waiting.type} is ${waiting.status}: ${describeCondition(waiting)}`,
  );
}

/** A False condition that is a refusal, not a wait (Pending, an address or resources not there yet). */
function refusal(c: Condition): boolean {
  return ![PENDING, 'AddressNotAssigned', 'NoResources'].includes(c.reason ?? '');
}

/** References that may come later in the same release: failed only after the grace window. */
const MAY_COME = new Set(['BackendNotFound']);

/** HTTPRoute, GRPCRoute, TLSRoute, TCPRoute, UDPRoute: per parent, Accepted and ResolvedRefs. */
export function route(object: KubeObject, context: VerdictContext): Verdict {
  const early = generic(object);
  if (early) return early;
  const what = describeObject(object);
  const parents = list(object, 'status', 'parents');
  if (parents.length === 0)
    return progressing(Reason.Progressing, `${what}: no Gateway has taken it yet`, {
      hint: 'check spec.parentRefs: the Gateway must exist and allow routes from this namespace',
    });
  const judged = parents.map((parent) => parentVerdict(object, parent, what, context));
  return (
    judged.find((v) => v.state === 'failed') ??
    judged.find((v) => v.state === 'progressing') ??
    ready(
      Reason.Ready,
      `${what} is accepted by ${parents.length === 1 ? 'its Gateway' : `its ${parents.length} Gateways`}`,
    )
  );
}

function parentVerdict(object: KubeObject, parent: unknown, what: string, context: VerdictContext): Verdict {
  const gatewayName = str(parent, 'parentRef', 'name') ?? '';
  const where = `${what} on gateway "${gatewayName}"`;
  const generation = num(object, 'metadata', 'generation');
  const own = conditions({ status: parent });
  if (generation !== undefined && own.some((c) => (num(c, 'observedGeneration') ?? generation) < generation))
    return progressing(Reason.SpecNotObserved, `${where}: waiting for the route update to be observed...`);
  const hint =
    'see the route status (kubectl describe) — parentRefs, hostnames, backendRefs and ReferenceGrants';
  for (const c of own) {
    if (c.status !== 'False' || (c.type !== 'Accepted' && c.type !== 'ResolvedRefs') || c.reason === PENDING)
      continue;
    const says = `${where}: ${c.type} is False: ${describeCondition(c)}`;
    if (!MAY_COME.has(c.reason ?? '') || lastedBeyondGrace(c, context) !== undefined)
      return failed(c.reason ?? c.type, says, { hint });
    return progressing(c.reason ?? Reason.Progressing, says);
  }
  const accepted = own.find((c) => c.type === 'Accepted');
  if (accepted?.status === 'True') return ready(Reason.Ready, `${where} is accepted`);
  return progressing(
    Reason.Progressing,
    `${where}: not accepted yet${accepted ? `: ${describeCondition(accepted)}` : ''}`,
  );
}
