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
  /** Bad command line, manifest, rules file or selector. */
  usage: 64,
  /** Interrupted (Ctrl-C) while waiting for a rollout: 128 + SIGINT, as shells report it. */
  interrupted: 130,
  /** Whoever read the output went away (`kubedog follow … | head`): 128 + SIGPIPE, as shells report it. */
  outputClosed: 141,
} as const;
