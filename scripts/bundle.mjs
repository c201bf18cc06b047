/**
 * Builds dist/: the typings by tsc, the JavaScript by esbuild.
 *   node scripts/bundle.mjs                 (npm run build) the package: one
 *       module per entry point (index, testing, report, helm, cli/main) and shared
 *       chunks; undici and yaml in dist/vendor/*.cjs, loaded on first use;
 *       the recorded fixtures gzipped; dist/THIRD_PARTY_NOTICES.md.
 *   node scripts/bundle.mjs --single-file   also dist/kubedog.mjs: the CLI in one
 *       file that runs with plain `node`, no node_modules.
 *   node scripts/bundle.mjs --sea           also dist/kubedog-linux-x64: a Node single
 *       executable application (the CLI and the Node it runs on; needs postject).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
/**
 * What kubedog uses of each bundled package (the types UndiciUsed and YamlUsed
 * in src/vendor say the same): only what these reach is bundled — undici's
 * files taken one by one, yaml's names re-exported.
 */
const VENDORED = {
  // As undici's index.js: request(), stream() and the rest are added to every dispatcher.
  undici: `Object.assign(require('undici/lib/dispatcher/dispatcher').prototype, require('undici/lib/api'));
module.exports = {
  Agent: require('undici/lib/dispatcher/agent'),
  ProxyAgent: require('undici/lib/dispatcher/proxy-agent'),
};`,
  yaml: `export { parse, parseDocument, parseAllDocuments, stringify, isMap, LineCounter } from 'yaml';`,
};
const ENTRIES = [
  'src/index.ts',
  'src/testing/index.ts',
  'src/report/index.ts',
  'src/helm/index.ts',
  'src/cli/main.ts',
];
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20.18',
  legalComments: 'none',
  logLevel: 'warning',
};

/** The package: kubedog's modules bundled per entry point; undici and yaml apart, loaded when first needed. */
async function packageBuild() {
  rmSync('dist', { recursive: true, force: true });
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    stdio: 'inherit',
  });
  pruneTypings();
  for (const [name, contents] of Object.entries(VENDORED))
    await build({
      ...common,
      stdin: { contents, resolveDir: '.', sourcefile: `vendor-${name}.js` },
      outfile: `dist/vendor/${name}.cjs`,
      format: 'cjs',
      minify: true,
    });
  await build({
    ...common,
    entryPoints: ENTRIES,
    outbase: 'src',
    outdir: 'dist',
    format: 'esm',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    external: Object.keys(VENDORED),
    // Smaller (330 kB instead of 590), with the names kept: a stack trace still says which function.
    minify: true,
    keepNames: true,
    // Lines of at most 120 characters: an uncaught error's source excerpt (Node prints the throw
    // site's line) is one short line, not a whole module (bench/README.md, readable failures).
    lineLimit: 120,
    define: { KUBEDOG_VENDOR: '"package"', KUBEDOG_VERSION: JSON.stringify(pkg.version) },
  });
  gzipFixtures();
  writeNotices();
}

/**
 * Only the typings the entry points reach: tsc writes one per module, and
 * the CLI's, for one, no import of kubedog's can name.
 */
