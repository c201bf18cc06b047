import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { yaml } from '../vendor/yaml.js';
import { readBlockYaml } from './block-yaml.js';
import { KubeConfigError } from './errors.js';
import { isRecord } from './types.js';

/**
 * Loading kubeconfig files the way kubectl does (client-go's clientcmd):
 *
 * 1. `kubeconfig` option (`--kubeconfig`): exactly that file, which must exist.
 * 2. `KUBECONFIG`: a list of files (`:` on Unix); missing files are skipped,
 *    and the rest are merged — for clusters, users and contexts the first file
 *    that defines a name wins, and the first non-empty current-context wins.
 * 3. `~/.kube/config`.
 * 4. In-cluster service account, when `KUBERNETES_SERVICE_HOST` is set.
 *
 * Relative paths in a file are resolved against that file's directory.
 * Everything is validated here, so a bad field is reported with its file
 * before any request is made. Nothing secret is ever put into a message.
 */

/** Credentials for the exec plugin protocol (client.authentication.k8s.io). */
export interface ExecConfig {
  apiVersion: 'client.authentication.k8s.io/v1' | 'client.authentication.k8s.io/v1beta1';
  command: string;
  args: string[];
  env: { name: string; value: string }[];
  installHint?: string;
  provideClusterInfo: boolean;
  interactiveMode: 'Never' | 'IfAvailable' | 'Always';
}

export interface ClusterConfig {
  server: string;
  /** PEM bundle of trusted CAs and where it came from (for error messages). */
  certificateAuthority?: { pem: Buffer; source: string };
  insecureSkipTlsVerify: boolean;
  tlsServerName?: string;
  proxyUrl?: string;
}

export interface UserConfig {
  token?: string;
  tokenFile?: string;
  username?: string;
  password?: string;
  clientCertificate?: { cert: Buffer; key: Buffer; source: string };
  exec?: ExecConfig;
  impersonate?: { user: string; groups: string[] };
}

/** A kubeconfig context resolved to what a client needs: where, who, which namespace. */
export interface ResolvedKubeConfig {
  /** Where the configuration came from: file paths joined with `:`, or `in-cluster`. */
  source: string;
  /** The context used (`in-cluster` in a pod). */
  contextName: string;
  /** The context's cluster entry. */
  clusterName: string;
  /** The context's user entry. */
  userName: string;
  /** The namespace of the context, or `default`. */
  namespace: string;
  /** Server URL, CA, TLS server name, proxy. */
  cluster: ClusterConfig;
  /** Credentials: token, certificate, basic auth, exec plugin, impersonation. */
  user: UserConfig;
}

export interface LoadKubeConfigOptions {
  /** Path of a kubeconfig file, as `--kubeconfig` gives it. */
  kubeconfig?: string;
  /** Context to use instead of current-context, as `--context` gives it. */
  context?: string;
  /** Overrides the context's namespace, as `-n` does. */
  namespace?: string;
  /** Environment to read `KUBECONFIG` and in-cluster variables from. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Home directory for `~/.kube/config`. @default os.homedir() */
  homeDir?: string;
  /** Directory holding the service account files. @default '/var/run/secrets/kubernetes.io/serviceaccount' */
  serviceAccountDir?: string;
}

/**
 * Loads kubeconfig text given directly (a secret of a CI system, a
 * simulated cluster's): its `current-context`, or `options.context`.
 * `source` names it in errors. File paths in it are relative to the current
 * directory.
 * @throws {KubeConfigError} malformed YAML, a missing context, cluster or user, unreadable credentials
 * @example
 * import { KubeClient, kubeConfigFromString } from 'kubedog';
 *
 * const config = kubeConfigFromString(`
 * apiVersion: v1
 * kind: Config
 * clusters: [{name: ci, cluster: {server: "https://10.0.0.1:6443", insecure-skip-tls-verify: true}}]
 * users: [{name: deployer, user: {token: "s3cr3t"}}]
 * contexts: [{name: ci, context: {cluster: ci, user: deployer, namespace: shop}}]
 * current-context: ci
 * `);
 * const ci = new KubeClient(config);
 * console.log(`${ci.server} ${ci.namespace}`);
 * // prints: https://10.0.0.1:6443 shop
 * await ci.close();
 */
