import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { KubeClient } from '../../src/kube/client.js';
import { kubeConfigFromString, loadInCluster } from '../../src/kube/config.js';
import { KubeApiError, KubeAuthError, KubeConnectionError, KubeTlsError } from '../../src/kube/errors.js';
import { type FakeCluster, startFakeCluster } from '../../src/testing/cluster.js';
import { writeExecPlugin } from '../../src/testing/exec-plugin.js';
import { loadTestPki } from '../../src/testing/tls.js';

const TOKEN = 'kubedog-test-token-1';
const ROTATED = 'kubedog-test-token-2';
const EXEC_TOKEN = 'kubedog-exec-token';
const PASSWORD = 'kubedog-test-password';
const SECRETS = [TOKEN, ROTATED, EXEC_TOKEN, PASSWORD];
const pki = loadTestPki();

function assertNoSecret(text: string) {
  for (const secret of SECRETS) assert.ok(!text.includes(secret), `a secret leaked into: ${text}`);
  assert.ok(!text.includes('PRIVATE KEY'), `a key leaked into: ${text}`);
}

describe('kubeconfig auth matrix against the HTTPS simulated cluster', () => {
  let cluster: FakeCluster;
  const clients: KubeClient[] = [];
  const clientFor = (user: Record<string, unknown>, clusterFields?: Record<string, unknown>) => {
    const client = new KubeClient(
      kubeConfigFromString(cluster.kubeconfigWith(user, clusterFields), { source: 'test-kubeconfig' }),
    );
    clients.push(client);
    return client;
  };
  const canList = async (client: KubeClient) => {
    const { items } = await client.list('namespaces');
    assert.ok(items.some((n) => n.metadata.name === 'default'));
  };

  before(async () => {
    cluster = await startFakeCluster({
      tls: true,
      auth: {
        tokens: { [TOKEN]: 'token-user', [ROTATED]: 'token-user', [EXEC_TOKEN]: 'exec-user' },
        basic: { alice: PASSWORD },
        clientCertificates: true,
      },
    });
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await cluster.close();
  });

  test('bearer token', async () => canList(clientFor({ token: TOKEN })));

  test('basic auth', async () => canList(clientFor({ username: 'alice', password: PASSWORD })));

  test('client certificate and key as inline data', async () =>
    canList(
      clientFor({
        'client-certificate-data': pki.clientCert.toString('base64'),
        'client-key-data': pki.clientKey.toString('base64'),
      }),
    ));

  test('client certificate and key as files, CA as a file', async () =>
    canList(
      clientFor(
        { 'client-certificate': join(pki.dir, 'client.crt'), 'client-key': join(pki.dir, 'client.key') },
        { 'certificate-authority-data': null, 'certificate-authority': join(pki.dir, 'ca.crt') },
      ),
    ));

  test('token file, re-read when it rotates', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubedog-token-'));
    const file = join(dir, 'token');
    writeFileSync(file, `${TOKEN}\n`);
    const client = clientFor({ tokenFile: file });
    await canList(client);
    // The old token stops working and the file gets a new one (as the kubelet rotates it).
    cluster.faults.expireToken(TOKEN);
    writeFileSync(file, ROTATED);
    try {
      await canList(client);
    } finally {
      cluster.faults.expiredTokens.delete(TOKEN);
    }
  });

  test('in-cluster configuration against the HTTPS server, with the token rotated by the kubelet', async () => {
    const sa = mkdtempSync(join(tmpdir(), 'kubedog-sa-'));
    writeFileSync(join(sa, 'token'), TOKEN);
    writeFileSync(join(sa, 'ca.crt'), pki.ca);
    writeFileSync(join(sa, 'namespace'), 'kube-system');
    const port = new URL(cluster.url).port;
    const config = loadInCluster(
      { KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: port },
      { serviceAccountDir: sa },
    );
    assert.equal(config.namespace, 'kube-system');
    const client = new KubeClient(config);
    clients.push(client);
    await canList(client);
    cluster.faults.expireToken(TOKEN);
    writeFileSync(join(sa, 'token'), ROTATED);
    try {
      await canList(client);
    } finally {
      cluster.faults.expiredTokens.delete(TOKEN);
    }
  });

  test('exec plugin v1: argv, env, KUBERNETES_EXEC_INFO, cached until expiry', async () => {
    const plugin = writeExecPlugin({
      token: EXEC_TOKEN,
      expirationTimestamp: new Date(Date.now() + 3600_000).toISOString(),
    });
    const exec = plugin.kubeconfigExec({
      env: [{ name: 'TEST_PLUGIN_ENV', value: 'from-kubeconfig' }],
      provideClusterInfo: true,
    });
    exec.args = [...(exec.args as string[]), '--flag', 'value'];
    const client = clientFor({ exec });
    await canList(client);
    await canList(client);
    const calls = plugin.calls();
    assert.equal(calls.length, 1, 'a cached credential is reused');
    const call = calls[0];
    assert.equal(call?.env, 'from-kubeconfig');
    assert.deepEqual(call?.argv, ['--flag', 'value']);
    const info = call?.execInfo as {
      apiVersion: string;
      kind: string;
      spec: { interactive: boolean; cluster: { server: string } };
    };
    assert.equal(info.apiVersion, 'client.authentication.k8s.io/v1');
    assert.equal(info.kind, 'ExecCredential');
    assert.equal(info.spec.interactive, false);
    assert.equal(info.spec.cluster.server, cluster.url);
  });

  test('exec plugin v1beta1 with an expired credential runs again', async () => {
    const plugin = writeExecPlugin({
      token: EXEC_TOKEN,
      expirationTimestamp: new Date(Date.now() - 1000).toISOString(),
    });
    const client = clientFor({
      exec: plugin.kubeconfigExec({ apiVersion: 'client.authentication.k8s.io/v1beta1' }),
    });
    await canList(client);
    await canList(client);
    assert.equal(plugin.calls().length, 2);
  });

  test('exec plugin re-run once after a 401, then requests continue', async () => {
    const plugin = writeExecPlugin({ token: TOKEN });
    const client = clientFor({ exec: plugin.kubeconfigExec() });
    await canList(client);
    cluster.faults.expireToken(TOKEN);
    plugin.update({ token: EXEC_TOKEN });
    try {
      await canList(client);
    } finally {
      cluster.faults.expiredTokens.delete(TOKEN);
    }
    assert.equal(plugin.calls().length, 2);
  });

  test('exec plugin that keeps returning a rejected token: 401 after exactly one re-run', async () => {
    const plugin = writeExecPlugin({ token: 'not-a-valid-token' });
    const client = clientFor({ exec: plugin.kubeconfigExec() });
    await assert.rejects(canList(client), (error: unknown) => {
      assert.ok(error instanceof KubeApiError);
      assert.equal(error.statusCode, 401);
      assert.match(
        error.message,
        /Unauthorized: .* rejected the credentials \(exec plugin ".*node.*" of user "fake-user", context "fake" in test-kubeconfig\)/,
      );
      return true;
    });
    assert.equal(plugin.calls().length, 2);
  });

  test('failing exec plugin: exit code, stderr and installHint, never its output', async () => {
    const plugin = writeExecPlugin({ exitCode: 3, stderr: 'login required: run `cloud login`' });
    const client = clientFor({
      exec: plugin.kubeconfigExec({ installHint: 'Install the cloud CLI from https://cloud.example' }),
    });
    await assert.rejects(canList(client), (error: unknown) => {
      assert.ok(error instanceof KubeAuthError);
      assert.match(
        error.message,
        /exited with code 3: login required: run `cloud login`\nInstall the cloud CLI/,
      );
      return true;
    });
    plugin.update({ rawOutput: `not json ${EXEC_TOKEN}` });
    await assert.rejects(canList(client), (error: Error) => {
      assert.match(error.message, /did not print an ExecCredential as JSON/);
      assertNoSecret(error.message);
      return true;
    });
    plugin.update({ token: EXEC_TOKEN, apiVersion: 'client.authentication.k8s.io/v1beta1' });
    await assert.rejects(
      canList(client),
      /printed apiVersion "client.authentication.k8s.io\/v1beta1", but the kubeconfig asks for client.authentication.k8s.io\/v1/,
    );
  });

  test('exec plugin that does not exist', async () => {
    const client = clientFor({
      exec: {
        apiVersion: 'client.authentication.k8s.io/v1',
        command: 'kubedog-no-such-plugin',
        interactiveMode: 'Never',
        installHint: 'brew install it',
      },
    });
    await assert.rejects(canList(client), /exec plugin "kubedog-no-such-plugin": not found\nbrew install it/);
  });

  test('interactiveMode Always without a terminal is refused before running anything', async () => {
    const plugin = writeExecPlugin({ token: EXEC_TOKEN });
    const client = clientFor({ exec: plugin.kubeconfigExec({ interactiveMode: 'Always' }) });
    if (process.stdin.isTTY) return; // only meaningful without a terminal, as in CI
    await assert.rejects(canList(client), /needs an interactive terminal \(interactiveMode: Always\)/);
    assert.equal(plugin.calls().length, 0);
  });

  test('tls-server-name lets an IP URL verify against a name in the certificate', async () => {
    const url = new URL(cluster.url);
    await canList(
      clientFor(
        { token: TOKEN },
        { server: `https://localhost:${url.port}`, 'tls-server-name': 'kubernetes.default.svc' },
      ),
    );
    await assert.rejects(
      canList(clientFor({ token: TOKEN }, { 'tls-server-name': 'wrong.example' })),
      (error: unknown) => {
        assert.ok(error instanceof KubeTlsError);
        assert.match(error.message, /not valid for this host name .*expected name: wrong\.example/);
        return true;
      },
    );
  });

  test('unknown CA: the error names the CA source and the server', async () => {
    await assert.rejects(
      canList(clientFor({ token: TOKEN }, { 'certificate-authority-data': pki.otherCa.toString('base64') })),
      (error: unknown) => {
        assert.ok(error instanceof KubeTlsError);
        assert.match(
          error.message,
          /^TLS verification of https:\/\/127\.0\.0\.1:\d+ failed: certificate signed by an unknown authority \(trusted CAs: clusters\[fake\]\.cluster\.certificate-authority-data in test-kubeconfig/,
        );
        assertNoSecret(error.message);
        return true;
      },
    );
  });

  test('insecure-skip-tls-verify only when the kubeconfig says so', async () => {
    await canList(
      clientFor({ token: TOKEN }, { 'certificate-authority-data': null, 'insecure-skip-tls-verify': true }),
    );
    await assert.rejects(
      canList(clientFor({ token: TOKEN }, { 'certificate-authority-data': null })),
      KubeTlsError,
    );
  });

  test('401 names the auth method and never the token', async () => {
    await assert.rejects(canList(clientFor({ token: 'wrong-token-value' })), (error: unknown) => {
      assert.ok(error instanceof KubeApiError);
      assert.equal(error.statusCode, 401);
      assert.match(error.message, /rejected the credentials \(bearer token of user "fake-user"/);
      assert.ok(!error.message.includes('wrong-token-value'));
      return true;
    });
    await assert.rejects(
      canList(clientFor({ username: 'alice', password: 'nope-password' })),
      (error: Error) => {
        assert.match(error.message, /basic auth \(user "alice"\)/);
        assert.ok(!error.message.includes('nope-password'));
        return true;
      },
    );
    await assert.rejects(canList(clientFor({})), /rejected the credentials \(no credentials/);
  });

  test('403 gives verb, resource and namespace from the server', async () => {
    cluster.forbid({ verb: 'list', resource: 'secrets', namespace: 'kube-system' });
    const client = clientFor({ token: TOKEN });
    await assert.rejects(client.list('secrets', { namespace: 'kube-system' }), (error: unknown) => {
      assert.ok(error instanceof KubeApiError);
      assert.equal(error.statusCode, 403);
      assert.equal(
        error.message,
        'Forbidden: secrets is forbidden: User "token-user" cannot list resource "secrets" in API group "" in the namespace "kube-system" (context "fake" in test-kubeconfig)',
      );
      return true;
    });
  });

  test('404 says what was not found', async () => {
    await assert.rejects(clientFor({ token: TOKEN }).get('deploy', { name: 'web', namespace: 'default' }), {
      name: 'KubeApiError',
      message: 'NotFound: deployments.apps "web" not found',
    });
  });

  test('proxy-url: requests go through an HTTP CONNECT proxy, TLS verified end to end', async () => {
    const tunnels: string[] = [];
    const proxy = createServer();
    proxy.on('connect', (req, socket: Socket, head: Buffer) => {
      tunnels.push(req.url ?? '');
      const [host, port] = (req.url ?? '').split(':');
      const upstream = connect(Number(port), host ?? '127.0.0.1', () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(socket);
        socket.pipe(upstream);
      });
      upstream.on('error', () => socket.destroy());
      socket.on('error', () => upstream.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = proxy.address() as AddressInfo;
      await canList(clientFor({ token: TOKEN }, { 'proxy-url': `http://127.0.0.1:${port}` }));
      assert.deepEqual(tunnels, [new URL(cluster.url).host]);
    } finally {
      proxy.closeAllConnections();
      proxy.close();
    }
  });

  test('unreachable server: host, port and system error', async () => {
    const closed = await startFakeCluster();
    const port = new URL(closed.url).port;
    await closed.close();
    const client = new KubeClient(
      kubeConfigFromString(closed.kubeconfig, { source: '/home/u/.kube/config' }),
    );
    clients.push(client);
    await assert.rejects(client.list('pods'), (error: unknown) => {
      assert.ok(error instanceof KubeConnectionError);
      assert.equal(
        error.message,
        `cannot reach the Kubernetes API server 127.0.0.1:${port}: connection refused (ECONNREFUSED) (context "fake" in /home/u/.kube/config)`,
      );
      return true;
    });
  });

  test('a server that requires a client certificate we do not have', async () => {
    // Plain HTTPS with a token the server does not know and no certificate → 401, not a TLS error.
    await assert.rejects(
      canList(clientFor({ token: 'unknown' })),
      (error: KubeApiError) => error.statusCode === 401,
    );
  });
});
