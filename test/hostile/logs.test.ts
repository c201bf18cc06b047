import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { KubeClient } from '../../src/kube/client.js';
import { hostileServer, logLines, onePodApi, runAgainst, runningPod } from './hostile.js';

const pod = runningPod();

describe('hostile servers: log streams', () => {
  test('a 20 MiB log line is cut and marked, and the lines after it still come (no reconnect loop)', async () => {
    let logRequests = 0;
    const long = logLines(['x'.repeat(20 * 1024 * 1024), 'after the long line']);
    await using server = await hostileServer(
      onePodApi(pod, {
        log: (request, response, url) => {
          logRequests++;
          long(request, response, url);
        },
      }),
    );
    const run = await runAgainst(server, ['rollout', 'track', 'pod/p', '--timeout', '2s']);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stdout, /^p app │ x{1000,} … \[line cut: too long\]$/m);
    assert.match(run.stdout, /^p app │ after the long line$/m);
    assert.doesNotMatch(run.stderr, /log stream .* reconnecting/);
    // The followed stream, and the report's read of the last lines: not one request more.
    assert.ok(logRequests <= 2, `${logRequests} log requests`);
  });

  test('a followed stream that went dead is asked for again after its silence, and the lines it missed come', async () => {
    const requests: string[] = [];
    await using server = await hostileServer((_request, response, url) => {
      if (url.pathname.endsWith('/pods/p')) {
        response.writeHead(200, { 'content-type': 'application/json' });
        return response.end(JSON.stringify(pod));
      }
      requests.push(url.searchParams.get('sinceTime') ?? 'from the start');
      response.writeHead(200, { 'content-type': 'text/plain' });
      // The first connection dies silently after one line (the socket stays open, nothing more comes);
      // the container went on writing, as the second request shows.
      if (requests.length === 1) response.write('2026-12-02T10:00:00.000000000Z before\n');
      else response.write('2026-12-02T10:00:00.000000000Z before\n2026-12-02T10:00:05.000000000Z missed\n');
    });
    const client = KubeClient.fromKubeConfig({ kubeconfig: server.kubeconfigPath });
    const notices: string[] = [];
    const lines: string[] = [];
    try {
      const stream = client.logs(
        { name: 'p' },
        { container: 'app', follow: true, inactivityTimeoutMs: 300, onNotice: (n) => notices.push(n.type) },
      );
      for await (const line of stream) {
        lines.push(line.text);
        if (lines.length === 2) break;
      }
    } finally {
      await client.close();
    }
    assert.deepEqual(lines, ['before', 'missed']);
    assert.deepEqual(requests, ['from the start', '2026-12-02T10:00:00Z']);
    assert.deepEqual(notices, ['log-resumed']);
  });
});
