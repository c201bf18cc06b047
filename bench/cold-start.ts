/**
 * Cold start of the built CLI next to a bare `node -e 0`, in the same run,
 * interleaved so the machine's state affects all alike. Needs `npm run build`.
 * Usage: tsx bench/cold-start.ts [runs]   (default 30)
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { saveResults, which } from './lib.js';

const cli = new URL('../dist/cli/main.js', import.meta.url).pathname;
if (!existsSync(cli)) {
  console.error('bench/cold-start: run `npm run build` first');
  process.exit(1);
}
const runs = Number(process.argv[2] ?? 30);
const commands: Record<string, string[]> = {
  'node -e 0': ['-e', '0'],
  'kubedog --help': [cli, '--help'],
  'kubedog version': [cli, 'version'],
  'kubedog rollout track --help': [cli, 'rollout', 'track', '--help'],
};
// kubectl, when installed: its own binary, not node.
const kubectl = which('kubectl');
const binaries: Record<string, string> = kubectl ? { 'kubectl version --client': kubectl } : {};
const all: [string, string, string[]][] = [
  ...Object.entries(commands).map(([name, args]): [string, string, string[]] => [
    name,
    process.execPath,
    args,
  ]),
  ...Object.entries(binaries).map(([name, path]): [string, string, string[]] => [
    name,
    path,
    ['version', '--client'],
  ]),
];
const times = new Map<string, number[]>(all.map(([name]) => [name, []]));
for (let i = 0; i < runs + 2; i++) {
  for (const [name, command, args] of all) {
    const start = performance.now();
    const result = spawnSync(command, args, { stdio: 'ignore' });
    const ms = performance.now() - start;
    if (result.status !== 0) throw new Error(`${name} exited with ${result.status}`);
    if (i >= 2) times.get(name)?.push(ms); // two warm-up rounds fill the OS file cache
  }
}
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};
const base = median(times.get('node -e 0') ?? []);
console.log(`| command | median (ms) | × node -e 0 |\n|---|---:|---:|`);
for (const [name, values] of times) {
  const m = median(values);
  console.log(`| \`${name}\` | ${m.toFixed(1)} | ${(m / base).toFixed(2)} |`);
}
console.log(
  `\n${runs} runs each, ${process.version}, ${process.platform}/${process.arch}${kubectl ? '' : '; kubectl is not installed'}`,
);
saveResults('cold-start', {
  runs,
  medians: Object.fromEntries([...times].map(([name, values]) => [name, median(values)])),
});
