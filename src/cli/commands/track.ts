import { readFileSync } from 'node:fs';
import { KubeClient } from '../../kube/client.js';
import { loadKubeConfig } from '../../kube/config.js';
import { InvalidInputError } from '../../kube/errors.js';
import type { KubeObject } from '../../kube/types.js';
import { type CustomRule, parseRules } from '../../status/index.js';
import { type ResourceRef, resourceKey, type TrackEvent } from '../../track/events.js';
import type { LogOptions } from '../../track/logs.js';
import { type MultitrackSpec, type MultitrackSummary, multitrack } from '../../track/multitrack.js';
import { type FailureReport, FailureWitness } from '../../track/report.js';
import type { TrackArgs } from '../args.js';
import { colorEnabled, painter } from '../colors.js';
import { EXIT } from '../exit-codes.js';
import { drained, PinnedScreen, PlainScreen, type Screen } from '../render/screen.js';
import { renderTable, StatusRows } from '../render/table.js';
import { formatElapsed, renderEvent, renderReport, resourceName } from '../render/text.js';
import { collectSpecs, readManifests } from '../sources.js';

export interface CommandIO {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
  /** The whole of standard input (for `-f -`). */
  stdin: () => string;
  /** Ctrl-C. */
  signal?: AbortSignal;
  /** A client to use instead of loading the kubeconfig (the demo's simulated cluster). */
  client?: KubeClient;
}

/** A spec's resource as events will name it (`Certificate.cert-manager.io` → `Certificate`). */
const refOf = (spec: MultitrackSpec): ResourceRef => ({
  kind: spec.kind.split('.')[0] ?? spec.kind,
  namespace: spec.namespace ?? '',
  name: spec.name,
});

/**
 * `kubedog rollout track` and `kubedog follow`: collect what to track, run
 * one multitrack, render its events, and turn the outcome into an exit code.
 */
export async function track(args: TrackArgs, io: CommandIO): Promise<number> {
  // Everything local is checked before the cluster is contacted.
  const manifests = readManifests(args, io.stdin);
  const rules = args.rules !== undefined ? parseRules(readRules(args.rules), args.rules) : undefined;
  const client = io.client ?? newClient(args, io);
  try {
    return await run(args, io, client, manifests, rules);
  } finally {
    // Flushes a recording; the demo's client belongs to the demo.
    if (!io.client) await client.close();
  }
}

