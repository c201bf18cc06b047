import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { KubeClient } from '../../src/kube/client.js';
import { kubeConfigFromString } from '../../src/kube/config.js';
import { InvalidInputError } from '../../src/kube/errors.js';
import { DEFAULT_RATE_LIMIT, TokenBucket } from '../../src/kube/rate-limit.js';
import { startFakeCluster } from '../../src/testing/cluster.js';

describe('the request rate limit (a token bucket)', () => {
  test('a burst goes at once; then one request per 1/qps seconds, each waiting its turn', () => {
    let now = 0;
    const bucket = new TokenBucket({ qps: 10, burst: 3 }, () => now);
    assert.deepEqual([bucket.take(), bucket.take(), bucket.take()], [0, 0, 0]);
    // Reserved in order: the 4th waits 100 ms, the 5th 200 ms.
    assert.deepEqual([bucket.take(), bucket.take()], [100, 200]);
    now = 1000;
    // A second later the bucket has refilled what was owed, and 8 more (capped at the burst).
    assert.deepEqual([bucket.take(), bucket.take(), bucket.take(), bucket.take()], [0, 0, 0, 100]);
  });

  test("the default is kubectl's: 50 a second with a burst of 300", () => {
    assert.deepEqual(DEFAULT_RATE_LIMIT, { qps: 50, burst: 300 });
  });

  test('a client sends no faster than its limit, however fast it is asked', async () => {
    await using cluster = await startFakeCluster({ controllers: false });
    const client = new KubeClient(kubeConfigFromString(cluster.kubeconfig), {
      rateLimit: { qps: 20, burst: 5 },
    });
    const before = cluster.stats.requests;
    const started = performance.now();
    await Promise.all(Array.from({ length: 25 }, () => client.list('ConfigMap')));
    const took = performance.now() - started;
    await client.close();
    assert.equal(cluster.stats.requests - before, 25);
    // 5 at once, then 20 more at 20 a second: about a second.
    assert.ok(took >= 900, `25 requests in ${took.toFixed(0)} ms`);
  });

  test('a limit that is not a positive number is an InvalidInputError naming it', async () => {
    await using cluster = await startFakeCluster({ controllers: false });
    const config = kubeConfigFromString(cluster.kubeconfig);
    for (const rateLimit of [
      { qps: 0, burst: 1 },
      { qps: 5, burst: Number.NaN },
      { qps: -1, burst: 2 },
    ])
      assert.throws(
        () => new KubeClient(config, { rateLimit }),
        (error: unknown) => {
          assert.ok(error instanceof InvalidInputError);
          assert.match(error.message, /^rateLimit\.(qps|burst) must be a positive number of requests/);
          return true;
        },
      );
    // No limit at all, when asked.
    await new KubeClient(config, { rateLimit: false }).close();
  });
});
