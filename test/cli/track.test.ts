import assert from 'node:assert/strict';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { styleText } from 'node:util';
import { findBuiltinResource, type ResourceType } from '../../src/kube/resources.js';
import { startFakeCluster } from '../../src/testing/cluster.js';
import { replayFixture } from '../../src/testing/replay.js';
import type { SummaryEvent } from '../../src/track/events.js';
import { waitFor, watching } from '../helpers.js';
import { deployment, hasEscapes, runCli } from './helpers.js';

describe('kubedog rollout track', { concurrency: 3 }, () => {
  test('a Deployment that becomes ready: logs on stdout, pods and verdict on stderr, exit 0', async () => {
    await using cluster = await startFakeCluster();
    // Ready after 2 s: the track must begin before the rollout is over (the CLI's own start
    // takes most of a second on a loaded machine).
    cluster.behave('web-*', 'app', { logs: ['listening on :8080'], readyAfter: '2s' });
    await cluster.client.create('Deployment', deployment('web'));
    const run = await runCli([
      'rollout',
      'track',
      'deployment',
      'web',
      '--kubeconfig',
      cluster.kubeconfigPath,
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^web-\w+-\w+ app │ listening on :8080$/m);
    assert.match(run.stderr, /^deploy\/web \+ pod web-\w+-\w+ \[app\] (Pending|Running)$/m);
    assert.match(run.stderr, /^deploy\/web replicaset web-\w+ \(new revision\)$/m);
    assert.match(run.stderr, /^deploy\/web ✓ ready: deployment "web" successfully rolled out$/m);
    assert.match(run.stderr, /^✓ deploy\/web ready after \d+\.\ds$/m);
    assert.ok(!run.stderr.includes('listening on'), 'log lines only on stdout');
    assert.ok(!hasEscapes(run.stdout + run.stderr), 'no colors on a pipe');
  });

  test('--watch-scope: each resource watched on its own (the default for a few), or the namespace', async () => {
    await using cluster = await startFakeCluster();
    cluster.behave('web-*', 'app', { readyAfter: '1s' });
    await cluster.client.create('Deployment', deployment('web'));
    /** The collections watched (listed first), with their selectors. */
    const watched = async (...scope: string[]) => {
      const run = await runCli(['rollout', 'track', 'deploy/web', '--debug', '--no-logs', ...scope], {
        env: { KUBECONFIG: cluster.kubeconfigPath },
      });
      assert.equal(run.code, 0, run.stderr);
      const requests = run.stderr.match(/(?<=GET )\S+(?=.* → )/g) ?? [];
      return requests
        .map((request) => new URL(request, 'http://server'))
        .filter((url) => url.searchParams.get('watch') === 'true' || url.searchParams.has('limit'))
        .map((url) => {
          const kind = url.pathname.split('/').at(-1);
          const selector = url.searchParams.get('labelSelector') ?? url.searchParams.get('fieldSelector');
          return selector ? `${kind} ${selector}` : `${kind}`;
        });
    };
    const scoped = [...new Set(await watched())];
    for (const expected of [
      'deployments metadata.name=web',
      'replicasets app=web',
      'pods app=web',
      'events involvedObject.name=web',
    ])
      assert.ok(scoped.includes(expected), `${expected} among ${scoped.join(', ')}`);
    assert.ok(
      scoped.some((watch) => /^events involvedObject\.name=web-\w+-\w+$/.test(watch)),
      "a pod's Events",
    );
    assert.deepEqual(
      new Set(await watched('--watch-scope', 'namespace')),
      new Set(['deployments', 'replicasets', 'pods', 'events']),
    );
  });

  test("kubectl's spellings of kinds, KIND/NAME, KUBECONFIG, -n and --context", async () => {
    await using cluster = await startFakeCluster({ namespaces: ['default', 'shop'] });
    await cluster.client.create('Deployment', {
      ...deployment('web'),
      metadata: { name: 'web', namespace: 'shop' },
    });
    await cluster.client.create('Service', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { ports: [{ port: 80 }] },
    });
    const env = { KUBECONFIG: cluster.kubeconfigPath };
    const spellings = [
      ['deployment', 'web'],
      ['deploy', 'web'],
      ['deployments', 'web'],
      ['deployment.apps', 'web'],
      ['deploy/web', 'svc/web'],
    ];
    const runs = await Promise.all(
      spellings.map((words) =>
        runCli(['rollout', 'track', ...words, '-n', 'shop', '--context', 'fake'], { env }),
      ),
    );
    for (const [i, run] of runs.entries())
      assert.equal(run.code, 0, `${spellings[i]?.join(' ')}: ${run.stderr}`);
    assert.match(runs[4]?.stderr ?? '', /^✓ 2 of 2 resources ready after/m);
  });

  test('a bad image fails within seconds with a report: reason, hint, Warning events; exit 1', async () => {
    await using cluster = await startFakeCluster();
    cluster.behave('web-*', 'app', { pullFails: true });
    await cluster.client.create('Deployment', deployment('web'));
    const started = Date.now();
    const run = await runCli(['rollout', 'track', 'deploy/web', '--kubeconfig', cluster.kubeconfigPath]);
    assert.equal(run.code, 1, run.stderr);
    assert.ok(Date.now() - started < 10_000);
    assert.match(run.stderr, /^✗ deploy\/web: container app: ImagePullBackOff: .*registry\.local\/web:v1/m);
    assert.match(run.stderr, /^ {2}hint: /m);
    assert.match(run.stderr, /^ {2}Warning events:$/m);
    assert.match(run.stderr, /^ {4}Pod\/web-\w+-\w+ (Failed|BackOff|ErrImagePull): /m);
    assert.match(run.stderr, /^✗ deploy\/web failed after \d+\.\ds: ImagePullBackOff$/m);
  });

  test('a crash: the report holds the crashed instance’s last lines even with --no-logs', async () => {
    await using cluster = await startFakeCluster();
    cluster.behave('web-*', 'app', {
      exitAfter: '100ms',
      exitCode: 2,
      exitLogs: ['starting', 'fatal: cannot open /data/db.sqlite'],
    });
    await cluster.client.create('Deployment', deployment('web', { replicas: 1 }));
    const run = await runCli([
      'rollout',
      'track',
      'deploy',
      'web',
      '--no-logs',
      '--failures-allowed-per-replica',
      '0',
      '--kubeconfig',
      cluster.kubeconfigPath,
    ]);
    assert.equal(run.code, 1, run.stderr);
    assert.equal(run.stdout, '', 'no live logs');
    assert.match(run.stderr, /^ {2}Last 2 log lines of web-\w+-\w+ app( \(the crashed instance\))?:$/m);
    assert.match(run.stderr, /^ {4}│ fatal: cannot open \/data\/db\.sqlite$/m);
  });

  test('timeout: exit 2, says what it was waiting for, with a report', async () => {
    await using cluster = await startFakeCluster();
    cluster.behave('slow-*', 'app', { readyAfter: null });
    await cluster.client.create('Deployment', deployment('slow', { replicas: 1 }));
    const run = await runCli([
      'rollout',
      'track',
      'deploy/slow',
      '--timeout',
      '1500ms',
      '--kubeconfig',
      cluster.kubeconfigPath,
    ]);
    assert.equal(run.code, 2, run.stderr);
    assert.match(
      run.stderr,
      /^✗ deploy\/slow: Timeout: not ready after 1\.5s: Waiting for deployment "slow" rollout to finish/m,
    );
    assert.match(run.stderr, /^✗ timed out after 1\.5s: deploy\/slow not ready$/m);
  });

  test('--output json: one TrackEvent per line on stdout, failed events carry the report, summary last', async () => {
    await using cluster = await startFakeCluster();
    cluster.behave('bad-*', 'app', { pullFails: true });
    // Ready after 2 s: the track must begin before the rollout is over (see the first test).
    cluster.behave('good-*', 'app', { logs: ['ok'], readyAfter: '2s' });
    await cluster.client.create('Deployment', deployment('good', { replicas: 1 }));
    await cluster.client.create('Deployment', deployment('bad', { replicas: 1 }));
    const run = await runCli([
      'rollout',
      'track',
      'deploy/good',
      'deploy/bad',
      '-o',
      'json',
      '--fail-mode',
      'ignore',
      '--kubeconfig',
      cluster.kubeconfigPath,
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '', 'nothing on stderr in json mode');
    const events = run.stdout
      .trim()
      .split('\n')
      .map(
        (line) =>
          JSON.parse(line) as {
            type: string;
            time: string;
            resource?: { kind: string; name: string };
          } & Record<string, unknown>,
      );
    for (const event of events) {
      assert.ok(
        typeof event.time === 'string' && !Number.isNaN(Date.parse(event.time)),
        'every event has a time',
      );
      if (event.type !== 'summary') assert.equal(event.resource?.kind, 'Deployment');
    }
    const types = new Set(events.map((e) => e.type));
    for (const type of ['added', 'pod', 'log', 'ready', 'failed', 'summary'])
      assert.ok(types.has(type), `no ${type} event among ${[...types].join(', ')}`);
    const failed = events.find((e) => e.type === 'failed') as
      | { reason: string; report: { warnings: unknown[]; logs: unknown[] } }
      | undefined;
    assert.equal(failed?.reason, 'ImagePullBackOff');
    assert.ok(Array.isArray(failed?.report.warnings) && failed.report.warnings.length > 0);
    assert.ok(Array.isArray(failed?.report.logs));
    const summary = events.at(-1) as unknown as { type: string } & SummaryEvent;
    assert.equal(summary.type, 'summary');
    assert.deepEqual(
      summary.summary.ready.map((r) => r.resource.name),
      ['good'],
      JSON.stringify(summary.summary),
    );
    assert.deepEqual(
      summary.summary.failed.map((r) => `${r.resource.name} ${r.reason} ${r.ignored ? 'ignored' : ''}`),
      ['bad ImagePullBackOff ignored'],
    );
    assert.equal(summary.summary.outcome, 'ready');
  });

  test('-q: only the verdict; --status-every prints the status table on a pipe', async () => {
    await using cluster = await startFakeCluster();
    cluster.behave('web-*', 'app', { logs: ['hello'], readyAfter: '1s' });
    await cluster.client.create('Deployment', deployment('web', { replicas: 1 }));
    const quiet = await runCli([
      'rollout',
      'track',
      'deploy/web',
      '-q',
      '--kubeconfig',
      cluster.kubeconfigPath,
    ]);
    assert.equal(quiet.code, 0, quiet.stderr);
    assert.equal(quiet.stdout, '');
    assert.match(quiet.stderr, /^✓ deploy\/web ready after \d+\.\ds\n$/);
    cluster.behave('api-*', 'app', { readyAfter: '2s' });
    await cluster.client.create('Deployment', deployment('api', { replicas: 1 }));

    const table = await runCli([
      'rollout',
      'track',
      'deploy/api',
      '--status-every',
      '200ms',
      '--kubeconfig',
      cluster.kubeconfigPath,
    ]);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stderr, /^RESOURCE +READY +UPDATED +AVAILABLE +RESTARTS +STATE +STATUS/m);
    assert.match(table.stderr, /^deploy\/api +0\/1 +1 +0 +0 +progressing +Waiting for deployment "api"/m);
  });

  test("multitrack: the Go kubedog's MultitrackSpecs on stdin; a failure allowed by AllowFailuresCount, Events only with ShowServiceMessages", async () => {
    await using cluster = await startFakeCluster();
    cluster.behave('web-*', 'app', { logs: ['listening'], readyAfter: '300ms' });
    cluster.behave('api-*', 'app', { pullFails: true });
    const specs = {
      Deployments: [
        { ResourceName: 'web', Namespace: 'default', ShowServiceMessages: true },
        { ResourceName: 'api', Namespace: 'default', FailMode: 'IgnoreAndContinueDeployProcess' },
      ],
    };
    const running = runCli(['multitrack', '--kubeconfig', cluster.kubeconfigPath], {
      input: JSON.stringify(specs),
    });
    // Created once the track has begun (a watch each), as after `kubectl apply`: their Events are news.
    await watching(cluster, 2);
    for (const name of ['web', 'api'])
      await cluster.client.create('Deployment', deployment(name, { replicas: 1 }));
    const run = await running;
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /deploy\/web .*ScalingReplicaSet/, 'web shows its Events');
    assert.doesNotMatch(run.stderr, /deploy\/api [·!] /, 'api shows none');
    assert.match(run.stderr, /deploy\/api.*ImagePullBackOff/);
  });

  test("the Go kubedog's KUBEDOG_KUBE_CONFIG_BASE64 and -t seconds reach the cluster", async () => {
    await using cluster = await startFakeCluster();
    cluster.behave('web-*', 'app', { readyAfter: '200ms' });
    await cluster.client.create('Deployment', deployment('web', { replicas: 1 }));
    const run = await runCli(['rollout', 'track', 'deployment', 'web', '-t', '20'], {
      env: { KUBEDOG_KUBE_CONFIG_BASE64: Buffer.from(cluster.kubeconfig).toString('base64') },
    });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /deploy\/web.*successfully rolled out/);
  });

  test("the Go kubedog's --output-prefix: every line kubedog writes, log lines included, starts with it", async () => {
    await using cluster = await startFakeCluster();
    cluster.behave('web-*', 'app', { logs: ['listening'], readyAfter: '300ms' });
    const running = runCli([
      'rollout',
      'track',
      'deploy/web',
      '--output-prefix',
      '[web] ',
      '--kubeconfig',
      cluster.kubeconfigPath,
    ]);
    await watching(cluster);
    await cluster.client.create('Deployment', deployment('web', { replicas: 1 }));
    const run = await running;
    assert.equal(run.code, 0, run.stderr);
    const lines = (text: string) => text.split('\n').filter((line) => line !== '');
    assert.ok(
      lines(run.stdout).some((line) => line.endsWith('│ listening')),
      run.stdout,
    );
    for (const line of [...lines(run.stdout), ...lines(run.stderr)])
      assert.ok(line.startsWith('[web] '), line);
    assert.match(run.stderr, /^\[web\] ✓ deploy\/web ready after/m);
  });

  test("stern's --timestamps: each log line's own time in text; in -o json every log event carries its lines' times", async () => {
    await using cluster = await startFakeCluster();
    cluster.behave('web-*', 'app', { logs: ['listening', 'ready to serve'], readyAfter: '300ms' });
    const kubeconfig = ['--kubeconfig', cluster.kubeconfigPath];
    const text = runCli([
      'rollout',
      'track',
      'deploy/web',
      '--timestamps=short',
      '--timezone',
      'UTC',
      ...kubeconfig,
    ]);
    const json = runCli(['rollout', 'track', 'deploy/web', '-o', 'json', ...kubeconfig]);
    await watching(cluster, 2);
    await cluster.client.create('Deployment', deployment('web', { replicas: 1 }));
    const [stamped, events] = await Promise.all([text, json]);
    assert.equal(stamped.code, 0, stamped.stderr);
    assert.match(stamped.stdout, /^web-\S+ app │ \d\d-\d\d \d\d:\d\d:\d\d listening$/m);
    const logs = events.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
      .filter((e) => e.type === 'log');
    assert.ok(logs.length > 0, events.stdout);
    for (const log of logs) {
      assert.equal(log.times.length, log.lines.length);
      for (const time of log.times) assert.match(time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    }
  });

  test('multitrack: malformed JSON or an unknown field is a usage error saying where', async () => {
    const malformed = await runCli(['multitrack'], { input: '{"Deployments": [}' });
    assert.equal(malformed.code, 64, malformed.stderr);
    assert.match(malformed.stderr, /^kubedog: invalid MultitrackSpecs JSON from stdin: line 1, column 18: /);
    const unknown = await runCli(['multitrack'], {
      input: '{"Deployments": [{"ResourceName": "web", "Skiplogz": true}]}',
    });
    assert.equal(unknown.code, 64, unknown.stderr);
    assert.match(unknown.stderr, /Deployments\[0\]\.Skiplogz: unknown field/);
  });

  test('-c and --exclude-container choose whose logs are followed', async () => {
    await using cluster = await startFakeCluster();
    for (const name of ['one', 'two']) {
      cluster.behave(`${name}-*`, 'app', { logs: ['from app'], readyAfter: '2s' });
      cluster.behave(`${name}-*`, 'proxy', { logs: ['from proxy'], readyAfter: '2s' });
      await cluster.client.create(
        'Deployment',
        deployment(name, { replicas: 1, containers: ['app', 'proxy'] }),
      );
    }
    // Both at once: each must see its rollout before readiness ends it.
    const [only, without] = await Promise.all([
      runCli(['rollout', 'track', 'deploy/one', '-c', 'proxy', '--kubeconfig', cluster.kubeconfigPath]),
      runCli([
        'rollout',
        'track',
        'deploy/two',
        '--exclude-container',
        'proxy',
        '--logs-since',
        'all',
        '--kubeconfig',
        cluster.kubeconfigPath,
      ]),
    ]);
    assert.equal(only.code, 0, only.stderr);
    assert.match(only.stdout, /proxy │ from proxy/);
    assert.doesNotMatch(only.stdout, /from app/);
    assert.equal(without.code, 0, without.stderr);
    assert.match(without.stdout, /app │ from app/);
    assert.doesNotMatch(without.stdout, /from proxy/);
  });

  test("stern's -i, -e and -H on the lines followed; --tail", async () => {
    await using cluster = await startFakeCluster();
    cluster.behave('web-*', 'app', {
      logs: ['boot', 'ERROR db down user=ann', 'GET /healthz ERROR', 'WARN slow', 'ok'],
      readyAfter: '300ms',
    });
    const running = runCli(
      ['rollout', 'track', 'deploy/web', '-i', 'ERROR', '-i', 'WARN', '-e', 'healthz', '-H', 'user=\\w+'],
      { env: { KUBECONFIG: cluster.kubeconfigPath, FORCE_COLOR: '1' } },
    );
    // Created once the track has begun: its pod's lines are followed from its start.
    await watching(cluster);
    await cluster.client.create('Deployment', deployment('web', { replicas: 1 }));
    const run = await running;
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.split('\n').filter((l) => l.includes('│'));
    assert.equal(lines.length, 2, run.stdout);
    const painted = styleText(['bold', 'red'], 'user=ann', { validateStream: false });
    assert.ok(lines[0]?.endsWith(`ERROR db down ${painted}`), JSON.stringify(lines[0]));
    assert.match(lines[1] ?? '', /WARN slow$/);
  });

  test('--rules: a custom kind judged by the user’s rule', async () => {
    await using cluster = await startFakeCluster();
    cluster.registerType({
      kind: 'Database',
      group: 'db.example.com',
      version: 'v1',
      plural: 'databases',
      namespaced: true,
    });
    cluster.create({
      apiVersion: 'db.example.com/v1',
      kind: 'Database',
      metadata: { name: 'orders', namespace: 'default' },
      status: { phase: 'Provisioning' },
    });
    const dir = mkdtempSync(join(tmpdir(), 'kubedog-rules-'));
    const rules = join(dir, 'rules.yaml');
    writeFileSync(
      rules,
      'rules:\n  - kind: Database\n    group: db.example.com\n    jsonPath: "{.status.phase}"\n    ready: [Ready]\n    failed: [Broken]\n',
    );
    const pending = runCli([
      'rollout',
      'track',
      'database.db.example.com/orders',
      '--rules',
      rules,
      '--kubeconfig',
      cluster.kubeconfigPath,
    ]);
    // Broken once the track has begun: the rule's failed phase fails it.
    await watching(cluster);
    await cluster.client.patch(
      'databases.db.example.com',
      { name: 'orders' },
      { status: { phase: 'Broken' } },
      { subresource: 'status' },
    );
    const run = await pending;
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /^✗ database\/orders failed after/m);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'rules: [');
    const invalid = await runCli([
      'rollout',
      'track',
      'deploy/x',
      '--rules',
      bad,
      '--kubeconfig',
      cluster.kubeconfigPath,
    ]);
    assert.equal(invalid.code, 64);
    assert.match(invalid.stderr, new RegExp(`^kubedog: rules file ${bad}: `));
  });

  test('--no-color wins over FORCE_COLOR; --no-activity-timeout fails a silent rollout; --logs-since cuts old lines', async () => {
    await using cluster = await startFakeCluster();
    cluster.behave('quiet-*', 'app', { readyAfter: null });
    cluster.behave('chatty-*', 'app', { logEvery: '100ms', logLine: 'line {n}', readyAfter: null });
    await cluster.client.create('Deployment', deployment('quiet', { replicas: 1 }));
    await cluster.client.create('Deployment', deployment('chatty', { replicas: 1 }));
    // Tracked once the chatty container has written 20 lines (two seconds' worth).
    const podType = findBuiltinResource('Pod') as ResourceType;
    const written = () => {
      const pod = cluster.store.list(podType).items.find((p) => p.metadata.name?.startsWith('chatty-'));
      return cluster.logs.read('default', pod?.metadata.name ?? '', 'app').length;
    };
    await waitFor(() => written() >= 20, 'twenty lines of the chatty container');
    const k = ['--kubeconfig', cluster.kubeconfigPath];
    const [idle, recent] = await Promise.all([
      runCli(['rollout', 'track', 'deploy/quiet', '--no-activity-timeout', '1s', '--no-color', ...k], {
        env: { FORCE_COLOR: '1' },
      }),
      runCli(['rollout', 'track', 'deploy/chatty', '--logs-since', '1s', '--timeout', '1s', ...k]),
    ]);
    assert.equal(idle.code, 1, idle.stderr);
    assert.match(idle.stderr, /^✗ deploy\/quiet: NoActivity: nothing happened for 1s while waiting for: /m);
    assert.ok(!hasEscapes(idle.stderr), 'no colors');
    assert.equal(recent.code, 2, recent.stderr);
    const numbers = [...recent.stdout.matchAll(/│ line (\d+)$/gm)].map((m) => Number(m[1]));
    // The container wrote 20 lines before the track; only those of the last second (and this one) are shown.
    assert.ok(numbers.length > 0 && (numbers[0] ?? 0) > 10, `first line shown: ${numbers[0]}`);
  });

  test('follow -o json: events as JSON lines until the resource is deleted', async () => {
    await using cluster = await startFakeCluster();
    await cluster.client.create('Deployment', deployment('web', { replicas: 1 }));
    let deleting = false;
    const run = await runCli(['follow', 'deploy/web', '-o', 'json', '--kubeconfig', cluster.kubeconfigPath], {
      onStdout: (stdout) => {
        if (deleting || !stdout.includes('"type":"ready"')) return;
        deleting = true;
        void cluster.client.delete('Deployment', { name: 'web' });
      },
    });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '');
    const types = run.stdout
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { type: string }).type);
    assert.deepEqual(types.slice(-2), ['deleted', 'summary']);
    assert.ok(types.includes('ready'));
  });

  test('--record writes a private recording that replays to the same verdict and report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubedog-record-'));
    const file = join(dir, 'bad-image.ndjson');
    let recorded: Awaited<ReturnType<typeof runCli>>;
    {
      await using cluster = await startFakeCluster();
      cluster.behave('web-*', 'app', { pullFails: true });
      const recording = runCli([
        'rollout',
        'track',
        'deploy/web',
        '--record',
        file,
        '--kubeconfig',
        cluster.kubeconfigPath,
      ]);
      // Created once the track has begun: every failure is the track's, in the recording as in its replay
      // (whose process may start slower or faster than the recorded one did).
      await watching(cluster);
      await cluster.client.create('Deployment', deployment('web', { replicas: 1 }));
      recorded = await recording;
    }
    assert.equal(recorded.code, 1, recorded.stderr);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    await using replay = await replayFixture(file);
    const replayed = await runCli(['rollout', 'track', 'deploy/web', '--kubeconfig', replay.kubeconfigPath]);
    assert.equal(replayed.code, 1, replayed.stderr);
    const report = (stderr: string) =>
      stderr.split('\n').filter((l) => l.startsWith('✗ deploy/web: ') || l.startsWith('  hint:'));
    assert.deepEqual(report(replayed.stderr), report(recorded.stderr));
    const unwritable = await runCli([
      'rollout',
      'track',
      'deploy/web',
      '--record',
      join(dir, 'no', 'such', 'dir.ndjson'),
      '--kubeconfig',
      replay.kubeconfigPath,
    ]);
    assert.equal(unwritable.code, 64);
    assert.match(unwritable.stderr, /^kubedog: --record .*dir\.ndjson: cannot write: ENOENT$/m);
  });
});
