import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { applyManifests } from '../../src/testing/apply.js';
import { FIXTURE_SCENARIOS, type ScenarioCluster } from '../../src/testing/fixtures.js';
import { trackResource } from '../../src/track/resource.js';
import { collect, kubernetesVersion, logLines, namespace, outcome, story, useCluster } from './helpers.js';

/**
 * Job and pod features of the newer Kubernetes minors — podFailurePolicy,
 * backoffLimitPerIndex, successPolicy, native sidecars in a Job and in a
 * Deployment — played by the fixture library's scenarios on the real
 * controllers of the tier's version (`KUBEDOG_K8S`; `npm run
 * test:cluster:matrix` runs both), each in a namespace of its own, and
 * judged as the scenario expects.
 */
const NEWER = [
  'job-pod-failure-policy',
  'job-failed-indexes',
  'job-success-policy',
  'job-sidecar',
  'deployment-sidecar',
];

describe(`newer Job and pod features on the real controllers of ${kubernetesVersion()}`, {
  concurrency: true,
}, () => {
  const cluster = useCluster();

  /** The scenario's cluster, moved into namespace `ns`. */
  const inNamespace = (ns: string): ScenarioCluster => ({
    client: cluster.client,
    apply: (manifests) => {
      if (typeof manifests === 'string') throw new Error('the newer scenarios apply objects');
      const objects = Array.isArray(manifests) ? manifests : [manifests];
      return applyManifests(
        cluster.client,
        objects.map((object) => ({ ...object, metadata: { ...object.metadata, namespace: ns } })),
      );
    },
    pod: (pattern) => cluster.nodes.pod(`${ns}/${pattern}`),
  });

  for (const scenario of FIXTURE_SCENARIOS.filter((s) => NEWER.includes(s.name))) {
    test(`${scenario.name}: ${scenario.description}`, async () => {
      const ns = await namespace(cluster.client, scenario.name);
      await scenario.setup(inNamespace(ns));
      const events = await collect(
        trackResource(
          cluster.client,
          { kind: scenario.kind, name: scenario.resource, namespace: ns },
          { timeout: 60_000 },
        ),
      );
      const expected = scenario.expect.end === 'failed' ? `failed: ${scenario.expect.reason}` : 'ready';
      assert.equal(outcome(events), expected, story(events));
      for (const line of scenario.expect.logs ?? [])
        assert.ok(
          logLines(events).some((l) => l.endsWith(line)),
          `log line "${line}" in ${logLines(events)}`,
        );
    });
  }
});
