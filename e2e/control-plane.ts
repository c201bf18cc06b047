import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { KubeClient } from '../src/kube/client.js';
import { type SimulatedNodes, startNodes } from './nodes.js';

/**
 * Starts a real control plane on 127.0.0.1 from the binaries e2e/build.sh
 * made: etcd, kube-apiserver (RBAC, client certificates and static tokens),
 * and optionally kube-controller-manager, kube-scheduler and simulated nodes
 * (e2e/nodes.ts: real kubelets need a container runtime). A test PKI is
 * made with openssl in a temporary directory; everything is stopped and
 * removed by `stop()`, on SIGINT/SIGTERM/SIGHUP, and the processes on exit.
 */

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export interface ControlPlane {
  /** https://127.0.0.1:PORT */
  server: string;
  /** Directory with ca.crt, admin.crt/admin.key, kubeconfig and the logs. */
  dir: string;
  caFile: string;
  /** Bearer tokens: `admin` (system:masters) and `nobody` (no permissions). */
  tokens: { admin: string; nobody: string };
  /** A kubeconfig with contexts `admin` (client certificate), `admin-token` and `nobody`. */
  kubeconfigPath: string;
  etcdPort: number;
  /** The simulated nodes, when `nodes` was asked for. */
  nodes: SimulatedNodes | undefined;
  stop(): Promise<void>;
}

export interface ControlPlaneOptions {
  /** Directory of the binaries (the output of e2e/build.sh). */
  bin: string;
  /** Also run kube-controller-manager and kube-scheduler. @default false */
  controllers?: boolean;
  /** Register this many simulated nodes (needs `controllers`). @default 0 */
  nodes?: number;
  /** Extra kube-apiserver flags. */
  apiserverFlags?: string[];
  /**
   * Requests per second the controller manager and the scheduler may make
   * (their `--kube-api-qps`, burst twice that). @default theirs (20 and 50)
   */
  clientQps?: number;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function openssl(dir: string, ...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

function makePki(dir: string): void {
  const ecKey = (file: string) =>
    openssl(dir, 'genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', file);
  ecKey('ca.key');
  openssl(
    dir,
    'req',
    '-x509',
    '-new',
    '-key',
    'ca.key',
    '-days',
    '2',
    '-subj',
    '/CN=kubedog-e2e-ca',
    '-out',
    'ca.crt',
  );
  const sign = (name: string, subject: string, extensions: string) => {
    ecKey(`${name}.key`);
    openssl(dir, 'req', '-new', '-key', `${name}.key`, '-subj', subject, '-out', `${name}.csr`);
    writeFileSync(join(dir, `${name}.ext`), extensions);
    openssl(
      dir,
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      `${name}.ext`,
      '-out',
      `${name}.crt`,
    );
  };
  sign(
    'server',
    '/CN=kube-apiserver',
    'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes.default.svc,IP:10.0.0.1\nextendedKeyUsage=serverAuth\n',
  );
  sign('admin', '/O=system:masters/CN=kubedog-admin', 'extendedKeyUsage=clientAuth\n');
  openssl(dir, 'genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'sa.key');
  openssl(dir, 'pkey', '-in', 'sa.key', '-pubout', '-out', 'sa.pub');
}

/** A child that has not exited (a child killed by a signal has a signalCode and no exitCode). */
const running = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

/** How long the control plane's processes get to stop after SIGTERM before they are killed. */
const STOP_GRACE_MS = 5000;

/**
 * Stops the children: SIGTERM (the last started first), then SIGKILL for any
 * still running after the grace period — a kube-apiserver whose etcd went
 * first can take longer than that to give up on it.
 */
async function terminate(children: ChildProcess[]): Promise<void> {
  const exited = Promise.all(
    children.map((c) => (running(c) ? new Promise((resolve) => c.once('exit', resolve)) : undefined)),
  );
  for (const child of [...children].reverse()) if (running(child)) child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, STOP_GRACE_MS);
  });
  await Promise.race([exited, grace]);
  clearTimeout(timer);
  for (const child of children) if (running(child)) child.kill('SIGKILL');
  await exited;
}

