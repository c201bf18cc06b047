/**
 * Errors thrown by the Kubernetes client. Every error has a stable `code`, a
 * one-line message meant for humans (it names the file, flag, server or
 * resource to look at) and, where there was one, the original error as
 * `cause`. No message ever contains a token, password or key.
 *
 * `instanceof` works across duplicate copies of this package because the
 * checks use a brand registered with `Symbol.for`, the way undici does it.
 */

const brand = Symbol.for('kubedog.error');

/** The `code` of each error class: stable, for programs to branch on. */
export type KubedogErrorCode =
  | 'KUBEDOG_CONFIG'
  | 'KUBEDOG_AUTH'
  | 'KUBEDOG_CONNECTION'
  | 'KUBEDOG_TLS'
  | 'KUBEDOG_API'
  | 'KUBEDOG_DECODE'
  | 'KUBEDOG_INVALID_INPUT'
  | 'KUBEDOG_CLIENT_CLOSED';

/**
 * What every error kubedog throws extends. `instanceof` (and the `is*Error`
 * guards) work across duplicate copies of the package. Tracking outcomes —
 * a failed rollout, a timeout — are events, not errors.
 */
export class KubedogError extends Error {
  /** Stable across versions: branch on this, not on the message. */
  readonly code: KubedogErrorCode;
  /** @internal what `instanceof` checks, across copies of the package */
  readonly [brand] = true;

  constructor(code: KubedogErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }

  // biome-ignore-start lint/complexity/noThisInStatic: `this` is the class on the right of `instanceof`: subclasses inherit this check
  /** `instanceof` that also matches an error from another copy of the package. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (!hasBrand(value)) return false;
    if (this === KubedogError) return true;
    // Compare class names along the prototype chain, so that a copy of this
    // class loaded from another path still matches.
    for (let proto = Object.getPrototypeOf(value); proto !== null; proto = Object.getPrototypeOf(proto)) {
      if (proto.constructor?.name === this.name) return true;
    }
    return false;
  }
  // biome-ignore-end lint/complexity/noThisInStatic: intentional, see above
}

function hasBrand(value: unknown): value is KubedogError {
  return typeof value === 'object' && value !== null && (value as { [brand]?: boolean })[brand] === true;
}

/** A kubeconfig (or in-cluster configuration) that cannot be used. */
export class KubeConfigError extends KubedogError {
  /** The file the problem is in, when there is one. */
  readonly file: string | undefined;
  /** The offending field, in kubeconfig terms (`users[admin].user.client-key`). */
  readonly field: string | undefined;

  constructor(message: string, details: { file?: string; field?: string; cause?: unknown } = {}) {
    super('KUBEDOG_CONFIG', message, { cause: details.cause });
    this.file = details.file;
    this.field = details.field;
  }
}

/** Credentials could not be obtained (exec plugin failed, token file unreadable). */
export class KubeAuthError extends KubedogError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('KUBEDOG_AUTH', message, options);
  }
}

/** The server could not be reached: DNS, refused or reset connections, timeouts. */
export class KubeConnectionError extends KubedogError {
  /** The server URL. */
  readonly server: string;
  /** The system error code (`ECONNREFUSED`, `ENOTFOUND`, …) when there is one. */
  readonly syscallCode: string | undefined;

  constructor(message: string, details: { server: string; syscallCode?: string; cause?: unknown }) {
    super('KUBEDOG_CONNECTION', message, { cause: details.cause });
    this.server = details.server;
    this.syscallCode = details.syscallCode;
  }
}

/** The TLS handshake failed: unknown CA, wrong server name, expired certificate. */
export class KubeTlsError extends KubedogError {
  /** The server URL. */
  readonly server: string;

  constructor(message: string, details: { server: string; cause?: unknown }) {
    super('KUBEDOG_TLS', message, { cause: details.cause });
    this.server = details.server;
  }
}

/** The `Status` object the API server sends with an error. */
export interface KubeStatus {
  kind?: 'Status';
  apiVersion?: string;
  status?: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  code?: number;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    causes?: { reason?: string; message?: string; field?: string }[];
    retryAfterSeconds?: number;
  };
}

