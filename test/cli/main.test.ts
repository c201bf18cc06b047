import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';

const ESC = '\u001b[';

const run = (args: string[], env: Record<string, string> = {}) => {
  const { NO_COLOR: _n, FORCE_COLOR: _f, ...inherited } = process.env;
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    encoding: 'utf8',
    env: { ...inherited, ...env },
    timeout: 30_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
};

describe('kubedog CLI', () => {
  test('version and help', () => {
    const version = run(['version']);
    assert.equal(version.code, 0);
    assert.match(version.stdout, /^kubedog \d+\.\d+\.\d+ \(node v\d+/);
    const help = run(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Usage:/);
    assert.match(help.stdout, /64 +usage error/);
  });

  test('usage errors: one line on stderr, exit 64', () => {
    const unknown = run(['explode']);
    assert.equal(unknown.code, 64);
    assert.equal(unknown.stderr, `kubedog: unknown command "explode"\nRun 'kubedog help' for usage.\n`);
    const flag = run(['--bogus']);
    assert.equal(flag.code, 64);
    assert.match(flag.stderr, /^kubedog: Unknown option '--bogus'/);
    assert.ok(!flag.stderr.includes('    at '), 'no stack trace');
  });

  test('demo: pods and logs on the simulated cluster, nothing lost across cut streams', () => {
    const demo = run(['demo']);
    assert.equal(demo.code, 0, demo.stderr);
    assert.match(demo.stdout, /^web-7f9c4-abcde app │ listening on :8080$/m);
    assert.match(
      demo.stdout,
      /^web-7f9c4-fghij app │ GET \/api\/orders 200 11.2ms \(each line arrives once, whatever was cut\)$/m,
    );
    assert.match(demo.stderr, /\+ pod web-7f9c4-abcde Pending/);
    assert.match(demo.stderr, /- pod web-5d8b6-q2x7k deleted/);
    assert.match(demo.stderr, /log stream of web-7f9c4-\w+\/app resumed from/);
    assert.match(
      demo.stderr,
      /✓ \d+ watch events, 12 log lines written on the server, 0 lost, 0 repeated, \d+ reconnects/,
    );
    // Piped output has no colors unless asked for.
    assert.ok(!(demo.stdout + demo.stderr).includes(ESC));
    const colored = run(['demo'], { FORCE_COLOR: '1' });
    assert.ok(colored.stdout.includes(ESC));
    const noColor = run(['demo'], { FORCE_COLOR: '1', NO_COLOR: '1' });
    assert.ok(!(noColor.stdout + noColor.stderr).includes(ESC));
  });
});
