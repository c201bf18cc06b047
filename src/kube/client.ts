import type { Dispatcher } from 'undici';
import { undici } from '../vendor/undici.js';
import { Authenticator, type Credentials } from './auth.js';
import { abortable, anySignal, cancellable, failing } from './cancellable.js';
import { sleep } from './clock.js';
import { type LoadKubeConfigOptions, loadKubeConfig, type ResolvedKubeConfig } from './config.js';
import { preferredVersions, resourceTypes } from './discovery.js';
import {
  describeValue,
  InvalidInputError,
  KubeApiError,
  KubeClientClosedError,
  KubeConnectionError,
  KubeDecodeError,
  KubedogError,
  UnknownKindError,
} from './errors.js';
import { checkEncoding, mapTransportError, readApiError } from './http-errors.js';
import { type LogLine, type LogOptions, readLogBatches, readLogs } from './logs.js';
import { manifestObjects } from './manifests.js';
import { DEFAULT_RATE_LIMIT, type RateLimit, TokenBucket } from './rate-limit.js';
import { Recorder } from './recorder.js';
import { apiVersionOf, findBuiltinResource, groupOf, type ResourceType, resourcePath } from './resources.js';
import { parseFieldSelector, parseLabelSelector } from './selector.js';
import { isRecord, type KubeList, type KubeObject, type WatchEvent } from './types.js';
import { type WatchOptions, watchResource } from './watch.js';

/**
 * A discovery begun this recently counts as fresh: ten trackers waiting for
 * kinds their CRDs will bring ask the server once, not ten times, each round.
 */
const FRESH_DISCOVERY_MS = 1000;
/** How long API discovery may take before it fails (its documents are small). */
const DISCOVERY_TIMEOUT_MS = 30_000;
/**
 * The largest answer read into memory. A list page of 500 objects is a few
 * MB; a page of big objects (up to 1.5 MB each) that is larger is asked for
 * again in smaller pages.
 */
const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

/** A kind by any kubectl spelling (`deploy`, `Deployment`, `deployments.apps`) or a full type. */
export type KindLike = string | ResourceType;

export interface ObjectRef {
  namespace?: string;
  name: string;
}

export interface RequestOptions {
  signal?: AbortSignal | undefined;
}

/** How a kind is resolved ({@link KubeClient.resolveType}). */
export interface ResolveOptions extends RequestOptions {
  /** Ask API discovery again rather than use what it said before (a CRD may have been applied since). */
  fresh?: boolean;
}

export interface ListOptions extends RequestOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Page size for `limit`/`continue` pagination. @default 500 */
  pageSize?: number;
}

export interface ListResult<T extends KubeObject> {
  items: T[];
  /** The collection's resourceVersion: a watch from here sees every later change. */
  resourceVersion: string;
}

/** Options of {@link KubeClient.apply}. */
export interface ApplyOptions extends RequestOptions {
  /** Who owns the fields applied, as kubectl's `--field-manager` (`kubectl` uses `kubectl`). */
  fieldManager: string;
  /** Take over the fields other managers own, instead of failing with a 409 that names them. @default false */
  force?: boolean;
  /** Have the server check and compute the result, and change nothing (`dryRun=All`). @default false */
  dryRun?: boolean;
}

/** Options of a {@link KubeClient} besides its configuration (all optional). */
export interface KubeClientOptions {
  /**
   * Negotiate HTTP/2 with servers that offer it. Off by default: with HTTP/1.1
   * every watch and log stream has its own connection, which keeps one slow
   * stream from stalling the others and makes abort close a socket at once;
   * a track measured no cheaper over HTTP/2 (bench/README.md), and undici's
   * HTTP/2 is experimental — a DELETE with a body never completes over it.
   * @default false
   */
  http2?: boolean;
  /**
   * Milliseconds a request that is not a stream (a get, a list page — the
   * first list of a watch too —, a write) may take from start to its last
   * byte, as kubectl's `--request-timeout`; `0`: no limit. A page of 500
   * objects takes well under a second; a server that trickles its answer or
   * never sends one is cut. Watches and followed logs have their own
   * inactivity checks.
   * @default 60000
   */
  requestTimeout?: number;
  /** Clock for credential expiry (tests). @default Date.now */
  now?: () => number;
  /**
   * Record every HTTP exchange to this file (NDJSON, mode 0600) for
   * `replayFixture` from `kubedog/testing`. No request header, request body
   * or Secret data is written. The file is complete after {@link KubeClient.close}.
   * @example
   * import { tmpdir } from 'node:os';
   * import { join } from 'node:path';
   * import { KubeClient, loadKubeConfig } from 'kubedog';
   *
   * const recorded = new KubeClient(loadKubeConfig(), { record: join(tmpdir(), 'rollout.ndjson') });
   * await recorded.list('pods');
   * await recorded.close(); // the recording is complete
   */
  record?: string;
  /**
   * Told one line per request (method, path, status, time) and per
   * credential refresh — never a header, a body or a credential. The CLI
   * prints them with `--debug` (or `KUBEDOG_DEBUG=1`).
   */
  debug?: (line: string) => void;
  /**
   * How many requests a second the client may send ({@link RateLimit}:
   * `qps`, `burst`); a request beyond them waits its turn. `false`: no limit.
   * @default { qps: 50, burst: 300 }
   */
  rateLimit?: RateLimit | false;
}

