/**
 * What embedding kubedog costs, next to client-node and a bare Node in the
 * same run: `import()` time, the packed and installed package, and the CLI
 * in one file and as a single executable (start time next to `kubedog --help`
 * under Node). Needs `node scripts/bundle.mjs --single-file --sea` (npm run bench does it).
 * Usage: tsx bench/package.ts [runs]   (default 30)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { saveResults } from './lib.js';

const runs = Number(process.argv[2] ?? 30);
const root = resolve('.');
const sea = `dist/kubedog-${process.platform}-${process.arch}`;
for (const file of ['dist/index.js', 'dist/kubedog.mjs', sea])
  if (!existsSync(file)) {
    console.error(`bench/package: ${file} is missing: node scripts/bundle.mjs --single-file --sea`);
    process.exit(1);
  }

const must = (command: string, args: string[], cwd: string) => {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
};

/** The package packed and installed as a user gets it (--omit=dev): sizes, and where kubedog is imported from. */
function installPackage(dir: string) {
  const [packed] = JSON.parse(must('npm', ['pack', '--json', '--pack-destination', dir], root)) as {
    filename: string;
    size: number;
    unpackedSize: number;
    entryCount: number;
  }[];
  if (!packed) throw new Error('npm pack said nothing');
  const project = join(dir, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), '{"name":"embedder","private":true,"type":"module"}');
  must(
    'npm',
    ['install', '--omit=dev', '--offline', '--no-audit', '--no-fund', join(dir, packed.filename)],
    project,
  );
  const files = readdirSync(join(project, 'node_modules'), { recursive: true, withFileTypes: true }).filter(
    (e) => e.isFile(),
  );
  const installed = files.reduce((sum, e) => sum + statSync(join(e.parentPath, e.name)).size, 0);
  return { project, packed, installed: { bytes: installed, files: files.length } };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/** Median wall time of each command, interleaved so the machine's state affects all alike. */
function time(commands: Record<string, [string, string[], string]>): Record<string, number> {
  const times = new Map<string, number[]>(Object.keys(commands).map((name) => [name, []]));
  for (let i = 0; i < runs + 2; i++)
    for (const [name, [command, args, cwd]] of Object.entries(commands)) {
      const start = performance.now();
      const result = spawnSync(command, args, { cwd, stdio: 'ignore' });
      const ms = performance.now() - start;
      if (result.status !== 0) throw new Error(`${name} exited with ${result.status}`);
      if (i >= 2) times.get(name)?.push(ms);
    }
  return Object.fromEntries([...times].map(([name, values]) => [name, median(values)]));
}

const dir = mkdtempSync(join(tmpdir(), 'kubedog-bench-package-'));
try {
  const { project, packed, installed } = installPackage(dir);
  const node = process.execPath;
  const importing = (specifier: string): [string, string[], string] => [
    node,
    ['--input-type=module', '-e', `await import('${specifier}')`],
    project,
  ];
  const imports = time({
    'node -e 0': [node, ['-e', '0'], project],
    "import('kubedog')": importing('kubedog'),
    "import('kubedog/testing')": importing('kubedog/testing'),
    "import('@kubernetes/client-node')": [
      node,
      ['--input-type=module', '-e', "await import('@kubernetes/client-node')"],
      root,
    ],
  });
  const starts = time({
    'node -e 0': [node, ['-e', '0'], project],
    'kubedog --help (the package, under node)': [
      node,
      [join(project, 'node_modules/kubedog/dist/cli/main.js'), '--help'],
      project,
    ],
    'node kubedog.mjs --help (one file)': [node, [join(root, 'dist/kubedog.mjs'), '--help'], project],
    [`${sea} --help (single executable)`]: [join(root, sea), ['--help'], project],
  });
  const base = imports['node -e 0'] ?? 0;
  console.log('| import | median (ms) | over `node -e 0` (ms) |\n| --- | ---: | ---: |');
  for (const [name, ms] of Object.entries(imports))
    console.log(
      `| \`${name}\` | ${ms.toFixed(1)} | ${name === 'node -e 0' ? '—' : (ms - base).toFixed(1)} |`,
    );
  console.log('\n| command | median (ms) | × `node -e 0` |\n| --- | ---: | ---: |');
  const startBase = starts['node -e 0'] ?? 0;
  for (const [name, ms] of Object.entries(starts))
    console.log(`| \`${name}\` | ${ms.toFixed(1)} | ${(ms / startBase).toFixed(2)} |`);
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} kB`;
  const sizes = {
    tarball: { bytes: packed.size, files: packed.entryCount },
    unpacked: packed.unpackedSize,
    installed,
    singleFile: statSync('dist/kubedog.mjs').size,
    singleExecutable: statSync(sea).size,
  };
  console.log('\n| what | size |\n| --- | ---: |');
  console.log(`| tarball (\`npm pack\`) | ${kb(sizes.tarball.bytes)}, ${sizes.tarball.files} files |`);
  console.log(
    `| installed (\`npm install --omit=dev\`: kubedog alone) | ${kb(installed.bytes)}, ${installed.files} files |`,
  );
  console.log(`| \`dist/kubedog.mjs\` | ${kb(sizes.singleFile)} |`);
  console.log(`| \`${sea}\` | ${(sizes.singleExecutable / 1024 / 1024).toFixed(1)} MB |`);
  console.log(`\n${runs} runs each, ${process.version}, ${process.platform}/${process.arch}`);
  saveResults('package', { runs, importMs: imports, startMs: starts, sizes });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
