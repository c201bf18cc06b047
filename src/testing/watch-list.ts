/**
 * The API server's list options for streaming lists ("watch-list", KEP-3157),
 * as kube-apiserver validates and serves them: a watch with
 * `sendInitialEvents=true` and `resourceVersionMatch=NotOlderThan` streams the
 * current objects as ADDED events, then — when bookmarks are allowed — a
 * BOOKMARK annotated `k8s.io/initial-events-end: "true"` at the resourceVersion
 * the initial events were taken at, then the changes after it. client-go's
 * reflectors ask for this by default since v1.35 (the WatchListClient gate), and
 * wait for that bookmark before they call their cache synced.
 */
import { statusError } from './status.js';

/** The annotation of the bookmark that ends a watch-list's initial events. */
export const INITIAL_EVENTS_END = 'k8s.io/initial-events-end';

/** What a watch request asked for at its start. */
export interface WatchStart {
  /** Send the current objects as ADDED events before the changes. */
  readonly initialEvents: boolean;
  /** End the initial events with the `k8s.io/initial-events-end` bookmark. */
  readonly endBookmark: boolean;
  /** Start after this resourceVersion (the changes since it) instead of now. */
  readonly since: number | undefined;
}

/**
 * Reads a watch's start from its query, after the API server's validation
 * (apimachinery's `ValidateListOptions`): a 422 `Invalid` on `ListOptions`
 * naming each forbidden field, as kube-apiserver answers.
 */
export function watchStart(query: URLSearchParams): WatchStart {
  const send = query.get('sendInitialEvents');
  const match = query.get('resourceVersionMatch') ?? '';
  const errors: FieldError[] = [];
  if (send !== null && match !== 'NotOlderThan')
    errors.push(
      forbidden(
        'resourceVersionMatch',
        'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
      ),
    );
  if (match !== '') {
    if (send === null)
      errors.push(
        forbidden(
          'resourceVersionMatch',
          'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided',
        ),
      );
    if (match !== 'NotOlderThan')
      errors.push({
        field: 'resourceVersionMatch',
        reason: 'FieldValueNotSupported',
        message: `Unsupported value: "${match}": supported values: "NotOlderThan"`,
      });
  }
  throwIfInvalid(errors);
  const resourceVersion = query.get('resourceVersion') ?? '';
  const bookmarks = query.get('allowWatchBookmarks') === 'true';
  if (send === 'true') return { initialEvents: true, endBookmark: bookmarks, since: undefined };
  const fromNow = resourceVersion === '' || resourceVersion === '0';
  // A watch that says nothing of initial events and starts at no resourceVersion
  // gets them all the same (the API before watch-list); one that says false starts now.
  if (send === null && fromNow) return { initialEvents: true, endBookmark: false, since: undefined };
  const since = resourceVersion === '' || resourceVersion === '0' ? undefined : Number(resourceVersion);
  return { initialEvents: false, endBookmark: false, since };
}

/** A list (not a watch) may not ask for initial events. */
export function checkListOptions(query: URLSearchParams): void {
  if (query.get('sendInitialEvents') !== null)
    throwIfInvalid([forbidden('sendInitialEvents', 'sendInitialEvents is forbidden for list')]);
}

interface FieldError {
  readonly field: string;
  readonly reason: 'FieldValueForbidden' | 'FieldValueNotSupported';
  readonly message: string;
}

function forbidden(field: string, detail: string): FieldError {
  return { field, reason: 'FieldValueForbidden', message: `Forbidden: ${detail}` };
}

function throwIfInvalid(errors: readonly FieldError[]): void {
  if (errors.length === 0) return;
  const said = errors.map((error) => `${error.field}: ${error.message}`);
  const message = `ListOptions.meta.k8s.io "" is invalid: ${said.length === 1 ? said[0] : `[${said.join(', ')}]`}`;
  throw statusError(422, 'Invalid', message, {
    group: 'meta.k8s.io',
    kind: 'ListOptions',
    causes: [...errors],
  });
}