interface RawResponse {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  body: Dispatcher.ResponseData['body'];
}

interface SendOptions extends RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
}

/**
 * A small Kubernetes REST client: get/list/create/replace/patch/apply/delete
 * as promises, `watch` and `logs` as async iterables. One undici dispatcher
 * per client (keep-alive connection pool); every call takes an AbortSignal,
 * and aborting closes the socket of that call at once. Kinds are given in
 * any kubectl spelling (`deploy`, `Deployment`, `deployments.apps`); the
 * namespace is the client's (the context's, or `-n`) unless given. Close it
 * when done: open connections keep a process alive.
 * @throws {KubeConnectionError} from any call: the server cannot be reached
 * @throws {KubeTlsError} from any call: the server's certificate is not trusted
 * @throws {KubeAuthError} from any call: credentials cannot be obtained (an exec plugin failed)
 * @throws {KubeApiError} from any call: the server's error answer (403, 404, 409, …)
 * @example
 * import { KubeClient } from 'kubedog';
 *
 * const kube = KubeClient.fromKubeConfig(); // KUBECONFIG, ~/.kube/config or in-cluster
 * try {
 *   const { items } = await kube.list('deploy', { labelSelector: 'app=web' });
 *   console.log(items.map((d) => d.metadata.name));
 *   // prints: [ 'web' ]
 * } finally {
 *   await kube.close();
 * }
 */
export class KubeClient {
  /** The configuration it was made with. */
  readonly config: ResolvedKubeConfig;
  /** The namespace calls use when they name none: the context's (or `-n`). */
  readonly namespace: string;
  readonly #auth: Authenticator;
  readonly #origin: string;
  readonly #basePath: string;
  readonly #http2: boolean;
  readonly #requestTimeout: number;
  #dispatcher: Dispatcher | undefined;
  #dispatcherCert: Credentials['clientCertificate'];
  #discovery: Promise<ResourceType[]> | undefined;
  /** When the discovery at hand began (performance.now()): a `fresh` ask shares one begun just before. */
  #discoveryAt = 0;
  /** Resolves when the big answer being read (or the last one waiting) is done. */
  #bigAnswers: Promise<void> = Promise.resolve();
  /** What the last discovery could not use (said when a kind is not found). */
  #unusable: string[] = [];
  #closed = false;
  readonly #recorder: Recorder | undefined;
  readonly #bucket: TokenBucket | undefined;
  readonly #debug: ((line: string) => void) | undefined;

  constructor(config: ResolvedKubeConfig, options: KubeClientOptions = {}) {
    this.config = config;
    this.namespace = config.namespace;
    const url = new URL(config.cluster.server);
    this.#origin = url.origin;
    this.#basePath = url.pathname.replace(/\/+$/, '');
    this.#http2 = options.http2 ?? false;
    this.#requestTimeout = options.requestTimeout ?? 60_000;
    this.#auth = new Authenticator(config.user, config.cluster, options.now ? { now: options.now } : {});
    if (options.record !== undefined) this.#recorder = new Recorder(options.record, config.cluster.server);
    this.#debug = options.debug;
    const limit = options.rateLimit ?? DEFAULT_RATE_LIMIT;
    this.#bucket = limit === false ? undefined : new TokenBucket(checkedRateLimit(limit));
    this.#debug?.(`client for ${config.cluster.server} (${config.source}), auth: ${this.#auth.describe()}`);
  }

  /**
   * Loads the kubeconfig the way kubectl does ({@link loadKubeConfig}) and
   * returns a client for it.
   * @throws {KubeConfigError} no usable configuration; the message names the file and field
   * @example
   * import { KubeClient } from 'kubedog';
   *
   * const kube = KubeClient.fromKubeConfig({ context: 'fake', namespace: 'default' });
   * console.log(kube.namespace);
   * // prints: default
   * await kube.close();
   */
  static fromKubeConfig(options: LoadKubeConfigOptions & KubeClientOptions = {}): KubeClient {
    return new KubeClient(loadKubeConfig(options), options);
  }

  /** The server URL. */
  get server(): string {
    return this.config.cluster.server;
  }

  // -- typed resource operations ------------------------------------------------

