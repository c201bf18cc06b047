import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { specFromManifest } from '../../src/inputs/specs.js';
import { parseManifests } from '../../src/kube/manifests.js';

const kindOf = (apiVersion: string, kind: string) =>
  specFromManifest(
    parseManifests(`apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: x}\n`, 'm.yaml')[0] as never,
  ).kind;

describe('the kind a manifest spec names', () => {
  test("kubedog's own kinds plainly; any other kind with its group, Kubernetes' own groups included", () => {
    assert.equal(kindOf('apps/v1', 'Deployment'), 'Deployment');
    assert.equal(kindOf('v1', 'Service'), 'Service');
    assert.equal(kindOf('networking.k8s.io/v1', 'Ingress'), 'Ingress');
    assert.equal(kindOf('cert-manager.io/v1', 'Certificate'), 'Certificate.cert-manager.io');
    // Served by a CRD in a Kubernetes group: looked up with its group, not as any "Gateway".
    assert.equal(kindOf('gateway.networking.k8s.io/v1', 'Gateway'), 'Gateway.gateway.networking.k8s.io');
  });
});
