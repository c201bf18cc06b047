import type { KubeObject } from '../../kube/types.js';
import { condition, describeCondition, field, name, str } from '../fields.js';
import { generic } from '../generic.js';
import { Reason } from '../reasons.js';
import type { Verdict, VerdictContext } from '../types.js';
import { failed, progressing, ready } from '../verdict.js';
import { lastedBeyondGrace } from './kit.js';

/**
 * KubeVirt VirtualMachine: `status.printableStatus` (kubevirt.io/api
 * core/v1 VirtualMachinePrintableStatus) and the Ready condition. Running
 * and Ready, or Stopped when it is meant to be stopped, is ready; the
 * errors of its launcher pod fail it — those a later object may clear
 * (a PVC or DataVolume not found, unschedulable) after the grace window.
 * https://kubevirt.io/user-guide/user_workloads/lifecycle/
 */

const FAILED = new Set(['ErrImagePull', 'ImagePullBackOff', 'CrashLoopBackOff', 'DataVolumeError']);
const FAILED_AFTER_GRACE = new Set(['ErrorUnschedulable', 'ErrorPvcNotFound', 'ErrorDataVolumeNotFound']);

export function virtualMachine(object: KubeObject, context: VerdictContext): Verdict {
  const early = generic(object);
  if (early) return early;
  const what = `virtualmachine "${name(object)}"`;
  const status = str(object, 'status', 'printableStatus') ?? 'Unknown';
  const readyCondition = condition(object, 'Ready');
  const hint = 'see the VirtualMachineInstance and its virt-launcher pod (kubectl describe vmi)';
  const says = `${what} is ${status}${readyCondition?.message ? `: ${readyCondition.message}` : ''}`;
  if (FAILED.has(status)) return failed(status, says, { hint });
  if (FAILED_AFTER_GRACE.has(status)) {
    const lasted = readyCondition ? lastedBeyondGrace(readyCondition, context) : undefined;
    return lasted === undefined
      ? progressing(status, says)
      : failed(status, `${says} (for ${Math.round(lasted / 1000)}s)`, { hint });
  }
  if (status === 'Running' && readyCondition?.status === 'True')
    return ready(Reason.Ready, `${what} is running and ready`);
  if (status === 'Stopped' && meantToBeStopped(object))
    return ready(Reason.Ready, `${what} is stopped, as its run strategy says`);
  return progressing(
    Reason.Progressing,
    readyCondition && readyCondition.status !== 'True'
      ? `${what} is ${status}: ${describeCondition(readyCondition)}`
      : says,
  );
}

function meantToBeStopped(object: KubeObject): boolean {
  const strategy = str(object, 'spec', 'runStrategy');
  return strategy === 'Halted' || (strategy === undefined && field(object, 'spec', 'running') === false);
}
