import { formatDuration } from '../kube/duration.js';
import type { WatchNotice } from '../kube/watch.js';
import type { StreamNotice } from './events.js';

/** A stream notice before the tracker stamps it with `time` and `resource`. */
export type StreamNoticeInit = Omit<StreamNotice, 'time' | 'resource'>;

/**
 * A watch answered again after a reconnect holds once it goes this long
 * without breaking again: then its episode ends. A server that answers and
 * closes at once keeps the episode open however long it goes on.
 */
export const HEALTHY_MS = 2000;
/** Re-lists this far apart are separate episodes (the watch paces its re-lists within one). */
export const RELIST_QUIET_MS = 60_000;

interface Episode {
  /** Attempts (reconnects, or re-lists) in the episode. */
  count: number;
  startedAt: number;
  /** When the last attempt was. */
  lastAt: number;
  /** When the watch answered again after its last reconnect, if it has. */
  resumedAt: number | undefined;
}

/**
 * A watch's trouble said once per episode, not once per attempt: an episode
 * begins with the first reconnect (or re-list) — one notice — and ends once
 * the watch holds again ({@link HEALTHY_MS} after it answered, with no
 * reconnect since; re-lists: {@link RELIST_QUIET_MS} without one) — one
 * notice with the count. Pure: given the watch notices and the time, it
 * says the track's notices.
 */
export class NoticeEpisodes {
  readonly #reconnects = new Map<string, Episode>();
  readonly #relists = new Map<string, Episode>();

  /** A watch notice: the notices to show now. */
  take(notice: WatchNotice, now: number): StreamNoticeInit[] {
    switch (notice.type) {
      case 'reconnecting':
        if (!this.#attempt(this.#reconnects, notice.resource, now)) return [];
        return [
          streamNotice(notice.resource, 'watch-interrupted', `interrupted (${notice.reason}); reconnecting`, {
            reason: notice.reason,
          }),
        ];
      case 'relisted':
        if (!this.#attempt(this.#relists, notice.resource, now)) return [];
        return [
          streamNotice(notice.resource, 'watch-relisted', `re-listed after ${notice.reason}`, {
            reason: notice.reason,
            count: 1,
          }),
        ];
      case 'resumed': {
        const episode = this.#reconnects.get(notice.resource);
        if (episode) episode.resumedAt = now;
        return [];
      }
      default:
        return [];
    }
  }

  /** Time passed: the closing notices of the episodes that are over. */
  tick(now: number): StreamNoticeInit[] {
    const notices: StreamNoticeInit[] = [];
    for (const [resource, episode] of this.#reconnects)
      if (episode.resumedAt !== undefined && now - episode.resumedAt >= HEALTHY_MS) {
        this.#reconnects.delete(resource);
        notices.push(resumed(resource, episode));
      }
    for (const [resource, episode] of this.#relists)
      if (now - episode.lastAt >= RELIST_QUIET_MS) {
        this.#relists.delete(resource);
        if (episode.count > 1)
          notices.push(
            streamNotice(resource, 'watch-relisted', `re-listed${afterCount(episode, 'times')}`, {
              count: episode.count,
            }),
          );
      }
    return notices;
  }

  /**
   * The track ends: the closing notices of the reconnect episodes whose
   * watch was answered again, however recently (it will not be heard of again).
   */
  end(): StreamNoticeInit[] {
    const notices: StreamNoticeInit[] = [];
    for (const [resource, episode] of this.#reconnects)
      if (episode.resumedAt !== undefined) notices.push(resumed(resource, episode));
    this.#reconnects.clear();
    this.#relists.clear();
    return notices;
  }

  /** Counts an attempt; returns whether it begins an episode. */
  #attempt(episodes: Map<string, Episode>, resource: string, now: number): boolean {
    const episode = episodes.get(resource);
    if (episode) {
      episode.count++;
      episode.lastAt = now;
      episode.resumedAt = undefined;
      return false;
    }
    episodes.set(resource, { count: 1, startedAt: now, lastAt: now, resumedAt: undefined });
    return true;
  }
}

/** A notice about the watch of `resource` (`pods in shop`): `watch of pods in shop WHAT`. */
function streamNotice(
  resource: string,
  code: StreamNoticeInit['code'],
  what: string,
  data: { reason?: string; count?: number },
): StreamNoticeInit {
  const stream = `watch of ${resource}`;
  return { type: 'notice', code, stream, ...data, message: `${stream} ${what}` };
}

const resumed = (resource: string, episode: Episode) =>
  streamNotice(resource, 'watch-resumed', `resumed${afterCount(episode, 'reconnects')}`, {
    count: episode.count,
  });

/** ` after 12 reconnects in 3m20s`, or nothing for one. */
function afterCount(episode: Episode, what: 'reconnects' | 'times'): string {
  if (episode.count === 1) return '';
  const span = formatDuration(Math.max(episode.lastAt - episode.startedAt, 1000));
  return what === 'reconnects'
    ? ` after ${episode.count} reconnects in ${span}`
    : ` ${episode.count} times in ${span}`;
}