  /**
   * Resolves a kind spelling to its REST type, through API discovery when
   * it is not built in (what discovery said is kept; `fresh` asks again).
   * @throws {UnknownKindError} the server serves no such kind (an `InvalidInputError`)
   * @example
   * const type = await client.resolveType('sts');
   * console.log(`${type.group}/${type.version} ${type.plural}`);
   * // prints: apps/v1 statefulsets
   */
  async resolveType(kind: KindLike, options: ResolveOptions = {}): Promise<ResourceType> {
    checkOptions(options);
    if (typeof kind !== 'string') return checkedType(kind);
    const builtin = findBuiltinResource(kind);
    if (builtin) return builtin;
    // Asked afresh, but one discovery serves every tracker waiting for a kind at about the same time.
    if (options.fresh && performance.now() - this.#discoveryAt > FRESH_DISCOVERY_MS)
      this.#discovery = undefined;
    const found = findBuiltinResource(kind, await this.discover(options));
    if (found) return found;
    const unusable =
      this.#unusable.length > 0 ? ` (discovery could not use: ${this.#unusable.join('; ')})` : '';
    throw new UnknownKindError(
      `the server ${this.server} does not have a resource type "${kind}"${unusable}`,
      kind,
    );
  }

  /**
   * All resource types the server serves (preferred versions), fetched once
   * and shared: a caller's abort ends its own wait, not the fetch the other
   * callers wait for (which has a deadline of its own). A failed fetch is
   * tried again by the next caller.
   * @example
   * const types = await client.discover();
   * console.log(types.some((type) => type.kind === 'Ingress'));
   * // prints: true
   */
  discover(options: RequestOptions = {}): Promise<ResourceType[]> {
    if (!isRecord(options as unknown)) return Promise.reject(optionsError(options));
    if (!this.#discovery) {
      this.#discoveryAt = performance.now();
      const deadline = AbortSignal.timeout(DISCOVERY_TIMEOUT_MS);
      this.#discovery = this.#discoverAll(deadline).catch((error: unknown) => {
        this.#discovery = undefined;
        if (!deadline.aborted) throw error;
        throw new KubeConnectionError(
          `API discovery at ${this.server} took longer than ${DISCOVERY_TIMEOUT_MS / 1000}s`,
          { server: this.server, cause: error },
        );
      });
    }
    return abortable(this.#discovery, options.signal);
  }

