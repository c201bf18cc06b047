import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type FakeCluster, startFakeCluster } from '../../src/testing/cluster.js';
import { CLI, deployment } from './helpers.js';
import { logLines, terminal } from './tmux.js';

/**
 * A cluster as a person finds it on a bad morning: a healthy Deployment that
 * logs all the time, one whose image does not exist, one that crash-loops
 * (for a while already: a `BackOff` Event from before the track), and a Job.
 */
async function badMorning(): Promise<FakeCluster> {
  const cluster = await startFakeCluster();
  cluster.behave('worker-*', 'app', { logs: ['worker up'], logEvery: 100, logLine: 'processed job {n}' });
  cluster.behave('front-*', 'app', { pullFails: true });
  cluster.behave('api-*', 'app', {
    logs: ['starting api'],
    readyAfter: null,
    exitAfter: '200ms',
    exitCode: 1,
    exitLogs: ['panic: missing DATABASE_URL'],
  });
  cluster.behave('migrate-*', 'app', { logs: ['migrating'], exitAfter: '300ms', exitCode: 0 });
  await cluster.client.apply(deployment('worker', { replicas: 2 }), { fieldManager: 'kubectl' });
  await cluster.client.create('Deployment', deployment('front', { replicas: 1 }));
  await cluster.client.create('Deployment', deployment('api', { replicas: 1 }));
  await cluster.client.create('Job', {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'migrate', namespace: 'default' },
    spec: {
      template: { spec: { restartPolicy: 'Never', containers: [{ name: 'app', image: 'migrate:1' }] } },
    },
  });
  // Let the crash loop and the pull back-off show before the track starts.
  await sleep(1500);
  return cluster;
}

// Every resource judged before the end (not the first failure's fail-fast, which on a loaded
// machine can come before the crash loop is even seen).
const track = (cluster: FakeCluster, flags = '') =>
  `${process.execPath} ${CLI} rollout track deploy/worker deploy/front deploy/api job/migrate --kubeconfig ${cluster.kubeconfigPath} --interactive --fail-mode hope-until-end --timeout 60s ${flags}`;

/** The rows of the status pane on a screen (below its header, above the events pane). */
const statusRows = (screen: string) => {
  const lines = screen.split('\n');
  return lines.slice(
    lines.findIndex((line) => /NAME/.test(line)) + 1,
    lines.findIndex((line) => /Events ·/.test(line)),
  );
};

