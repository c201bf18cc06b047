import { readFileSync } from 'node:fs';
import { type HelmTrackOptions, trackHelmRelease } from '../../helm/track.js';
import { anySignal } from '../../kube/cancellable.js';
import { KubeClient } from '../../kube/client.js';
import { kubeConfigFromString, loadKubeConfig } from '../../kube/config.js';
import { InvalidInputError } from '../../kube/errors.js';
import type { ResourceType } from '../../kube/resources.js';
import type { KubeObject } from '../../kube/types.js';
import { type CustomRule, parseRules } from '../../status/index.js';
import type { MultitrackSummary } from '../../track/events.js';
import type { LogOptions } from '../../track/logs.js';
import type { MultitrackSpec } from '../../track/multitrack.js';
import { multitrack } from '../../track/multitrack.js';
import { type ResourceRef, resourceRef } from '../../track/resource-ref.js';
import { envFlag, type TrackArgs } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { drained } from '../render/screen.js';
import { collectSpecs, readManifests } from '../sources.js';
import { CiOutput } from './ci-output.js';
import { checkTerminal, InteractiveTrack } from './interactive.js';
import { TrackView } from './track-view.js';

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
  /** The keyboard, for `--interactive` (standard input, when it is a terminal). */
  terminal?: NodeJS.ReadStream;
}

/**
 * `kubedog rollout track`, `follow` and `wait`: collect what to track, run
 * one multitrack, render its events, and turn its summary into an exit code.
 */
export async function track(args: TrackArgs, io: CommandIO): Promise<number> {
  // Everything local is checked before the cluster is contacted.
  checkTerminal(args, io);
  const manifests = readManifests(args, io.stdin);
  const rules = args.rules !== undefined ? parseRules(readRules(args.rules), args.rules) : undefined;
  const ci = new CiOutput(args, io.env);
  const client = io.client ?? newClient(args, io);
  try {
    return await run(args, io, client, { manifests, rules, ci });
  } finally {
    // Flushes a recording; the demo's client belongs to the demo.
    if (!io.client) await client.close();
  }
}