  /**
   * Reads one object.
   * @example
   * const web = await client.get('Deployment', { name: 'web', namespace: 'default' });
   * console.log(web.metadata.generation);
   * // prints: 1
   */
  async get<T extends KubeObject = KubeObject>(
    kind: KindLike,
    ref: ObjectRef,
    options: RequestOptions = {},
  ): Promise<T> {
    return this.requestJson<T>('GET', await this.#objectPath(kind, ref, options), options);
  }

  /**
   * Lists every object (`namespace: ''`: in all namespaces), following
   * `continue` tokens page by page (`pageSize`, default 500). Selectors are
   * checked before anything is sent.
   * @throws {InvalidInputError} a malformed label or field selector
   * @example
   * const { items, resourceVersion } = await client.list('pods', { labelSelector: 'app=web' });
   * console.log(`${items.length} pods at resourceVersion ${resourceVersion !== ''}`);
   * // prints: 2 pods at resourceVersion true
   */
  async list<T extends KubeObject = KubeObject>(
    kind: KindLike,
    options: ListOptions = {},
  ): Promise<ListResult<T>> {
    const type = await this.resolveType(kind, options);
    const path = resourcePath(type, { namespace: this.#listNs(type, options.namespace) });
    const query = this.#selectorQuery(options);
    const items: T[] = [];
    const tokens = new Set<string>();
    let token: string | undefined;
    let resourceVersion = '';
    let limit = options.pageSize ?? 500;
    for (;;) {
      let next: { page: KubeList<T>; limit: number };
      try {
        next = await this.#page<T>(path, { ...query, continue: token }, limit, options.signal);
      } catch (error) {
        // A continue token outlived by compaction (a long list of a busy collection): the
        // list begins again, whole, in one answer (client-go's pager does the same).
        if (!(token !== undefined && limit > 0 && error instanceof KubeApiError && error.statusCode === 410))
          throw error;
        items.length = 0;
        tokens.clear();
        token = undefined;
        limit = 0;
        continue;
      }
      const page = next.page;
      limit = next.limit;
      // A real API server leaves kind and apiVersion out of list items; put them back, as client-go does.
      const apiVersion = apiVersionOf(type);
      for (const item of page.items ?? []) {
        item.apiVersion ??= apiVersion;
        item.kind ??= type.kind;
        items.push(item);
      }
      resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
      token = page.metadata?.continue || undefined;
      if (token === undefined) return { items, resourceVersion };
      if (tokens.has(token))
        throw new KubeDecodeError(
          `GET ${path}: the server sent the same continue token twice after ${items.length} objects; the list would never end`,
        );
      tokens.add(token);
    }
  }

  /**
   * One page of a list. Big objects (up to 1.5 MB each) can make a page too
   * large to hold: it is asked for again with fewer objects at a time.
   */
  async #page<T extends KubeObject>(
    path: string,
    query: SendOptions['query'],
    limit: number,
    signal: AbortSignal | undefined,
  ): Promise<{ page: KubeList<T>; limit: number }> {
    for (;;) {
      try {
        const answer = await this.requestJson('GET', path, {
          signal,
          query: limit > 0 ? { ...query, limit } : query,
        });
        return { page: checkedList<T>(answer, path), limit };
      } catch (error) {
        if (!(error instanceof AnswerTooLargeError) || limit <= 1) throw error;
        limit = Math.max(1, Math.floor(limit / 10));
      }
    }
  }

  /**
   * Creates an object (POST); its namespace is the object's, or the client's.
   * @throws {KubeApiError} 409 AlreadyExists, 422 Invalid, …
   * @example
   * const created = await client.create('ConfigMap', {
   *   apiVersion: 'v1',
   *   kind: 'ConfigMap',
   *   metadata: { name: 'release-notes' },
   *   data: { version: 'v2' },
   * });
   * console.log(created.metadata.uid !== undefined);
   * // prints: true
   * await client.delete('ConfigMap', { name: 'release-notes' });
   */
  async create<T extends KubeObject = KubeObject>(
    kind: KindLike,
    object: T,
    options: RequestOptions = {},
  ): Promise<T> {
    const path = await this.#objectPath(
      kind,
      { namespace: checkedObject(object, 'create').metadata.namespace },
      options,
    );
    return this.requestJson<T>('POST', path, { ...options, body: object });
  }

  /**
   * Replaces an object (PUT); `subresource: 'status'` writes the status.
   * The object's `metadata.resourceVersion`, when set, makes a concurrent
   * change a 409 Conflict.
   * @example
   * const web = await client.get('Service', { name: 'web' });
   * web.metadata.annotations = { ...web.metadata.annotations, owner: 'team-shop' };
   * const replaced = await client.replace('Service', web);
   * console.log(replaced.metadata.annotations?.owner);
   * // prints: team-shop
   */
  async replace<T extends KubeObject = KubeObject>(
    kind: KindLike,
    object: T,
    options: RequestOptions & { subresource?: 'status' } = {},
  ): Promise<T> {
    const { metadata } = checkedObject(object, 'replace');
    const ref = { namespace: metadata.namespace, name: metadata.name ?? '' };
    const path = await this.#objectPath(kind, ref, options);
    return this.requestJson<T>('PUT', path, { signal: options.signal, body: object });
  }

  /**
   * Changes an object with a JSON merge patch (RFC 7386): the fields given
   * are set, `null` removes one.
   * @example
   * const patched = await client.patch('Deployment', { name: 'web' }, { metadata: { labels: { tier: 'front' } } });
   * console.log(patched.metadata.labels);
   * // prints: { app: 'web', tier: 'front' }
   */
  async patch<T extends KubeObject = KubeObject>(
    kind: KindLike,
    ref: ObjectRef,
    patch: unknown,
    options: RequestOptions & { subresource?: 'status' } = {},
  ): Promise<T> {
    return this.requestJson<T>('PATCH', await this.#objectPath(kind, ref, options), {
      signal: options.signal,
      body: patch,
      contentType: 'application/merge-patch+json',
    });
  }

