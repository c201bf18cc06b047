/**
 * Strings from the cluster made safe for a terminal. A pod's log line, an
 * Event message or an API error body is written by someone else: raw, its
 * escape sequences could clear the screen, set the title, write the
 * clipboard (OSC 52), hide text, or rewrite a line with a carriage return
 * into a forged "✓ ready". Every C0 and C1 control character but tab — ESC
 * included, so no sequence survives — is shown escaped instead (`\x1b`).
 * JSON output is left exact: JSON escapes C0 itself, and
 * {@link jsonForTerminal} escapes DEL and C1 too.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROLS = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g;

const escaped = (c: string) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;

/** `text` with every control character but tab shown escaped. */
export function terminalSafe(text: string): string {
  return CONTROL.test(text) ? text.replace(CONTROLS, escaped) : text;
}

/**
 * A track event (or any value) with every string made {@link terminalSafe};
 * with `rawLogs`, a `log` event's lines are left as the container wrote
 * them (its colours), at the user's request.
 */
export function safeForTerminal<T>(value: T, rawLogs = false): T {
  if (typeof value === 'string') return terminalSafe(value) as T;
  if (Array.isArray(value)) return value.map((item) => safeForTerminal(item)) as T;
  if (typeof value !== 'object' || value === null) return value;
  const raw = rawLogs && (value as { type?: unknown }).type === 'log';
  const safe: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value))
    safe[key] = raw && key === 'lines' ? field : safeForTerminal(field);
  return safe as T;
}

// JSON escapes C0 controls but not DEL and C1 (U+007F–U+009F), which some terminals obey.
const UNESCAPED_BY_JSON = /[\u007f-\u009f]/g;

/** `JSON.stringify(value)`, with DEL and C1 escaped as `\u00XX` too: the same JSON, inert in a terminal. */
export function jsonForTerminal(value: unknown): string {
  return JSON.stringify(value).replace(UNESCAPED_BY_JSON, (c) => `\\u00${c.charCodeAt(0).toString(16)}`);
}
