/** kubedog/testing: a simulated Kubernetes API server for tests of code that talks to Kubernetes. */
export { type Clock, ManualClock, RealClock } from './clock.js';
export { type FakeCluster, type FakeClusterOptions, startFakeCluster } from './cluster.js';
export type { ContainerBehaviour, PodBehaviour } from './controllers/behaviour.js';
export { type ExecPluginOptions, writeExecPlugin } from './exec-plugin.js';
export { type FaultAction, type FaultMatch, Faults, type RequestKind } from './faults.js';
export {
  FIXTURE_SCENARIOS,
  type FixtureScenario,
  fixturePath,
  replayScenario,
  type ScenarioCluster,
  type ScenarioReplay,
} from './fixtures.js';
export { type FakeChart, FakeHelm, type FakeHelmResult } from './helm.js';
export { formatRfc3339Nano, LogStore, type StoredLine } from './log-store.js';
export {
  type ReplayOptions,
  type ReplayServer,
  readRecording,
  replayFixture,
  shiftTimestamps,
} from './replay.js';
export { ContainerScenario, NodeScenario, PodScenario } from './scenario.js';
export type { FakeAuthOptions, ForbidRule, ServerStats } from './server.js';
export { type Change, ObjectStore, type Selection } from './store.js';
export { loadTestPki, type TestPki } from './tls.js';
