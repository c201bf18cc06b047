import type * as ChildProcesses from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { loadBuiltin } from '../vendor/load.js';
import { type ClusterConfig, describeAuth, type ExecConfig, HEADER_SAFE, type UserConfig } from './config.js';
import { KubeAuthError } from './errors.js';

/** What one request needs to authenticate itself. */
export interface Credentials {
  headers: Record<string, string>;
  clientCertificate?: { cert: Buffer | string; key: Buffer | string };
}

/**
 * Turns a kubeconfig user into request credentials: bearer token, token file
 * (re-read when it changes, as projected service account tokens rotate), basic
 * auth, client certificates and exec credential plugins (cached until
 * `expirationTimestamp`; concurrent callers share one plugin run).
 */
export class Authenticator {
  readonly #user: UserConfig;
  readonly #cluster: ClusterConfig;
  readonly #now: () => number;
  #tokenFile?: { mtimeMs: number; token: string };
  #exec?: { credentials: ExecCredentialStatus; expiresAt: number };
  #execRun?: Promise<ExecCredentialStatus>;

  constructor(user: UserConfig, cluster: ClusterConfig, options: { now?: () => number } = {}) {
    this.#user = user;
    this.#cluster = cluster;
    this.#now = options.now ?? Date.now;
  }

  /** Human description of the method, for error messages. */
  describe(): string {
    return describeAuth(this.#user);
  }

  /** True when new credentials can be obtained after a 401 (exec plugin or token file). */
  get refreshable(): boolean {
    return this.#user.exec !== undefined || this.#user.tokenFile !== undefined;
  }

  async credentials(signal?: AbortSignal): Promise<Credentials> {
    const headers: Record<string, string> = {};
    let clientCertificate = this.#user.clientCertificate;
    const user = this.#user;
    if (user.exec) {
      const status = await this.#execCredentials(user.exec, signal);
      if (status.token && !HEADER_SAFE.test(status.token))
        throw new KubeAuthError(
          `exec plugin "${user.exec.command}" returned a token with a line break or another control character: an HTTP header cannot carry it`,
        );
      if (status.token) headers.authorization = `Bearer ${status.token}`;
      if (status.clientCertificateData && status.clientKeyData) {
        clientCertificate = {
          cert: Buffer.from(status.clientCertificateData),
          key: Buffer.from(status.clientKeyData),
          source: `exec plugin "${user.exec.command}"`,
        };
      }
    }
    if (user.token) headers.authorization = `Bearer ${user.token}`;
    else if (user.tokenFile) headers.authorization = `Bearer ${await this.#readTokenFile(user.tokenFile)}`;
    else if (user.username !== undefined) {
      headers.authorization = `Basic ${Buffer.from(`${user.username}:${user.password ?? ''}`).toString('base64')}`;
    }
    if (user.impersonate) {
      headers['impersonate-user'] = user.impersonate.user;
      if (user.impersonate.groups.length > 0)
        headers['impersonate-group'] = user.impersonate.groups.join(',');
    }
    return clientCertificate ? { headers, clientCertificate } : { headers };
  }

  /** Forgets cached credentials after a 401; returns whether asking again can help. */
  invalidate(): boolean {
    this.#exec = undefined;
    this.#tokenFile = undefined;
    return this.refreshable;
  }

  async #readTokenFile(path: string): Promise<string> {
    try {
      const info = await stat(path);
      if (this.#tokenFile && this.#tokenFile.mtimeMs === info.mtimeMs) return this.#tokenFile.token;
      const token = (await readFile(path, 'utf8')).trim();
      if (token === '') throw new KubeAuthError(`token file ${path} is empty`);
      if (!HEADER_SAFE.test(token))
        throw new KubeAuthError(
          `token file ${path} holds a line break or another control character inside its token: an HTTP header cannot carry it`,
        );
      this.#tokenFile = { mtimeMs: info.mtimeMs, token };
      return token;
    } catch (error) {
      if (error instanceof KubeAuthError) throw error;
      const reason = (error as NodeJS.ErrnoException).code ?? String(error);
      throw new KubeAuthError(`cannot read token file ${path}: ${reason}`, { cause: error });
    }
  }

  async #execCredentials(exec: ExecConfig, signal?: AbortSignal): Promise<ExecCredentialStatus> {
    if (this.#exec && this.#now() < this.#exec.expiresAt) return this.#exec.credentials;
    if (!this.#execRun) {
      this.#execRun = runExecPlugin(exec, this.#cluster, { signal })
        .then((credentials) => {
          const expiry = credentials.expirationTimestamp
            ? Date.parse(credentials.expirationTimestamp)
            : Number.NaN;
          this.#exec = { credentials, expiresAt: Number.isNaN(expiry) ? Number.POSITIVE_INFINITY : expiry };
          return credentials;
        })
        .finally(() => {
          this.#execRun = undefined;
        });
    }
    return this.#execRun;
  }
}

export interface ExecCredentialStatus {
  token?: string;
  clientCertificateData?: string;
  clientKeyData?: string;
  expirationTimestamp?: string;
}

const EXEC_TIMEOUT_MS = 60_000;
const INTERACTIVE_EXEC_TIMEOUT_MS = 5 * 60_000;
const MAX_OUTPUT_BYTES = 1024 * 1024;

/**
 * Runs an exec credential plugin as client-go does: no shell (argv array),
 * the kubeconfig's env on top of ours, `KUBERNETES_EXEC_INFO` describing the
 * request, stdin only in interactive mode, and a timeout. Failures name the
 * command and show its stderr and `installHint`, never its stdout (which
 * holds the credential).
 */
export async function runExecPlugin(
  exec: ExecConfig,
  cluster: ClusterConfig,
  options: { signal?: AbortSignal; stdinIsTTY?: boolean; timeoutMs?: number } = {},
): Promise<ExecCredentialStatus> {
  const stdinIsTTY = options.stdinIsTTY ?? process.stdin.isTTY === true;
  const interactive =
    exec.interactiveMode === 'Always' || (exec.interactiveMode === 'IfAvailable' && stdinIsTTY);
  if (exec.interactiveMode === 'Always' && !stdinIsTTY) {
    throw new KubeAuthError(
      `exec plugin "${exec.command}" needs an interactive terminal (interactiveMode: Always), but stdin is not a terminal`,
    );
  }
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const { name, value } of exec.env) env[name] = value;
  env.KUBERNETES_EXEC_INFO = JSON.stringify({
    apiVersion: exec.apiVersion,
    kind: 'ExecCredential',
    spec: { interactive, ...(exec.provideClusterInfo ? { cluster: execClusterInfo(cluster) } : {}) },
  });