describe('the interactive view, as a k9s user uses it (tmux)', () => {
  for (const [width, height] of [
    [160, 45],
    [80, 24],
    [60, 15],
  ] as const)
    test(`${width}×${height}: the failed rows with their reason, the keys to leave and get help, ? and d, and back`, async () => {
      await using cluster = await badMorning();
      const tty = await terminal(track(cluster), { width, height });
      try {
        let screen = await tty.until(/resources failed/);
        assert.ok(screen.split('\n').every((line) => [...line].length <= width));
        assert.match(screen.split('\n')[height - 1] ?? '', /\? +help +q +leave$/);
        const rows = statusRows(screen);
        assert.ok(
          rows.some((row) => /deploy\/front .*failed +(\S+ +)*ImagePullBackOff/.test(row)),
          screen,
        );
        assert.ok(
          rows.some((row) => /deploy\/api .*failed +(\S+ +)*CrashLoopBackOff/.test(row)),
          screen,
        );
        await tty.keys('?');
        screen = await tty.until(/ Keys\n/);
        assert.match(screen, /Esc +back/);
        await tty.keys('Escape', '!', 'd');
        screen = await tty.until(
          /Describe · deployment\/(front|api)\n(.*\n)*.*Status: +(ImagePull|CrashLoop)BackOff/,
        );
        await tty.keys('Escape');
        await tty.until(/NAME/);
        await tty.keys('q');
        await tty.until(/exit=1\n/);
      } finally {
        await tty.close();
      }
    });

  test('160×45: the why at a glance, ! to the next failure, ?, describe, Events from before the track, YAML, previous logs', async () => {
    await using cluster = await badMorning();
    const tty = await terminal(track(cluster), { width: 160, height: 45 });
    try {
      let screen = await tty.until(/✗ 2 of 4 resources failed/);
      const rows = statusRows(screen);
      // The failing first, open, the reason leading STATUS, said once.
      assert.match(rows[1] ?? '', /▾ deploy\/(front|api) +0\/1 +failed/);
      assert.ok(
        rows.some((row) =>
          /deploy\/front .*failed .*ImagePullBackOff: container app: image "registry\.local\/front:v1"/.test(
            row,
          ),
        ),
      );
      assert.ok(rows.some((row) => /deploy\/api .*failed .*CrashLoopBackOff: /.test(row)));
      assert.doesNotMatch(screen, /ImagePullBackOff: container app: ImagePullBackOff/);
      assert.ok(rows.some((row) => /^ +▸ api-\S+ +0\/1 +failing/.test(row)));
      // After the end, the rows say how they ended: none still "progressing".
      assert.doesNotMatch(rows.join('\n'), /progressing/);

      await tty.keys('!');
      screen = await tty.until(/Logs · deploy\/front/);
      await tty.keys('?');
      screen = await tty.until(/ Keys\n/);
      assert.match(screen, /d +describe the selection/);
      assert.match(screen, /q +Ctrl-C +leave \(q on a page: back\)/);
      await tty.keys('Escape');
      await tty.until(/Logs · deploy\/front/);

      // The crash-looping Deployment: describe, its Events, its YAML.
      await tty.keys('!', '!');
      screen = await tty.until(/Logs · deploy\/api/);
      await tty.keys('d');
      screen = await tty.until(/Describe · deployment\/api\n(.*\n)*.*Events:/);
      assert.match(screen, /Status: +CrashLoopBackOff: /);
      assert.match(screen, /Hint: +/);
      assert.match(screen, /Warning +BackOff +pod\/api-\S+ +Back-off restarting failed container app/);
      await tty.keys('Escape', 'e');
      screen = await tty.until(/Events · deployment\/api\n LAST SEEN +TYPE +REASON +OBJECT +MESSAGE/);
      assert.match(screen, /Normal +ScalingReplicaSet +deployment\/api/);
      await tty.keys('Escape', 'p');
      screen = await tty.until(
        /Previous logs · pod\/api-\S+ › app\n starting api\n panic: missing DATABASE_URL/,
      );
      await tty.keys('Escape', 'g', 'j', 'j', 'j', 'j', 'j', 'y');
      screen = await tty.until(/YAML · deployment\/worker\n apiVersion: apps\/v1/);
      assert.match(screen, /managedFields: \(\d+ entries? folded\)/);

      await tty.keys('q', 'q');
      screen = await tty.until(/exit=\d+\n-?icanon/);
      assert.match(screen, /exit=1\nicanon/);
    } finally {
      await tty.close();
    }
  });

  test('80×24: a ready resource keeps logging; the filter highlights and counts, n steps, t shows times, Ctrl-C cancels the prompt; c copies', async () => {
    await using cluster = await badMorning();
    const tty = await terminal(track(cluster, '--clipboard'), { width: 80, height: 24 });
    try {
      await tty.until(/✗ 2 of 4 resources failed/);
      await tty.keys('G', 'k');
      let screen = await tty.until(/Logs · deploy\/worker/);
      // The track ended long ago for worker (ready at once): the view reads its logs itself.
      screen = await tty.until((text) => logLines(text).some((line) => /processed job \d+/.test(line)));
      await tty.keys('/', 'job [0-9]*5$', 'Enter');
      screen = await tty.until(/filter \/job \[0-9\]\*5\$\/: \d+ lines?/);
      assert.ok(
        logLines(screen).every((line) => /job \d*5$/.test(line)),
        screen,
      );
      await tty.keys('n');
      screen = await tty.until(/paused/);
      assert.match(logLines(screen).at(-1) ?? '', /^›worker-\S+ app │ processed job \d*5$/);
      await tty.keys('t');
      screen = await tty.until((text) => /│ \d\d:\d\d:\d\d processed/.test(text));
      // Ctrl-C while typing a filter cancels the prompt; the view stays.
      await tty.keys('/', 'abc', 'C-c');
      await sleep(300);
      screen = await tty.screen();
      assert.match(screen, /filter \/job/);
      assert.doesNotMatch(screen, /exit=/);
      // c copies the newest line shown in the logs pane: tmux keeps it as a paste buffer.
      await tty.keys('Tab', 'Tab', 'c');
      await tty.until(/copied \d+ characters/);
      assert.match(await tty.buffer(), /^processed job \d*5$/);
      await tty.keys('q');
      await tty.until(/exit=1\n/);
    } finally {
      await tty.close();
    }
  });

  test('60×15: the failed rows stay on screen with their reason; the footer says how to leave and get help; times stop after the end', async () => {
    await using cluster = await badMorning();
    const tty = await terminal(track(cluster), { width: 60, height: 15 });
    try {
      const screen = await tty.until(/resources failed/);
      const lines = screen.split('\n');
      assert.ok(lines.every((line) => [...line].length <= 60));
      assert.match(lines[14] ?? '', /\? +help +q +leave$/);
      const rows = statusRows(screen);
      assert.ok(
        rows.some((row) => /deploy\/front .*failed +ImagePullBackOff/.test(row)),
        screen,
      );
      assert.ok(
        rows.some((row) => /deploy\/api .*failed +CrashLoopBackOff/.test(row)),
        screen,
      );
      // Ages stop where the track ended.
      await sleep(2200);
      assert.deepEqual(statusRows(await tty.screen()), rows);
      await tty.keys('q');
      await tty.until(/exit=1\n/);
    } finally {
      await tty.close();
    }
  });
});
