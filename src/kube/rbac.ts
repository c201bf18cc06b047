import { KubeApiError } from './errors.js';

/**
 * A permission as an RBAC Role (or ClusterRole) rule states it: what a
 * person adds to the rules of the Role bound to the account, in `namespace`
 * (undefined: cluster-scoped, a ClusterRole's).
 */
export interface RbacRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  /** The namespace the Role is in; undefined for a cluster-scoped resource (a ClusterRole). */
  namespace?: string;
}

/** Whether the API server refused a request for want of permission (403). */
export const isForbidden = (error: unknown): error is KubeApiError =>
  error instanceof KubeApiError && error.statusCode === 403;

/** `/api/v1/namespaces/NS/RES/NAME/SUB` or `/apis/GROUP/VERSION/...`, as the parts RBAC names. */
const REQUEST_PATH =
  /^(?:\/api\/[^/]+|\/apis\/(?<group>[^/]+)\/[^/]+)(?:\/namespaces\/(?<namespace>[^/]+))?\/(?<resource>[^/]+)(?:\/(?<name>[^/]+)(?:\/(?<sub>[^/]+))?)?$/;

/** The RBAC verb of a request, as the API server's authorizer names it. */
export function rbacVerb(method: string, isWatch: boolean, named: boolean): string {
  switch (method) {
    case 'GET':
      if (isWatch) return 'watch';
      return named ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return named ? 'delete' : 'deletecollection';
    default:
      return method.toLowerCase();
  }
}

const isWatch = (query: URLSearchParams) => query.get('watch') === 'true' || query.get('watch') === '1';

/**
 * The rule that would have allowed a refused request (read from its method
 * and path, which the 403 carries), or undefined when the path is not a
 * resource's. `verbs` replaces the request's own verb: a watch needs `list`
 * as well as `watch`, and the rule should say both.
 */
export function ruleFor(error: KubeApiError, verbs?: string[]): RbacRule | undefined {
  const [path = '', search = ''] = error.path.split('?');
  const match = REQUEST_PATH.exec(path);
  if (!match?.groups) return undefined;
  const { group = '', namespace, resource = '', name, sub } = match.groups;
  const decoded = namespace === undefined ? undefined : decodeURIComponent(namespace);
  return {
    apiGroups: [group],
    resources: [sub ? `${resource}/${sub}` : resource],
    verbs: verbs ?? [rbacVerb(error.method, isWatch(new URLSearchParams(search)), name !== undefined)],
    ...(decoded !== undefined ? { namespace: decoded } : {}),
  };
}

/**
 * A rule as a person pastes it into a Role's `rules` (YAML flow style, one
 * line), and where: `{apiGroups: [""], resources: ["events"], verbs: ["list",
 * "watch"]} in a Role of namespace "shop"`.
 */
export function formatRule(rule: RbacRule): string {
  const list = (values: string[]) => `[${values.map((v) => JSON.stringify(v)).join(', ')}]`;
  const where =
    rule.namespace === undefined
      ? 'in a ClusterRole'
      : `in a Role of namespace ${JSON.stringify(rule.namespace)}`;
  return `{apiGroups: ${list(rule.apiGroups)}, resources: ${list(rule.resources)}, verbs: ${list(rule.verbs)}} ${where}`;
}

/** The verbs a watch needs: its list first, then the watch. */
export const WATCH_VERBS = ['list', 'watch'];

/**
 * A refused request's error, its message ending with the rule to add (the
 * read it was, `verbs`): what a person needs to fix it, in the one line the
 * CLI prints.
 */
export function withRule(error: KubeApiError, verbs?: string[]): KubeApiError {
  const rule = ruleFor(error, verbs);
  if (!rule) return error;
  return new KubeApiError(`${error.message}; to allow it, add the rule ${formatRule(rule)}`, {
    statusCode: error.statusCode,
    status: error.status,
    method: error.method,
    path: error.path,
    cause: error,
  });
}
