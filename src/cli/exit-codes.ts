/** Exit codes of the kubedog CLI; documented in --help and the README. */
export const EXIT = {
  /** Ready, or a follow that ended normally. */
  ok: 0,
  /** A tracked resource failed. */
  failed: 1,
  /** The track timed out. */
  timeout: 2,
  /** API, connection or authentication error. */
  api: 3,
  /** Bad command line. */
  usage: 64,
} as const;
