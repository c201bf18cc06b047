/**
 * The interactive view under load: 50 Deployments × 10 pods, 1,000 log
 * lines a second (one line per log event, the most events for the lines)
 * plus a status change and a pod change every 100 ms, for 10 seconds, fed
 * in this process to each way of showing a track on a 200 × 50 terminal:
 * - the text view as a terminal gets it without `--interactive` (every
 *   line written, the status table pinned below and redrawn);
 * - the interactive view following every resource's logs;
 * - the interactive view with one pod selected and its logs filtered;
 * - the interactive view with logs paused on a full pane.
 * Measured: CPU of the view (the process's CPU less that of making the
 * same events with no view), frames a second, bytes written to the
 * terminal. No peer has such a view (kubectl, stern and the Go kubedog
 * print lines): the text view is the baseline, in the same run.
 * Then the whole CLI: `kubedog follow` of the same 50 × 10 on the
 * simulated cluster (each container logging 2 lines a second), in a tmux
 * terminal 200 × 50, with and without `--interactive`: the kubedog
 * process's CPU over the same seconds, from /proc.
 * Usage: tsx bench/interactive.ts [--smoke]
 */
import { execFileSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseCommandLine, trackArgs } from '../src/cli/args.js';
import { CiOutput } from '../src/cli/commands/ci-output.js';
import { TrackView } from '../src/cli/commands/track-view.js';
import { InteractiveView } from '../src/cli/render/interactive/index.js';
import { startFakeCluster } from '../src/testing/cluster.js';
import type { MultitrackEvent, TrackEvent } from '../src/track/events.js';
import type { ResourceRef } from '../src/track/resource-ref.js';
import { deploymentManifest } from '../test/helpers.js';
import { KUBEDOG, procStats, ratio, saveResults } from './lib.js';

const smoke = process.argv.includes('--smoke');
const SECONDS = smoke ? 3 : 10;
const RESOURCES = 50;
const PODS = 10;
const LINES_PER_SECOND = 1000;
const TICK_MS = 10;

const resources: ResourceRef[] = Array.from({ length: RESOURCES }, (_, i) => ({
  kind: 'Deployment',
  namespace: 'shop',
  name: `svc-${i}`,
}));
const podName = (r: number, p: number) => `svc-${r}-7f9c4d-${String(p).padStart(5, '0')}`;

/** The events of one tick: log lines round-robin over the 500 containers, now and then a status and a pod change. */
function tickEvents(tick: number, counter: { line: number }): TrackEvent[] {
  const time = new Date().toISOString();
  const events: TrackEvent[] = [];
  for (let i = 0; i < (LINES_PER_SECOND * TICK_MS) / 1000; i++) {
    const n = counter.line++;
    const r = n % RESOURCES;
    const p = Math.floor(n / RESOURCES) % PODS;
    events.push({
      type: 'log',
      time,
      resource: resources[r] as ResourceRef,
      pod: podName(r, p),
      container: 'app',
      lines: [`${time} INFO request id=${n} path=/api/orders/${n % 977} status=200 duration=${n % 50}ms`],
      times: [time],
    });
  }
  if (tick % 10 === 0) {
    const r = (tick / 10) % RESOURCES;
    const resource = resources[r] as ResourceRef;
    const ready = (tick / 10) % (PODS + 1);
    events.push({
      type: 'status',
      time,
      resource,
      verdict: {
        state: 'progressing',
        reason: 'Progressing',
        message: `Waiting for rollout: ${ready} of ${PODS} updated replicas are available`,
        progress: { ready, desired: PODS, updated: PODS },
      },
    });
    events.push({
      type: 'pod',
      time,
      resource,
      pod: podName(r, ready % PODS),
      change: 'phase',
      phase: 'Running',
      containers: ['app'],
      ready: false,
      readyContainers: 0,
      current: true,
    });
  }
  return events;
}