  /**
   * Server-side apply, as `kubectl apply --server-side`: each object (YAML
   * or JSON text with one or more documents, one object, or a list) is
   * created, or updated with the fields it sets; the server keeps who owns
   * which field, and a field another manager owns is a conflict (a 409
   * naming the manager and the field) unless `force`. Returns the objects
   * as the server stored them, in order.
   * @throws {InvalidInputError} a manifest that cannot be parsed, or an object without kind, apiVersion or name
   * @throws {KubeApiError} what the server refused; the message starts with the object (`Deployment shop/web: …`)
   * @example
   * import { trackDeployment } from 'kubedog';
   *
   * const manifest = `
   * apiVersion: apps/v1
   * kind: Deployment
   * metadata: {name: api}
   * spec:
   *   selector: {matchLabels: {app: api}}
   *   template:
   *     metadata: {labels: {app: api}}
   *     spec: {containers: [{name: app, image: registry.local/api:v1}]}
   * `;
   * const [api] = await client.apply(manifest, { fieldManager: 'deploy-script' });
   * for await (const event of trackDeployment(client, { name: api.metadata.name }, { timeout: 300_000 }))
   *   if (event.type === 'ready' || event.type === 'failed') console.log(event.type);
   * // prints: ready
   */
  async apply(
    manifests: string | KubeObject | readonly KubeObject[],
    options: ApplyOptions,
  ): Promise<KubeObject[]> {
    if (typeof options?.fieldManager !== 'string' || options.fieldManager === '')
      throw new InvalidInputError(
        "apply: options.fieldManager is required: who owns the fields applied, as kubectl's --field-manager (e.g. { fieldManager: 'deployer' })",
        'fieldManager',
      );
    const stored: KubeObject[] = [];
    for (const [index, object] of manifestObjects(manifests).entries())
      stored.push(await this.#applyOne(object, index, options));
    return stored;
  }

  async #applyOne(object: KubeObject, index: number, options: ApplyOptions): Promise<KubeObject> {
    const { kind, apiVersion } = object;
    const name = object.metadata?.name;
    if (!kind || !apiVersion || !name)
      throw new InvalidInputError(
        `apply: object ${index + 1} has no ${!kind ? 'kind' : !apiVersion ? 'apiVersion' : 'metadata.name'}`,
        'apply',
      );
    const group = groupOf(object);
    const type = {
      ...(await this.resolveType(group ? `${kind}.${group}` : kind, options)),
      version: apiVersion.split('/').at(-1) ?? '',
    };
    const namespace = this.#ns(type, object.metadata.namespace);
    const what = `${kind} ${namespace ? `${namespace}/` : ''}${name}`;
    try {
      return await this.requestJson<KubeObject>('PATCH', resourcePath(type, { namespace, name }), {
        signal: options.signal,
        body: namespace ? { ...object, metadata: { ...object.metadata, namespace } } : object,
        contentType: 'application/apply-patch+yaml',
        query: {
          fieldManager: options.fieldManager,
          force: options.force ? 'true' : undefined,
          dryRun: options.dryRun ? 'All' : undefined,
        },
      });
    } catch (error) {
      if (error instanceof KubeApiError) throw error.withContext(what);
      throw error;
    }
  }

  /**
   * Deletes an object. `propagationPolicy`: what happens to its dependents
   * — `Background` (the server's default for most kinds: a Deployment's
   * ReplicaSets and pods go after it), `Foreground` (they go first, and the
   * object waits for them) or `Orphan` (they stay).
   * @throws {KubeApiError} 404 when it does not exist
   * @example
   * await client.create('ConfigMap', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'scratch' } });
   * await client.delete('ConfigMap', { name: 'scratch' });
   */
  async delete(
    kind: KindLike,
    ref: ObjectRef,
    options: RequestOptions & { propagationPolicy?: 'Background' | 'Foreground' | 'Orphan' } = {},
  ): Promise<void> {
    const path = await this.#objectPath(kind, ref, options);
    const policy = options.propagationPolicy;
    await this.requestJson('DELETE', policy ? `${path}?propagationPolicy=${policy}` : path, options);
  }

