import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { startFakeCluster } from '../../src/testing/cluster.js';
import { deployment, runCli } from './helpers.js';

const TOKEN = 'sEcReT-t0ken-for-scan';
const PASSWORD = 'hunter2-db-pa55word';

describe('security', () => {
  test('TLS is verified unless the kubeconfig says otherwise; NODE_TLS_REJECT_UNAUTHORIZED=0 changes nothing', async () => {
    await using cluster = await startFakeCluster({ tls: true, auth: { tokens: { [TOKEN]: 'alice' } } });
    await cluster.client.create('Deployment', deployment('web', { replicas: 1 }));
    const dir = mkdtempSync(join(tmpdir(), 'kubedog-tls-'));
    const write = (name: string, text: string) => {
      const path = join(dir, name);
      writeFileSync(path, text, { mode: 0o600 });
      return path;
    };
    const noCa = write(
      'no-ca',
      cluster.kubeconfigWith({ token: TOKEN }, { 'certificate-authority-data': undefined }),
    );
    const refused = await runCli(['rollout', 'track', 'deploy/web', '--kubeconfig', noCa], {
      env: { NODE_TLS_REJECT_UNAUTHORIZED: '0' },
    });
    assert.equal(refused.code, 3, refused.stderr);
    assert.match(refused.stderr, /kubedog: warning: NODE_TLS_REJECT_UNAUTHORIZED=0 is ignored/);
    assert.match(refused.stderr, /certificate/i);
    const insecure = write(
      'insecure',
      cluster.kubeconfigWith(
        { token: TOKEN },
        { 'certificate-authority-data': undefined, 'insecure-skip-tls-verify': true },
      ),
    );
    const allowed = await runCli(['rollout', 'track', 'deploy/web', '--kubeconfig', insecure]);
    assert.equal(allowed.code, 0, allowed.stderr);
    const warnings =
      allowed.stderr.match(/kubedog: warning: TLS verification is off for https:\/\/127\.0\.0\.1:\d+/g) ?? [];
    assert.equal(warnings.length, 1, 'warned once');
  });

  test('no token or Secret value in any output: text, --debug, --output json, reports, recordings', async () => {
    await using cluster = await startFakeCluster({ auth: { tokens: { [TOKEN]: 'alice' } } });
    await cluster.client.create('Secret', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db', namespace: 'default' },
      data: { password: Buffer.from(PASSWORD).toString('base64') },
    });
    // A container that prints nothing secret, failing, so every output path (report included) runs.
    cluster.behave('web-*', 'app', { exitAfter: '100ms', exitCode: 1, exitLogs: ['fatal: cannot connect'] });
    await cluster.client.create('Deployment', deployment('web', { replicas: 1 }));
    const dir = mkdtempSync(join(tmpdir(), 'kubedog-scan-'));
    const record = join(dir, 'run.ndjson');
    const k = ['--kubeconfig', cluster.kubeconfigPath, '--failures-allowed-per-replica', '0'];
    const runs = await Promise.all([
      runCli(['rollout', 'track', 'deploy/web', '--debug', ...k]),
      runCli(['rollout', 'track', 'deploy/web', '-o', 'json', ...k], { env: { KUBEDOG_DEBUG: '1' } }),
      runCli(['rollout', 'track', 'deploy/web', '--record', record, ...k]),
      runCli(['rollout', 'track', 'secret/db', '--record', `${record}.secret`, ...k]),
    ]);
    assert.equal(runs[0]?.code, 1, runs[0]?.stderr);
    assert.match(
      runs[0]?.stderr ?? '',
      /^kubedog: debug: client for http:\/\/127\.0\.0\.1:\d+ .*auth: bearer token/m,
    );
    assert.match(
      runs[0]?.stderr ?? '',
      /^kubedog: debug: GET \/apis\/apps\/v1\/namespaces\/default\/deployments\?fieldSelector=metadata.name%3Dweb&limit=500 → 200 in \d+ ms$/m,
    );
    assert.match(runs[1]?.stderr ?? '', /^kubedog: debug: GET /m);
    const outputs = [
      ...runs.flatMap((r) => [r.stdout, r.stderr]),
      readFileSync(record, 'utf8'),
      readFileSync(`${record}.secret`, 'utf8'),
    ];
    const encoded = Buffer.from(PASSWORD).toString('base64');
    assert.ok((outputs.at(-1) ?? '').includes('cmVkYWN0ZWQ='), 'the Secret was read and recorded, redacted');
    for (const [i, output] of outputs.entries()) {
      for (const secret of [TOKEN, PASSWORD, encoded])
        assert.ok(!output.includes(secret), `output ${i} leaks ${secret}`);
    }
  });
});
