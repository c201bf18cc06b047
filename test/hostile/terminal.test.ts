import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CONTROL, hostileServer, logLines, onePodApi, runAgainst, runningPod, TOKEN } from './hostile.js';

const now = new Date().toISOString();
const EVIL_LOG = [
  '\u001b]52;c;aGVsbG8=\u0007clipboard written',
  '\u001b[2J\u001b]0;pwned\u0007screen cleared, title set',
  'half a line\r✓ deploy/web ready (forged)',
  '\u001b]8;;https://evil.example\u0007a link\u001b]8;;\u0007 \u009b31mC1 CSI',
  'deploy ok\u202e\u2066 dedeen noitca on\u2069\u202c bidi',
];
const pod = runningPod();
const warning = {
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { name: 'p.1', namespace: 'default', resourceVersion: '6' },
  involvedObject: { kind: 'Pod', name: 'p', namespace: 'default', uid: 'uid-p' },
  type: 'Warning',
  reason: 'Unhealthy\u001b[8m',
  message:
    'Readiness probe failed: GET https://bob:hunter2@db.local/ Authorization: Bearer eyJhbGciOi.secret.token password=hunter2 \u001b[2J \u202ereversed\u202c',
  count: 3,
  firstTimestamp: now,
  lastTimestamp: now,
};

/** An API server for one pod: its Warning event and log lines carry escape sequences and credentials. */
const evilServer = () => hostileServer(onePodApi(pod, { events: [warning], log: logLines(EVIL_LOG) }));

const SECRETS = ['hunter2', 'eyJhbGciOi', TOKEN];

describe('hostile servers: what the cluster says reaches the terminal harmless, and without its secrets', () => {
  test('text output: no control character from the cluster, no credential, in logs, events, report', async () => {
    await using server = await evilServer();
    const run = await runAgainst(server, ['rollout', 'track', 'pod/p', '--timeout', '2s']);
    assert.equal(run.code, 2, run.stderr);
    const output = run.stdout + run.stderr;
    assert.doesNotMatch(output, CONTROL, JSON.stringify(output));
    for (const secret of SECRETS) assert.ok(!output.includes(secret), `${secret} shown`);
    // What was sent is still there to read, escaped.
    assert.match(run.stdout, /p app │ \\x1b\]52;c;aGVsbG8=\\x07clipboard written$/m);
    assert.match(run.stdout, /p app │ half a line\\x0d✓ deploy\/web ready \(forged\)$/m);
    assert.match(run.stdout, /p app │ deploy ok\\u202e\\u2066 dedeen noitca on\\u2069\\u202c bidi$/m);
    // The Event, live or (when it is older than the track, on a loaded machine) in the report.
    assert.match(
      run.stderr,
      /(Warning Unhealthy\\x1b\[8m Pod\/p|Pod\/p Unhealthy\\x1b\[8m): Readiness probe failed: GET https:\/\/\*\*\*@db\.local/,
    );
  });

  test('--raw-logs: log lines as written; events still escaped', async () => {
    await using server = await evilServer();
    const run = await runAgainst(server, ['rollout', 'track', 'pod/p', '--timeout', '2s', '--raw-logs']);
    assert.ok(run.stdout.includes(EVIL_LOG[0] as string));
    assert.doesNotMatch(run.stderr, CONTROL);
  });

  test('-o json: exact JSON, every control character escaped by JSON, no credential', async () => {
    await using server = await evilServer();
    const run = await runAgainst(server, ['rollout', 'track', 'pod/p', '--timeout', '2s', '-o', 'json']);
    assert.equal(run.code, 2, run.stderr);
    assert.doesNotMatch(run.stdout, CONTROL);
    for (const secret of SECRETS) assert.ok(!run.stdout.includes(secret), `${secret} shown`);
    const events = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; lines?: string[] });
    assert.ok(events.some((e) => e.type === 'log' && e.lines?.includes(EVIL_LOG[0] as string)));
  });
});

describe('hostile servers: credentials in a container message, in every line that quotes it', () => {
  const LEAKS = [
    'Authorization: Basic dXNlcjpodW50ZXIy',
    '{"password":"hunter3"}',
    '--token s3cr3t-flag',
    'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
    'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW0ifQ.c2lnbmF0dXJl',
    'aws_secret_access_key=wJalrXUtnFEMI/K7MDENG',
  ];
  const SHOWN = ['dXNlcjpodW50ZXIy', 'hunter3', 's3cr3t-flag', 'ghp_abcdef', 'eyJzdWIi', 'wJalrXUtnFEMI'];
  const leaking = () => {
    const base = runningPod() as { status: { containerStatuses: Record<string, unknown>[] } };
    const [status] = base.status.containerStatuses;
    base.status.containerStatuses = [
      {
        ...status,
        state: { waiting: { reason: 'ErrImagePull', message: `pull failed: ${LEAKS.join(' ')}` } },
      },
    ];
    return base;
  };

  test('status line, pod error, the ✗ line and -o json: masked', async () => {
    for (const output of [[], ['-o', 'json']]) {
      await using server = await hostileServer(onePodApi(leaking(), {}));
      const run = await runAgainst(server, ['rollout', 'track', 'pod/p', '--timeout', '2s', ...output]);
      assert.ok(run.code === 1 || run.code === 2, run.stderr);
      const all = run.stdout + run.stderr;
      for (const secret of SHOWN) assert.ok(!all.includes(secret), `${secret} shown in ${all}`);
      assert.match(all, /pull failed: Authorization: Basic \*\*\*/);
    }
  });
});
