import { InvalidInputError } from '../kube/errors.js';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses Go-style durations as kubectl takes them: `90s`, `5m`, `1h30m`, `250ms`; a bare number is seconds. */
export function parseDuration(text: string): number {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const parts = trimmed.match(/(\d+(?:\.\d+)?)(ms|s|m|h)/g);
  if (!parts || parts.join('') !== trimmed) {
    throw new InvalidInputError(
      `invalid duration "${text}": use a number with a unit, like 90s, 5m or 1h30m`,
      text,
    );
  }
  return parts.reduce((total, part) => {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(part);
    return total + Number(m?.[1]) * (UNITS[m?.[2] ?? 's'] ?? 1000);
  }, 0);
}
