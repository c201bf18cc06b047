import { InvalidInputError } from '../../kube/errors.js';

/** stern's `--timestamps` formats: `default` (RFC 3339 with nanoseconds), `short` (`12-02 07:38:02`). */
export type TimestampFormat = 'default' | 'short';
export const TIMESTAMP_FORMATS: readonly TimestampFormat[] = ['default', 'short'];

/**
 * The stamp put before each log line (stern's `--timestamps`), in a time
 * zone (`--timezone`: an IANA name, `UTC`, or `Local`, the default). The
 * runtime's nanoseconds are kept: they come from the string, not a Date.
 * @throws {InvalidInputError} a time zone the platform does not know
 */
export function timestampFormatter(format: TimestampFormat, zone = 'Local'): (time: string) => string {
  const timeZone = zone === 'Local' ? undefined : zone;
  let parts: Intl.DateTimeFormat;
  try {
    parts = new Intl.DateTimeFormat('en-US', {
      ...(timeZone ? { timeZone } : {}),
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      timeZoneName: 'longOffset',
    });
  } catch {
    throw new InvalidInputError(
      `--timezone: unknown time zone "${zone}" (an IANA name like Europe/Berlin, UTC or Local)`,
      'timezone',
    );
  }
  return (time) => {
    const date = new Date(time);
    if (Number.isNaN(date.getTime())) return time;
    const p = Object.fromEntries(parts.formatToParts(date).map((part) => [part.type, part.value]));
    const clock = `${p.hour}:${p.minute}:${p.second}`;
    if (format === 'short') return `${p.month}-${p.day} ${clock}`;
    const fraction = /\.(\d+)/.exec(time)?.[1]?.padEnd(9, '0').slice(0, 9) ?? '000000000';
    // Go's RFC 3339: Z for UTC, ±hh:mm otherwise.
    const offset = (p.timeZoneName ?? '').replace('GMT', '');
    return `${p.year}-${p.month}-${p.day}T${clock}.${fraction}${['', '+00:00'].includes(offset) ? 'Z' : offset}`;
  };
}
