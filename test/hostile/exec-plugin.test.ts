import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { emptyList, hostileServer, isWatch, runAgainst } from './hostile.js';

const dir = mkdtempSync(join(tmpdir(), 'kubedog-plugin-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A credential plugin: a shell script. */
function plugin(name: string, script: string) {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${script}\n`);
  chmodSync(path, 0o755);
  return { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: path, interactiveMode: 'Never' } };
}

const CREDENTIAL = `echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"t"}}'`;

/** A quiet cluster: every list is empty, every watch stays open. */
function quietServer(user: Record<string, unknown>) {
  return hostileServer(
    (request, response, url) => {
      if (!isWatch(url)) return emptyList(response);
      response.writeHead(200, { 'content-type': 'application/json' }).flushHeaders();
      request.on('close', () => response.end());
    },
    { user },
  );
}

describe('hostile credential plugins', () => {
  test('one that hangs and ignores SIGTERM does not outlive the timeout', async () => {
    await using server = await quietServer(plugin('stubborn', "trap '' TERM\nsleep 60"));
    const run = await runAgainst(server, ['rollout', 'track', 'pod/p', '--timeout', '2s']);
    assert.equal(run.code, 2, run.stderr);
    assert.ok(run.ms < 4000, `${Math.round(run.ms)} ms`);
  });

  test('one that leaves a child holding its stdout: its credential is used, and nothing waits for the child', async () => {
    await using server = await quietServer(plugin('leaves-a-child', `${CREDENTIAL}\nsleep 60 &`));
    const run = await runAgainst(server, ['rollout', 'track', 'pod/p', '--timeout', '2s']);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /not ready after 2s/);
    assert.ok(run.ms < 4000, `${Math.round(run.ms)} ms`);
  });
});