export function kubeConfigFromString(
  text: string,
  options: { context?: string; namespace?: string; source?: string } = {},
): ResolvedKubeConfig {
  const source = options?.source ?? '<inline kubeconfig>';
  if (typeof text !== 'string')
    throw new KubeConfigError(`kubeconfig ${source} must be text (a string)`, { file: source });
  const file = parseFile(text, source, process.cwd());
  return resolveContext([file], source, options);
}

/**
 * Loads the configuration as kubectl does: `options.kubeconfig` (exactly that
 * file), else the files of `KUBECONFIG` merged (the first to define a name
 * wins), else `~/.kube/config`, else the pod's service account; then the
 * context (`options.context` or `current-context`) and its namespace
 * (`options.namespace` overrides it). {@link KubeClient.fromKubeConfig} does
 * this and makes the client.
 * @throws {KubeConfigError} no configuration, a malformed file, a missing context, cluster or user, unreadable credentials — the message names the file and field
 * @example
 * import { KubeClient, loadKubeConfig } from 'kubedog';
 *
 * const config = loadKubeConfig({ namespace: 'default' });
 * console.log(`context ${config.contextName} of ${config.source}`);
 * // prints: context fake of …
 * const kube = new KubeClient(config, { http2: false });
 * await kube.close();
 */
export function loadKubeConfig(options: LoadKubeConfigOptions = {}): ResolvedKubeConfig {
  const env = options.env ?? process.env;
  // An empty path is no path, as kubectl's --kubeconfig="" (not the current directory).
  if (options.kubeconfig) {
    const path = resolve(options.kubeconfig);
    if (!existsSync(path))
      throw new KubeConfigError(`kubeconfig file ${path} does not exist (--kubeconfig)`, { file: path });
    return resolveContext([readConfigFile(path)], path, options);
  }
  const fromEnv = (env.KUBECONFIG ?? '').split(delimiter).filter((p) => p !== '');
  if (fromEnv.length > 0) {
    const existing = fromEnv.map((p) => resolve(p)).filter((p) => existsSync(p));
    if (existing.length === 0) {
      throw new KubeConfigError(`none of the files in KUBECONFIG exist: ${fromEnv.join(delimiter)}`);
    }
    return resolveContext(existing.map(readConfigFile), existing.join(delimiter), options);
  }
  const home = join(options.homeDir ?? homedir(), '.kube', 'config');
  if (existsSync(home)) return resolveContext([readConfigFile(home)], home, options);
  if (env.KUBERNETES_SERVICE_HOST) return loadInCluster(env, options);
  throw new KubeConfigError(
    `no kubeconfig found: ${home} does not exist, KUBECONFIG is not set and this is not a pod (KUBERNETES_SERVICE_HOST is not set)`,
  );
}

const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** Configuration of a process running in a pod: service account token, CA and namespace. */
export function loadInCluster(
  env: NodeJS.ProcessEnv,
  options: LoadKubeConfigOptions = {},
): ResolvedKubeConfig {
  const dir = options.serviceAccountDir ?? SERVICE_ACCOUNT_DIR;
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT ?? '443';
  if (!host) throw new KubeConfigError('in-cluster configuration needs KUBERNETES_SERVICE_HOST');
  const tokenFile = join(dir, 'token');
  if (!existsSync(tokenFile)) {
    throw new KubeConfigError(`in-cluster configuration: service account token ${tokenFile} does not exist`, {
      file: tokenFile,
    });
  }
  const caFile = join(dir, 'ca.crt');
  const namespaceFile = join(dir, 'namespace');
  const namespace = existsSync(namespaceFile) ? readFileSync(namespaceFile, 'utf8').trim() : 'default';
  return {
    source: 'in-cluster',
    contextName: 'in-cluster',
    clusterName: 'in-cluster',
    userName: 'service-account',
    namespace: options.namespace ?? (namespace || 'default'),
    cluster: {
      server: `https://${host.includes(':') ? `[${host}]` : host}:${port}`,
      insecureSkipTlsVerify: false,
      ...(existsSync(caFile) ? { certificateAuthority: { pem: readFileSync(caFile), source: caFile } } : {}),
    },
    // The kubelet rotates the projected token; the file is re-read when it changes.
    user: { tokenFile },
  };
}