  const hint = exec.installHint ? `\n${exec.installHint.trim()}` : '';
  options.signal?.throwIfAborted();
  const child = loadBuiltin<typeof ChildProcesses>('node:child_process').spawn(exec.command, exec.args, {
    env,
    stdio: [interactive ? 'inherit' : 'ignore', 'pipe', interactive ? 'inherit' : 'pipe'],
  });
  const timeoutMs = options.timeoutMs ?? (interactive ? INTERACTIVE_EXEC_TIMEOUT_MS : EXEC_TIMEOUT_MS);
  let ended: ChildEnd;
  try {
    ended = await childEnd(child, timeoutMs, options.signal);
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    const { code, message } = error as NodeJS.ErrnoException;
    const why = code === 'ENOENT' ? 'not found' : code === 'EACCES' ? 'not executable' : message;
    throw new KubeAuthError(`exec plugin "${exec.command}": ${why}${hint}`, { cause: error });
  }
  if (options.signal?.aborted) throw options.signal.reason;
  const { stdout, stderr, exitCode, signalName } = ended;
  const stderrText = stderr ? `: ${lastLines(stderr, 5)}` : '';
  if (signalName) {
    throw new KubeAuthError(
      `exec plugin "${exec.command}" was stopped (${signalName}; timed out?)${stderrText}${hint}`,
    );
  }
  if (exitCode !== 0)
    throw new KubeAuthError(`exec plugin "${exec.command}" exited with code ${exitCode}${stderrText}${hint}`);
  return parseExecCredential(stdout, exec);
}

interface ChildEnd {
  stdout: string;
  stderr: string;
  exitCode: number | null;
  signalName: NodeJS.Signals | null;
}

