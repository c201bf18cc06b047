import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { stringify } from 'yaml';
import { kubeConfigFromString, loadKubeConfig } from '../../src/kube/config.js';
import { KubeConfigError } from '../../src/kube/errors.js';

const dir = () => mkdtempSync(join(tmpdir(), 'kubedog-config-'));

function config(
  name: string,
  options: { server?: string; namespace?: string; user?: Record<string, unknown>; current?: boolean } = {},
) {
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      { name: `${name}-cluster`, cluster: { server: options.server ?? `https://${name}.example:6443` } },
    ],
    users: [{ name: `${name}-user`, user: options.user ?? { token: `${name}-token` } }],
    contexts: [
      {
        name,
        context: {
          cluster: `${name}-cluster`,
          user: `${name}-user`,
          ...(options.namespace ? { namespace: options.namespace } : {}),
        },
      },
    ],
    ...(options.current === false ? {} : { 'current-context': name }),
  };
}

function write(directory: string, file: string, content: unknown): string {
  const path = join(directory, file);
  writeFileSync(path, typeof content === 'string' ? content : stringify(content));
  return path;
}

function expectConfigError(fn: () => unknown, ...fragments: string[]) {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof KubeConfigError, `not a KubeConfigError: ${error}`);
    for (const fragment of fragments)
      assert.ok(error.message.includes(fragment), `"${error.message}" lacks "${fragment}"`);
    return true;
  });
}

