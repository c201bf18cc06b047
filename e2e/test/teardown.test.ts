import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';

/** Processes whose command line mentions `text`. */
function processesMentioning(text: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text);
      } catch {
        return false; // gone meanwhile
      }
    })
    .map(Number);
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  test(`${signal} to the process that started a control plane stops etcd and kube-apiserver and removes its directory`, async () => {
    const bin = execFileSync('bash', ['e2e/build.sh'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    }).trim();
    // Its own process group, so the signal reaches only the parent, as from a CI runner.
    const child = spawn(process.execPath, ['--import', 'tsx', 'e2e/test/hold-plane.ts', bin], {
      stdio: ['ignore', 'pipe', 'inherit'],
      detached: true,
    });
    const dir = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk;
        if (out.includes('\n')) resolve(out.trim());
      });
      child.once('exit', (code) => reject(new Error(`exited with ${code} before the control plane was up`)));
    });
    assert.ok(processesMentioning(dir).length >= 2, 'etcd and kube-apiserver run');
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill(signal);
    assert.equal(await exited, signal === 'SIGINT' ? 130 : 143);
    const deadline = Date.now() + 20_000;
    while (processesMentioning(dir).length > 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(processesMentioning(dir), [], 'nothing outlives it');
    assert.equal(existsSync(dir), false, `${dir} is removed`);
  });
}