/** How long output may still come after a plugin exited (a child it left may hold its stdout for ever). */
const OUTPUT_AFTER_EXIT_MS = 1000;

/**
 * Waits for a plugin to end and collects its output. At the timeout or an
 * abort it is killed (SIGKILL, as client-go does: a plugin that ignores
 * SIGTERM must not outlive the verdict); once it has exited, its output
 * pipes are closed after {@link OUTPUT_AFTER_EXIT_MS} even if a child of
 * its own still holds them, so nothing keeps kubedog waiting.
 */
function childEnd(
  child: ChildProcess,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<ChildEnd> {
  return new Promise((resolve, reject) => {
    const kill = () => child.kill('SIGKILL');
    const timer = setTimeout(kill, timeoutMs);
    signal?.addEventListener('abort', kill, { once: true });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    child.stdout?.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes <= MAX_OUTPUT_BYTES) out.push(chunk);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      if (err.reduce((n, b) => n + b.length, 0) < 64 * 1024) err.push(chunk);
    });
    let lingering: NodeJS.Timeout | undefined;
    const done = () => {
      clearTimeout(timer);
      clearTimeout(lingering);
      signal?.removeEventListener('abort', kill);
    };
    child.once('error', (error) => {
      done();
      reject(error);
    });
    child.once('exit', () => {
      lingering = setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
      }, OUTPUT_AFTER_EXIT_MS);
    });
    child.once('close', (exitCode, signalName) => {
      done();
      resolve({
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8').trim(),
        exitCode: child.exitCode ?? exitCode,
        signalName: child.signalCode ?? signalName,
      });
    });
  });
}

/** The cluster as `KUBERNETES_EXEC_INFO` describes it to a plugin that asks (provideClusterInfo). */
function execClusterInfo(cluster: ClusterConfig): Record<string, unknown> {
  return {
    server: cluster.server,
    ...(cluster.tlsServerName ? { 'tls-server-name': cluster.tlsServerName } : {}),
    'insecure-skip-tls-verify': cluster.insecureSkipTlsVerify,
    ...(cluster.certificateAuthority
      ? { 'certificate-authority-data': cluster.certificateAuthority.pem.toString('base64') }
      : {}),
    ...(cluster.proxyUrl ? { 'proxy-url': cluster.proxyUrl } : {}),
  };
}

function lastLines(text: string, count: number): string {
  return text.split('\n').slice(-count).join(' | ');
}

function parseExecCredential(stdout: string, exec: ExecConfig): ExecCredentialStatus {
  const fail = (why: string) => new KubeAuthError(`exec plugin "${exec.command}" ${why}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    throw fail('did not print an ExecCredential as JSON');
  }
  const credential = parsed as { apiVersion?: unknown; kind?: unknown; status?: Record<string, unknown> };
  if (credential.kind !== 'ExecCredential')
    throw fail(`printed kind "${String(credential.kind)}", expected ExecCredential`);
  if (credential.apiVersion !== exec.apiVersion) {
    throw fail(
      `printed apiVersion "${String(credential.apiVersion)}", but the kubeconfig asks for ${exec.apiVersion}`,
    );
  }
  const status = credential.status;
  if (!status || typeof status !== 'object') throw fail('printed an ExecCredential without status');
  const str = (key: string) =>
    typeof status[key] === 'string' && status[key] !== '' ? (status[key] as string) : undefined;
  const result: ExecCredentialStatus = {};
  const token = str('token');
  const cert = str('clientCertificateData');
  const key = str('clientKeyData');
  const expiration = str('expirationTimestamp');
  if (token) result.token = token;
  if (cert && key) {
    result.clientCertificateData = cert;
    result.clientKeyData = key;
  } else if (cert || key) {
    throw fail('printed only one of clientCertificateData and clientKeyData');
  }
  if (!token && !cert) throw fail('printed an ExecCredential with neither a token nor a client certificate');
  if (expiration) {
    if (Number.isNaN(Date.parse(expiration)))
      throw fail(`printed an invalid expirationTimestamp "${expiration}"`);
    result.expirationTimestamp = expiration;
  }
  return result;
}
