import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { CONTROL, emptyList, hostileServer, isWatch, onePodApi, runAgainst, runningPod } from './hostile.js';

/** One line on stderr, the exit code of an API error, no stack trace, no control character. */
function assertApiError(run: { code: number | null; stderr: string }, pattern: RegExp): void {
  assert.equal(run.code, 3, run.stderr);
  assert.match(run.stderr, pattern);
  assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
  assert.doesNotMatch(run.stderr, CONTROL);
}

describe('hostile servers: answers that are not what the API promises', () => {
  for (const [what, body] of [
    ['an HTML page', '<html><body>\u001b]52;c;aGk=\u0007502 Bad Gateway</body></html>'],
    ['null', 'null'],
    ['items that are not objects', '{"kind":"PodList","metadata":{"resourceVersion":"1"},"items":[null]}'],
    ['items that are not a list', '{"kind":"PodList","metadata":{},"items":{"a":1}}'],
  ] as const)
    test(`a list answered with ${what}: one line naming the request, exit 3`, async () => {
      await using server = await hostileServer((_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(body);
      });
      const run = await runAgainst(server, ['rollout', 'track', '-l', 'app=web', '--timeout', '10s']);
      assertApiError(run, /^kubedog: GET \/api\S* .*(not JSON|not a list)/m);
    });

  test('a list page bigger than 64 MiB, even one object at a time: refused without holding it in memory', async () => {
    const chunk = Buffer.alloc(1024 * 1024, 'x');
    const limits: string[] = [];
    await using server = await hostileServer((_request, response, url) => {
      if (isWatch(url)) return response.writeHead(200).flushHeaders();
      if (!url.pathname.endsWith('/pods')) return emptyList(response);
      limits.push(url.searchParams.get('limit') ?? '');
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"kind":"PodList","metadata":{},"items":[{"metadata":{"name":"');
      let sent = 0;
      const more = () => {
        while (sent < 100 && response.write(chunk)) sent++;
        if (sent < 100 && !response.destroyed) response.once('drain', more);
        else response.end('"}}]}');
      };
      more();
    });
    const run = await runAgainst(server, ['rollout', 'track', 'pod/p', '--timeout', '30s']);
    assertApiError(
      run,
      /^kubedog: GET \/api\/v1\/namespaces\/default\/pods: the answer is larger than 64 MiB$/m,
    );
    // Smaller pages were asked for first: a page of big objects is no error.
    assert.deepEqual(limits, ['500', '50', '5', '1']);
    assert.ok(run.peakMb < 300, `peak RSS ${Math.round(run.peakMb)} MB`);
  });

  test('a server that repeats its continue token: the list ends with an error, not a loop', async () => {
    let pages = 0;
    await using server = await hostileServer((_request, response) => {
      pages++;
      emptyList(response, { continue: 'again' });
    });
    const run = await runAgainst(server, ['rollout', 'track', '--all', '--timeout', '10s']);
    assertApiError(run, /the server sent the same continue token twice/);
    assert.ok(pages < 20, `${pages} pages asked for`);
  });

  test('a watched pod without kind is judged as a pod: Running without a Ready condition is not ready', async () => {
    await using server = await hostileServer((request, response, url) => {
      if (!isWatch(url)) return emptyList(response);
      response.writeHead(200, { 'content-type': 'application/json' });
      if (url.pathname.endsWith('/pods')) {
        const pod = {
          metadata: { name: 'p', namespace: 'default', resourceVersion: '2' },
          spec: {},
          status: { phase: 'Running' },
        };
        response.write(`${JSON.stringify({ type: 'ADDED', object: pod })}\n`);
      }
      request.on('close', () => response.end());
    });
    const run = await runAgainst(server, ['rollout', 'track', 'pod/p', '--timeout', '2s', '--no-logs']);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /^✗ po\/p: Timeout: not ready after 2s: pod "p" is running but not ready$/m);
  });
});

describe('hostile servers: broken HTTP', () => {
  test('a list whose chunked body has a broken chunk size: one line, exit 3', async () => {
    const server = createServer((socket) => {
      socket.on('error', () => {}); // kubedog hangs up on it: expected
      socket.once('data', () => {
        socket.end(
          'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n5\r\n{"ite\r\nzz\r\nms":[]}\r\n0\r\n\r\n',
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await using api = await hostileServer(() => {}, {});
    const kubeconfig = readFileSync(api.kubeconfigPath, 'utf8').replace(
      /127\.0\.0\.1:\d+/,
      `127.0.0.1:${port}`,
    );
    writeFileSync(api.kubeconfigPath, kubeconfig);
    try {
      const run = await runAgainst(api, ['rollout', 'track', '-l', 'app=web', '--timeout', '10s']);
      assertApiError(run, /^kubedog: GET \/\S+: the answer broke off: /m);
    } finally {
      server.close();
    }
  });
});

describe('hostile servers: discovery as an aggregated Go API server may answer it', () => {
  test('null resources, a group without a version, /api/v1 without resources: no crash; an unknown kind says what discovery could not use (exit 64)', async () => {
    await using server = await hostileServer((_request, response, url) => {
      const answers: Record<string, unknown> = {
        '/api/v1': { kind: 'APIResourceList', groupVersion: 'v1' },
        '/apis': {
          kind: 'APIGroupList',
          groups: [
            { name: 'metrics.example.com', versions: [{ groupVersion: 'metrics.example.com/v1beta1' }] },
            { name: 'nothing.example.com', versions: null },
          ],
        },
        '/apis/metrics.example.com/v1beta1': { groupVersion: 'metrics.example.com/v1beta1', resources: null },
      };
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(answers[url.pathname] ?? { kind: 'List', metadata: {}, items: [] }));
    });
    const run = await runAgainst(server, [
      'rollout',
      'track',
      'widget.shop.example.com/w',
      '--timeout',
      '5s',
    ]);
    assert.equal(run.code, 64, run.stderr);
    // A missing `resources` is an empty list (Go leaves nil slices out): only the group is unusable.
    assert.match(
      run.stderr,
      /^kubedog: the server \S+ does not have a resource type "widget\.shop\.example\.com" \(discovery could not use: \/apis: group "nothing\.example\.com" names no version\)$/m,
    );
    assert.doesNotMatch(run.stderr, /TypeError|\n\s+at /);
  });
});

describe('hostile servers: answers whose trouble is elsewhere, said where it is', () => {
  test('a gzip-compressed answer (a proxy compressing it): named as such, with or without its header, exit 3', async () => {
    for (const header of [true, false]) {
      await using server = await hostileServer((_request, response) => {
        response.writeHead(200, {
          'content-type': 'application/json',
          ...(header ? { 'content-encoding': 'gzip' } : {}),
        });
        response.end(gzipSync('{"kind":"PodList","metadata":{},"items":[]}'));
      });
      const run = await runAgainst(server, ['rollout', 'track', '-l', 'app=web', '--timeout', '10s']);
      assertApiError(
        run,
        /^kubedog: GET \/api\S* the answer is gzip-encoded, which kubedog did not ask for/m,
      );
    }
  });

  test('a token pasted with its line break: exit 3 naming the kubeconfig field, not the network', async () => {
    await using server = await hostileServer(() => {}, { user: { token: 'abc\ndef' } });
    const run = await runAgainst(server, ['rollout', 'track', 'deploy/web', '--timeout', '5s']);
    assert.equal(run.code, 3, run.stderr);
    assert.match(
      run.stderr,
      /^kubedog: .*user "u" in \S+: token contains a line break or another control character \(pasted with its newline\?\)/m,
    );
    assert.doesNotMatch(run.stderr, /cannot reach|abc|def\b/);
  });
});

describe('hostile servers: objects of the wrong shape', () => {
  const malformedPod = (change: { metadata?: Record<string, unknown>; status?: Record<string, unknown> }) => {
    const pod = runningPod() as { metadata: Record<string, unknown>; status: Record<string, unknown> };
    return {
      ...pod,
      metadata: { ...pod.metadata, ...change.metadata },
      status: { ...pod.status, ...change.status },
    };
  };

  for (const [what, change, field] of [
    [
      'ownerReferences is a string',
      { metadata: { ownerReferences: 'rs/web' } },
      'metadata.ownerReferences is "rs/web", not a list',
    ],
    [
      'containerStatuses is an object',
      { status: { containerStatuses: { app: {} } } },
      'status.containerStatuses is an object, not a list',
    ],
  ] as const)
    test(`the tracked pod's ${what}: exit 3 naming the object, the field and what it held — not exit 1, no TypeError`, async () => {
      await using server = await hostileServer(onePodApi(malformedPod(change)));
      const run = await runAgainst(server, ['rollout', 'track', 'pod/p', '--timeout', '5s']);
      assertApiError(
        run,
        new RegExp(
          `^kubedog: pod/p: the API server sent it malformed: ${field.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`,
          'm',
        ),
      );
      assert.doesNotMatch(run.stderr, /TypeError/);
    });
});
