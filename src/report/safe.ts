/**
 * Strings from the cluster made safe for a terminal. A pod's log line, an
 * Event message or an API error body is written by someone else: raw, its
 * escape sequences could clear the screen, set the title, write the
 * clipboard (OSC 52), hide text, or rewrite a line with a carriage return
 * into a forged "✓ ready". Every C0 and C1 control character but tab — ESC
 * included, so no sequence survives — is shown escaped instead (`\x1b`), and
 * so is every invisible format character: the bidirectional controls
 * (U+061C, U+200E–U+200F, U+202A–U+202E, U+2066–U+2069), which would show
 * text reordered ("Trojan Source"), the zero-width ones (U+200B–U+200D,
 * U+2060–U+2064, U+FEFF) and the soft hyphen (`\u202e`). JSON output is
 * left exact: JSON escapes C0 itself, and {@link jsonForTerminal} escapes
 * the rest.
 */

/** Invisible format characters: bidirectional controls, zero-width characters, the soft hyphen. */
const FORMAT = '\\u00ad\\u061c\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u2064\\u2066-\\u2069\\ufeff';
const CONTROL = new RegExp(`[\\u0000-\\u0008\\u000a-\\u001f\\u007f-\\u009f${FORMAT}]`);
const CONTROLS = new RegExp(CONTROL.source, 'g');

const escaped = (c: string) => {
  const code = c.charCodeAt(0);
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
};

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

// JSON escapes C0 controls but not DEL, C1 (U+007F–U+009F) and the format characters, which terminals obey.
const UNESCAPED_BY_JSON = new RegExp(`[\\u007f-\\u009f${FORMAT}]`, 'g');

/** `JSON.stringify(value)`, with DEL, C1 and format characters escaped as `\uXXXX` too: the same JSON, inert in a terminal. */
export function jsonForTerminal(value: unknown): string {
  return JSON.stringify(value).replace(
    UNESCAPED_BY_JSON,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
