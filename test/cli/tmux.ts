import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A real terminal: tmux runs the command in a detached session of its own
 * server, keys are sent to it and its screen read back, as a person would
 * type and see. After the command, the shell prints its exit code and
 * whether the terminal is back in canonical mode (`icanon`, not raw).
 */
export async function terminal(command: string, size = { width: 120, height: 36 }) {
  const socket = `kubedog-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const tmux = async (...args: string[]) => (await run('tmux', ['-L', socket, ...args])).stdout;
  const script = `${command}; echo "exit=$?"; stty -a | grep -o -- '-\\?icanon'; sleep 120`;
  await tmux('new-session', '-d', '-x', String(size.width), '-y', String(size.height), script);
  // What the command copies with OSC 52 becomes a paste buffer (read by `buffer`).
  await tmux('set-option', '-g', 'set-clipboard', 'on');
  const screen = () => tmux('capture-pane', '-p', '-t', '0');
  return {
    screen,
    keys: (...keys: string[]) => tmux('send-keys', '-t', '0', ...keys),
    resize: (width: number, height: number) =>
      tmux('resize-window', '-t', '0', '-x', String(width), '-y', String(height)),
    /** The process the shell runs (the command). */
    pid: async () => {
      const shell = (await tmux('display', '-p', '-t', '0', '#{pane_pid}')).trim();
      return Number((await run('pgrep', ['-P', shell])).stdout.trim().split('\n')[0]);
    },
    /** `alternate_on cursor_flag`: whether the alternate screen is on, and the cursor shown. */
    modes: async () => (await tmux('display', '-p', '-t', '0', '#{alternate_on} #{cursor_flag}')).trim(),
    /**
     * Polls the screen until it shows `pattern` (or passes a check): a real
     * process on a real terminal takes its time, and a screen read back may
     * be half-way through a frame.
     */
    async until(pattern: RegExp | ((text: string) => boolean), timeoutMs = 15_000): Promise<string> {
      const shows = typeof pattern === 'function' ? pattern : (text: string) => pattern.test(text);
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const text = await screen();
        if (shows(text)) return text;
        if (Date.now() > deadline) assert.fail(`the screen never showed ${pattern}:\n${text}`);
        await sleep(100);
      }
    },
    /** The newest paste buffer: what the command copied (OSC 52). */
    buffer: () => tmux('show-buffer').catch(() => ''),
    close: () => tmux('kill-server').catch(() => ''),
  };
}

/** The logs pane's lines on a screen (below its title, above the keys). */
export const logLines = (screen: string) => {
  const lines = screen.split('\n');
  const footer = lines.findIndex((line) => /q +leave/.test(line));
  return lines
    .slice(lines.findIndex((line) => /Logs ·/.test(line)) + 1, footer)
    .filter((line) => line.trim());
};
