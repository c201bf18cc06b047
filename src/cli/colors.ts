import { styleText } from 'node:util';

type Style = Parameters<typeof styleText>[0];

/**
 * Whether to color a stream, the way most CLIs decide: NO_COLOR (non-empty)
 * turns colors off, FORCE_COLOR (set, and not "0" or "false") turns them on,
 * otherwise a TTY gets colors and a pipe does not.
 */
export function colorEnabled(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return stream.isTTY === true;
}

export type Paint = (style: Style, text: string) => string;

/** A painter that colors only when enabled; styleText itself is told not to second-guess us. */
export function painter(enabled: boolean): Paint {
  return enabled
    ? (style, text) => styleText(style, text, { validateStream: false })
    : (_style, text) => text;
}

/** Stable colors per name (pod/container), like stern's. */
const PALETTE: Style[] = [
  'cyan',
  'green',
  'magenta',
  'yellow',
  'blue',
  'cyanBright',
  'greenBright',
  'magentaBright',
];

export function colorFor(name: string): Style {
  return PALETTE[paletteIndex(name, PALETTE.length)] ?? 'cyan';
}

/** A stable index in a palette of `size` colours for a name. */
export function paletteIndex(name: string, size: number): number {
  let hash = 0;
  for (let i = 0; i < name.length; i++) hash = (hash * 31 + name.charCodeAt(i)) >>> 0;
  return hash % size;
}