  /** The path of an object (or, without a name, of its collection in a namespace). */
  async #objectPath(
    kind: KindLike,
    ref: { namespace?: string | undefined; name?: string },
    options: RequestOptions & { subresource?: 'status' },
  ): Promise<string> {
    checkOptions(options);
    if (typeof ref !== 'object' || ref === null)
      throw new InvalidInputError(
        `the object's reference must be { name, namespace? }, not ${typeof ref}`,
        ref === null ? 'null' : typeof ref,
      );
    const type = await this.resolveType(kind, options);
    return resourcePath(type, {
      namespace: this.#ns(type, ref.namespace),
      ...(ref.name !== undefined ? { name: ref.name } : {}),
      ...(options.subresource ? { subresource: options.subresource } : {}),
    });
  }

  /**
   * Watches a collection: first the objects that exist (as ADDED; not with
   * `initialEvents: false`), then every change, exactly once, across
   * reconnects and `410 Gone`; `onNotice` hears of reconnects. A slow
   * consumer pauses the connection. `break` or an abort closes it at once.
   * See {@link WatchOptions}.
   * @throws {InvalidInputError} a malformed selector
   * @throws {KubeApiError} a 403, or failures in a row for `retry.giveUpAfterMs` (2 minutes)
   * @example
   * for await (const { type, object } of client.watch('pods', { labelSelector: 'app=web' })) {
   *   console.log(`${type} ${object.metadata.name?.replace(/-[\w]+-[\w]+$/, '-…')}`);
   *   break; // closes the watch
   * }
   * // prints: ADDED web-…
   */
  watch<T extends KubeObject = KubeObject>(
    kind: KindLike,
    options: WatchOptions = {},
  ): AsyncGenerator<WatchEvent<T>> {
    if (!isRecord(options as unknown)) return failing(optionsError(options));
    const { signal } = options;
    if (signal !== undefined && !(signal instanceof AbortSignal))
      return failing(new InvalidInputError('watch: options.signal must be an AbortSignal', typeof signal));
    return cancellable((inner) => watchResource<T>(this, kind, { ...options, signal: inner }), signal);
  }

  /**
   * Reads (and with `follow`, follows) the log of one container, line by
   * line, each with the runtime's timestamp. A followed stream that breaks
   * is resumed without losing or repeating a line, and ends when the
   * container stops.
   * @example
   * for await (const line of client.logs({ name: 'web-0' }, { container: 'app', tailLines: 10 }))
   *   console.log(line.text);
   * // prints: listening on :8080
   */
  logs(pod: ObjectRef, options: LogOptions = {}): AsyncGenerator<LogLine> {
    if (!isRecord(options as unknown)) return failing(optionsError(options));
    return cancellable((signal) => readLogs(this, pod, { ...options, signal }), options.signal);
  }

  /**
   * {@link KubeClient.logs}, the lines that arrived together as one array
   * (for fast logs: one iteration per network chunk, not per line).
   * @example
   * for await (const batch of client.logBatches({ name: 'web-0' }, { container: 'app' }))
   *   console.log(`${batch.length} lines`);
   */
  logBatches(pod: ObjectRef, options: LogOptions = {}): AsyncGenerator<LogLine[]> {
    if (!isRecord(options as unknown)) return failing(optionsError(options));
    return cancellable((signal) => readLogBatches(this, pod, { ...options, signal }), options.signal);
  }

  /**
   * Closes every connection of this client (and completes a recording);
   * later calls throw {@link KubeClientClosedError}.
   * @example
   * import { KubeClient } from 'kubedog';
   *
   * const kube = KubeClient.fromKubeConfig();
   * await kube.close();
   * await kube.get('pods', { name: 'web-0' }).catch((error) => console.log(error.code));
   * // prints: KUBEDOG_CLIENT_CLOSED
   */
  async close(): Promise<void> {
    this.#closed = true;
    const dispatcher = this.#dispatcher;
    this.#dispatcher = undefined;
    await dispatcher?.destroy();
    this.#recorder?.close();
  }

  // -- HTTP ------------------------------------------------------------------------

  /** @internal Sends a request and parses a JSON answer; non-2xx answers throw {@link KubeApiError}. */
  async requestJson<T>(method: string, path: string, options: SendOptions = {}): Promise<T> {
    const limit = this.#requestTimeout;
    const deadline = limit > 0 ? AbortSignal.timeout(limit) : undefined;
    const signal = anySignal(options.signal, deadline);
    const what = `${method} ${path}`;
    try {
      const response = await this.request(method, path, { ...options, signal });
      checkEncoding(response.headers['content-encoding'], what);
      const turn: { release?: () => void } = {};
      try {
        const text = await readAnswer(response.body, what, async () => {
          turn.release = await this.#bigAnswerTurn();
        });
        return parseAnswer(text, what) as T;
      } finally {
        turn.release?.();
      }
    } catch (error) {
      if (options.signal?.aborted) throw error;
      if (deadline?.aborted)
        throw new KubeConnectionError(
          `${what}: ${this.server} sent no complete answer within ${limit / 1000}s (request timeout)`,
          { server: this.server, cause: error },
        );
      if (error instanceof KubedogError) throw error;
      // The body broke off mid-way: a reset, or bytes that are not HTTP (a broken chunk size).
      const why = ((error as Error)?.message ?? String(error)).split('\n')[0];
      throw new KubeConnectionError(`${what}: the answer broke off: ${why}`, {
        server: this.server,
        cause: error,
      });
    }
  }

  /**
   * @internal Sends a request and returns the open response for streaming; the caller
   * must consume or destroy `body`. Non-2xx answers throw; a 401 is retried
   * once with fresh credentials when the auth method can refresh them.
   */
  async request(method: string, path: string, options: SendOptions = {}): Promise<RawResponse> {
    const { signal } = options;
    signal?.throwIfAborted();
    if (this.#closed)
      throw new KubeClientClosedError(`${method} ${path}: the client for ${this.server} is closed`);
    const fullPath = this.#basePath + path + queryString(options.query);
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    for (let attempt = 0; ; attempt++) {
      const turn = this.#bucket?.take() ?? 0;
      if (turn > 0) await sleep(turn, signal);
      const credentials = await this.#auth.credentials(signal);
      const headers: Record<string, string> = {
        accept: 'application/json',
        'user-agent': 'kubedog-ts',
        ...credentials.headers,
      };
      if (body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
      let response: RawResponse;
      const started = performance.now();
      const took = () => `${Math.round(performance.now() - started)} ms`;
      try {
        response = await this.#dispatcherFor(credentials).request({
          origin: this.#origin,
          path: fullPath,
          method: method as Dispatcher.HttpMethod,
          headers,
          body,
          signal,
          // Watches and followed logs may be quiet for minutes; the inactivity
          // watchdog in watch.ts decides when silence means a dead connection.
          bodyTimeout: 0,
        });
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        const mapped = mapTransportError(error, this.config);
        this.#debug?.(`${method} ${fullPath} → ${mapped.message} (after ${took()})`);
        throw mapped;
      }
      this.#debug?.(`${method} ${fullPath} → ${response.statusCode} in ${took()}`);
      if (response.statusCode >= 200 && response.statusCode < 300) return response;
      if (response.statusCode === 401 && attempt === 0 && this.#auth.invalidate()) {
        this.#debug?.('401: credentials refreshed, trying once more');
        await response.body.dump();
        continue;
      }
      throw await readApiError(response, {
        method,
        path: path + queryString(options.query),
        config: this.config,
        auth: this.#auth.describe(),
      });
    }
  }

  /**
   * Waits until no other big answer of this client is being read or
   * decoded; returns what ends this one's turn. Seven lists of 60 MiB at
   * once (`-l` lists seven kinds) would hold seven answers and their decoded
   * copies; one at a time, memory holds one.
   */
  async #bigAnswerTurn(): Promise<() => void> {
    const previous = this.#bigAnswers;
    let release = () => {};
    this.#bigAnswers = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    return release;
  }

  #dispatcherFor(credentials: Credentials): Dispatcher {
    if (this.#dispatcher && this.#dispatcherCert === credentials.clientCertificate) return this.#dispatcher;
    // A new client certificate (from an exec plugin) needs new TLS connections.
    const old = this.#dispatcher;
    if (old) void old.close();
    const { cluster } = this.config;
    const tls = {
      ...(cluster.certificateAuthority ? { ca: cluster.certificateAuthority.pem } : {}),
      ...(credentials.clientCertificate
        ? { cert: credentials.clientCertificate.cert, key: credentials.clientCertificate.key }
        : {}),
      ...(cluster.tlsServerName ? { servername: cluster.tlsServerName } : {}),
      rejectUnauthorized: !cluster.insecureSkipTlsVerify,
    };
    const common = { allowH2: this.#http2, keepAliveTimeout: 30_000, headersTimeout: 60_000 };
    const agent = cluster.proxyUrl
      ? new (undici().ProxyAgent)({ uri: cluster.proxyUrl, requestTls: tls, ...common })
      : new (undici().Agent)({ connect: tls, ...common });
    this.#dispatcher = this.#recorder ? agent.compose(this.#recorder.interceptor()) : agent;
    this.#dispatcherCert = credentials.clientCertificate;
    return this.#dispatcher;
  }

  #ns(type: ResourceType, namespace: string | undefined): string | undefined {
    return type.namespaced ? (namespace ?? this.namespace) : undefined;
  }

  /** For lists, `namespace: ''` means all namespaces, as `-A` does. */
  #listNs(type: ResourceType, namespace: string | undefined): string | undefined {
    if (!type.namespaced || namespace === '') return undefined;
    return namespace ?? this.namespace;
  }

  /** Validates selectors locally so a typo fails before any request. */
  #selectorQuery(options: { labelSelector?: string; fieldSelector?: string }) {
    if (options.labelSelector) parseLabelSelector(options.labelSelector);
    if (options.fieldSelector) parseFieldSelector(options.fieldSelector);
    return {
      labelSelector: options.labelSelector || undefined,
      fieldSelector: options.fieldSelector || undefined,
    };
  }

  /** @internal used by watch.ts */
  collectionPath(type: ResourceType, namespace: string | undefined): string {
    return resourcePath(type, { namespace: this.#listNs(type, namespace) });
  }

  /** @internal used by watch.ts */
  selectorQuery(options: { labelSelector?: string; fieldSelector?: string }) {
    return this.#selectorQuery(options);
  }

  async #discoverAll(signal: AbortSignal | undefined): Promise<ResourceType[]> {
    const core = await this.requestJson<unknown>('GET', '/api/v1', { signal });
    const groups = await this.requestJson<unknown>('GET', '/apis', { signal });
    const { versions, unusable } = preferredVersions(groups);
    const lists = await Promise.all(
      versions.map((groupVersion) =>
        this.requestJson<unknown>('GET', `/apis/${groupVersion}`, { signal }).catch(() => undefined),
      ),
    );
    const types: ResourceType[] = [];
    for (const [index, list] of [core, ...lists].entries()) {
      const where = index === 0 ? '/api/v1' : `/apis/${versions[index - 1]}`;
      if (list !== undefined) types.push(...resourceTypes(list, where, unusable));
    }
    this.#unusable = unusable;
    if (unusable.length > 0) this.#debug?.(`discovery could not use: ${unusable.join('; ')}`);
    return types;
  }
}