/** A terminal 200 × 50 that counts what it is sent. */
function fakeTerminal() {
  const output = Object.assign(new EventEmitter(), {
    isTTY: true,
    columns: 200,
    rows: 50,
    writableNeedDrain: false,
    writes: 0,
    bytes: 0,
    write(text: string) {
      output.writes++;
      output.bytes += Buffer.byteLength(text);
      return true;
    },
  });
  const input = Object.assign(new EventEmitter(), {
    isTTY: true,
    setRawMode: () => input,
    setEncoding: () => input,
    resume: () => input,
    pause: () => input,
  });
  return { output, input };
}

interface Shown {
  show(event: MultitrackEvent): void;
  /** Keys a person types once the first pods are known. */
  type?(): void;
  close(): void;
  /** Frames that changed the screen (each is one write). */
  frames(): number;
  bytes(): number;
}

function textView(): Shown {
  const { output } = fakeTerminal();
  const { values } = parseCommandLine(['follow', 'deploy/x']);
  const args = trackArgs('follow', values, ['deploy/x']);
  const io = {
    stdout: output as unknown as NodeJS.WriteStream,
    stderr: output as unknown as NodeJS.WriteStream,
    env: { FORCE_COLOR: '1' },
    stdin: () => '',
  };
  const view = new TrackView(args, io, resources, new CiOutput(args, {}));
  return { show: (e) => view.show(e), close: () => view.close(), frames: () => 0, bytes: () => output.bytes };
}

/** The interactive view; `keys` are typed after a second, `check` says whether they did what was meant. */
function interactiveView(keys: string, check: (view: InteractiveView) => boolean = () => true): Shown {
  const { output, input } = fakeTerminal();
  const view = new InteractiveView(
    input as unknown as NodeJS.ReadStream,
    output as unknown as NodeJS.WriteStream,
    {
      title: 'kubedog follow',
      resources,
      allNamespaces: false,
      describe: () => ({ ok: true, text: '' }),
    },
  );
  view.start();
  const started = output.writes;
  return {
    type: () => {
      input.emit('data', keys);
      if (!check(view)) throw new Error(`the keys ${JSON.stringify(keys)} did not select what they should`);
    },
    show: (e) => view.observe(e),
    close: () => view.close(),
    frames: () => output.writes - started,
    bytes: () => output.bytes,
  };
}

/** Feeds the workload to a view (none: the cost of making the events); returns CPU ms and what the view drew. */
async function run(make: (() => Shown) | undefined) {
  const shown = make?.();
  const counter = { line: 0 };
  const ticks = (SECONDS * 1000) / TICK_MS;
  const started = performance.now();
  const cpu = process.cpuUsage();
  for (let tick = 0; tick < ticks; tick++) {
    for (const event of tickEvents(tick, counter)) shown?.show(event);
    if (tick === 1000 / TICK_MS) shown?.type?.();
    // Keep to the rate: the next tick at its time.
    const next = started + (tick + 1) * TICK_MS;
    await sleep(Math.max(0, next - performance.now()));
  }
  await sleep(100);
  const used = process.cpuUsage(cpu);
  shown?.close();
  return {
    cpuMs: (used.user + used.system) / 1000,
    seconds: (performance.now() - started) / 1000,
    frames: shown?.frames() ?? 0,
    bytes: shown?.bytes() ?? 0,
    lines: counter.line,
  };
}

const VIEWS: Record<string, (() => Shown) | undefined> = {
  'no view (making the events)': undefined,
  'text view (pinned status table)': textView,
  'interactive, every resource, following': () => interactiveView(''),
  'interactive, one pod selected, logs filtered': () =>
    interactiveView(
      'j\rj/id=\\d*7 \r',
      (view) => view.nav.cursor.startsWith('p\u0000') && view.nav.filter !== undefined,
    ),
  'interactive, logs paused': () => interactiveView('f', (view) => !view.nav.logs.follow),
};

const results: Record<string, Awaited<ReturnType<typeof run>>> = {};
for (const [name, make] of Object.entries(VIEWS)) results[name] = await run(make);

