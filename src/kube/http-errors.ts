import type { Dispatcher } from 'undici';
import type { ResolvedKubeConfig } from './config.js';
import {
  KubeApiError,
  KubeConnectionError,
  KubeDecodeError,
  type KubeStatus,
  KubeTlsError,
} from './errors.js';

/**
 * Turns transport failures and error responses into one-line, actionable
 * errors. Messages name the server, the context and the kubeconfig, the CA or
 * the auth method — never a credential.
 */

const TLS_VERIFY_CODES: Record<string, string> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'certificate signed by an unknown authority',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'certificate signed by an unknown authority',
  UNABLE_TO_GET_ISSUER_CERT: 'certificate signed by an unknown authority',
  SELF_SIGNED_CERT_IN_CHAIN: 'certificate signed by an unknown authority',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate not trusted',
  CERT_HAS_EXPIRED: 'server certificate has expired',
  CERT_NOT_YET_VALID: 'server certificate is not yet valid',
  ERR_TLS_CERT_ALTNAME_INVALID: 'server certificate is not valid for this host name',
};

const CONNECTION_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found (DNS)',
  EAI_AGAIN: 'DNS lookup failed (temporary)',
  ECONNRESET: 'connection reset by the server',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: 'connection closed by the server',
  UND_ERR_SOCKET: 'connection closed by the server',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_HEADERS_TIMEOUT: 'the server sent no response headers in time',
  UND_ERR_CLOSED: 'connection closed',
};

const portOf = (url: URL) => Number(url.port || (url.protocol === 'https:' ? 443 : 80));
/** `host:port`, never the userinfo a proxy URL may carry. */
const hostPortOf = (url: URL) => `${url.hostname}:${portOf(url)}`;

/** The port of the connection that failed, as the system error (or one it wraps) says. */
function failedPort(error: unknown): number | undefined {
  const e = error as { port?: unknown; errors?: unknown[]; cause?: unknown };
  if (typeof e?.port === 'number') return e.port;
  for (const nested of e?.errors ?? []) {
    const port = failedPort(nested);
    if (port !== undefined) return port;
  }
  return e?.cause ? failedPort(e.cause) : undefined;
}

function errorCode(error: unknown): string | undefined {
  const e = error as { code?: string; errors?: { code?: string }[]; cause?: unknown };
  if (typeof e?.code === 'string' && e.code !== 'UND_ERR_SOCKET' && e.code !== 'UND_ERR_CONNECT')
    return e.code;
  // Happy eyeballs (localhost → ::1 and 127.0.0.1) reports an AggregateError.
  const nested = e?.errors?.find((x) => typeof x?.code === 'string')?.code;
  if (nested) return nested;
  const fromCause = e?.cause ? errorCode(e.cause) : undefined;
  return fromCause ?? e?.code;
}

export function mapTransportError(error: unknown, config: ResolvedKubeConfig): Error {
  const server = config.cluster.server;
  const code = errorCode(error) ?? '';
  const context = `(context "${config.contextName}" in ${config.source})`;
  const tlsProblem = TLS_VERIFY_CODES[code];
  if (tlsProblem) {
    const ca = config.cluster.certificateAuthority?.source ?? 'the system CAs';
    const name = config.cluster.tlsServerName ?? new URL(server).hostname;
    return new KubeTlsError(
      `TLS verification of ${server} failed: ${tlsProblem} (trusted CAs: ${ca}; expected name: ${name}) ${context}`,
      { server, cause: error },
    );
  }
  if (/CERTIFICATE_REQUIRED|BAD_CERTIFICATE|UNKNOWN_CA|ERR_SSL/.test(code)) {
    const why = /CERTIFICATE_REQUIRED/.test(code)
      ? 'the server requires a client certificate'
      : /BAD_CERTIFICATE|UNKNOWN_CA/.test(code)
        ? 'the server rejected our client certificate'
        : `TLS handshake failed (${code})`;
    return new KubeTlsError(`TLS connection to ${server} failed: ${why} ${context}`, {
      server,
      cause: error,
    });
  }
  const described = CONNECTION_CODES[code];
  const detail = described ? `${described} (${code})` : ((error as Error)?.message ?? String(error));
  const proxy = config.cluster.proxyUrl ? new URL(config.cluster.proxyUrl) : undefined;
  // Through a proxy, the connection that failed may be the proxy's: say which.
  const what =
    proxy && failedPort(error) === portOf(proxy)
      ? `the proxy ${hostPortOf(proxy)} (proxy-url) for the Kubernetes API server ${hostPortOf(new URL(server))}`
      : `the Kubernetes API server ${hostPortOf(new URL(server))}${proxy ? ` through the proxy ${hostPortOf(proxy)}` : ''}`;
  return new KubeConnectionError(`cannot reach ${what}: ${detail} ${context}`, {
    server,
    ...(code ? { syscallCode: code } : {}),
    cause: error,
  });
}