export async function startControlPlane(options: ControlPlaneOptions): Promise<ControlPlane> {
  const dir = mkdtempSync(join(tmpdir(), 'kubedog-e2e-'));
  const children: ChildProcess[] = [];
  let nodes: SimulatedNodes | undefined;
  let nodeClient: KubeClient | undefined;
  const stop = async () => {
    await nodes?.stop();
    await nodeClient?.close();
    process.removeListener('exit', killAll);
    for (const signal of SIGNALS) process.removeListener(signal, onSignal);
    await terminate(children);
    rmSync(dir, { recursive: true, force: true });
  };
  const killAll = () => {
    for (const child of [...children].reverse()) if (running(child)) child.kill('SIGTERM');
  };
  // Ctrl-C or a CI runner's SIGTERM: nothing may outlive us, not even the directory.
  const onSignal = (signal: NodeJS.Signals) => {
    void terminate(children).finally(() => {
      rmSync(dir, { recursive: true, force: true });
      process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGHUP' ? 1 : 15));
    });
  };
  process.once('exit', killAll);
  for (const signal of SIGNALS) process.once(signal, onSignal);
  try {
    makePki(dir);
    const tokens = {
      admin: `admin-${Math.random().toString(36).slice(2)}`,
      nobody: `nobody-${Math.random().toString(36).slice(2)}`,
    };
    writeFileSync(
      join(dir, 'tokens.csv'),
      `${tokens.admin},kubedog-admin,uid-admin,system:masters\n${tokens.nobody},nobody,uid-nobody,\n`,
    );
    const [etcdPort, peerPort, apiPort] = [await freePort(), await freePort(), await freePort()];
    const run = (name: string, args: string[]) => {
      const log = openSync(join(dir, `${name}.log`), 'w');
      const child = spawn(join(options.bin, name), args, { stdio: ['ignore', log, log] });
      children.push(child);
      return child;
    };
    run('etcd', [
      `--data-dir=${join(dir, 'etcd')}`,
      `--listen-client-urls=http://127.0.0.1:${etcdPort}`,
      `--advertise-client-urls=http://127.0.0.1:${etcdPort}`,
      `--listen-peer-urls=http://127.0.0.1:${peerPort}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${peerPort}`,
      `--initial-cluster=default=http://127.0.0.1:${peerPort}`,
      '--log-level=warn',
    ]);
    const server = `https://127.0.0.1:${apiPort}`;
    run('kube-apiserver', [
      `--etcd-servers=http://127.0.0.1:${etcdPort}`,
      `--secure-port=${apiPort}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      // Nothing reconciles the `kubernetes` Service's endpoints: since v1.37 the reconciler refuses a
      // loopback address, and no pod here dials the API server through that Service.
      '--endpoint-reconciler-type=none',
      `--tls-cert-file=${join(dir, 'server.crt')}`,
      `--tls-private-key-file=${join(dir, 'server.key')}`,
      `--client-ca-file=${join(dir, 'ca.crt')}`,
      `--token-auth-file=${join(dir, 'tokens.csv')}`,
      '--service-account-issuer=https://kubernetes.default.svc',
      `--service-account-key-file=${join(dir, 'sa.pub')}`,
      `--service-account-signing-key-file=${join(dir, 'sa.key')}`,
      '--service-cluster-ip-range=10.0.0.0/24',
      '--authorization-mode=RBAC',
      '--allow-privileged=true',
      '--kubelet-preferred-address-types=InternalIP',
      // The simulated nodes serve with the serving certificate and check the API server's client certificate.
      `--kubelet-certificate-authority=${join(dir, 'ca.crt')}`,
      `--kubelet-client-certificate=${join(dir, 'admin.crt')}`,
      `--kubelet-client-key=${join(dir, 'admin.key')}`,
      '--enable-priority-and-fairness=false',
      ...(options.apiserverFlags ?? []),
    ]);
    await waitReady(server, join(dir, 'ca.crt'), tokens.admin, children);
    const kubeconfigPath = join(dir, 'kubeconfig');
    writeFileSync(
      kubeconfigPath,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        `- name: e2e`,
        `  cluster: {server: "${server}", certificate-authority: "${join(dir, 'ca.crt')}"}`,
        'users:',
        `- name: admin`,
        `  user: {client-certificate: "${join(dir, 'admin.crt')}", client-key: "${join(dir, 'admin.key')}"}`,
        `- name: admin-token`,
        `  user: {token: "${tokens.admin}"}`,
        `- name: nobody`,
        `  user: {token: "${tokens.nobody}"}`,
        'contexts:',
        '- name: admin',
        '  context: {cluster: e2e, user: admin, namespace: default}',
        '- name: admin-token',
        '  context: {cluster: e2e, user: admin-token, namespace: default}',
        '- name: nobody',
        '  context: {cluster: e2e, user: nobody, namespace: default}',
        'current-context: admin',
        '',
      ].join('\n'),
      { mode: 0o600 },
    );
    const qps = options.clientQps
      ? [`--kube-api-qps=${options.clientQps}`, `--kube-api-burst=${options.clientQps * 2}`]
      : [];
    if (options.controllers) {
      run('kube-controller-manager', [
        `--kubeconfig=${kubeconfigPath}`,
        '--leader-elect=false',
        `--service-account-private-key-file=${join(dir, 'sa.key')}`,
        `--root-ca-file=${join(dir, 'ca.crt')}`,
        '--use-service-account-credentials=false',
        '--controllers=*,-nodeipam',
        '--secure-port=0',
        ...qps,
      ]);
      run('kube-scheduler', [
        `--kubeconfig=${kubeconfigPath}`,
        '--leader-elect=false',
        '--secure-port=0',
        ...qps,
      ]);
    }
    if (options.nodes) {
      nodeClient = KubeClient.fromKubeConfig({ kubeconfig: kubeconfigPath, context: 'admin' });
      nodes = await startNodes({
        client: nodeClient,
        count: options.nodes,
        tls: {
          cert: readFileSync(join(dir, 'server.crt')),
          key: readFileSync(join(dir, 'server.key')),
          ca: readFileSync(join(dir, 'ca.crt')),
        },
      });
    }
    return { server, dir, caFile: join(dir, 'ca.crt'), tokens, kubeconfigPath, etcdPort, nodes, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function waitReady(
  server: string,
  caFile: string,
  token: string,
  children: ChildProcess[],
): Promise<void> {
  const ca = readFileSync(caFile);
  const dispatcher = new Agent({ connect: { ca } });
  try {
    for (let attempt = 0; attempt < 120; attempt++) {
      const dead = children.find((c) => !running(c));
      if (dead)
        throw new Error(`${dead.spawnfile} exited with ${dead.exitCode ?? dead.signalCode}; see its log`);
      try {
        const response = await request(`${server}/readyz`, {
          dispatcher,
          headers: { authorization: `Bearer ${token}` },
        });
        await response.body.dump();
        if (response.statusCode === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(`kube-apiserver at ${server} did not become ready in 60 s`);
  } finally {
    await dispatcher.close();
  }
}
