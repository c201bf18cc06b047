import { deletePoliciesOf, type HelmHook, hooksOfPhase } from '../helm/hooks.js';
import { listRevisions, releaseFromRecord } from '../helm/release.js';
import {
  decodeRecord,
  type HelmStorage,
  recordName,
  releaseRecord,
  STORAGE_KINDS,
} from '../helm-record/codec.js';
import type { KubeClient } from '../kube/client.js';
import { isKubeApiError } from '../kube/errors.js';
import type { KubeObject } from '../kube/types.js';
import { yaml } from '../vendor/yaml.js';

/** A chart as {@link FakeHelm} installs it: rendered objects, and hooks (objects annotated `helm.sh/hook`). */
export interface FakeChart {
  /** The chart's name, in template paths. @default the release's name */
  name?: string;
  objects: KubeObject[];
  /** Objects annotated `helm.sh/hook` (and `helm.sh/hook-weight`, `helm.sh/hook-delete-policy`). */
  hooks?: KubeObject[];
}

/** What Helm said at the end: the revision, its status and description. */
export interface FakeHelmResult {
  version: number;
  status: 'deployed' | 'failed';
  description: string;
}

type ReleaseJson = Record<string, unknown> & {
  version: number;
  info: Record<string, unknown>;
  hooks: Record<string, unknown>[];
};

const ZERO_TIME = '0001-01-01T00:00:00Z';

/**
 * Helm 3's `upgrade --install` and `test` against a cluster, step by step
 * as Helm takes them, writing its release records as Helm does (for tests
 * of code that reads them, and the demo): a `pending-*` revision; each
 * phase's hooks in Helm's order (an earlier run deleted first, `last_run`
 * recorded, then waited for — Jobs until complete, Pods until they
 * succeed); the objects applied; the `post-*` hooks; hooks deleted by
 * their policies; the previous revision `superseded` and this one
 * `deployed` — or `failed` with Helm's description.
 */
export class FakeHelm {
  readonly #client: KubeClient;
  readonly #namespace: string;
  readonly #storage: HelmStorage;

  constructor(client: KubeClient, options: { namespace?: string; storage?: HelmStorage } = {}) {
    this.#client = client;
    this.#namespace = options.namespace ?? client.namespace;
    this.#storage = options.storage ?? 'secret';
  }

