import { InvalidInputError, quote } from './errors.js';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses Go-style durations as kubectl takes them: `90s`, `5m`, `1h30m`, `250ms`; a bare number is seconds. */
export function parseDuration(text: string): number {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const parts = trimmed.match(/(\d+(?:\.\d+)?)(ms|s|m|h)/g);
  if (!parts || parts.join('') !== trimmed) {
    throw new InvalidInputError(
      `invalid duration ${quote(text)}: use a number with a unit, like 90s, 5m or 1h30m`,
      text,
    );
  }
  return parts.reduce((total, part) => {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(part);
    return total + Number(m?.[1]) * (UNITS[m?.[2] ?? 's'] ?? 1000);
  }, 0);
}

/**
 * Parses a "since" as `--logs-since` takes it: a duration back from now
 * (`10m`), an RFC 3339 time (`2026-11-26T10:00:00Z`), `now`, or `all`
 * (the epoch: everything a container wrote).
 */
export function parseSince(text: string): number | Date {
  const trimmed = text.trim();
  if (trimmed === 'all') return new Date(0);
  // The Go kubedog's default: only what is written from now on.
  if (trimmed === 'now') return new Date();
  if (/^\d{4}-\d{2}-\d{2}T/.test(trimmed)) {
    const time = new Date(trimmed);
    if (!/(Z|[+-]\d{2}:\d{2})$/i.test(trimmed) || Number.isNaN(time.getTime())) {
      throw new InvalidInputError(
        `invalid time ${quote(text)}: use RFC 3339 with a zone, like 2026-11-26T10:00:00Z`,
        text,
      );
    }
    return time;
  }
  return parseDuration(text);
}

/**
 * A duration the way it is written on a command line, as short as exact:
 * `250ms`, `1.5s`, `90s`, `5m`, `2m30s`, `1h`, `1h0m30s` (parseDuration reads each back).
 */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = (ms % 60_000) / 1000;
  if (hours === 0 && minutes === 0) return `${Number(seconds.toFixed(3))}s`;
  const rest = seconds === 0 ? '' : `${Number(seconds.toFixed(3))}s`;
  if (hours === 0) return `${minutes}m${rest}`;
  return `${hours}h${minutes === 0 && rest === '' ? '' : `${minutes}m`}${rest}`;
}
