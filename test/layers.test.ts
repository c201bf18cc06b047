import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, test } from 'node:test';

const SRC = resolve('src');

/** Every .ts file under a folder. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The top folder of src/ a file is in (`.` for src/ itself). */
function layerOf(path: string): string {
  const parts = relative(SRC, path).split('/');
  return parts.length > 1 ? (parts[0] as string) : '.';
}

/** Which top folders import which, from every static and dynamic relative import in src/. */
function folderGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of sources(SRC)) {
    const from = layerOf(file);
    const edges = graph.get(from) ?? new Set<string>();
    graph.set(from, edges);
    const text = readFileSync(file, 'utf8');
    for (const [, specifier] of text.matchAll(/(?:from|import\()\s*'(\.[^']+)'/g)) {
      const to = layerOf(resolve(dirname(file), specifier as string));
      if (to !== from) edges.add(to);
    }
  }
  return graph;
}

/** A cycle among the folders (as a path `a → b → a`), or undefined. */
function findCycle(graph: Map<string, Set<string>>): string[] | undefined {
  const state = new Map<string, 'open' | 'closed'>();
  const path: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === 'closed') return undefined;
    if (state.get(node) === 'open') return [...path.slice(path.indexOf(node)), node];
    state.set(node, 'open');
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(node, 'closed');
    return undefined;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}

describe('layers: the folders of src/ only point down', () => {
  test('no folder imports, directly or through others, a folder that imports it', () => {
    const cycle = findCycle(folderGraph());
    assert.equal(cycle, undefined, `folder cycle: ${cycle?.join(' → ')}`);
  });

  test('the layers named in the design hold: each imports only those below it', () => {
    const below: Record<string, string[]> = {
      vendor: [],
      kube: ['vendor'],
      'helm-record': ['kube', 'vendor'],
      status: ['kube', 'vendor', 'helm-record'],
      track: ['kube', 'vendor', 'helm-record', 'status'],
      inputs: ['kube', 'vendor', 'helm-record', 'status', 'track'],
      helm: ['kube', 'vendor', 'helm-record', 'status', 'track', 'inputs'],
      report: ['kube', 'vendor', 'helm-record', 'status', 'track'],
    };
    const graph = folderGraph();
    for (const [layer, allowed] of Object.entries(below)) {
      const above = [...(graph.get(layer) ?? [])].filter((to) => !allowed.includes(to));
      assert.deepEqual(above, [], `${layer}/ imports ${above.join(', ')}`);
    }
  });

  test('time in track/, helm/ and report/ is the injected clock: no Date.now, setTimeout or setInterval of their own', () => {
    const own = ['track', 'helm', 'report'].flatMap((folder) =>
      sources(join(SRC, folder)).flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .flatMap((line, i) =>
            /\b(Date\.now|setTimeout|setInterval|AbortSignal\.timeout)\(/.test(line)
              ? [`${relative(SRC, file)}:${i + 1}`]
              : [],
          ),
      ),
    );
    assert.deepEqual(own, []);
  });

  test('the check sees a cycle when there is one', () => {
    const graph = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
    ]);
    assert.deepEqual(findCycle(graph), ['a', 'b', 'c', 'a']);
    assert.equal(findCycle(new Map([['a', new Set(['b'])]])), undefined);
  });
});
