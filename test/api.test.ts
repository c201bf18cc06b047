import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { apiEntries, ENTRY_POINTS, loadProgram, renderReport } from '../scripts/api-report.js';

const program = loadProgram();
const [main, , report, helm] = ENTRY_POINTS;
const exported = apiEntries(program, main.source).filter((e) => e.exported);
// kubedog/report's and kubedog/helm's names are documented and their examples run as kubedog's are.
const documented = [
  ...exported,
  ...[report, helm].flatMap((entry) => apiEntries(program, entry.source).filter((e) => e.exported)),
];

describe('the public API', () => {
  test('the committed API reports are what the code exports (npm run api-report rewrites them)', () => {
    // A program of its own, read in the script's order: TypeScript prints a union's members
    // in the order it first met their types.
    const fresh = loadProgram();
    for (const entry of ENTRY_POINTS) {
      const report = renderReport(entry.module, apiEntries(fresh, entry.source));
      assert.equal(
        readFileSync(entry.report, 'utf8'),
        report,
        `${entry.report} is out of date: npm run api-report`,
      );
    }
  });

  // 75, from 60: each event of the TrackEvent union (and DeniedRead) is a name a TypeScript user
  // imports to type a handler; they are types only, no code.
  test('kubedog exports at most 75 names, none of them internal machinery', () => {
    assert.ok(exported.length <= 75, `${exported.length} exported names`);
    const names = new Set(exported.map((e) => e.name));
    for (const internal of [
      'SharedWatches',
      'LineSplitter',
      'readLines',
      'REDACTED',
      'redactCredentials',
      'runExecPlugin',
    ])
      assert.ok(!names.has(internal), internal);
  });

  test('the report keeps optional (`?`) and `readonly` markers, of properties and methods', () => {
    const text = readFileSync('api/kubedog.api.md', 'utf8');
    for (const line of [
      '  onAdded?(event: AddedEvent): Result',
      '  readonly namespace: string',
      '  hint?: string | undefined',
    ])
      assert.ok(text.includes(`\n${line}\n`), line);
    assert.match(text, /\n {2}list\?\(kind: KindLike, /);
  });

  test('every exported name is documented, and every function has an @example', () => {
    const undocumented = documented.filter((e) => e.doc.trim() === '').map((e) => e.name);
    assert.deepEqual(undocumented, []);
    const withoutExample = documented
      .filter((e) => e.kind === 'function' || e.name === 'KubeClient')
      .filter((e) => e.examples.length === 0)
      .map((e) => e.name);
    assert.deepEqual(withoutExample, []);
  });

  test('every public member of an exported class or interface is documented', () => {
    const undocumented = documented.flatMap((e) => e.undocumented.map((member) => `${e.name}.${member}`));
    assert.deepEqual(undocumented, []);
  });

  test('the examples run (against a simulated cluster as `client`), and print what they say they print', () => {
    const examples = documented.flatMap((e) =>
      e.examples.map(({ of, code }, i) => ({ name: `${of}#${i + 1}`, code })),
    );
    assert.ok(examples.length >= documented.filter((e) => e.kind === 'function').length);
    const dir = join('examples', `.api-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    try {
      const modules = examples.map((example, i) => {
        const file = `example-${i}.ts`;
        writeFileSync(join(dir, file), exampleModule(example.code));
        return { name: example.name, file, prints: expectedOutput(example.code) };
      });
      writeFileSync(join(dir, 'run.ts'), runner(modules));
      const { NODE_TEST_CONTEXT: _child, ...env } = process.env;
      const result = spawnSync(process.execPath, ['--import', 'tsx', join(dir, 'run.ts')], {
        encoding: 'utf8',
        timeout: 90_000,
        env,
      });
      assert.equal(result.status, 0, result.stdout + result.stderr);
      assert.match(result.stdout, new RegExp(`^${examples.length} examples ran$`, 'm'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** `// prints: text` comments: what the example's output must contain. */
function expectedOutput(code: string): string[] {
  return [...code.matchAll(/\/\/ prints: (.*)$/gm)].map((m) => (m[1] as string).trim());
}

/** An example as a module: its imports on top (pointing at the sources), its body a function of `client`. */
function exampleModule(code: string): string {
  const lines = code.split('\n');
  const imports = lines
    .filter((line) => line.startsWith('import '))
    .map((line) =>
      line
        .replace("from 'kubedog/testing'", "from '../../src/testing/index.js'")
        .replace("from 'kubedog/report'", "from '../../src/report/index.js'")
        .replace("from 'kubedog/helm'", "from '../../src/helm/index.js'")
        .replace("from 'kubedog'", "from '../../src/index.js'"),
    );
  const body = lines.filter((line) => !line.startsWith('import '));
  return `${imports.join('\n')}\nexport default async function (client: any) {\n${body.join('\n')}\n}\n`;
}

/** Runs every example in turn against one simulated cluster holding the objects they talk about. */
function runner(modules: { name: string; file: string; prints: string[] }[]): string {
  return `import { format } from 'node:util';
import { prepareExampleCluster } from '../../test/api-examples-cluster.js';
const modules = ${JSON.stringify(modules)};
const cluster = await prepareExampleCluster();
const log = console.log;
let failed = 0;
for (const { name, file, prints } of modules) {
  const output: string[] = [];
  console.log = (...args: unknown[]) => output.push(format(...args));
  try {
    const { default: run } = await import('./' + file);
    await run(cluster.client);
    const text = output.join('\\n');
    // Each \`// prints:\` is a whole line of what the example printed, as a reader takes it (ending
    // with "…": a line that begins so — the rest is a temporary path or a generated name).
    const lines = text.split('\\n').map((line) => line.trim());
    const printed = (expected: string) =>
      expected.endsWith(' …') ? lines.some((line) => line.startsWith(expected.slice(0, -2))) : lines.includes(expected);
    for (const expected of prints) if (!printed(expected)) throw new Error('printed no line "' + expected + '", but:\\n' + text);
  } catch (error) {
    failed++;
    console.error('example of ' + name + ' failed: ' + ((error as Error).stack ?? error));
  }
}
console.log = log;
await cluster.close();
if (failed > 0) process.exit(1);
console.log(modules.length + ' examples ran');
`;
}