// ---------------------------------------------------------------------------

interface NamedEntry {
  name: string;
  value: Record<string, unknown>;
  file: ParsedFile;
}

interface ParsedFile {
  path: string;
  dir: string;
  clusters: NamedEntry[];
  users: NamedEntry[];
  contexts: NamedEntry[];
  currentContext: string | undefined;
}

function readConfigFile(path: string): ParsedFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new KubeConfigError(`cannot read kubeconfig ${path}: ${reason}`, { file: path, cause: error });
  }
  return parseFile(text, path, dirname(path));
}

function parseFile(text: string, path: string, dir: string): ParsedFile {
  const plain = readBlockYaml(text) ?? parseYaml(text, path);
  if (plain === undefined)
    return { path, dir, clusters: [], users: [], contexts: [], currentContext: undefined };
  return parseConfig(plain, path, dir);
}

/** The kubeconfig's mapping read by the YAML library (undefined: an empty document); errors name the line. */
function parseYaml(text: string, path: string): Record<string, unknown> | undefined {
  const lineCounter = new (yaml().LineCounter)();
  const doc = yaml().parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: false });
  const error = doc.errors[0];
  if (error) {
    const at = error.linePos?.[0];
    const where = at ? `${path}:${at.line}:${at.col}` : path;
    const what = (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
    throw new KubeConfigError(`malformed kubeconfig ${where}: ${what}`, { file: path, cause: error });
  }
  const root = doc.contents;
  if (root === null || root === undefined) return undefined;
  if (!yaml().isMap(root))
    throw new KubeConfigError(`malformed kubeconfig ${path}: the document is not a mapping`, { file: path });
  try {
    return doc.toJS() as Record<string, unknown>;
  } catch (error) {
    // An alias to an anchor that is not there, and the like.
    const what = (error as Error).message.split('\n')[0];
    throw new KubeConfigError(`malformed kubeconfig ${path}: ${what}`, { file: path, cause: error });
  }
}

function parseConfig(plain: Record<string, unknown>, path: string, dir: string): ParsedFile {
  for (const key of ['clusters', 'users', 'contexts']) {
    const value = plain[key];
    if (value !== undefined && value !== null && !Array.isArray(value)) {
      throw new KubeConfigError(`malformed kubeconfig ${path}: "${key}" must be a list`, {
        file: path,
        field: key,
      });
    }
  }
  const file: ParsedFile = { path, dir, clusters: [], users: [], contexts: [], currentContext: undefined };
  const entries = (key: 'clusters' | 'users' | 'contexts', inner: string): NamedEntry[] => {
    const list = plain[key];
    if (!Array.isArray(list)) return [];
    return list.map((item, index) => {
      const record = asRecord(item);
      const name = record?.name;
      if (typeof name !== 'string' || name === '') {
        throw new KubeConfigError(`malformed kubeconfig ${path}: ${key}[${index}] has no name`, {
          file: path,
          field: `${key}[${index}].name`,
        });
      }
      const value = asRecord(record?.[inner]) ?? {};
      return { name, value, file };
    });
  };
  file.clusters = entries('clusters', 'cluster');
  file.users = entries('users', 'user');
  file.contexts = entries('contexts', 'context');
  const current = plain['current-context'];
  file.currentContext = typeof current === 'string' && current !== '' ? current : undefined;
  return file;
}

const asRecord = (value: unknown): Record<string, unknown> | undefined =>
  isRecord(value) ? value : undefined;

/** First file that defines a name wins, as in kubectl's merge. */
function firstByName(lists: NamedEntry[][]): Map<string, NamedEntry> {
  const merged = new Map<string, NamedEntry>();
  for (const list of lists)
    for (const entry of list) if (!merged.has(entry.name)) merged.set(entry.name, entry);
  return merged;
}

