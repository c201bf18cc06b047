import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { reasonFor } from '../kube/http-errors.js';
import { rbacVerb } from '../kube/rbac.js';
import { apiVersionOf, BUILTIN_RESOURCES, type ResourceType } from '../kube/resources.js';
import { parseFieldSelector, parseLabelSelector } from '../kube/selector.js';
import type { KubeObject } from '../kube/types.js';
import { yaml } from '../vendor/yaml.js';
import { type FaultAction, Faults, type RequestKind } from './faults.js';
import { serveLog, whenGone } from './log-server.js';
import type { LogStore } from './log-store.js';
import { conflictMessage, serverSideApply } from './server-side-apply.js';
import { StatusError, statusError } from './status.js';
import { type Change, matches, type ObjectStore, type Selection, typeKeyOf } from './store.js';
import { toTable, wantsTable } from './table.js';
import { checkListOptions, INITIAL_EVENTS_END, watchStart } from './watch-list.js';

/**
 * The HTTP face of the simulated cluster: the Kubernetes REST API (discovery,
 * CRUD, list with pagination, watch with bookmarks and 410, pod logs) over
 * node:http or node:https, with authentication, simple RBAC denials and fault
 * injection. Only what a client of the real API server relies on.
 */

export interface FakeAuthOptions {
  /** Bearer tokens and the user each one authenticates. */
  tokens?: Record<string, string>;
  /** Basic-auth users: user name → password. */
  basic?: Record<string, string>;
  /** Accept client certificates signed by the test CA; the user is the certificate's CN. */
  clientCertificates?: boolean;
}

/** A request the server refuses with 403, as RBAC would. Unset fields match anything. */
export interface ForbidRule {
  verb?: string | string[];
  /** Resource (`pods`, `pods/log`, `deployments`). */
  resource?: string;
  namespace?: string;
  user?: string;
}

export interface ServerStats {
  readonly openWatches: number;
  readonly openLogStreams: number;
  readonly openConnections: number;
  readonly requests: number;
  readonly watchRequests: number;
  /** Watches that asked for their initial events as a stream ending in a bookmark (watch-list). */
  readonly watchListRequests: number;
  readonly logRequests: number;
  /** Bytes the server has sent on every connection so far (what clients received, headers and TLS included). */
  readonly bytesSent: number;
}

export interface ApiServerOptions {
  store: ObjectStore;
  logs: LogStore;
  tls?: { key: Buffer; cert: Buffer; ca: Buffer };
  auth?: FakeAuthOptions;
  /** Interval of BOOKMARK events on watches that allow them. @default 1000 */
  bookmarkIntervalMs?: number;
  gitVersion?: string;
  /** The cluster's clock, for ages in server-side printed tables. @default Date.now */
  now?: () => number;
  /** Graceful pod deletion (with a control plane); without it pods are removed at once. */
  deletePod?: (namespace: string, name: string) => KubeObject | undefined;
}

interface Route {
  type: ResourceType;
  namespace: string | undefined;
  name: string | undefined;
  subresource: string | undefined;
}

export class ApiServer {
  readonly faults = new Faults();
  readonly forbidden: ForbidRule[] = [];
  readonly #store: ObjectStore;
  readonly #logs: LogStore;
  readonly #server: Server;
  readonly #types: ResourceType[] = [...BUILTIN_RESOURCES];
  readonly #auth: FakeAuthOptions | undefined;
  readonly #bookmarkIntervalMs: number;
  readonly #gitVersion: string;
  readonly #sockets = new Set<Socket>();
  /** Open watch and log responses, and which of the two each is. */
  readonly #streams = new Map<ServerResponse, 'watch' | 'log'>();
  readonly #continueTokens = new Map<string, { items: KubeObject[]; resourceVersion: number }>();
  #nextToken = 0;
  readonly #now: () => number;
  readonly #deletePod: ((namespace: string, name: string) => KubeObject | undefined) | undefined;
  #counters = { requests: 0, watchRequests: 0, watchListRequests: 0, logRequests: 0 };
  /** Bytes sent on connections that have closed. */
  #closedBytes = 0;