const base = results['no view (making the events)']?.cpuMs ?? 0;
const text = (results['text view (pinned status table)']?.cpuMs ?? 0) - base;
console.log(
  `${RESOURCES} resources × ${PODS} pods, ${LINES_PER_SECOND} log lines/s for ${SECONDS} s, 200 × 50 terminal`,
);
console.log('| view | CPU of the view (% of a core) | vs text view | frames/s | kB/s to the terminal |');
console.log('|---|---:|---:|---:|---:|');
const rows = Object.entries(results).map(([name, r]) => {
  const viewCpu = name.startsWith('no view') ? r.cpuMs : r.cpuMs - base;
  const row = {
    name,
    cpuPercent: (viewCpu / 10 / r.seconds).toFixed(1),
    vsText: name.startsWith('no view') ? '' : ratio(viewCpu, text),
    framesPerSecond: name.startsWith('interactive') ? (r.frames / r.seconds).toFixed(1) : '',
    kBPerSecond: (r.bytes / 1024 / r.seconds).toFixed(0),
  };
  console.log(
    `| ${row.name} | ${row.cpuPercent} | ${row.vsText} | ${row.framesPerSecond} | ${row.kBPerSecond} |`,
  );
  return { ...row, ...r };
});
const cli = await wholeCli();
if (!smoke)
  saveResults('interactive', {
    seconds: SECONDS,
    resources: RESOURCES,
    pods: PODS,
    linesPerSecond: LINES_PER_SECOND,
    rows,
    cli,
  });

/** `kubedog follow` of 50 × 10 logging pods in a tmux terminal, with and without `--interactive`: its CPU. */
async function wholeCli() {
  await using cluster = await startFakeCluster({ nodes: 10 });
  const every = (RESOURCES * PODS * 1000) / LINES_PER_SECOND;
  cluster.behave('svc-*', 'app', { logEvery: every, logLine: 'request id={n} status=200' });
  for (let r = 0; r < RESOURCES; r++)
    await cluster.client.create(
      'Deployment',
      deploymentManifest(`svc-${r}`, { replicas: PODS, labels: { tier: 'bench' } }),
    );
  await cluster.settled();
  const socket = `kubedog-bench-${process.pid}`;
  const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  const measure = async (extra: string) => {
    const command = `${process.execPath} ${KUBEDOG} follow deploy -l tier=bench --max-log-requests ${RESOURCES * PODS} --kubeconfig ${cluster.kubeconfigPath} ${extra}`;
    tmux('new-session', '-d', '-x', '200', '-y', '50', `${command}; sleep 60`);
    try {
      // Past the start: every pod seen, every log stream open.
      await sleep(3000);
      const shell = tmux('display', '-p', '-t', '0', '#{pane_pid}').trim();
      const pid = Number(execFileSync('pgrep', ['-P', shell], { encoding: 'utf8' }).trim().split('\n')[0]);
      const before = procStats(pid);
      await sleep(SECONDS * 1000);
      const after = procStats(pid);
      // What the view says it follows: every container's logs (the text view prints them all).
      const screen = tmux('capture-pane', '-p', '-t', '0');
      const logging = Number(/(\d+) containers logging/.exec(screen)?.[1] ?? Number.NaN);
      return {
        ...(extra ? { containersLogging: logging } : {}),
        cpuPercent: ((after.cpuSeconds - before.cpuSeconds) / SECONDS) * 100,
        peakRssMb: after.peakRssMb,
      };
    } finally {
      tmux('kill-server');
    }
  };
  const text = await measure('');
  const interactive = await measure('--interactive');
  console.log(
    `\nkubedog follow, ${RESOURCES} × ${PODS} pods logging ${LINES_PER_SECOND} lines/s in all, tmux 200 × 50 (the view followed ${interactive.containersLogging} containers):`,
  );
  console.log('| kubedog follow | CPU (% of a core) | vs text | peak RSS (MB) |');
  console.log('|---|---:|---:|---:|');
  for (const [name, r] of [
    ['text (pinned status table)', text],
    ['--interactive', interactive],
  ] as const)
    console.log(
      `| ${name} | ${r.cpuPercent.toFixed(1)} | ${ratio(r.cpuPercent, text.cpuPercent)} | ${r.peakRssMb.toFixed(0)} |`,
    );
  return { text, interactive };
}
