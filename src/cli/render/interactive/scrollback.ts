/**
 * Scroll-back: what was received, bounded. Every line (a log line, an
 * event) gets a sequence number as it arrives, so the lines of many rings
 * (one per container) read back in arrival order by merging them — and a
 * place in the scroll-back is a sequence number, which stays put while new
 * lines come in.
 */

export interface Numbered {
  seq: number;
}

/** The last `capacity` items pushed, oldest first. */
export class Ring<T extends Numbered> {
  readonly #items: T[] = [];
  readonly #capacity: number;
  #start = 0;
  /** Items pushed out by newer ones. */
  dropped = 0;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  get length(): number {
    return this.#items.length;
  }

  push(item: T): void {
    if (this.#items.length < this.#capacity) this.#items.push(item);
    else {
      this.dropped++;
      this.#items[this.#start] = item;
      this.#start = (this.#start + 1) % this.#capacity;
    }
  }

  /** The `i`th item, oldest first. */
  at(i: number): T {
    return this.#items[(this.#start + i) % this.#items.length] as T;
  }

  /** The index of the last item numbered `seq` or less (-1: none). */
  lastAtOrBefore(seq: number): number {
    let low = 0;
    let high = this.#items.length - 1;
    let found = -1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (this.at(middle).seq <= seq) {
        found = middle;
        low = middle + 1;
      } else high = middle - 1;
    }
    return found;
  }
}

/**
 * Up to `count` items numbered `before` or less that `accept` takes, from
 * any of the rings, newest first. At most `scan` items are looked at (a
 * filter that matches nothing in a long scroll-back stops there).
 */
export function newestFirst<T extends Numbered>(
  rings: Ring<T>[],
  before: number,
  count: number,
  accept: (item: T) => boolean = () => true,
  scan = 200_000,
): T[] {
  const at = rings.map((ring) => ring.lastAtOrBefore(before));
  const out: T[] = [];
  for (let looked = 0; out.length < count && looked < scan; looked++) {
    let best = -1;
    let bestSeq = -1;
    for (let r = 0; r < rings.length; r++) {
      const i = at[r] as number;
      if (i < 0) continue;
      const seq = (rings[r] as Ring<T>).at(i).seq;
      if (seq > bestSeq) {
        best = r;
        bestSeq = seq;
      }
    }
    if (best < 0) break;
    const item = (rings[best] as Ring<T>).at(at[best] as number);
    at[best] = (at[best] as number) - 1;
    if (accept(item)) out.push(item);
  }
  return out;
}

/** Up to `count` items numbered after `after` that `accept` takes, oldest first. */
export function oldestFirst<T extends Numbered>(
  rings: Ring<T>[],
  after: number,
  count: number,
  accept: (item: T) => boolean = () => true,
): T[] {
  const at = rings.map((ring) => ring.lastAtOrBefore(after) + 1);
  const out: T[] = [];
  while (out.length < count) {
    let best = -1;
    let bestSeq = Number.POSITIVE_INFINITY;
    for (let r = 0; r < rings.length; r++) {
      const ring = rings[r] as Ring<T>;
      const i = at[r] as number;
      if (i >= ring.length) continue;
      const seq = ring.at(i).seq;
      if (seq < bestSeq) {
        best = r;
        bestSeq = seq;
      }
    }
    if (best < 0) break;
    const item = (rings[best] as Ring<T>).at(at[best] as number);
    at[best] = (at[best] as number) + 1;
    if (accept(item)) out.push(item);
  }
  return out;
}
