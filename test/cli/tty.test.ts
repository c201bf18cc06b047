import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, test } from 'node:test';
import { startFakeCluster } from '../../src/testing/cluster.js';
import { CLI, deployment } from './helpers.js';

const SCRIPT = '/usr/bin/script';
const ESC = '\u001b';

/** Runs the CLI on a pseudo-terminal (util-linux `script`), 100 columns wide; returns what the terminal got. */
function onTerminal(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  const { NO_COLOR: _n, FORCE_COLOR: _f, ...inherited } = process.env;
  const command = `stty cols 100 rows 30; exec ${process.execPath} ${CLI} ${args.join(' ')}`;
  return new Promise((resolve, reject) => {
    const child = spawn(SCRIPT, ['-q', '-e', '-c', command, '/dev/null'], {
      env: { ...inherited, ...env },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('on a terminal', { skip: !existsSync(SCRIPT) && 'util-linux script is not installed' }, () => {
  test('the status table is pinned below the output and redrawn in place; NO_COLOR removes every escape', async () => {
    await using cluster = await startFakeCluster();
    for (const name of ['web', 'plain']) {
      cluster.behave(`${name}-*`, 'app', { logs: ['listening on :8080'], readyAfter: '2s' });
      await cluster.client.create('Deployment', deployment(name, { replicas: 2 }));
    }
    const [colored, plain] = await Promise.all([
      onTerminal(['rollout', 'track', 'deploy/web', '--kubeconfig', cluster.kubeconfigPath], {}),
      onTerminal(['rollout', 'track', 'deploy/plain', '--kubeconfig', cluster.kubeconfigPath], {
        NO_COLOR: '1',
      }),
    ]);
    assert.equal(colored.code, 0, colored.output);
    // Erase the table (cursor up over its 2 lines, clear to the end of the screen), write, draw again.
    const redraws = colored.output.split('\u001b[2F\u001b[J').length - 1;
    assert.ok(redraws >= 3, `the table was redrawn ${redraws} times`);
    assert.match(colored.output, new RegExp(`${ESC}\\[1mRESOURCE +READY +UPDATED +AVAILABLE`));
    assert.match(colored.output, /listening on :8080/);
    // The last table stays on screen above the verdict, showing the end state.
    const end = colored.output.slice(colored.output.lastIndexOf('RESOURCE'));
    assert.match(
      end.replace(new RegExp(`${ESC}\\[[0-9;]*m`, 'g'), ''),
      /deploy\/web +2\/2 +2 +2 +0 +ready[^\n]*\r?\n✓ deploy\/web ready after/,
    );
    assert.equal(plain.code, 0, plain.output);
    assert.ok(
      !plain.output.includes('\u001b'),
      `no escape sequence with NO_COLOR: ${JSON.stringify(plain.output.slice(0, 200))}`,
    );
    assert.match(plain.output, /✓ deploy\/plain ready after/);
  });
});