function resolveContext(
  files: ParsedFile[],
  source: string,
  options: { context?: string; namespace?: string },
): ResolvedKubeConfig {
  const contexts = firstByName(files.map((f) => f.contexts));
  const clusters = firstByName(files.map((f) => f.clusters));
  const users = firstByName(files.map((f) => f.users));
  const available = [...contexts.keys()].join(', ') || 'none';
  const contextName = options.context ?? files.find((f) => f.currentContext)?.currentContext;
  if (contextName === undefined) {
    throw new KubeConfigError(
      `current-context is not set in ${source}; pick one with --context (contexts: ${available})`,
      {
        file: source,
      },
    );
  }
  const context = contexts.get(contextName);
  if (!context) {
    const how = options.context !== undefined ? '--context' : 'current-context';
    throw new KubeConfigError(
      `context "${contextName}" (${how}) not found in ${source}; contexts: ${available}`,
      {
        file: source,
      },
    );
  }
  const clusterName = stringField(context, 'cluster');
  const userName = stringField(context, 'user') ?? '';
  if (!clusterName) {
    throw new KubeConfigError(`context "${contextName}" in ${context.file.path} names no cluster`, {
      file: context.file.path,
      field: `contexts[${contextName}].context.cluster`,
    });
  }
  const cluster = clusters.get(clusterName);
  if (!cluster) {
    throw new KubeConfigError(
      `cluster "${clusterName}" of context "${contextName}" not found in ${source}; clusters: ${[...clusters.keys()].join(', ') || 'none'}`,
      { file: source },
    );
  }
  const user = userName === '' ? undefined : users.get(userName);
  if (userName !== '' && !user) {
    throw new KubeConfigError(`user "${userName}" of context "${contextName}" not found in ${source}`, {
      file: source,
    });
  }
  return {
    source,
    contextName,
    clusterName,
    userName,
    namespace: options.namespace ?? stringField(context, 'namespace') ?? 'default',
    ...withServerUserinfo(readCluster(cluster), user ? readUser(user) : {}),
  };
}

/**
 * A server URL's userinfo (`https://alice:secret@host`) is taken out of the
 * URL, so that no message, debug line or recording shows it, and used as
 * basic auth when the user has no credentials of its own (as Go's HTTP
 * client, and so kubectl, send it only without another Authorization).
 */
function withServerUserinfo(
  read: ClusterConfig & { userinfo?: { username: string; password: string } },
  user: UserConfig,
): { cluster: ClusterConfig; user: UserConfig } {
  const { userinfo, ...cluster } = read;
  const hasOwn = user.token || user.tokenFile || user.exec || user.username !== undefined;
  if (!userinfo || hasOwn) return { cluster, user };
  return { cluster, user: { ...user, ...userinfo } };
}

function stringField(entry: NamedEntry, key: string): string | undefined {
  const value = entry.value[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
    throw new KubeConfigError(
      `malformed kubeconfig ${entry.file.path}: ${entry.name}: "${key}" must be a string`,
      {
        file: entry.file.path,
        field: key,
      },
    );
  }
  return String(value);
}

function fieldName(entry: NamedEntry, kind: 'clusters' | 'users', key: string): string {
  return `${kind}[${entry.name}].${kind === 'clusters' ? 'cluster' : 'user'}.${key}`;
}

function localPath(entry: NamedEntry, path: string): string {
  return isAbsolute(path) ? path : join(entry.file.dir, path);
}

function readReferencedFile(
  entry: NamedEntry,
  kind: 'clusters' | 'users',
  key: string,
  path: string,
): Buffer {
  const full = localPath(entry, path);
  try {
    return readFileSync(full);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new KubeConfigError(
      `cannot read ${full} (${fieldName(entry, kind, key)} in ${entry.file.path}): ${reason}`,
      {
        file: entry.file.path,
        field: fieldName(entry, kind, key),
        cause: error,
      },
    );
  }
}

const BASE64 = /^[A-Za-z0-9+/\s]*={0,2}\s*$/;

function readData(entry: NamedEntry, kind: 'clusters' | 'users', key: string): Buffer | undefined {
  const value = stringField(entry, key);
  if (value === undefined) return undefined;
  if (!BASE64.test(value)) {
    throw new KubeConfigError(`${fieldName(entry, kind, key)} in ${entry.file.path} is not valid base64`, {
      file: entry.file.path,
      field: fieldName(entry, kind, key),
    });
  }
  return Buffer.from(value, 'base64');
}

