import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { hasEscapes, runCli } from './helpers.js';

describe('kubedog CLI', () => {
  test('version, and help for every command with examples and exit codes', async () => {
    const version = await runCli(['version']);
    assert.equal(version.code, 0);
    assert.match(version.stdout, /^kubedog \d+\.\d+\.\d+ \(node v\d+/);
    assert.equal((await runCli(['--version'])).stdout, version.stdout);
    const main = await runCli(['--help']);
    assert.equal(main.code, 0);
    assert.match(main.stdout, /kubedog rollout track KIND NAME/);
    assert.match(main.stdout, /^ {2}64 +usage error/m);
    for (const [args, title] of [
      [['rollout', 'track', '--help'], /^kubedog rollout track — /],
      [['help', 'rollout'], /^kubedog rollout track — /],
      [['rollout', 'status', '-h'], /^kubedog rollout track — /],
      [['follow', '-h'], /^kubedog follow — /],
      [['demo', '--help'], /^kubedog demo — /],
      [['completion', '--help'], /^kubedog completion — /],
    ] as const) {
      const help = await runCli([...args]);
      assert.equal(help.code, 0, args.join(' '));
      assert.match(help.stdout, title);
      if (args[0] !== 'completion' && args[0] !== 'demo') {
        assert.match(help.stdout, /Examples:/);
        assert.match(help.stdout, /^ {2}130 +rollout track interrupted/m);
        assert.match(help.stdout, /--kubeconfig FILE/);
      }
    }
  });

  test('completion scripts for bash, zsh and fish: commands, flags, and the values of --for', async () => {
    const bash = await runCli(['completion', 'bash']);
    assert.equal(bash.code, 0);
    assert.match(bash.stdout, /complete -F _kubedog kubedog/);
    assert.match(bash.stdout, /--helm-release/);
    assert.match(bash.stdout, /rollout\) COMPREPLY=\(\$\(compgen -W "track status"/);
    assert.match(bash.stdout, / --revision /);
    assert.doesNotMatch(bash.stdout, /--no-watch/, 'what --watch=false is read as is not offered');
    const syntax = spawnSync('bash', ['-n'], { input: bash.stdout, encoding: 'utf8' });
    assert.equal(syntax.status, 0, syntax.stderr);
    const zsh = await runCli(['completion', 'zsh']);
    assert.equal(zsh.code, 0);
    assert.match(zsh.stdout, /^#compdef kubedog/);
    assert.match(zsh.stdout, /--for\) compadd delete create ready condition= jsonpath=;/);
    const fish = await runCli(['completion', 'fish']);
    assert.equal(fish.code, 0);
    assert.match(fish.stdout, /^complete -c kubedog -n __fish_use_subcommand -a 'rollout follow wait /m);
    assert.match(
      fish.stdout,
      /^complete -c kubedog -l for -x -a 'delete create ready condition= jsonpath='$/m,
    );
    assert.match(fish.stdout, /^complete -c kubedog -l filename -s f -r -F$/m);
  });

  test('demo: a rollout, a crash with its report, a rollback and a Job, on the simulated cluster', async () => {
    // The plain run, and two runs for the colors, at once: each on a simulated cluster of its own.
    const [demo, colored, noColor] = await Promise.all([
      runCli(['demo']),
      runCli(['demo'], { env: { FORCE_COLOR: '1' } }),
      runCli(['demo'], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } }),
    ]);
    assert.equal(demo.code, 0, demo.stderr);
    const sections = demo.stderr.split(/^\$ /m);
    assert.equal(sections.length, 5, 'four commands');
    assert.match(sections[1] ?? '', /^kubedog rollout track deployment web -n shop\n/);
    assert.match(sections[1] ?? '', /^✓ deploy\/web ready after \d+\.\ds\n# exit code 0$/m);
    assert.match(sections[2] ?? '', /^✗ deploy\/web: container app terminated \(exit code 1, Error\)/m);
    assert.match(sections[2] ?? '', /^ {4}│ panic: config: missing key "payments.apiUrl"$/m);
    assert.match(sections[2] ?? '', /^# exit code 1$/m);
    assert.match(sections[3] ?? '', /^✓ deploy\/web ready after/m);
    assert.match(sections[4] ?? '', /^✓ job\/migrate ready after/m);
    assert.match(demo.stdout, /^migrate-\w+ migrate │ migration 0042 applied in 180ms$/m);
    assert.match(demo.stderr, /demo finished in \d+\.\ds: exit codes 0, 1, 0, 0, as expected/);
    assert.ok(!hasEscapes(demo.stdout + demo.stderr), 'no colors on a pipe');
    assert.ok(hasEscapes(colored.stderr));
    assert.ok(!hasEscapes(noColor.stdout + noColor.stderr));
  });
});