function newClient(args: TrackArgs, io: CommandIO): KubeClient {
  const env = io.env;
  const config = loadKubeConfig({
    env,
    ...(args.kubeconfig !== undefined ? { kubeconfig: args.kubeconfig } : {}),
    ...(args.context !== undefined ? { context: args.context } : {}),
    ...(args.namespace !== undefined ? { namespace: args.namespace } : {}),
  });
  const warn = (text: string) => io.stderr.write(`kubedog: warning: ${text}\n`);
  if (config.cluster.insecureSkipTlsVerify)
    warn(
      `TLS verification is off for ${config.cluster.server} (insecure-skip-tls-verify in ${config.source}): the server is not authenticated`,
    );
  if (env.NODE_TLS_REJECT_UNAUTHORIZED === '0')
    warn(
      'NODE_TLS_REJECT_UNAUTHORIZED=0 is ignored: kubedog verifies TLS unless the kubeconfig says insecure-skip-tls-verify',
    );
  const debug =
    args.debug || (env.KUBEDOG_DEBUG !== undefined && !['', '0', 'false'].includes(env.KUBEDOG_DEBUG));
  try {
    return new KubeClient(config, {
      ...(args.record !== undefined ? { record: args.record } : {}),
      ...(debug ? { debug: (line: string) => io.stderr.write(`kubedog: debug: ${line}\n`) } : {}),
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new InvalidInputError(`--record ${args.record}: cannot write: ${code}`, 'record');
  }
}

async function run(
  args: TrackArgs,
  io: CommandIO,
  client: KubeClient,
  manifests: KubeObject[],
  rules: CustomRule[] | undefined,
): Promise<number> {
  const started = performance.now();
  const elapsed = () => formatElapsed(performance.now() - started);
  const specs = await collectSpecs(client, args, { manifests, signal: io.signal });
  for (const spec of specs) {
    if (args.failMode && !spec.failMode) spec.failMode = args.failMode;
    if (!args.logs) spec.skipLogs = true;
  }

  const json = args.output === 'json';
  const colors = !args.noColor && colorEnabled(io.stdout, io.env) && colorEnabled(io.stderr, io.env);
  const paint = painter(colors);
  const namespaces = args.allNamespaces || new Set(specs.map((s) => s.namespace)).size > 1;
  const context = { paint, namespaces };
  const interactive = !json && !args.quiet && io.stderr.isTTY === true && colors;
  const screen: Screen = interactive
    ? new PinnedScreen(io)
    : new PlainScreen(io, json || args.quiet ? undefined : args.statusEvery);
  const rows = new StatusRows(specs.map(refOf));
  const drawTable = (width: number | undefined) => renderTable(rows.rows, { paint, width, namespaces });
  const witness = new FailureWitness(client);
  const printJson = (value: unknown) => io.stdout.write(`${JSON.stringify(value)}\n`);
  const showReport = (event: TrackEvent & { type: 'failed' }, report: FailureReport) => {
    if (json) printJson({ ...event, report: { warnings: report.warnings, logs: report.logs } });
    else screen.write(renderReport(report, context));
  };

  const controller = new AbortController();
  const onInterrupt = () => controller.abort(new Error('interrupted'));
  io.signal?.addEventListener('abort', onInterrupt, { once: true });
  let timedOut = false;
  const timer =
    args.timeout !== undefined
      ? setTimeout(() => {
          timedOut = true;
          controller.abort(new Error('timeout'));
        }, args.timeout)
      : undefined;
  const logs: LogOptions = {
    ...(args.logsSince !== undefined ? { since: args.logsSince } : {}),
    ...(args.containers.length > 0 ? { containers: args.containers } : {}),
    ...(args.excludeContainers.length > 0 ? { excludeContainers: args.excludeContainers } : {}),
  };
  const ended = new Map<string, Ending>();
  // Progress counts can move while the message stays the same: the table shows those, the log does not.
  const shownStatus = new Map<string, string>();
  const repeated = (event: TrackEvent) => {
    if (event.type !== 'status') return false;
    const key = resourceKey(event.resource);
    if (shownStatus.get(key) === event.verdict.message) return true;
    shownStatus.set(key, event.verdict.message);
    return false;
  };
  let summary: MultitrackSummary | undefined;
  if (interactive) screen.table(drawTable);
  try {
    for await (const event of multitrack(client, specs, {
      until: args.mode === 'follow' ? 'never' : 'ready',
      signal: controller.signal,
      logs: args.logs ? logs : false,
      ...(rules ? { rules } : {}),
      ...(args.noActivityTimeout !== undefined ? { noActivityTimeout: args.noActivityTimeout } : {}),
      ...(args.failuresAllowedPerReplica !== undefined
        ? { failuresAllowedPerReplica: args.failuresAllowedPerReplica }
        : {}),
    })) {
      if (event.type === 'summary') {
        summary = event.summary;
        if (json) printJson(event);
        continue;
      }
      witness.observe(event);
      if (rows.observe(event)) screen.table(drawTable);
      if (event.type === 'ready' || event.type === 'deleted' || event.type === 'failed')
        ended.set(resourceKey(event.resource), event);
      if (event.type === 'failed') {
        showReport(event, await witness.report(event, { signal: controller.signal }));
      } else if (json) {
        if (!args.quiet || event.type === 'ready') printJson(event);
      } else if (!args.quiet && !repeated(event)) {
        screen.write(renderEvent(event, context));
      }
      await drained(io);
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  } finally {
    clearTimeout(timer);
    io.signal?.removeEventListener('abort', onInterrupt);
    screen.close();
  }

  const final = (ok: boolean, text: string) => {
    if (!json) io.stderr.write(`${paint(ok ? 'green' : 'red', `${ok ? '✓' : '✗'} ${text}`)}\n`);
  };
  const names = (refs: ResourceRef[]) => refs.map((r) => resourceName(r, namespaces)).join(', ');
  if (timedOut) {
    const waiting = specs.map(refOf).filter((r) => !ended.has(resourceKey(r)));
    const timeout = formatElapsed(args.timeout ?? 0);
    for (const resource of waiting) {
      const verdict = witness.verdict(resource);
      const failure = {
        time: new Date().toISOString(),
        resource,
        type: 'failed' as const,
        reason: 'Timeout',
        message: `not ready after ${timeout}: ${verdict?.message ?? 'it does not exist'}`,
        hint: 'raise --timeout if the rollout is just slow, or look at the status and events above',
      };
      showReport(failure, await witness.report(failure));
    }
    if (json) {
      const summary = collectSummary(specs, ended);
      summary.failed.push(...waiting.map((r) => ({ ...r, reason: 'Timeout', message: 'not ready in time' })));
      summary.pending = [];
      printJson({ type: 'summary', time: new Date().toISOString(), summary });
    }
    final(false, `timed out after ${timeout}: ${names(waiting)} not ready`);
    return EXIT.timeout;
  }
  if (io.signal?.aborted) {
    final(
      args.mode === 'follow',
      `${args.mode === 'follow' ? 'stopped following' : 'interrupted'} after ${elapsed()}`,
    );
    return args.mode === 'follow' ? EXIT.ok : EXIT.interrupted;
  }
  if (args.mode === 'follow') {
    final(true, `every tracked resource was deleted; followed for ${elapsed()}`);
    return EXIT.ok;
  }
  const result = summary ?? collectSummary(specs, ended);
  const fatal = result.failed.filter((f) => {
    const spec = specs.find((s) => resourceKey(refOf(s)) === resourceKey(f));
    return (spec?.failMode ?? 'fail-whole-deploy') !== 'ignore';
  });
  const total = specs.length;
  if (fatal.length > 0) {
    final(
      false,
      total === 1
        ? `${names(fatal)} failed after ${elapsed()}: ${fatal[0]?.reason}`
        : `${fatal.length} of ${total} resources failed after ${elapsed()}: ${names(fatal)}`,
    );
    return EXIT.failed;
  }
  const ignored =
    result.failed.length > 0 ? `; failed, ignored (fail-mode ignore): ${names(result.failed)}` : '';
  final(
    true,
    total === 1
      ? `${names(result.ready)} ready after ${elapsed()}`
      : `${result.ready.length} of ${total} resources ready after ${elapsed()}${ignored}`,
  );
  return EXIT.ok;
}

type Ending = { type: 'ready' | 'deleted' } | { type: 'failed'; reason: string; message: string };

/** The summary multitrack would have given, from what ended before a timeout. */
function collectSummary(specs: MultitrackSpec[], ended: Map<string, Ending>): MultitrackSummary {
  const refs = specs.map(refOf);
  const failed: MultitrackSummary['failed'] = [];
  for (const r of refs) {
    const ending = ended.get(resourceKey(r));
    if (ending?.type === 'failed') failed.push({ ...r, reason: ending.reason, message: ending.message });
  }
  return {
    ready: refs.filter((r) => ended.get(resourceKey(r))?.type === 'ready'),
    failed,
    pending: refs.filter((r) => !ended.has(resourceKey(r))),
  };
}

function readRules(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new InvalidInputError(
      `--rules ${path}: cannot read: ${(error as NodeJS.ErrnoException).code}`,
      path,
    );
  }
}
