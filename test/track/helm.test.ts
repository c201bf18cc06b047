import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { startFakeCluster } from '../../src/testing/cluster.js';
import { decodeHelmRelease, encodeHelmRelease, readHelmRelease } from '../../src/track/helm.js';

const MANIFEST = `---
# Source: shop/templates/web.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: app, image: registry.local/web:v1}]}
`;

const secret = (version: number, release: Record<string, unknown>, namespace = 'default') => ({
  apiVersion: 'v1',
  kind: 'Secret',
  type: 'helm.sh/release.v1',
  metadata: {
    name: `sh.helm.release.v1.shop.v${version}`,
    namespace,
    labels: { owner: 'helm', name: 'shop', version: String(version) },
  },
  data: { release: encodeHelmRelease(release) },
});

describe('Helm releases', () => {
  test('decodes what Helm writes (gzip or not) and round-trips', () => {
    const release = { name: 'shop', version: 3, manifest: MANIFEST };
    assert.deepEqual(decodeHelmRelease(encodeHelmRelease(release), 'x'), release);
    // Helm without compression: base64(JSON) inside the Secret's base64.
    const raw = Buffer.from(Buffer.from(JSON.stringify(release)).toString('base64')).toString('base64');
    assert.deepEqual(decodeHelmRelease(raw, 'x'), release);
    // What `helm` actually stores starts with H4sI (gzip's magic, base64-encoded).
    const helm = Buffer.from(gzipSync(JSON.stringify(release)).toString('base64'));
    assert.ok(helm.toString().startsWith('H4sI'));
    assert.throws(
      () => decodeHelmRelease(Buffer.from('not json').toString('base64'), 'Secret default/x'),
      /^InvalidInputError: Secret default\/x is not a Helm release: /,
    );
  });

  test('reads the newest revision and puts objects in the release namespace', async () => {
    await using cluster = await startFakeCluster({ namespaces: ['default', 'shop'] });
    await cluster.client.create(
      'Secret',
      secret(
        1,
        { name: 'shop', namespace: 'shop', version: 1, info: { status: 'superseded' }, manifest: '' },
        'shop',
      ),
    );
    await cluster.client.create(
      'Secret',
      secret(
        2,
        {
          name: 'shop',
          namespace: 'shop',
          version: 2,
          info: { status: 'pending-upgrade' },
          manifest: MANIFEST,
        },
        'shop',
      ),
    );
    const release = await readHelmRelease(cluster.client, 'shop', { namespace: 'shop' });
    assert.equal(release.version, 2);
    assert.equal(release.status, 'pending-upgrade');
    assert.deepEqual(
      release.objects.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`),
      ['Deployment/shop/web'],
    );
    await assert.rejects(
      readHelmRelease(cluster.client, 'shop'),
      /no Helm release "shop" in namespace "default"/,
    );
  });
});