/** `-data` wins over the file, as in client-go. */
function dataOrFile(entry: NamedEntry, kind: 'clusters' | 'users', key: string) {
  const data = readData(entry, kind, `${key}-data`);
  if (data) return { bytes: data, source: `${fieldName(entry, kind, `${key}-data`)} in ${entry.file.path}` };
  const file = stringField(entry, key);
  if (file === undefined) return undefined;
  return { bytes: readReferencedFile(entry, kind, key, file), source: localPath(entry, file) };
}

function readCluster(
  entry: NamedEntry,
): ClusterConfig & { userinfo?: { username: string; password: string } } {
  const written = stringField(entry, 'server');
  // Messages about the server never show its userinfo.
  const server = written?.replace(/(\w+:\/\/)[^/@\s]*@/, '$1***@');
  if (!server) {
    throw new KubeConfigError(`cluster "${entry.name}" in ${entry.file.path} has no server`, {
      file: entry.file.path,
      field: fieldName(entry, 'clusters', 'server'),
    });
  }
  let url: URL;
  try {
    url = new URL(written as string);
  } catch {
    throw new KubeConfigError(
      `cluster "${entry.name}" in ${entry.file.path}: server "${server}" is not a URL`,
      {
        file: entry.file.path,
        field: fieldName(entry, 'clusters', 'server'),
      },
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new KubeConfigError(
      `cluster "${entry.name}" in ${entry.file.path}: server "${server}" must be http(s)`,
      {
        file: entry.file.path,
        field: fieldName(entry, 'clusters', 'server'),
      },
    );
  }
  const ca = dataOrFile(entry, 'clusters', 'certificate-authority');
  const insecure =
    entry.value['insecure-skip-tls-verify'] === true || entry.value['insecure-skip-tls-verify'] === 'true';
  const tlsServerName = stringField(entry, 'tls-server-name');
  const proxyUrl = stringField(entry, 'proxy-url');
  const userinfo = url.username || url.password;
  const username = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  url.username = '';
  url.password = '';
  return {
    server: url.href.replace(/\/+$/, ''),
    ...(userinfo ? { userinfo: { username, password } } : {}),
    insecureSkipTlsVerify: insecure,
    ...(ca ? { certificateAuthority: { pem: ca.bytes, source: ca.source } } : {}),
    ...(tlsServerName ? { tlsServerName } : {}),
    ...(proxyUrl ? { proxyUrl } : {}),
  };
}

/** What an HTTP header value may hold: no line break, no other control character. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
export const HEADER_SAFE = /^[^\u0000-\u0008\u000a-\u001f\u007f]*$/;

function readUser(entry: NamedEntry): UserConfig {
  const where = `user "${entry.name}" in ${entry.file.path}`;
  if (entry.value['auth-provider'] !== undefined) {
    const provider = asRecord(entry.value['auth-provider'])?.name ?? 'unknown';
    throw new KubeConfigError(
      `${where} uses auth-provider "${String(provider)}", which kubectl removed; configure an exec credential plugin instead`,
      { file: entry.file.path, field: fieldName(entry, 'users', 'auth-provider') },
    );
  }
  const user: UserConfig = {};
  const token = stringField(entry, 'token');
  const tokenFile = stringField(entry, 'tokenFile');
  const username = stringField(entry, 'username');
  const password = stringField(entry, 'password');
  if ((token || tokenFile) && (username || password)) {
    throw new KubeConfigError(`${where} has both a token and basic auth; only one is allowed`, {
      file: entry.file.path,
      field: fieldName(entry, 'users', 'token'),
    });
  }
  for (const [field, value] of [
    ['token', token],
    ['username', username],
    ['password', password],
  ] as const)
    if (value !== undefined && !HEADER_SAFE.test(value))
      throw new KubeConfigError(
        `${where}: ${field} contains a line break or another control character (pasted with its newline?); an HTTP header cannot carry it`,
        { file: entry.file.path, field: fieldName(entry, 'users', field) },
      );
  if (token) user.token = token;
  else if (tokenFile) user.tokenFile = localPath(entry, tokenFile);
  if (username !== undefined || password !== undefined) {
    user.username = username ?? '';
    user.password = password ?? '';
  }
  const cert = dataOrFile(entry, 'users', 'client-certificate');
  const key = dataOrFile(entry, 'users', 'client-key');
  if (cert && !key) {
    throw new KubeConfigError(`${where} has client-certificate but no client-key`, {
      file: entry.file.path,
      field: fieldName(entry, 'users', 'client-key'),
    });
  }
  if (key && !cert) {
    throw new KubeConfigError(`${where} has client-key but no client-certificate`, {
      file: entry.file.path,
      field: fieldName(entry, 'users', 'client-certificate'),
    });
  }
  if (cert && key) user.clientCertificate = { cert: cert.bytes, key: key.bytes, source: cert.source };
  const exec = entry.value.exec;
  if (exec !== undefined && exec !== null) user.exec = readExec(entry, exec);
  const as = stringField(entry, 'as');
  if (as) {
    const groups = entry.value['as-groups'];
    user.impersonate = { user: as, groups: Array.isArray(groups) ? groups.map(String) : [] };
  }
  return user;
}

function readExec(entry: NamedEntry, raw: unknown): ExecConfig {
  const field = fieldName(entry, 'users', 'exec');
  const fail = (why: string) =>
    new KubeConfigError(`${field} in ${entry.file.path}: ${why}`, { file: entry.file.path, field });
  const exec = asRecord(raw);
  if (!exec) throw fail('must be a mapping');
  const apiVersion = exec.apiVersion;
  if (
    apiVersion !== 'client.authentication.k8s.io/v1' &&
    apiVersion !== 'client.authentication.k8s.io/v1beta1'
  ) {
    throw fail(
      `apiVersion "${String(apiVersion)}" is not supported (use client.authentication.k8s.io/v1 or client.authentication.k8s.io/v1beta1)`,
    );
  }
  const rawCommand = exec.command;
  if (typeof rawCommand !== 'string' || rawCommand === '') throw fail('command is missing');
  // Like client-go: a command with a path separator is relative to the kubeconfig; a bare name is looked up in PATH.
  const command =
    rawCommand.includes(sep) && !isAbsolute(rawCommand) ? join(entry.file.dir, rawCommand) : rawCommand;
  const args = exec.args ?? [];
  if (!Array.isArray(args)) throw fail('args must be a list');
  const envList = exec.env ?? [];
  if (!Array.isArray(envList)) throw fail('env must be a list of {name, value}');
  const env = envList.map((item, index) => {
    const record = asRecord(item);
    if (!record || typeof record.name !== 'string') throw fail(`env[${index}] must have a name`);
    return { name: record.name, value: String(record.value ?? '') };
  });
  let interactiveMode = exec.interactiveMode;
  if (interactiveMode === undefined || interactiveMode === null || interactiveMode === '') {
    // v1 requires the field; v1beta1 defaults to IfAvailable.
    if (apiVersion === 'client.authentication.k8s.io/v1')
      throw fail('interactiveMode is required for client.authentication.k8s.io/v1');
    interactiveMode = 'IfAvailable';
  }
  if (interactiveMode !== 'Never' && interactiveMode !== 'IfAvailable' && interactiveMode !== 'Always') {
    throw fail(`interactiveMode "${String(interactiveMode)}" must be Never, IfAvailable or Always`);
  }
  return {
    apiVersion,
    command,
    args: args.map(String),
    env,
    ...(typeof exec.installHint === 'string' ? { installHint: exec.installHint } : {}),
    provideClusterInfo: exec.provideClusterInfo === true,
    interactiveMode,
  };
}

/** One word for the auth method in use, for messages ("bearer token", "exec plugin aws"). */
export function describeAuth(user: UserConfig): string {
  const parts: string[] = [];
  if (user.exec) parts.push(`exec plugin "${user.exec.command}"`);
  if (user.token) parts.push('bearer token');
  if (user.tokenFile) parts.push(`token file ${user.tokenFile}`);
  if (user.username !== undefined) parts.push(`basic auth (user "${user.username}")`);
  if (user.clientCertificate) parts.push(`client certificate ${user.clientCertificate.source}`);
  return parts.length > 0 ? parts.join(' + ') : 'no credentials';
}