/** The API server answered with an error status (or an ERROR watch event). */
export class KubeApiError extends KubedogError {
  /** HTTP status code (or the `code` of the Status in a watch ERROR event). */
  readonly statusCode: number;
  /** The `reason` of the Status (`NotFound`, `Forbidden`, `Expired`, …). */
  readonly reason: string;
  /** The server's `Status` object, as it sent it. */
  readonly status: KubeStatus;
  /** The request's HTTP method. */
  readonly method: string;
  /** Path and query of the request; never credentials. */
  readonly path: string;
  /** Seconds the server asked us to wait (Retry-After or Status details). */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    message: string,
    details: {
      statusCode: number;
      status: KubeStatus;
      method: string;
      path: string;
      retryAfterSeconds?: number;
      cause?: unknown;
    },
  ) {
    super('KUBEDOG_API', message, { cause: details.cause });
    this.statusCode = details.statusCode;
    this.status = details.status;
    this.reason = details.status.reason ?? '';
    this.method = details.method;
    this.path = details.path;
    this.retryAfterSeconds = details.retryAfterSeconds ?? details.status.details?.retryAfterSeconds;
  }

  /** @internal The same error, its message starting with what it was about (`Deployment shop/web: …`). */
  withContext(what: string): KubeApiError {
    return new KubeApiError(`${what}: ${this.message}`, {
      statusCode: this.statusCode,
      status: this.status,
      method: this.method,
      path: this.path,
      ...(this.retryAfterSeconds !== undefined ? { retryAfterSeconds: this.retryAfterSeconds } : {}),
      cause: this,
    });
  }
}

/** A response body could not be decoded (malformed JSON line, oversized line). */
export class KubeDecodeError extends KubedogError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('KUBEDOG_DECODE', message, options);
  }
}

/** A value given by the user (selector, duration, resource kind) cannot be parsed. */
export class InvalidInputError extends KubedogError {
  /** The text that was rejected. */
  readonly input: string;

  constructor(message: string, input: string) {
    super('KUBEDOG_INVALID_INPUT', message);
    this.input = input;
  }
}

/** The API server serves no such kind (yet: a CustomResourceDefinition may still be on its way). */
export class UnknownKindError extends InvalidInputError {
  /** The kind as it was asked for (`Storefront.shop.example.com`). */
  readonly kind: string;

  constructor(message: string, kind: string) {
    super(message, kind);
    this.kind = kind;
  }
}

/** @internal A text argument (a manifest, a kubeconfig, a rules file) is a string, or an {@link InvalidInputError} says what it got. */
export function expectText(text: unknown, what: string): asserts text is string {
  if (typeof text === 'string') return;
  const got = text === null ? 'null' : Array.isArray(text) ? 'a list' : typeof text;
  throw new InvalidInputError(`${what} must be text (a string), not ${got}`, got);
}

/** A request was made on a client after {@link KubeClient.close}. */
export class KubeClientClosedError extends KubedogError {
  constructor(message: string) {
    super('KUBEDOG_CLIENT_CLOSED', message);
  }
}

/**
 * Whether `value` is an error of kubedog's (any class), also when it comes
 * from another copy of the package.
 * @example
 * import { isKubedogError } from 'kubedog';
 *
 * try {
 *   await client.list('pods', { labelSelector: 'app in web' });
 * } catch (error) {
 *   if (!isKubedogError(error)) throw error;
 *   console.log(`${error.code}: ${error.message}`);
 * }
 * // prints: KUBEDOG_INVALID_INPUT: invalid label selector "app in web": cannot parse "app in web"
 */
export const isKubedogError = (value: unknown): value is KubedogError => value instanceof KubedogError;

/**
 * Whether `value` is an error answer of the API server: branch on its
 * `statusCode` and `reason`.
 * @example
 * import { isKubeApiError } from 'kubedog';
 *
 * const existing = await client.get('ConfigMap', { name: 'settings' }).catch((error) => {
 *   if (isKubeApiError(error) && error.statusCode === 404) return undefined;
 *   throw error;
 * });
 * console.log(existing ? 'exists' : 'not there yet');
 * // prints: not there yet
 */
export const isKubeApiError = (value: unknown): value is KubeApiError => value instanceof KubeApiError;

/**
 * Whether `value` says the kubeconfig cannot be used (what the CLI exits
 * with code 3 for).
 * @example
 * import { isKubeConfigError, loadKubeConfig } from 'kubedog';
 *
 * try {
 *   loadKubeConfig({ context: 'prod' });
 * } catch (error) {
 *   if (isKubeConfigError(error)) console.log(error.message);
 * }
 * // prints: context "prod" (--context) not found …
 */
export const isKubeConfigError = (value: unknown): value is KubeConfigError =>
  value instanceof KubeConfigError;

/** True for errors worth retrying on a long-lived stream: connection trouble, throttling, 5xx, 410 handled elsewhere. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof KubeConnectionError) return true;
  if (error instanceof KubeApiError) {
    return error.statusCode === 429 || error.statusCode >= 500 || error.statusCode === 0;
  }
  if (error instanceof KubeDecodeError) return true;
  return false;
}

/**
 * A value that is not what it should be, short and on one line, for a
 * message: `"5m"` (a string, cut at 40 characters), `-1`, `null`, `a list`,
 * `an object`, `a function`.
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'function') return 'a function';
  return 'an object';
}

/** Quotes user input for a one-line message: control characters and quotes escaped, as JSON does. */
export function quote(text: string): string {
  return JSON.stringify(text);
}