const MAX_ERROR_BODY = 256 * 1024;

/** Reads an error response (bounded) and builds the matching {@link KubeApiError}. */
export async function readApiError(
  response: {
    statusCode: number;
    headers: Record<string, string | string[] | undefined>;
    body: Dispatcher.ResponseData['body'];
  },
  request: { method: string; path: string; config: ResolvedKubeConfig; auth: string },
): Promise<KubeApiError> {
  let text = '';
  try {
    for await (const chunk of response.body) {
      text += chunk.toString();
      if (text.length > MAX_ERROR_BODY) {
        response.body.destroy();
        break;
      }
    }
  } catch {
    // A body cut short still leaves us the status code.
  }
  const status = parseStatus(text, response.statusCode);
  const retryAfter = parseRetryAfter(response.headers['retry-after']);
  return apiError(response.statusCode, status, {
    ...request,
    ...(retryAfter !== undefined ? { retryAfter } : {}),
  });
}

export function parseStatus(text: string, statusCode: number): KubeStatus {
  try {
    const parsed = JSON.parse(text) as KubeStatus;
    if (parsed && typeof parsed === 'object' && parsed.kind === 'Status') return parsed;
  } catch {
    // Not a Status: a proxy or load balancer answered.
  }
  const firstLine = text.trim().split('\n')[0]?.slice(0, 200) ?? '';
  return {
    kind: 'Status',
    status: 'Failure',
    code: statusCode,
    reason: reasonFor(statusCode),
    message: firstLine,
  };
}

/** The Status reason the API server uses for an HTTP status code. */
export function reasonFor(statusCode: number): string {
  const reasons: Record<number, string> = {
    400: 'BadRequest',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'NotFound',
    409: 'Conflict',
    410: 'Expired',
    422: 'Invalid',
    429: 'TooManyRequests',
    500: 'InternalError',
    503: 'ServiceUnavailable',
    504: 'Timeout',
  };
  return reasons[statusCode] ?? `HTTP${statusCode}`;
}

export function parseRetryAfter(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/** Builds the one-line message users see for an API error. */
export function apiError(
  statusCode: number,
  status: KubeStatus,
  request: { method: string; path: string; config: ResolvedKubeConfig; auth: string; retryAfter?: number },
): KubeApiError {
  const { config } = request;
  const context = `context "${config.contextName}" in ${config.source}`;
  const serverMessage = status.message ? `: ${status.message}` : '';
  let message: string;
  switch (statusCode) {
    case 401:
      message =
        `Unauthorized: ${config.cluster.server} rejected the credentials (${request.auth}` +
        `${config.userName ? ` of user "${config.userName}"` : ''}, ${context}); they may have expired`;
      break;
    case 403:
      message = `Forbidden${serverMessage || `: ${request.method} ${request.path}`} (${context})`;
      break;
    case 404:
      message = `NotFound${serverMessage || `: ${request.method} ${request.path}`}`;
      break;
    default:
      message = `${request.method} ${request.path} failed: ${statusCode} ${status.reason ?? reasonFor(statusCode)}${serverMessage}`;
  }
  return new KubeApiError(message, {
    statusCode,
    status,
    method: request.method,
    path: request.path,
    ...(request.retryAfter !== undefined ? { retryAfterSeconds: request.retryAfter } : {}),
  });
}

/**
 * An answer in a content encoding kubedog did not ask for (it sends no
 * Accept-Encoding): a {@link KubeDecodeError} naming it — a proxy between
 * kubedog and the API server is the usual cause.
 */
export function checkEncoding(encoding: string | string[] | undefined, what: string): void {
  const named = (Array.isArray(encoding) ? encoding.join(', ') : (encoding ?? '')).trim().toLowerCase();
  if (named === '' || named === 'identity') return;
  throw new KubeDecodeError(
    `${what}: the answer is ${named}-encoded, which kubedog did not ask for (no Accept-Encoding was sent): is a proxy between kubedog and the API server compressing it?`,
  );
}
