import { EventEmitter } from 'node:events';

/** A terminal's two ends, in memory: keys typed in (`input.emit('data', …)`), everything written out. */
export function fakeTerminal(size = { columns: 100, rows: 30 }) {
  const input = Object.assign(new EventEmitter(), {
    isTTY: true,
    raw: false,
    setRawMode(on: boolean) {
      input.raw = on;
      return input;
    },
    setEncoding: () => input,
    resume: () => input,
    pause: () => input,
  });
  const output = Object.assign(new EventEmitter(), {
    ...size,
    written: '',
    writableNeedDrain: false,
    write(text: string) {
      output.written += text;
      return true;
    },
  });
  return {
    input,
    output,
    /** The two ends as the view takes them. */
    streams: [input as unknown as NodeJS.ReadStream, output as unknown as NodeJS.WriteStream] as const,
  };
}
