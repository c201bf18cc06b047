import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeClient } from '../../kube/client.js';
import type { KubeObject } from '../../kube/types.js';
import { formatElapsed } from '../../report/names.js';
import { startFakeCluster } from '../../testing/cluster.js';
import { parseCommandLine, trackArgs } from '../args.js';
import { colorEnabled, painter } from '../colors.js';
import { EXIT } from '../exit-codes.js';
import { track } from './track.js';

/**
 * `kubedog demo`: starts the simulated cluster (API server, controllers,
 * scheduler and kubelets) in this process and runs `kubedog rollout track`
 * through a story, with the same code and output as against a real cluster:
 * a Deployment rolls out (the API server cuts every stream meanwhile, and
 * kubedog resumes them); its next version crashes and the track fails with
 * a report; a rollback makes it ready again; a Job runs to completion.
 */

export interface DemoIO {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
  noColor?: boolean;
}

const NAMESPACE = 'shop';

/** The pod template of the web Deployment; the simulated kubelet reads the `sim.kubedog.io/app` annotation. */
function webTemplate(image: string, behaviour: Record<string, unknown>) {
  return {
    metadata: { labels: { app: 'web' }, annotations: { 'sim.kubedog.io/app': JSON.stringify(behaviour) } },
    spec: { containers: [{ name: 'app', image, resources: { requests: { cpu: '100m', memory: '64Mi' } } }] },
  };
}

const V1 = webTemplate('registry.local/web:v1', {
  pullMs: 300,
  readyAfter: '600ms',
  logs: ['listening on :8080', 'connected to postgres://db:5432/shop'],
});
const V2 = webTemplate('registry.local/web:v2', {
  pullMs: 300,
  readyAfter: '2s',
  exitAfter: '400ms',
  exitCode: 1,
  exitLogs: [
    'loading config from /etc/web/config.yaml',
    'panic: config: missing key "payments.apiUrl"',
    'goroutine 1 [running]:',
  ],
});

export async function demo(io: DemoIO): Promise<number> {
  const paint = painter(!io.noColor && colorEnabled(io.stderr, io.env));
  const started = performance.now();
  await using cluster = await startFakeCluster({ namespaces: ['default', NAMESPACE], seed: 7 });
  const client = cluster.client;
  const say = (text: string) => io.stderr.write(`${paint('dim', `# ${text}`)}\n`);
  /** Runs a `kubedog rollout track` command line, parsed as the CLI parses it. */
  const run = async (command: string) => {
    io.stderr.write(`\n${paint('bold', `$ kubedog ${command}`)}\n`);
    const { values, positionals } = parseCommandLine(command.split(' '));
    if (io.noColor) values['no-color'] = true;
    const args = trackArgs('rollout', values, positionals.slice(2));
    const code = await track(args, { ...io, stdin: () => '', client });
    say(`exit code ${code}`);
    return code;
  };
  say(`a simulated cluster with 3 nodes is serving the Kubernetes API at ${cluster.url}`);

  say('kubectl apply: Deployment web, 3 replicas of registry.local/web:v1');
  await client.create('Deployment', deployment(V1));
  // Said before the track: a line written during it would upset the status table pinned on a terminal.
  say('mid-rollout the API server restarts: every watch and log stream is cut, and resumed');
  const restart = setTimeout(() => cluster.dropStreams(), 450);
  const first = await run('rollout track deployment web -n shop');
  clearTimeout(restart);

  say(
    'kubectl set image: registry.local/web:v2, which crashes at start; the old pods keep serving (maxUnavailable 0)',
  );
  await updateTemplate(client, V2);
  say(
    '(--failures-allowed-per-replica 0: the first crash fails the rollout; the default, 1 per replica, waits for more)',
  );
  const second = await run('rollout track deployment web -n shop --failures-allowed-per-replica 0');

  // A person reads the report first: what happened before the next track (older than its one
  // second of slack for coarse timestamps) is history there, not news.
  await sleep(1100);
  say('kubectl rollout undo: back to registry.local/web:v1');
  await updateTemplate(client, V1);
  const third = await run('rollout track deployment web -n shop');

  say('kubectl apply: Job migrate');
  await client.create('Job', migrateJob());
  const fourth = await run('rollout track job/migrate -n shop');

  const expected = [EXIT.ok, EXIT.failed, EXIT.ok, EXIT.ok];
  const codes = [first, second, third, fourth];
  const asExpected = codes.every((code, i) => code === expected[i]);
  io.stderr.write(
    `\n${paint(asExpected ? 'green' : 'red', `demo finished in ${formatElapsed(performance.now() - started)}: exit codes ${codes.join(', ')}${asExpected ? ', as expected' : `, expected ${expected.join(', ')}`}`)}\n`,
  );
  return asExpected ? EXIT.ok : EXIT.failed;
}

function deployment(template: ReturnType<typeof webTemplate>): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: NAMESPACE },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template,
    },
  };
}

async function updateTemplate(client: KubeClient, template: ReturnType<typeof webTemplate>): Promise<void> {
  await client.patch('Deployment', { namespace: NAMESPACE, name: 'web' }, { spec: { template } });
}

function migrateJob(): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'migrate', namespace: NAMESPACE },
    spec: {
      backoffLimit: 2,
      template: {
        metadata: {
          annotations: {
            'sim.kubedog.io/migrate': JSON.stringify({
              pullMs: 200,
              logs: ['applying migration 0042_add_orders_index', 'migration 0042 applied in 180ms'],
              exitAfter: '500ms',
              exitCode: 0,
            }),
          },
        },
        spec: {
          restartPolicy: 'Never',
          containers: [{ name: 'migrate', image: 'registry.local/web:v1', command: ['web', 'migrate'] }],
        },
      },
    },
  };
}
