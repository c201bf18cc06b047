import { KubedogError } from '../kube/errors.js';
import type { Verdict } from '../status/types.js';
import type { ResourceRef } from './events.js';

/** A track ran out of time; carries the last verdict, so the caller can say what it was waiting for. */
export class TrackTimeoutError extends KubedogError {
  readonly resource: ResourceRef;
  readonly lastVerdict: Verdict | undefined;

  constructor(resource: ResourceRef, timeoutMs: number, lastVerdict: Verdict | undefined) {
    const what = `${resource.kind.toLowerCase()}/${resource.name}`;
    super(
      'KUBEDOG_TIMEOUT',
      `timed out after ${formatMs(timeoutMs)} waiting for ${what}${lastVerdict ? `: ${lastVerdict.message}` : ' to exist'}`,
    );
    this.resource = resource;
    this.lastVerdict = lastVerdict;
  }
}

/** `5m`, `90s`, `1500ms`: the shortest exact way to write a duration. */
export function formatMs(ms: number): string {
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