describe('loadKubeConfig: where the configuration comes from', () => {
  test('--kubeconfig wins over KUBECONFIG and ~/.kube/config', () => {
    const d = dir();
    const explicit = write(d, 'explicit', config('explicit'));
    const fromEnv = write(d, 'env', config('env'));
    const loaded = loadKubeConfig({ kubeconfig: explicit, env: { KUBECONFIG: fromEnv }, homeDir: d });
    assert.equal(loaded.contextName, 'explicit');
    assert.equal(loaded.cluster.server, 'https://explicit.example:6443');
    assert.equal(loaded.user.token, 'explicit-token');
    assert.equal(loaded.namespace, 'default');
  });

  test('KUBECONFIG files merge like kubectl: first file wins per name and for current-context', () => {
    const d = dir();
    const a = write(d, 'a', { ...config('shared', { namespace: 'from-a' }), 'current-context': 'shared' });
    const b = write(d, 'b', {
      ...config('shared', { namespace: 'from-b', server: 'https://b.example' }),
      contexts: [
        { name: 'shared', context: { cluster: 'shared-cluster', user: 'shared-user', namespace: 'from-b' } },
        { name: 'only-b', context: { cluster: 'shared-cluster', user: 'shared-user', namespace: 'bns' } },
      ],
      'current-context': 'only-b',
    });
    const missing = join(d, 'does-not-exist');
    const env = { KUBECONFIG: [missing, a, b].join(':') };
    const merged = loadKubeConfig({ env, homeDir: d });
    assert.equal(merged.contextName, 'shared');
    assert.equal(merged.namespace, 'from-a');
    assert.equal(merged.cluster.server, 'https://shared.example:6443');
    assert.equal(merged.source, `${a}:${b}`);
    // A context only the second file defines is still reachable.
    const onlyB = loadKubeConfig({ env, homeDir: d, context: 'only-b' });
    assert.equal(onlyB.namespace, 'bns');
  });

  test('~/.kube/config is used when nothing else is given', () => {
    const home = dir();
    mkdirSync(join(home, '.kube'));
    write(join(home, '.kube'), 'config', config('home'));
    assert.equal(loadKubeConfig({ env: {}, homeDir: home }).contextName, 'home');
    // An empty --kubeconfig is none, as kubectl takes it (not the current directory).
    assert.equal(loadKubeConfig({ kubeconfig: '', env: {}, homeDir: home }).contextName, 'home');
  });

  test('--context switches context, -n overrides the namespace', () => {
    const d = dir();
    const file = write(d, 'c', {
      ...config('one', { namespace: 'ns-one' }),
      contexts: [
        { name: 'one', context: { cluster: 'one-cluster', user: 'one-user', namespace: 'ns-one' } },
        { name: 'two', context: { cluster: 'one-cluster', user: 'one-user', namespace: 'ns-two' } },
      ],
    });
    assert.equal(loadKubeConfig({ kubeconfig: file }).namespace, 'ns-one');
    assert.equal(loadKubeConfig({ kubeconfig: file, context: 'two' }).namespace, 'ns-two');
    assert.equal(loadKubeConfig({ kubeconfig: file, context: 'two', namespace: 'cli' }).namespace, 'cli');
  });

  test('relative paths resolve against the kubeconfig file, -data wins over files', () => {
    const d = dir();
    mkdirSync(join(d, 'certs'));
    write(join(d, 'certs'), 'ca.crt', 'CA FROM FILE');
    write(join(d, 'certs'), 'token', 'token-from-file\n');
    const file = write(d, 'c', {
      ...config('rel'),
      clusters: [
        { name: 'rel-cluster', cluster: { server: 'https://x', 'certificate-authority': 'certs/ca.crt' } },
      ],
      users: [{ name: 'rel-user', user: { tokenFile: 'certs/token' } }],
    });
    const loaded = loadKubeConfig({ kubeconfig: file });
    assert.equal(loaded.cluster.certificateAuthority?.pem.toString(), 'CA FROM FILE');
    assert.equal(loaded.cluster.certificateAuthority?.source, join(d, 'certs/ca.crt'));
    assert.equal(loaded.user.tokenFile, join(d, 'certs/token'));

    const withData = kubeConfigFromString(
      stringify({
        ...config('data'),
        clusters: [
          {
            name: 'data-cluster',
            cluster: {
              server: 'https://x',
              'certificate-authority': '/nope',
              'certificate-authority-data': Buffer.from('CA DATA').toString('base64'),
            },
          },
        ],
      }),
    );
    assert.equal(withData.cluster.certificateAuthority?.pem.toString(), 'CA DATA');
  });

  test('exec command with a path separator is relative to the kubeconfig; a bare name is left for PATH', () => {
    const d = dir();
    const exec = (command: string) => ({
      apiVersion: 'client.authentication.k8s.io/v1',
      command,
      interactiveMode: 'Never',
    });
    const rel = loadKubeConfig({
      kubeconfig: write(d, 'a', config('a', { user: { exec: exec('bin/plugin') } })),
    });
    assert.equal(rel.user.exec?.command, join(d, 'bin/plugin'));
    const bare = loadKubeConfig({ kubeconfig: write(d, 'b', config('b', { user: { exec: exec('aws') } })) });
    assert.equal(bare.user.exec?.command, 'aws');
  });

  test('v1beta1 exec plugins default interactiveMode to IfAvailable; env and args are read', () => {
    const loaded = kubeConfigFromString(
      stringify(
        config('e', {
          user: {
            exec: {
              apiVersion: 'client.authentication.k8s.io/v1beta1',
              command: 'plugin',
              args: ['get-token', '--cluster', 'x'],
              env: [{ name: 'A', value: 'b' }],
              installHint: 'install plugin',
              provideClusterInfo: true,
            },
          },
        }),
      ),
    );
    assert.deepEqual(loaded.user.exec, {
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      command: 'plugin',
      args: ['get-token', '--cluster', 'x'],
      env: [{ name: 'A', value: 'b' }],
      installHint: 'install plugin',
      provideClusterInfo: true,
      interactiveMode: 'IfAvailable',
    });
  });

  test('in-cluster: service host/port, CA, namespace file and a token file that is re-read', () => {
    const sa = dir();
    write(sa, 'token', 'sa-token');
    write(sa, 'ca.crt', 'CLUSTER CA');
    write(sa, 'namespace', 'apps\n');
    const loaded = loadKubeConfig({
      env: { KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' },
      homeDir: dir(),
      serviceAccountDir: sa,
    });
    assert.equal(loaded.source, 'in-cluster');
    assert.equal(loaded.cluster.server, 'https://10.0.0.1:443');
    assert.equal(loaded.cluster.certificateAuthority?.pem.toString(), 'CLUSTER CA');
    assert.equal(loaded.namespace, 'apps');
    assert.equal(loaded.user.tokenFile, join(sa, 'token'));
    const v6 = loadKubeConfig({
      env: { KUBERNETES_SERVICE_HOST: 'fd00::1' },
      homeDir: dir(),
      serviceAccountDir: sa,
    });
    assert.equal(v6.cluster.server, 'https://[fd00::1]:443');
  });
});

describe('loadKubeConfig: bad input gives one clear line', () => {
  test('missing --kubeconfig file', () => {
    expectConfigError(
      () => loadKubeConfig({ kubeconfig: '/no/such/kubeconfig' }),
      '/no/such/kubeconfig',
      'does not exist',
      '--kubeconfig',
    );
  });

  test('no configuration anywhere', () => {
    const home = dir();
    expectConfigError(
      () => loadKubeConfig({ env: {}, homeDir: home }),
      'no kubeconfig found',
      join(home, '.kube', 'config'),
    );
  });

  test('KUBECONFIG naming only missing files', () => {
    expectConfigError(
      () => loadKubeConfig({ env: { KUBECONFIG: '/nope/a:/nope/b' } }),
      'none of the files in KUBECONFIG exist',
      '/nope/a',
    );
  });

  test('malformed YAML names the file, line and column', () => {
    const d = dir();
    const file = write(
      d,
      'bad',
      'apiVersion: v1\nclusters:\n  - name: x\n    cluster: {server: "https://x"\nusers: []\n',
    );
    expectConfigError(() => loadKubeConfig({ kubeconfig: file }), `malformed kubeconfig ${file}:`);
    assert.throws(() => loadKubeConfig({ kubeconfig: file }), /:\d+:\d+: /);
  });

  test('wrong shapes', () => {
    const d = dir();
    expectConfigError(
      () => loadKubeConfig({ kubeconfig: write(d, 'a', '- just\n- a list\n') }),
      'not a mapping',
    );
    expectConfigError(
      () => loadKubeConfig({ kubeconfig: write(d, 'b', 'clusters: 5\n') }),
      '"clusters" must be a list',
    );
    expectConfigError(
      () => loadKubeConfig({ kubeconfig: write(d, 'c', stringify({ contexts: [{ context: {} }] })) }),
      'contexts[0] has no name',
    );
  });

  test('missing context lists the ones that exist', () => {
    const d = dir();
    const file = write(d, 'c', config('alpha'));
    expectConfigError(
      () => loadKubeConfig({ kubeconfig: file, context: 'beta' }),
      'context "beta" (--context) not found',
      'contexts: alpha',
    );
    const noCurrent = write(d, 'n', config('alpha', { current: false }));
    expectConfigError(
      () => loadKubeConfig({ kubeconfig: noCurrent }),
      'current-context is not set',
      '--context',
      'contexts: alpha',
    );
  });

  test('missing cluster, user, server, or an unusable server URL', () => {
    const base = config('x');
    const d = dir();
    expectConfigError(
      () => loadKubeConfig({ kubeconfig: write(d, 'a', { ...base, clusters: [] }) }),
      'cluster "x-cluster" of context "x" not found',
    );
    expectConfigError(
      () => loadKubeConfig({ kubeconfig: write(d, 'b', { ...base, users: [] }) }),
      'user "x-user" of context "x" not found',
    );
    expectConfigError(
      () =>
        loadKubeConfig({
          kubeconfig: write(d, 'c', { ...base, clusters: [{ name: 'x-cluster', cluster: {} }] }),
        }),
      'cluster "x-cluster"',
      'has no server',
    );
    expectConfigError(
      () =>
        loadKubeConfig({
          kubeconfig: write(d, 'd', {
            ...base,
            clusters: [{ name: 'x-cluster', cluster: { server: 'ftp://x' } }],
          }),
        }),
      'must be http(s)',
    );
  });

  test('bad base64, unreadable files and half a client certificate', () => {
    const d = dir();
    const user = (u: Record<string, unknown>) => write(d, `u${Math.random()}`, config('x', { user: u }));
    expectConfigError(
      () =>
        loadKubeConfig({ kubeconfig: user({ 'client-certificate-data': '***', 'client-key-data': 'eA==' }) }),
      'client-certificate-data',
      'not valid base64',
    );
    expectConfigError(
      () =>
        loadKubeConfig({
          kubeconfig: user({ 'client-certificate': 'missing.crt', 'client-key': 'missing.key' }),
        }),
      'missing.crt',
      'ENOENT',
      'users[x-user].user.client-certificate',
    );
    expectConfigError(
      () => loadKubeConfig({ kubeconfig: user({ 'client-certificate-data': 'eA==' }) }),
      'has client-certificate but no client-key',
    );
  });

  test('conflicting or unsupported auth, bad exec sections', () => {
    const d = dir();
    const user = (u: Record<string, unknown>) => write(d, `u${Math.random()}`, config('x', { user: u }));
    expectConfigError(
      () => loadKubeConfig({ kubeconfig: user({ token: 's3cret-token', username: 'a', password: 'b' }) }),
      'both a token and basic auth',
    );
    expectConfigError(
      () => loadKubeConfig({ kubeconfig: user({ 'auth-provider': { name: 'gcp' } }) }),
      'auth-provider "gcp"',
      'exec credential plugin',
    );
    expectConfigError(
      () =>
        loadKubeConfig({
          kubeconfig: user({ exec: { apiVersion: 'client.authentication.k8s.io/v1alpha1', command: 'x' } }),
        }),
      'v1alpha1',
      'not supported',
    );
    expectConfigError(
      () =>
        loadKubeConfig({
          kubeconfig: user({ exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'x' } }),
        }),
      'interactiveMode is required',
    );
    expectConfigError(
      () =>
        loadKubeConfig({
          kubeconfig: user({
            exec: { apiVersion: 'client.authentication.k8s.io/v1', interactiveMode: 'Never' },
          }),
        }),
      'command is missing',
    );
    expectConfigError(
      () =>
        loadKubeConfig({
          kubeconfig: user({
            exec: {
              apiVersion: 'client.authentication.k8s.io/v1',
              command: 'x',
              interactiveMode: 'Sometimes',
            },
          }),
        }),
      'interactiveMode "Sometimes"',
    );
  });

  test('no secret ever appears in a configuration error', () => {
    const d = dir();
    const secret = 'top-s3cret-value';
    const file = write(d, 'c', config('x', { user: { token: secret, password: secret, username: 'u' } }));
    assert.throws(
      () => loadKubeConfig({ kubeconfig: file }),
      (error: Error) => !error.message.includes(secret),
    );
  });

  test('in-cluster without a token file', () => {
    expectConfigError(
      () =>
        loadKubeConfig({
          env: { KUBERNETES_SERVICE_HOST: '10.0.0.1' },
          homeDir: dir(),
          serviceAccountDir: dir(),
        }),
      'service account token',
      'does not exist',
    );
  });
});

