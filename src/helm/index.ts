/**
 * kubedog/helm: Helm 3 releases as Helm writes them — their revisions,
 * hooks and status — and the track of a release while Helm installs,
 * upgrades or rolls it back.
 */
export type { HelmStorage } from '../helm-record/codec.js';
export type { HelmHook } from './hooks.js';
export {
  type HelmOperation,
  type HelmRelease,
  type ReadHelmReleaseOptions,
  readHelmRelease,
} from './release.js';
export {
  type HelmHookOptions,
  type HelmSource,
  type HelmTrackOptions,
  helmReleaseSpecs,
  trackHelmRelease,
} from './track.js';