  /** `helm upgrade --install NAME`: the next revision of the release, to its end. */
  async upgrade(name: string, chart: FakeChart): Promise<FakeHelmResult> {
    const [last] = await listRevisions(this.#client, name, {
      namespace: this.#namespace,
      storage: this.#storage,
    });
    const previous = last ? releaseFromRecord(last) : undefined;
    const operation = previous ? 'upgrade' : 'install';
    const release = this.#newRelease(name, chart, (previous?.version ?? 0) + 1, operation);
    await this.#write(release, 'create');
    for (const phase of [`pre-${operation}`, undefined, `post-${operation}`]) {
      if (phase === undefined) {
        await this.#client.apply(chart.objects.map(this.#inNamespace), { fieldManager: 'helm', force: true });
        continue;
      }
      const failure = await this.#runHooks(release, phase);
      if (failure) return this.#end(release, 'failed', `${phase} hooks failed: ${failure}`);
    }
    if (previous?.status === 'deployed') await this.#supersede(previous.version, name);
    return this.#end(release, 'deployed', operation === 'install' ? 'Install complete' : 'Upgrade complete');
  }

  /** `helm test NAME`: the newest revision's `test` hooks, recorded in it. */
  async test(name: string): Promise<string | undefined> {
    const [last] = await listRevisions(this.#client, name, {
      namespace: this.#namespace,
      storage: this.#storage,
    });
    if (!last) throw new Error(`no release ${name}`);
    return this.#runHooks(decodeRecord(last) as ReleaseJson, 'test');
  }

  readonly #inNamespace = (object: KubeObject): KubeObject => ({
    ...object,
    metadata: { ...object.metadata, namespace: object.metadata.namespace ?? this.#namespace },
  });

  #newRelease(name: string, chart: FakeChart, version: number, operation: string): ReleaseJson {
    const now = new Date().toISOString();
    const template = (object: KubeObject) =>
      `---\n# Source: ${chart.name ?? name}/templates/${object.metadata.name}.yaml\n${yaml().stringify(object)}`;
    return {
      name,
      namespace: this.#namespace,
      version,
      info: {
        first_deployed: now,
        last_deployed: now,
        deleted: '',
        description: operation === 'install' ? 'Initial install underway' : 'Preparing upgrade',
        status: `pending-${operation}`,
      },
      chart: { metadata: { name: chart.name ?? name, version: '0.1.0' } },
      config: {},
      manifest: chart.objects.map(template).join('\n'),
      hooks: (chart.hooks ?? []).map((object) => hookJson(object, chart.name ?? name)),
    };
  }

  async #write(release: ReleaseJson, how: 'create' | 'replace'): Promise<void> {
    const record = releaseRecord(this.#storage, release);
    if (how === 'create') await this.#client.create(STORAGE_KINDS[this.#storage], record);
    else await this.#client.replace(STORAGE_KINDS[this.#storage], record);
  }

  /** Runs a phase's hooks in order; returns why the first failure failed. */
  async #runHooks(release: ReleaseJson, phase: string): Promise<string | undefined> {
    const recorded = releaseFromRecord(releaseRecord(this.#storage, release)).hooks;
    const ran: HelmHook[] = [];
    for (const hook of hooksOfPhase(recorded, phase)) {
      const json = release.hooks.find((h) => h.name === hook.name && h.kind === hook.kind) as Record<
        string,
        unknown
      >;
      const policies = deletePoliciesOf(hook);
      if (policies.includes('before-hook-creation')) await this.#deleteHook(hook);
      json.last_run = { started_at: new Date().toISOString(), completed_at: ZERO_TIME, phase: 'Running' };
      await this.#write(release, 'replace');
      await this.#client.create(hook.kind, this.#inNamespace(hook.object as KubeObject));
      const failure = await this.#finished(hook);
      json.last_run = {
        ...(json.last_run as object),
        completed_at: new Date().toISOString(),
        phase: failure ? 'Failed' : 'Succeeded',
      };
      await this.#write(release, 'replace');
      if (failure) {
        if (policies.includes('hook-failed')) await this.#deleteHook(hook);
        return `${hook.kind.toLowerCase()} ${hook.name} failed: ${failure}`;
      }
      ran.push(hook);
    }
    for (const hook of ran) if (hook.deletePolicies.includes('hook-succeeded')) await this.#deleteHook(hook);
    return undefined;
  }

  async #deleteHook(hook: HelmHook): Promise<void> {
    await this.#client
      .delete(hook.kind, { namespace: this.#namespace, name: hook.name }, { propagationPolicy: 'Background' })
      .catch((error: unknown) => {
        if (!isKubeApiError(error) || error.statusCode !== 404) throw error;
      });
  }

  /** Waits as Helm's WatchUntilReady: a Job until Complete or Failed, a Pod until it succeeds or fails; others are done. */
  async #finished(hook: HelmHook): Promise<string | undefined> {
    if (hook.kind !== 'Job' && hook.kind !== 'Pod') return undefined;
    const controller = new AbortController();
    try {
      for await (const { object } of this.#client.watch(hook.kind, {
        namespace: this.#namespace,
        fieldSelector: `metadata.name=${hook.name}`,
        signal: controller.signal,
      })) {
        const outcome = hookOutcome(object);
        if (outcome !== undefined) return outcome || undefined;
      }
    } finally {
      controller.abort();
    }
    return 'its watch ended';
  }

  async #supersede(version: number, name: string): Promise<void> {
    const kind = STORAGE_KINDS[this.#storage];
    const record = await this.#client.get(kind, {
      namespace: this.#namespace,
      name: recordName(name, version),
    });
    const json = decodeRecord(record) as ReleaseJson;
    json.info = { ...json.info, status: 'superseded' };
    await this.#write(json, 'replace');
  }

  async #end(
    release: ReleaseJson,
    status: 'deployed' | 'failed',
    description: string,
  ): Promise<FakeHelmResult> {
    release.info = { ...release.info, status, description, last_deployed: new Date().toISOString() };
    await this.#write(release, 'replace');
    return { version: release.version, status, description };
  }
}

/** `''` done, a reason failed, undefined not yet: Helm's reading of a hook Job or Pod. */
function hookOutcome(object: KubeObject): string | undefined {
  const status = (object.status ?? {}) as {
    phase?: string;
    conditions?: { type?: string; status?: string; reason?: string }[];
  };
  if (object.kind === 'Pod') {
    if (status.phase === 'Succeeded') return '';
    return status.phase === 'Failed' ? 'pod failed' : undefined;
  }
  const condition = (type: string) => status.conditions?.find((c) => c.type === type && c.status === 'True');
  if (condition('Complete')) return '';
  const failed = condition('Failed');
  return failed ? (failed.reason ?? 'job failed') : undefined;
}

/** A hook object as Helm records it (the annotations say when it runs, in which order, and when it is deleted). */
function hookJson(object: KubeObject, chart: string): Record<string, unknown> {
  const annotations = object.metadata.annotations ?? {};
  const list = (key: string) =>
    (annotations[key] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  return {
    name: object.metadata.name,
    kind: object.kind,
    path: `${chart}/templates/${object.metadata.name}.yaml`,
    manifest: `# Source: ${chart}/templates/${object.metadata.name}.yaml\n${yaml().stringify(object)}`,
    events: list('helm.sh/hook'),
    last_run: { started_at: ZERO_TIME, completed_at: ZERO_TIME, phase: '' },
    weight: Number(annotations['helm.sh/hook-weight'] ?? 0) || 0,
    delete_policies: list('helm.sh/hook-delete-policy'),
  };
}
