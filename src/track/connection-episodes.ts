import type { ConnectionNotice, NoticeEvent, StreamNotice } from './events.js';

/** Streams that break within this long of the first are one loss of the connection. */
export const GATHER_MS = 200;

/**
 * The streams of many trackers, as one connection: when the API server
 * restarts, every watch and log stream breaks at once — one notice says the
 * connection was lost and how many streams are reconnecting, one that every
 * one came back (nothing is lost: watches resume from their
 * resourceVersion, logs from their last line's time). A stream that breaks
 * alone is said as it is. Pure: given the notices and the time, it says
 * what to show.
 */
export class ConnectionEpisodes {
  /** The streams' notices of the episode, in order: shown as they are when only one stream broke. */
  #notices: StreamNotice[] = [];
  /** Streams that broke in the episode, and those not back yet. */
  readonly #broken = new Set<string>();
  readonly #down = new Set<string>();
  #firstAt: number | undefined;
  #said = false;

  /** A tracker's notice: whether it belongs to the episode (then it is not shown on its own). */
  take(notice: NoticeEvent, now: number): boolean {
    if (notice.code === 'watch-interrupted' || notice.code === 'log-interrupted') {
      this.#firstAt ??= now;
      this.#broken.add(notice.stream);
      this.#down.add(notice.stream);
      this.#notices.push(notice);
      return true;
    }
    const back = notice.code === 'watch-resumed' || notice.code === 'log-resumed';
    // A log stream that ended for good (its pod gone) will not come back: not waited for.
    const gone = notice.code === 'log-ended';
    if ((back || gone) && this.#broken.has(notice.stream)) {
      this.#down.delete(notice.stream);
      if (back) this.#notices.push(notice);
      return back;
    }
    return false;
  }

  /** When the episode next has something to say (ms since the epoch), if it waits for time. */
  get dueAt(): number | undefined {
    return this.#firstAt !== undefined && !this.#said ? this.#firstAt + GATHER_MS : undefined;
  }

  /**
   * What is due now: the loss, once the streams that broke together are
   * gathered; the restoration, once every one is back.
   */
  due(now: number): NoticeEvent[] {
    const first = this.#notices[0];
    if (!first || this.#firstAt === undefined) return [];
    const gathered = now - this.#firstAt >= GATHER_MS || this.#down.size === 0;
    const said: NoticeEvent[] = [];
    if (!this.#said && gathered) {
      this.#said = true;
      said.push(...(this.#broken.size === 1 ? this.#takeNotices() : [this.#lost(first)]));
    }
    if (this.#said && this.#down.size === 0) {
      said.push(...(this.#broken.size === 1 ? this.#takeNotices() : [this.#restored(first, now)]));
      this.#reset();
    }
    return said;
  }

  #takeNotices(): StreamNotice[] {
    const notices = this.#notices;
    this.#notices = [];
    return notices;
  }

  #lost(first: StreamNotice): ConnectionNotice {
    const streams = this.#broken.size;
    return {
      type: 'notice',
      code: 'connection-lost',
      time: first.time,
      resource: first.resource,
      streams,
      ...(first.reason !== undefined ? { reason: first.reason } : {}),
      message: `connection to the API server lost${first.reason ? ` (${first.reason})` : ''}: ${streams} streams reconnecting`,
    };
  }

  #restored(first: StreamNotice, now: number): ConnectionNotice {
    const streams = this.#broken.size;
    return {
      type: 'notice',
      code: 'connection-restored',
      time: new Date(now).toISOString(),
      resource: first.resource,
      streams,
      message: `all ${streams} streams resumed, nothing lost`,
    };
  }

  #reset(): void {
    this.#notices = [];
    this.#broken.clear();
    this.#down.clear();
    this.#firstAt = undefined;
    this.#said = false;
  }
}