/** A Kubernetes object as a write takes it: an object with metadata, or an {@link InvalidInputError}. */
function checkedObject<T extends KubeObject>(object: T, call: string): T {
  if (
    typeof object === 'object' &&
    object !== null &&
    typeof object.metadata === 'object' &&
    object.metadata !== null
  )
    return object;
  throw new InvalidInputError(
    `${call}: the object must be a Kubernetes object with metadata`,
    object === null ? 'null' : typeof object,
  );
}

/** A resolved type given by the caller: its kind, group, version and plural are strings, or an {@link InvalidInputError}. */
function checkedType(type: ResourceType): ResourceType {
  const fields = ['kind', 'group', 'version', 'plural'] as const;
  if (typeof type === 'object' && type !== null && fields.every((field) => typeof type[field] === 'string'))
    return type;
  throw new InvalidInputError(
    'a kind must be a kubectl spelling (`deploy`, `Certificate.cert-manager.io`) or a resolved type { kind, group, version, plural, namespaced }',
    type === null ? 'null' : typeof type,
  );
}

/** A rate limit of positive, finite numbers, or an {@link InvalidInputError} naming what is wrong. */
function checkedRateLimit(limit: RateLimit): RateLimit {
  for (const key of ['qps', 'burst'] as const) {
    const value = limit?.[key];
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)
      throw new InvalidInputError(
        `rateLimit.${key} must be a positive number of requests (got ${typeof value === 'number' ? value : typeof value})`,
        typeof value,
      );
  }
  return limit;
}

