import type { KubeClient } from '../../kube/client.js';
import { InvalidInputError } from '../../kube/errors.js';
import { safeForTerminal } from '../../report/safe.js';
import type { MultitrackSummary } from '../../track/events.js';
import type { ResourceRef } from '../../track/resource-ref.js';
import type { TrackArgs } from '../args.js';
import { InteractiveView } from '../render/interactive/index.js';
import type { Inspector } from '../render/interactive/inspect.js';
import { timestampFormatter } from '../render/timestamps.js';
import type { CommandIO } from './track.js';
import type { TrackView } from './track-view.js';

const TITLES: Record<TrackArgs['mode'], string> = {
  rollout: 'kubedog rollout track',
  status: 'kubedog rollout status',
  follow: 'kubedog follow',
  wait: 'kubedog wait',
};

/** `--interactive` needs a person at a terminal: standard input and output both one. */
export function checkTerminal(args: TrackArgs, io: CommandIO): void {
  if (!args.interactive || (io.terminal?.isTTY === true && io.stdout.isTTY === true)) return;
  throw new InvalidInputError(
    `${TITLES[args.mode]}: --interactive needs a terminal, and standard ${io.terminal?.isTTY ? 'output' : 'input'} is not one (leave --interactive out in pipes and CI)`,
    'interactive',
  );
}

/**
 * A track shown by the interactive view, which takes the screen as soon as
 * it is made. The text view still runs — quiet, so it keeps only the
 * failure reports, the CI files and the last line — and what it writes is
 * held while the view has the screen, then printed on the terminal the
 * person returns to.
 */
export class InteractiveTrack {
  readonly view: InteractiveView;
  /** The streams the text view writes to: held until {@link close}. */
  readonly io: CommandIO;
  readonly #held: { stream: NodeJS.WriteStream; text: string }[] = [];
  #holding = true;

  constructor(
    args: TrackArgs,
    io: CommandIO,
    resources: ResourceRef[],
    text: () => TrackView,
    client: KubeClient,
  ) {
    this.io = { ...io, stdout: this.#hold(io.stdout), stderr: this.#hold(io.stderr) };
    this.view = new InteractiveView(io.terminal as NodeJS.ReadStream, io.stdout, {
      title: TITLES[args.mode],
      resources,
      allNamespaces: args.allNamespaces,
      inspector: clientInspector(client),
      // A rollout stops reading a resource's logs at its verdict; following, at the end.
      logsUntil: !args.logs ? 'never' : args.mode === 'follow' ? 'end' : 'verdict',
      clipboard: args.clipboard,
      describe: (summary) => text().ending(summary && safeForTerminal(summary)),
      look: {
        ...(args.highlight ? { highlight: args.highlight } : {}),
        ...(args.timestamps
          ? { timestamp: timestampFormatter(args.timestamps.format, args.timestamps.zone) }
          : {}),
      },
    });
    this.view.start();
  }

  /** The track ended: the view shows how, and stays until the person leaves (or Ctrl-C's signal). */
  async stay(summary: MultitrackSummary | undefined, signal: AbortSignal | undefined): Promise<void> {
    this.view.ended(summary);
    const interrupted = new Promise<void>((resolve) => {
      if (signal?.aborted) resolve();
      signal?.addEventListener('abort', () => resolve(), { once: true });
    });
    await Promise.race([this.view.left, interrupted]);
  }

  /** Gives the terminal back, then prints what the text view wrote meanwhile. */
  close(): void {
    this.view.close();
    this.#holding = false;
    for (const { stream, text } of this.#held.splice(0)) stream.write(text);
  }

  #hold(stream: NodeJS.WriteStream): NodeJS.WriteStream {
    const held = Object.create(stream) as NodeJS.WriteStream;
    held.write = ((text: string) => {
      if (!this.#holding) return stream.write(text);
      this.#held.push({ stream, text });
      return true;
    }) as NodeJS.WriteStream['write'];
    return held;
  }
}

/** What the view reads on a key, through the track's client: objects, Events, logs. */
function clientInspector(client: KubeClient): Inspector {
  return {
    get: (ref) => client.get(ref.kind, { name: ref.name, namespace: ref.namespace }),
    events: async (namespace, fieldSelector) =>
      (await client.list('Event', { namespace, ...(fieldSelector ? { fieldSelector } : {}) })).items,
    logs: (pod, { container, ...read }) =>
      client.logBatches({ name: pod.name, namespace: pod.namespace }, { container, ...read }),
  };
}