function pruneTypings() {
  const reached = new Set();
  const visit = (file) => {
    if (reached.has(file)) return;
    reached.add(file);
    const text = readFileSync(file, 'utf8');
    for (const [, spec] of text.matchAll(/(?:from |import\()['"](\.{1,2}\/[^'"]+)\.js['"]/g))
      visit(join(dirname(file), `${spec}.d.ts`));
  };
  // The CLI is a command, not a module anyone imports.
  for (const entry of ENTRIES.filter((e) => !e.includes('/cli/')))
    visit(entry.replace(/^src\//, 'dist/').replace(/\.ts$/, '.d.ts'));
  const walk = (dir) =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
    );
  for (const file of walk('dist')) if (file.endsWith('.d.ts') && !reached.has(file)) rmSync(file);
}

/** The recorded fixtures, 1.6 MB of NDJSON, are 0.1 MB gzipped: the package ships those. */
function gzipFixtures() {
  const from = 'fixtures/scenarios';
  const to = 'dist/fixtures/scenarios';
  mkdirSync(to, { recursive: true });
  for (const file of readdirSync(from).filter((f) => f.endsWith('.ndjson')))
    writeFileSync(join(to, `${file}.gz`), gzipSync(readFileSync(join(from, file)), { level: 9 }));
}

/** The licences of what is bundled, with their versions. */
function writeNotices() {
  const sections = Object.keys(VENDORED).map((name) => {
    const dir = join('node_modules', name);
    const { version, license, homepage } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const text = readFileSync(
      join(
        dir,
        readdirSync(dir).find((f) => /^licen[sc]e/i.test(f)),
      ),
      'utf8',
    );
    return `## ${name} ${version} (${license})\n\n${homepage ?? ''}\n\n\`\`\`text\n${text.trim()}\n\`\`\`\n`;
  });
  writeFileSync(
    'dist/THIRD_PARTY_NOTICES.md',
    `# Third-party notices\n\nkubedog bundles these packages into dist/vendor (and into its single-file CLI).\n\n${sections.join('\n')}`,
  );
}

/** The vendored modules inlined: the single-file builds have no package around them to load them from. */
const inlineVendored = {
  name: 'inline-vendored',
  setup(context) {
    context.onLoad({ filter: /src[\\/]vendor[\\/]load\.ts$/ }, () => ({
      contents: `import * as undici from 'undici';\nimport * as yaml from 'yaml';\nexport const loadVendored = (name) => (name === 'undici' ? undici : yaml);\nexport const loadBuiltin = (name) => require(name);\n`,
      loader: 'js',
      resolveDir: 'src/vendor',
    }));
  },
};

/** The CLI in one file: ESM for `node dist/kubedog.mjs`, CommonJS for the single executable. */
async function singleFile(format, outfile) {
  const version = { KUBEDOG_VERSION: JSON.stringify(pkg.version) };
  await build({
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile,
    format,
    minify: true,
    plugins: [inlineVendored],
    // undici is CommonJS: its require() of Node's modules needs a require in an ES module.
    ...(format === 'esm'
      ? {
          banner: {
            js: "import { createRequire as kubedogRequire } from 'node:module'; const require = kubedogRequire(import.meta.url);",
          },
        }
      : {}),
    // CommonJS (the single executable) has no import.meta: what reads it finds no package, as it should.
    define: format === 'cjs' ? { ...version, 'import.meta.url': 'undefined' } : version,
  });
}

/** A Node single executable application for this platform (https://nodejs.org/api/single-executable-applications.html). */
function seaBuild() {
  const binary = `dist/kubedog-${process.platform}-${process.arch}`;
  writeFileSync(
    'dist/sea-config.json',
    JSON.stringify({
      main: 'dist/kubedog-sea.cjs',
      output: 'dist/sea-prep.blob',
      disableExperimentalSEAWarning: true,
      // V8's compiled code of the CLI, made at build time for this Node: a track costs 180 ms of CPU
      // instead of 210 (bench/README.md, startup); the executable grows by 0.1 MB.
      useCodeCache: true,
    }),
  );
  execFileSync(process.execPath, ['--experimental-sea-config', 'dist/sea-config.json'], { stdio: 'inherit' });
  copyFileSync(process.execPath, binary);
  execFileSync(
    process.execPath,
    [
      'node_modules/postject/dist/cli.js',
      binary,
      'NODE_SEA_BLOB',
      'dist/sea-prep.blob',
      '--sentinel-fuse',
      'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2',
    ],
    // postject warns about ELF notes it cannot name: said only when it fails.
    { stdio: 'pipe' },
  );
  for (const file of ['dist/sea-config.json', 'dist/sea-prep.blob', 'dist/kubedog-sea.cjs']) rmSync(file);
  return binary;
}

const kb = (file) => `${(statSync(file).size / 1024).toFixed(0)} kB`;
await packageBuild();
if (process.argv.includes('--single-file') || process.argv.includes('--sea')) {
  await singleFile('esm', 'dist/kubedog.mjs');
  console.log(`dist/kubedog.mjs ${kb('dist/kubedog.mjs')}`);
}
if (process.argv.includes('--sea')) {
  await singleFile('cjs', 'dist/kubedog-sea.cjs');
  const binary = seaBuild();
  console.log(`${binary} ${kb(binary)}`);
}