function queryString(query: SendOptions['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** A method's options are an object, or left out: anything else is the caller's mistake, said at the call. */
function checkOptions(options: unknown): void {
  if (options !== undefined && !isRecord(options)) throw optionsError(options);
}

const optionsError = (options: unknown) =>
  new InvalidInputError(
    `options must be an object (or left out), not ${describeValue(options)}`,
    describeValue(options),
  );

/** An answer larger than {@link MAX_ANSWER_BYTES}: a list asks for smaller pages. */
class AnswerTooLargeError extends KubeDecodeError {}

/** An answer bigger than this waits for its turn to be read on ({@link KubeClient}'s big-answer turns). */
const SOLO_ANSWER_BYTES = 8 * 1024 * 1024;

/**
 * A non-streaming answer, read whole but never more than {@link MAX_ANSWER_BYTES};
 * past {@link SOLO_ANSWER_BYTES} it waits for `bigTurn` before reading on
 * (the socket paused meanwhile: the server waits too).
 */
async function readAnswer(
  body: Dispatcher.ResponseData['body'],
  what: string,
  bigTurn: () => Promise<void>,
): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const wasSmall = size <= SOLO_ANSWER_BYTES;
    size += (chunk as Buffer).length;
    if (wasSmall && size > SOLO_ANSWER_BYTES) await bigTurn();
    if (size > MAX_ANSWER_BYTES) {
      body.destroy();
      throw new AnswerTooLargeError(
        `${what}: the answer is larger than ${MAX_ANSWER_BYTES / 1024 / 1024} MiB`,
      );
    }
    chunks.push(chunk as Buffer);
  }
  const answer = Buffer.concat(chunks);
  // The pieces are garbage from here: only the whole is kept while it is decoded.
  chunks.length = 0;
  // gzip's magic bytes: compressed though no compression was asked for, and no header said so.
  if (answer[0] === 0x1f && answer[1] === 0x8b) checkEncoding('gzip', what);
  return answer.toString('utf8');
}

function parseAnswer(text: string, what: string): unknown {
  if (text === '') return {};
  try {
    return JSON.parse(text);
  } catch (error) {
    const start = text.slice(0, 40).replace(/[^\x20-\x7e]/g, '?');
    throw new KubeDecodeError(`${what}: the answer is not JSON (it starts with "${start}")`, {
      cause: error,
    });
  }
}

/** A list page as the API defines it, or a {@link KubeDecodeError} that says what is wrong with it. */
function checkedList<T extends KubeObject>(page: unknown, path: string): KubeList<T> {
  const fail = (what: string) => new KubeDecodeError(`GET ${path}: not a list: ${what}`);
  if (typeof page !== 'object' || page === null || Array.isArray(page))
    throw fail('the answer is not an object');
  const { items } = page as { items?: unknown };
  if (items !== undefined && items !== null && !Array.isArray(items)) throw fail('"items" is not an array');
  for (const [index, item] of ((items as unknown[] | null) ?? []).entries()) {
    const metadata = (item as { metadata?: unknown } | null)?.metadata;
    if (typeof item !== 'object' || item === null || typeof metadata !== 'object' || metadata === null)
      throw fail(`item ${index + 1} is not an object with metadata`);
  }
  return page as KubeList<T>;
}