function newClient(args: TrackArgs, io: CommandIO): KubeClient {
  const env = io.env;
  const chosen = {
    ...(args.context !== undefined ? { context: args.context } : {}),
    // `-n a,b`: the client's default is the first; the specs name each.
    ...(args.namespace !== undefined ? { namespace: args.namespace.split(',')[0] ?? args.namespace } : {}),
  };
  const config =
    args.kubeconfigBase64 !== undefined
      ? kubeConfigFromString(Buffer.from(args.kubeconfigBase64, 'base64').toString('utf8'), {
          ...chosen,
          source: '--kube-config-base64',
        })
      : loadKubeConfig({
          env,
          ...(args.kubeconfig !== undefined ? { kubeconfig: args.kubeconfig } : {}),
          ...chosen,
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
  const debug = args.debug || envFlag(env.KUBEDOG_DEBUG);
  try {
    return new KubeClient(config, {
      ...(args.record !== undefined ? { record: args.record } : {}),
      ...(args.requestTimeout !== undefined ? { requestTimeout: args.requestTimeout } : {}),
      ...(args.rateLimit !== undefined ? { rateLimit: args.rateLimit } : {}),
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
  { manifests, rules, ci }: { manifests: KubeObject[]; rules: CustomRule[] | undefined; ci: CiOutput },
): Promise<number> {
  const started = performance.now();
  const specs = await lookUp(client, args, io, manifests);
  if (!specs) return timedOutLookingUp(args, io);
  for (const spec of specs) if (args.failMode && !spec.failMode) spec.failMode = args.failMode;
  const resources = specs.map(specRef);
  const screen: InteractiveTrack | undefined = args.interactive
    ? new InteractiveTrack(args, io, resources, () => view, client)
    : undefined;
  const view: TrackView = new TrackView(
    screen ? { ...args, quiet: true } : args,
    screen?.io ?? io,
    resources,
    ci,
  );
  // Leaving the interactive view before the end stops the track, as Ctrl-C does.
  const leave = new AbortController();
  void screen?.view.left.then(() => leave.abort());
  const signal = anySignal(io.signal, screen ? leave.signal : undefined);
  // One deadline for the whole run: the lookups' whole seconds are taken from the track's time (a
  // fraction of one is not, so the usual few milliseconds do not make "not ready after 4.997s").
  const lookups = Math.floor((performance.now() - started) / 1000) * 1000;
  const left = args.timeout === undefined ? undefined : Math.max(1, args.timeout - lookups);
  let summary: MultitrackSummary | undefined;
  const options = trackOptions(args, rules, signal, left);
  const events =
    args.helmRelease === undefined
      ? multitrack(client, specs, options)
      : trackHelmRelease(client, args.helmRelease, { ...options, ...helmOptions(args), specs });
  try {
    for await (const event of events) {
      if (event.type === 'summary') summary = event.summary;
      view.show(event);
      screen?.view.observe(event);
      await drained(io);
    }
    await screen?.stay(summary, io.signal);
  } catch (error) {
    // Ctrl-C (or leaving the view): the multitrack ends with the abort's reason.
    if (!signal?.aborted) throw error;
  } finally {
    screen?.close();
    view.close();
  }
  if (!summary) return view.interrupted(performance.now() - started);
  return view.finish(summary);
}

/**
 * What to track (`-l`, `--all`, `--helm-release` list the cluster), within
 * `--timeout`: undefined when the time ran out first.
 */
async function lookUp(
  client: KubeClient,
  args: TrackArgs,
  io: CommandIO,
  manifests: KubeObject[],
): Promise<MultitrackSpec[] | undefined> {
  const deadline = args.timeout === undefined ? undefined : AbortSignal.timeout(args.timeout);
  const signal = anySignal(io.signal, deadline);
  try {
    return await collectSpecs(client, args, { manifests, ...(signal ? { signal } : {}) });
  } catch (error) {
    if (deadline?.aborted && !io.signal?.aborted) return undefined;
    throw error;
  }
}

function timedOutLookingUp(args: TrackArgs, io: CommandIO): number {
  const seconds = ((args.timeout ?? 0) / 1000).toFixed(1);
  // Waiting for something to match (`wait --for=create pod -l app=web`), nothing came to.
  const waitedFor =
    args.create && args.kinds
      ? `nothing matches ${args.kinds.join(',')}${args.selector !== undefined ? ` -l ${args.selector}` : ''}: not created`
      : 'the API server did not say what to track in time';
  io.stderr.write(`✗ timed out after ${seconds}s: ${waitedFor}\n`);
  return EXIT.timeout;
}

/** How `--helm-release` is read and tracked. */
function helmOptions(args: TrackArgs): HelmTrackOptions {
  const { revision, storage, hooks, tests } = args.helm;
  return {
    storage,
    hooks,
    tests,
    ...(revision !== undefined ? { revision } : {}),
    ...(args.namespace !== undefined ? { namespace: args.namespace } : {}),
    ...(args.failMode ? { failMode: args.failMode } : {}),
  };
}

/** A resolved spec's resource, as the events name it. */
const specRef = (spec: MultitrackSpec): ResourceRef =>
  resourceRef(spec.kind as ResourceType, spec.namespace ?? '', spec.name);

/** What the command line asks of the multitrack. */
function trackOptions(
  args: TrackArgs,
  rules: CustomRule[] | undefined,
  signal: AbortSignal | undefined,
  timeout: number | undefined,
) {
  const logs: LogOptions = {
    ...(args.logsSince !== undefined ? { since: args.logsSince } : {}),
    ...(args.containers.length > 0 ? { containers: args.containers } : {}),
    ...(args.excludeContainers.length > 0 ? { excludeContainers: args.excludeContainers } : {}),
    ...(args.include ? { include: args.include } : {}),
    ...(args.exclude ? { exclude: args.exclude } : {}),
    ...(args.tail !== undefined ? { tailLines: args.tail } : {}),
    ...(args.maxLogRequests !== undefined ? { maxStreams: args.maxLogRequests } : {}),
    ...(args.containerStates ? { states: args.containerStates } : {}),
    ...(args.excludePods ? { excludePods: args.excludePods } : {}),
    ...(args.node !== undefined ? { node: args.node } : {}),
  };
  return {
    until: args.condition ?? args.until,
    // kubectl wait says when, not what the containers print.
    logs: args.logs && args.mode !== 'wait' ? logs : false,
    ...(signal ? { signal } : {}),
    ...(timeout !== undefined ? { timeout } : {}),
    ...(rules ? { rules } : {}),
    ...(args.noActivityTimeout !== undefined ? { noActivityTimeout: args.noActivityTimeout } : {}),
    ...(args.watchScope !== undefined ? { watchScope: args.watchScope } : {}),
    ...(args.deploymentRevision !== undefined ? { deploymentRevision: args.deploymentRevision } : {}),
    ...(args.failuresAllowedPerReplica !== undefined
      ? { failuresAllowedPerReplica: args.failuresAllowedPerReplica }
      : {}),
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