  constructor(options: ApiServerOptions) {
    this.#store = options.store;
    this.#logs = options.logs;
    this.#auth = options.auth;
    this.#bookmarkIntervalMs = options.bookmarkIntervalMs ?? 1000;
    this.#gitVersion = options.gitVersion ?? 'v1.34.0-kubedog-fake';
    this.#now = options.now ?? Date.now;
    this.#deletePod = options.deletePod;
    const handler = (req: IncomingMessage, res: ServerResponse) => {
      this.#handle(req, res).catch((error) => this.#sendError(res, error));
    };
    this.#server = options.tls
      ? createHttpsServer(
          {
            key: options.tls.key,
            cert: options.tls.cert,
            ca: options.tls.ca,
            requestCert: true,
            rejectUnauthorized: false,
          },
          handler,
        )
      : createHttpServer(handler);
    this.#server.keepAliveTimeout = 30_000;
    const track = (socket: Socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => {
        this.#sockets.delete(socket);
        this.#closedBytes += socket.bytesWritten;
      });
    };
    // The raw TCP socket, also for TLS: destroying it ends connections still in their handshake.
    this.#server.on('connection', track);
    this.#store.addDefaulter((type, object) => {
      if (type.kind === 'CustomResourceDefinition') this.#establish(object);
    });
  }

  /**
   * A CustomResourceDefinition: its kind is served from now on (its first
   * served version), and it says so, as the API server's apiextensions
   * controllers do (NamesAccepted, Established).
   */
  #establish(crd: KubeObject): void {
    const spec = crd.spec as
      | {
          group?: string;
          scope?: string;
          names?: { kind?: string; plural?: string; shortNames?: string[] };
          versions?: { name?: string; served?: boolean }[];
        }
      | undefined;
    const version = spec?.versions?.find((v) => v.served !== false)?.name;
    const { kind, plural, shortNames } = spec?.names ?? {};
    if (!spec?.group || !version || !kind || !plural) return;
    this.registerType({
      kind,
      group: spec.group,
      version,
      plural,
      namespaced: spec.scope !== 'Cluster',
      ...(shortNames ? { shortNames } : {}),
    });
    const now = new Date(this.#now()).toISOString().replace(/\.\d+Z$/, 'Z');
    const condition = (type: string, reason: string) => ({
      type,
      status: 'True',
      reason,
      lastTransitionTime: now,
    });
    crd.status = {
      conditions: [
        condition('NamesAccepted', 'NoConflicts'),
        condition('Established', 'InitialNamesAccepted'),
      ],
      acceptedNames: spec.names,
      storedVersions: [version],
    };
  }

  get stats(): ServerStats {
    const counters = this.#counters;
    const sockets = this.#sockets;
    const closed = () => this.#closedBytes;
    const streams = this.#streams;
    const open = (kind: 'watch' | 'log') => {
      let n = 0;
      for (const k of streams.values()) if (k === kind) n++;
      return n;
    };
    return {
      get openWatches() {
        return open('watch');
      },
      get openLogStreams() {
        return open('log');
      },
      get openConnections() {
        return sockets.size;
      },
      get requests() {
        return counters.requests;
      },
      get watchRequests() {
        return counters.watchRequests;
      },
      get watchListRequests() {
        return counters.watchListRequests;
      },
      get logRequests() {
        return counters.logRequests;
      },
      get bytesSent() {
        let bytes = closed();
        for (const socket of sockets) bytes += socket.bytesWritten;
        return bytes;
      },
    };
  }

  /** Makes a resource type (a CRD's kind) servable. */
  registerType(type: ResourceType): void {
    if (
      !this.#types.some(
        (t) => t.group === type.group && t.version === type.version && t.plural === type.plural,
      )
    ) {
      this.#types.push(type);
    }
  }

  get types(): readonly ResourceType[] {
    return this.#types;
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = this.#server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    return address.port;
  }

  /** Cuts every open watch and log stream, as an API server restart does. */
  dropStreams(): void {
    for (const res of this.#streams.keys()) res.req.socket.destroy();
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  // -- request handling --------------------------------------------------------------

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.#counters.requests++;
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    const query = url.searchParams;
    const route = this.#route(url.pathname);
    const isWatch = method === 'GET' && (query.get('watch') === 'true' || query.get('watch') === '1');
    const kind: RequestKind =
      route?.subresource === 'log'
        ? 'log'
        : isWatch
          ? 'watch'
          : method !== 'GET'
            ? 'write'
            : route
              ? route.name
                ? 'get'
                : 'list'
              : 'other';
    const actions = this.faults.take(kind, url.pathname);
    for (const action of actions) {
      if (action.type === 'delay') await new Promise((r) => setTimeout(r, action.ms));
      if (action.type === 'status') {
        if (action.retryAfterSeconds !== undefined)
          res.setHeader('retry-after', String(action.retryAfterSeconds));
        throw statusError(
          action.code,
          action.reason ?? reasonFor(action.code),
          action.message ?? reasonFor(action.code),
        );
      }
    }
    const user = this.#authenticate(req);
    if (user === undefined) throw statusError(401, 'Unauthorized', 'Unauthorized');
    if (route) this.#authorize(user, method, isWatch, route);

    if (!route) {
      this.#serveDiscovery(url.pathname, res);
      return;
    }
    if (route.subresource === 'log') {
      this.#serveLogs(res, route, query, actions);
      return;
    }
    if (isWatch) {
      this.#serveWatch(res, route, query, actions, wantsTable(req.headers.accept));
      return;
    }
    const { type, namespace, name, subresource } = route;
    const status = subresource === 'status' ? { subresource: 'status' as const } : {};
    if (subresource !== undefined && subresource !== 'status') {
      throw statusError(404, 'NotFound', `the server could not find the requested resource`);
    }
    switch (method) {
      case 'GET': {
        if (name === undefined) {
          this.#serveList(res, type, namespace, query, wantsTable(req.headers.accept));
          return;
        }
        const object = this.#requireObject(type, namespace, name);
        sendJson(
          res,
          200,
          wantsTable(req.headers.accept)
            ? toTable(type, [object], object.metadata.resourceVersion ?? '', this.#now())
            : object,
        );
        return;
      }
      case 'POST': {
        if (name !== undefined)
          throw statusError(
            405,
            'MethodNotAllowed',
            'the server does not allow this method on the requested resource',
          );
        const body = (await readJson(req)) as KubeObject;
        this.#checkNamespace(type, namespace, body);
        sendJson(res, 201, this.#store.create(type, body));
        return;
      }
      case 'PUT': {
        const body = (await readJson(req)) as KubeObject;
        if (body.metadata?.name !== name) {
          throw statusError(
            400,
            'BadRequest',
            `the name of the object (${body.metadata?.name}) does not match the name on the URL (${name})`,
          );
        }
        this.#checkNamespace(type, namespace, body);
        sendJson(res, 200, this.#store.update(type, body, status));
        return;
      }
      case 'PATCH': {
        const contentType = req.headers['content-type'] ?? '';
        if (/apply-patch\+yaml/.test(contentType) && name !== undefined && !subresource) {
          await this.#apply(req, res, type, namespace, name, query);
          return;
        }
        if (!/merge-patch\+json|strategic-merge-patch\+json/.test(contentType)) {
          throw statusError(
            415,
            'UnsupportedMediaType',
            `the body of the request was in an unknown format - accepted media types include: application/apply-patch+yaml, application/merge-patch+json, application/strategic-merge-patch+json`,
          );
        }
        return sendJson(
          res,
          200,
          this.#store.patch(type, namespace, name ?? '', await readJson(req), status),
        );
      }
      case 'DELETE': {
        const graceful = type.kind === 'Pod' ? this.#deletePod?.(namespace ?? '', name ?? '') : undefined;
        sendJson(res, 200, graceful ?? this.#store.delete(type, namespace, name ?? ''));
        return;
      }
      default:
        throw statusError(405, 'MethodNotAllowed', `method ${method} is not allowed`);
    }
  }

  /** Server-side apply (`application/apply-patch+yaml`): creates or updates, owning fields per manager. */
  async #apply(
    req: IncomingMessage,
    res: ServerResponse,
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    query: URLSearchParams,
  ): Promise<void> {
    const manager = query.get('fieldManager');
    if (!manager)
      throw statusError(
        422,
        'Invalid',
        'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
      );
    const body = (await readYaml(req)) as KubeObject;
    if (body?.metadata?.name !== name) {
      throw statusError(
        400,
        'BadRequest',
        `the name of the object (${body?.metadata?.name}) does not match the name on the URL (${name})`,
      );
    }
    this.#checkNamespace(type, namespace, body);
    const current = this.#store.get(type, namespace, name);
    const result = serverSideApply(current, body, {
      manager,
      force: query.get('force') === 'true',
      now: new Date(this.#now()),
    });
    if (!result.object) {
      const causes = result.conflicts.map((c) => ({
        reason: 'FieldManagerConflict',
        message: `conflict with "${c.manager}"`,
        field: c.field,
      }));
      throw statusError(409, 'Conflict', conflictMessage(result.conflicts), {
        name,
        kind: type.plural,
        group: type.group,
        causes,
      });
    }
    const dryRun = query.get('dryRun') === 'All';
    const stored = dryRun
      ? result.object
      : current
        ? this.#store.update(type, result.object)
        : this.#store.create(type, result.object);
    sendJson(res, current ? 200 : 201, stored);
  }

  #route(pathname: string): Route | undefined {
    const parts = pathname
      .split('/')
      .filter((p) => p !== '')
      .map(decodeURIComponent);
    let group: string;
    let version: string;
    let rest: string[];
    if (parts[0] === 'api' && parts.length >= 3) {
      group = '';
      version = parts[1] ?? '';
      rest = parts.slice(2);
    } else if (parts[0] === 'apis' && parts.length >= 4) {
      group = parts[1] ?? '';
      version = parts[2] ?? '';
      rest = parts.slice(3);
    } else {
      return undefined;
    }
    let namespace: string | undefined;
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      namespace = rest[1];
      rest = rest.slice(2);
    }
    const [plural, name, subresource] = rest;
    const type = this.#types.find((t) => t.group === group && t.version === version && t.plural === plural);
    if (!type) throw statusError(404, 'NotFound', 'the server could not find the requested resource');
    if (!type.namespaced && namespace !== undefined) {
      throw statusError(404, 'NotFound', 'the server could not find the requested resource');
    }
    return { type, namespace, name, subresource };
  }

  #authenticate(req: IncomingMessage): string | undefined {
    const auth = this.#auth;
    if (!auth) return 'system:admin';
    const header = req.headers.authorization ?? '';
    if (header.startsWith('Bearer ')) {
      const token = header.slice(7);
      if (this.faults.expiredTokens.has(token)) return undefined;
      return auth.tokens?.[token];
    }
    if (header.startsWith('Basic ')) {
      const [user, ...rest] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
      const password = rest.join(':');
      return user !== undefined && auth.basic?.[user] !== undefined && auth.basic[user] === password
        ? user
        : undefined;
    }
    const socket = req.socket as TLSSocket;
    if (auth.clientCertificates && socket.authorized) {
      const cn = socket.getPeerCertificate?.()?.subject?.CN;
      if (cn) return Array.isArray(cn) ? cn[0] : cn;
    }
    return undefined;
  }

  #authorize(user: string, method: string, isWatch: boolean, route: Route): void {
    const verb = rbacVerb(method, isWatch, route.name !== undefined);
    const resource = route.subresource ? `${route.type.plural}/${route.subresource}` : route.type.plural;
    const denied = this.forbidden.some(
      (rule) =>
        (rule.verb === undefined ||
          (Array.isArray(rule.verb) ? rule.verb.includes(verb) : rule.verb === verb)) &&
        (rule.resource === undefined || rule.resource === resource) &&
        (rule.namespace === undefined || rule.namespace === route.namespace) &&
        (rule.user === undefined || rule.user === user),
    );
    if (!denied) return;
    const subject = route.name ? `${route.type.plural} "${route.name}"` : route.type.plural;
    const scope = route.namespace ? `in the namespace "${route.namespace}"` : 'at the cluster scope';
    throw statusError(
      403,
      'Forbidden',
      `${subject} is forbidden: User "${user}" cannot ${verb} resource "${resource}" in API group "${route.type.group}" ${scope}`,
      { ...(route.name ? { name: route.name } : {}), group: route.type.group, kind: route.type.plural },
    );
  }

  #checkNamespace(type: ResourceType, namespace: string | undefined, body: KubeObject): void {
    if (
      typeof body !== 'object' ||
      body === null ||
      typeof body.metadata !== 'object' ||
      body.metadata === null
    ) {
      throw statusError(400, 'BadRequest', 'the object has no metadata');
    }
    if (!type.namespaced) return;
    if (body.metadata.namespace && body.metadata.namespace !== namespace) {
      throw statusError(
        400,
        'BadRequest',
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    body.metadata.namespace = namespace;
    const nsType = this.#types.find((t) => t.kind === 'Namespace');
    if (nsType && namespace !== undefined && !this.#store.get(nsType, undefined, namespace)) {
      throw statusError(404, 'NotFound', `namespaces "${namespace}" not found`, {
        name: namespace,
        kind: 'namespaces',
      });
    }
  }

  #requireObject(type: ResourceType, namespace: string | undefined, name: string): KubeObject {
    const object = this.#store.get(type, namespace, name);
    if (!object) {
      const resource = type.group === '' ? type.plural : `${type.plural}.${type.group}`;
      throw statusError(404, 'NotFound', `${resource} "${name}" not found`, {
        name,
        group: type.group,
        kind: type.plural,
      });
    }
    return object;
  }

  #selection(namespace: string | undefined, query: URLSearchParams): Selection {
    return {
      namespace,
      labels: parseLabelSelector(query.get('labelSelector') ?? ''),
      fields: parseFieldSelector(query.get('fieldSelector') ?? ''),
    };
  }

  #serveList(
    res: ServerResponse,
    type: ResourceType,
    namespace: string | undefined,
    query: URLSearchParams,
    table: boolean,
  ): void {
    checkListOptions(query);
    const limit = Number(query.get('limit') ?? '0');
    const token = query.get('continue');
    let items: KubeObject[];
    let resourceVersion: number;
    if (token) {
      const snapshot = this.#continueTokens.get(token);
      if (!snapshot || snapshot.resourceVersion < this.#store.compactedThrough) {
        this.#continueTokens.delete(token);
        throw statusError(
          410,
          'Expired',
          'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
        );
      }
      this.#continueTokens.delete(token);
      ({ items, resourceVersion } = snapshot);
    } else {
      ({ items, resourceVersion } = this.#store.list(type, this.#selection(namespace, query)));
    }
    const metadata: Record<string, unknown> = { resourceVersion: String(resourceVersion) };
    if (limit > 0 && items.length > limit) {
      const next = `t${++this.#nextToken}`;
      this.#continueTokens.set(next, { items: items.slice(limit), resourceVersion });
      metadata.continue = next;
      metadata.remainingItemCount = items.length - limit;
      items = items.slice(0, limit);
    }
    if (table) {
      sendJson(res, 200, {
        ...(toTable(type, items, String(resourceVersion), this.#now()) as object),
        metadata,
      });
      return;
    }
    // As a real API server, the items of a built-in kind's list carry no kind and apiVersion.
    const bare = this.#builtin(type)
      ? items.map(({ kind: _kind, apiVersion: _apiVersion, ...item }) => item)
      : items;
    sendJson(res, 200, { kind: `${type.kind}List`, apiVersion: apiVersionOf(type), metadata, items: bare });
  }

  #builtin(type: ResourceType): boolean {
    return BUILTIN_RESOURCES.some((b) => b.group === type.group && b.plural === type.plural);
  }

  #openStream(res: ServerResponse, kind: 'watch' | 'log', contentType: string): () => void {
    this.#streams.set(res, kind);
    res.writeHead(200, {
      'content-type': contentType,
      'transfer-encoding': 'chunked',
      'cache-control': 'no-cache',
    });
    res.flushHeaders();
    return () => this.#streams.delete(res);
  }

  #serveWatch(
    res: ServerResponse,
    route: Route,
    query: URLSearchParams,
    faults: FaultAction[],
    table: boolean,
  ): void {
    // kubectl get -w asks for tables: each event carries a one-row Table.
    const encode = (object: KubeObject, json: () => string) =>
      table
        ? JSON.stringify(toTable(route.type, [object], object.metadata.resourceVersion ?? '', this.#now()))
        : json();
    this.#counters.watchRequests++;
    const selection = this.#selection(route.namespace, query);
    if (route.name)
      selection.fields = [...(selection.fields ?? []), { path: 'metadata.name', op: '=', value: route.name }];
    const typeKey = typeKeyOf(route.type);
    const start = watchStart(query);
    if (start.endBookmark) this.#counters.watchListRequests++;
    const rvParam = query.get('resourceVersion') ?? '';
    const bookmarks = query.get('allowWatchBookmarks') === 'true';
    const timeoutSeconds = Number(query.get('timeoutSeconds') ?? '0');
    const cutAfterEvents = faults.find((f) => f.type === 'cut-after-events');
    const cutAfterBytes = faults.find((f) => f.type === 'cut-after-bytes');
    const release = this.#openStream(res, 'watch', 'application/json');
    let events = 0;
    let bytes = 0;
    /** The client or its connection went away. */
    let gone = false;
    const write = (text: string): boolean => {
      if (gone || res.destroyed) return false;
      if (cutAfterBytes && bytes + text.length >= cutAfterBytes.bytes) {
        res.write(text.slice(0, Math.max(0, cutAfterBytes.bytes - bytes)));
        res.req.socket.destroy();
        return false;
      }
      bytes += text.length;
      res.write(text);
      return true;
    };
    const emit = (type: string, json: string): void => {
      if (cutAfterEvents && events >= cutAfterEvents.events) {
        res.req.socket.destroy();
        return;
      }
      if (write(`{"type":"${type}","object":${json}}\n`)) events++;
    };
    let unsubscribe = () => {};
    let bookmarkTimer: NodeJS.Timeout | undefined;
    let lastBookmarkTimer: NodeJS.Timeout | undefined;
    let timeoutTimer: NodeJS.Timeout | undefined;
    whenGone(res, () => {
      gone = true;
      unsubscribe();
      clearInterval(bookmarkTimer);
      clearTimeout(lastBookmarkTimer);
      clearTimeout(timeoutTimer);
      release();
    });

    if (faults.some((f) => f.type === 'malformed-line')) write('{"type":"MODIFIED","object":{"metadata":\n');
    if (faults.some((f) => f.type === 'gone')) {
      const status = statusError(
        410,
        'Expired',
        `too old resource version: ${rvParam} (${this.#store.resourceVersion})`,
      ).status;
      emit('ERROR', JSON.stringify(status));
      res.end();
      return;
    }
    if (start.initialEvents) {
      const { items, resourceVersion } = this.#store.list(route.type, selection);
      for (const object of items)
        emit(
          'ADDED',
          encode(object, () => JSON.stringify(object)),
        );
      if (start.endBookmark)
        emit('BOOKMARK', JSON.stringify(this.#bookmarkOf(route.type, resourceVersion, true)));
    } else if (start.since !== undefined) {
      let past: Change[];
      try {
        past = this.#store.changesSince(start.since);
      } catch (error) {
        emit('ERROR', JSON.stringify((error as StatusError).status));
        res.end();
        return;
      }
      for (const change of past)
        if (change.typeKey === typeKey) this.#emitChange(change, selection, emit, encode);
    }
    if (gone) return;
    unsubscribe = this.#store.subscribe((change) => {
      if (change.typeKey === typeKey) this.#emitChange(change, selection, emit, encode);
    });
    // The resourceVersion this watcher was last told about (its start, then bookmarks).
    let told = Number(rvParam) || this.#store.resourceVersion;
    const bookmark = () => {
      told = this.#store.resourceVersion;
      emit('BOOKMARK', JSON.stringify(this.#bookmarkOf(route.type, told, false)));
    };
    if (bookmarks) bookmarkTimer = setInterval(bookmark, this.#bookmarkIntervalMs);
    if (timeoutSeconds > 0) {
      // As the API server's watch cache: a bookmark 2 s before the request times out,
      // when the resourceVersion moved on since the watcher last heard of it.
      if (bookmarks && timeoutSeconds > 2)
        lastBookmarkTimer = setTimeout(
          () => {
            if (this.#store.resourceVersion > told) bookmark();
          },
          (timeoutSeconds - 2) * 1000,
        );
      timeoutTimer = setTimeout(() => res.end(), timeoutSeconds * 1000);
    }
  }

  /** A BOOKMARK's object: only the kind and the resourceVersion (and, ending a watch-list's initial events, its annotation). */
  #bookmarkOf(type: ResourceType, resourceVersion: number, initialEventsEnd: boolean): KubeObject {
    return {
      kind: type.kind,
      apiVersion: apiVersionOf(type),
      metadata: {
        resourceVersion: String(resourceVersion),
        ...(initialEventsEnd ? { annotations: { [INITIAL_EVENTS_END]: 'true' } } : {}),
      },
    };
  }

  /** Translates a change into what a watcher with this selection sees (objects enter and leave selectors). */
  #emitChange(
    change: Change,
    selection: Selection,
    emit: (type: string, json: string) => void,
    encode: (object: KubeObject, json: () => string) => string,
  ): void {
    const now = matches(change.object, selection);
    const before = change.previous !== undefined && matches(change.previous, selection);
    let type: string | undefined;
    if (change.type === 'ADDED') type = now ? 'ADDED' : undefined;
    else if (change.type === 'DELETED') type = before || now ? 'DELETED' : undefined;
    else type = before && now ? 'MODIFIED' : now ? 'ADDED' : before ? 'DELETED' : undefined;
    if (type)
      emit(
        type,
        encode(change.object, () => jsonOf(change)),
      );
  }

  #serveLogs(res: ServerResponse, route: Route, query: URLSearchParams, faults: FaultAction[]): void {
    this.#counters.logRequests++;
    const cut = faults.find((f) => f.type === 'cut-after-bytes');
    serveLog(res, {
      logs: this.#logs,
      pod: this.#requireObject(route.type, route.namespace ?? '', route.name ?? ''),
      container: query.get('container') ?? '',
      query,
      ...(cut ? { cutAfterBytes: cut.bytes } : {}),
      open: (response) => this.#openStream(response, 'log', 'text/plain'),
    });
  }

  #serveDiscovery(pathname: string, res: ServerResponse): void {
    const path = pathname.replace(/\/+$/, '');
    if (path === '/version') {
      const [major, minor] = (/^v(\d+)\.(\d+)/.exec(this.#gitVersion) ?? []).slice(1);
      sendJson(res, 200, { major, minor, gitVersion: this.#gitVersion, platform: 'linux/amd64' });
      return;
    }
    if (path === '/healthz' || path === '/readyz' || path === '/livez') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
      return;
    }
    if (path === '/api') {
      sendJson(res, 200, {
        kind: 'APIVersions',
        versions: ['v1'],
        serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }],
      });
      return;
    }
    const groupVersions = [
      ...new Set(this.#types.filter((t) => t.group !== '').map((t) => `${t.group}/${t.version}`)),
    ];
    if (path === '/apis') {
      const groups = [...new Set(groupVersions.map((gv) => gv.split('/')[0] ?? ''))].map((name) => {
        const versions = groupVersions
          .filter((gv) => gv.startsWith(`${name}/`))
          .map((gv) => ({ groupVersion: gv, version: gv.slice(name.length + 1) }));
        return { name, versions, preferredVersion: versions[0] };
      });
      sendJson(res, 200, { kind: 'APIGroupList', apiVersion: 'v1', groups });
      return;
    }
    const gv = path === '/api/v1' ? 'v1' : path.startsWith('/apis/') ? path.slice(6) : undefined;
    if (gv !== undefined && (gv === 'v1' || groupVersions.includes(gv))) {
      const resources = this.#types
        .filter((t) => apiVersionOf(t) === gv)
        .flatMap((t) => {
          const verbs = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];
          const main = {
            name: t.plural,
            singularName: t.kind.toLowerCase(),
            namespaced: t.namespaced,
            kind: t.kind,
            verbs,
            ...(t.shortNames ? { shortNames: t.shortNames } : {}),
          };
          const status = {
            name: `${t.plural}/status`,
            singularName: '',
            namespaced: t.namespaced,
            kind: t.kind,
            verbs: ['get', 'patch', 'update'],
          };
          const log =
            t.kind === 'Pod'
              ? [{ name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] }]
              : [];
          return [main, status, ...log];
        });
      sendJson(res, 200, { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv, resources });
      return;
    }
    throw statusError(404, 'NotFound', 'the server could not find the requested resource');
  }

  #sendError(res: ServerResponse, error: unknown): void {
    const status =
      error instanceof StatusError
        ? error.status
        : statusError(
            500,
            'InternalError',
            `Internal error occurred: ${(error as Error)?.message ?? String(error)}`,
          ).status;
    if (res.headersSent) {
      res.destroy();
      return;
    }
    sendJson(res, status.code, status);
  }
}

const changeJson = new WeakMap<Change, string>();

/** Each change is serialized once, however many watchers receive it. */
function jsonOf(change: Change): string {
  let json = changeJson.get(change);
  if (json === undefined) {
    json = JSON.stringify(change.object);
    changeJson.set(change, json);
  }
  return json;
}

function sendJson(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** A request body in YAML (or JSON, which is YAML), as apply patches come. */
async function readYaml(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    return yaml().parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw statusError(400, 'BadRequest', 'the request body is not valid YAML');
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw statusError(400, 'BadRequest', 'the request body is not valid JSON');
  }
}
