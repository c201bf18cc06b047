import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../src/kube/types.js';
import { deploymentManifest } from '../test/helpers.js';

/** Where bench/build-peers.sh puts the Go peers (outside the repository). */
export const PEER_BIN = join(homedir(), '.cache', 'kubedog-bench', 'bin');
export const KUBEDOG = new URL('../dist/cli/main.js', import.meta.url).pathname;
/** kubedog before the tracker-core redesign (commit dede505), built by bench/build-peers.sh. */
export const BEFORE_REDESIGN = join(
  homedir(),
  '.cache',
  'kubedog-bench',
  'kubedog-dede505',
  'dist',
  'cli',
  'main.js',
);

/** A peer's command, or why it cannot run here. */
export function which(name: string): string | undefined {
  for (const dir of [PEER_BIN, ...(process.env.PATH ?? '').split(':')]) {
    const path = join(dir, name);
    if (existsSync(path)) return path;
  }
  return undefined;
}

export interface StreamResult {
  lines: number;
  seconds: number;
  /** CPU seconds (user + system) of the process when it had printed `lines`. */
  cpuSeconds: number;
  /** Peak resident memory of the process, MB. */
  peakRssMb: number;
  done: boolean;
}

const TICKS = 100; // sysconf(_SC_CLK_TCK) on Linux

/** CPU seconds (user + system) so far and peak resident memory (MB) of a running process, from /proc. */
export function procStats(pid: number): { cpuSeconds: number; peakRssMb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  // An exited process not yet reaped (a zombie) has no memory lines: its figures are gone.
  if (!/VmHWM:/.test(status)) throw new Error(`process ${pid} has exited`);
  return {
    cpuSeconds: (Number(fields[11]) + Number(fields[12])) / TICKS,
    peakRssMb: Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024,
  };
}

/**
 * Runs a command and counts the lines it prints on stdout until `lines`
 * arrived (then it is stopped) or `timeoutMs` passed. CPU and memory are
 * read from /proc the moment the last line arrives.
 */
export function measureLines(
  command: string,
  args: string[],
  options: { lines: number; timeoutMs: number; env?: NodeJS.ProcessEnv },
): Promise<StreamResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const started = performance.now();
    let lines = 0;
    let finished = false;
    const finish = (done: boolean) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      let cpuSeconds = Number.NaN;
      let peakRssMb = Number.NaN;
      try {
        ({ cpuSeconds, peakRssMb } = procStats(child.pid ?? 0));
      } catch {
        // It ended before: no numbers from /proc.
      }
      const seconds = (performance.now() - started) / 1000;
      // Ctrl-C first (a profile, if asked for, is written then), then no more waiting.
      child.kill('SIGINT');
      setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      resolve({ lines, seconds, cpuSeconds, peakRssMb, done });
    };
    const timer = setTimeout(() => finish(false), options.timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
      if (lines >= options.lines) finish(true);
    });
    child.on('error', reject);
    child.on('exit', () => finish(lines >= options.lines));
  });
}

/** Writes raw numbers to bench/results/NAME.json. */
export function saveResults(name: string, data: unknown): void {
  const file = new URL(`./results/${name}.json`, import.meta.url);
  writeFileSync(
    file,
    `${JSON.stringify({ measuredAt: new Date().toISOString(), node: process.version, ...(data as object) }, null, 2)}\n`,
  );
}

/** The middle value (the upper one of an even count); NaN for none. */
export const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

export const ratio = (a: number, b: number) =>
  b === 0 || !Number.isFinite(a / b) ? 'n/a' : `${(a / b).toFixed(2)}×`;

/** GNU time, which reports a child's exact CPU and peak RSS (from wait4) where sampling /proc misses its last moments. */
const GNU_TIME = '/usr/bin/time';

/**
 * Runs a command to its end: its CPU seconds and peak RSS, exact under GNU
 * time when the machine has it, else sampled from /proc every 20 ms.
 */
export function measureRun(command: string, args: string[]) {
  type Run = { code: number | null; exitedAt: number; cpuSeconds: number; peakRssMb: number };
  const timed = existsSync(GNU_TIME);
  const report = join(tmpdir(), `kubedog-bench-time-${process.pid}-${Math.random().toString(36).slice(2)}`);
  return new Promise<Run>((resolve) => {
    const child = timed
      ? spawn(GNU_TIME, ['-o', report, '-f', '%U %S %M', command, ...args], { stdio: 'ignore' })
      : spawn(command, args, { stdio: 'ignore' });
    let last = { cpuSeconds: 0, peakRssMb: 0 };
    const sampler = timed
      ? undefined
      : setInterval(() => {
          try {
            last = procStats(child.pid ?? 0);
          } catch {}
        }, 20);
    child.on('exit', (code) => {
      clearInterval(sampler);
      const exitedAt = performance.now();
      if (timed) {
        const [user = 0, system = 0, maxKb = 0] =
          readFileSync(report, 'utf8').trim().split('\n').at(-1)?.split(' ').map(Number) ?? [];
        rmSync(report, { force: true });
        last = { cpuSeconds: user + system, peakRssMb: maxKb / 1024 };
      }
      resolve({ code, exitedAt, ...last });
    });
  });
}

/** A Deployment in `default` of 3 pods (unless `replicas` says) running one container `app`; `spec` and `labels` add to it. */
export const benchDeployment = (
  name: string,
  options: {
    replicas?: number;
    image?: string;
    labels?: Record<string, string>;
    spec?: Record<string, unknown>;
  } = {},
): KubeObject => deploymentManifest(name, { ...options, replicas: options.replicas ?? 3 });
