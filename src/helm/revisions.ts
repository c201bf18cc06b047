import { recordSelector, recordVersion } from '../helm-record/codec.js';
import { isForbidden, WATCH_VERBS, withRule } from '../kube/rbac.js';
import type { KubeObject } from '../kube/types.js';
import type { WatchSource } from '../track/sources.js';

/**
 * The revisions of one release as they are written: a watch of its records
 * (label `owner=helm,name=NAME`), and promises for a revision to appear.
 */
export class RevisionWatch {
  readonly #records = new Map<number, KubeObject>();
  readonly #waiters = new Set<() => void>();
  #error: unknown;

  constructor(
    source: WatchSource,
    release: string,
    where: { kind: 'Secret' | 'ConfigMap'; namespace: string; signal: AbortSignal },
  ) {
    void this.#follow(source, release, where);
  }

  async #follow(
    source: WatchSource,
    release: string,
    { kind, namespace, signal }: { kind: string; namespace: string; signal: AbortSignal },
  ): Promise<void> {
    try {
      for await (const { type, object } of source.watch(kind, {
        namespace,
        labelSelector: recordSelector(release),
        signal,
      })) {
        if (type === 'DELETED') this.#records.delete(recordVersion(object));
        else this.#records.set(recordVersion(object), object);
        this.#wake();
      }
    } catch (error) {
      // The records are the release: without them there is nothing to track (the rule to add is said).
      if (!signal.aborted) this.#error = isForbidden(error) ? withRule(error, WATCH_VERBS) : error;
      this.#wake();
    }
  }

  #wake(): void {
    for (const wake of [...this.#waiters]) wake();
  }

  /** The newest revision there is now (0: none). */
  get newest(): number {
    return Math.max(0, ...this.#records.keys());
  }

  /**
   * The record of the first revision at least `version`, once it is there;
   * undefined when `signal` aborts first (the timeout).
   * @throws the watch's error
   */
  async reach(version: number, signal: AbortSignal): Promise<KubeObject | undefined> {
    for (;;) {
      if (this.#error) throw this.#error;
      const found = [...this.#records.keys()].filter((v) => v >= version).sort((a, b) => a - b)[0];
      if (found !== undefined) return this.#records.get(found);
      if (signal.aborted) return undefined;
      await new Promise<void>((resolve) => {
        const done = () => {
          this.#waiters.delete(done);
          signal.removeEventListener('abort', done);
          resolve();
        };
        this.#waiters.add(done);
        signal.addEventListener('abort', done, { once: true });
      });
    }
  }
}
