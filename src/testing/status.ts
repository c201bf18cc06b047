import type { KubeStatus } from '../kube/errors.js';

/** An error the simulated API server answers with a `Status` body, as the real one does. */
export class StatusError extends Error {
  readonly status: KubeStatus & { code: number };

  constructor(status: KubeStatus & { code: number }) {
    super(status.message);
    this.status = status;
  }
}

export function statusError(
  code: number,
  reason: string,
  message: string,
  details?: KubeStatus['details'],
): StatusError {
  return new StatusError({
    kind: 'Status',
    apiVersion: 'v1',
    status: 'Failure',
    message,
    reason,
    code,
    ...(details ? { details } : {}),
  });
}