describe('a server URL with userinfo', () => {
  const config = (server: string, user: Record<string, unknown>) =>
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster: { server } }],
      users: [{ name: 'u', user }],
      contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
      'current-context': 'x',
    });

  test('is taken out of the URL, and is basic auth when the user has no credentials of its own', () => {
    const loaded = kubeConfigFromString(config('https://alice:Pa%24sW0rd@10.0.0.1:6443/', {}));
    assert.equal(loaded.cluster.server, 'https://10.0.0.1:6443');
    assert.deepEqual([loaded.user.username, loaded.user.password], ['alice', 'Pa$sW0rd']);
    assert.doesNotMatch(JSON.stringify(loaded.cluster), /alice|W0rd/);
  });

  test('is dropped when the user has a token (it would not be sent), and never shown in errors', () => {
    const loaded = kubeConfigFromString(config('https://alice:PaSsW0rd@10.0.0.1:6443', { token: 't' }));
    assert.equal(loaded.cluster.server, 'https://10.0.0.1:6443');
    assert.equal(loaded.user.username, undefined);
    assert.throws(
      () => kubeConfigFromString(config('ftp://alice:PaSsW0rd@10.0.0.1', {})),
      (error: Error) => error.message.includes('ftp://***@10.0.0.1') && !error.message.includes('PaSsW0rd'),
    );
  });
});
