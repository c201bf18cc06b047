import type { KubeObject } from '../kube/types.js';
import { condition, describeCondition, name } from './fields.js';
import { generic } from './generic.js';
import { Reason } from './reasons.js';
import type { Verdict } from './types.js';
import { failed, progressing, ready } from './verdict.js';

/** CustomResourceDefinition: Established → ready; NamesAccepted=False → failed (a name clashes). */
export function customResourceDefinition(object: KubeObject): Verdict {
  const early = generic(object);
  if (early) return early;
  const crdName = name(object);
  const names = condition(object, 'NamesAccepted');
  if (names?.status === 'False') {
    return failed(
      Reason.NamesNotAccepted,
      `customresourcedefinition "${crdName}": names not accepted: ${describeCondition(names)}`,
      {
        hint: 'another CRD already uses this plural, singular, kind or short name',
      },
    );
  }
  if (condition(object, 'Established')?.status === 'True') {
    return ready(Reason.Ready, `customresourcedefinition "${crdName}" is established`);
  }
  return progressing(Reason.NotEstablished, `customresourcedefinition "${crdName}" is not established yet`);
}
