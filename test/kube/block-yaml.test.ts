/**
 * Kubeconfigs read without the YAML library: what it reads is what the
 * library reads; what it does not know is left to the library.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { readBlockYaml } from '../../src/kube/block-yaml.js';

/** As kubectl writes it: list items at their key's indentation. */
const KUBECTL = `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUM=
    server: https://127.0.0.1:6443
  name: kind-kind
contexts:
- context:
    cluster: kind-kind
    namespace: shop
    user: kind-kind
  name: kind-kind
current-context: kind-kind
kind: Config
preferences: {}
users:
- name: kind-kind
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      args:
      - eks
      - get-token
      - --cluster-name
      - 'prod'
      command: aws
      env: null
      interactiveMode: IfAvailable
      provideClusterInfo: false
`;

/** As a person or another tool writes it: items indented, comments, quotes, a document marker. */
const HANDWRITTEN = `---
# written by hand
apiVersion: "v1"
kind: Config
clusters:
  - name: 'dev''s cluster'
    cluster:
      server: "https://dev.example.com:443/k8s"
      insecure-skip-tls-verify: true

contexts:
  - name: dev
    context: {cluster: "dev's cluster"}
users: []
current-context: dev
`;

describe('kubeconfigs read without the YAML library', () => {
  test('as kubectl writes them, and as people do: the same as the library reads', () => {
    assert.deepEqual(readBlockYaml(KUBECTL), parse(KUBECTL));
    const simple = HANDWRITTEN.replace('context: {cluster: "dev\'s cluster"}', 'context:\n      cluster: x');
    assert.deepEqual(readBlockYaml(simple), parse(simple));
    assert.deepEqual(readBlockYaml('{"apiVersion":"v1","users":[]}'), { apiVersion: 'v1', users: [] });
  });

  test('what it does not know is left to the library (undefined)', () => {
    const outside = [
      HANDWRITTEN, // a flow mapping with content
      'a: &x 1\nb: *x\n',
      'a: !!str yes\n',
      'a: |\n  text\n',
      'a: plain\n  continued\n',
      'port: 6443\n',
      'timeout: 1.5\n',
      'server: https://x # prod\n',
      'a:\n\tb: c\n',
      'a: "line\\nbreak"\n',
      'a: b\n---\nc: d\n',
      'a: b\na: c\n',
      '- a\n- b\n',
      '',
      '# only a comment\n',
      '{not json: 1}\n',
    ];
    for (const text of outside) assert.equal(readBlockYaml(text), undefined, JSON.stringify(text));
  });

  test('a key named __proto__ is a key like any other, not the object’s prototype (as the library and JSON read it)', () => {
    for (const text of ['__proto__: ""\n', '__proto__:\n  server: x\n', 'users:\n- __proto__: admin\n'])
      assert.deepEqual(readBlockYaml(text), parse(text), text);
    const read = readBlockYaml('__proto__:\n  polluted: yes\n') as Record<string, unknown>;
    assert.ok(Object.hasOwn(read, '__proto__'));
    assert.equal(Object.getPrototypeOf(read), Object.prototype);
  });

  test('whatever it reads, the library reads the same (generated kubeconfigs, as the library writes them)', () => {
    const text = fc.oneof(
      fc.constantFrom(
        'v1',
        'Config',
        'https://127.0.0.1:6443',
        '--cluster-name',
        'a b',
        "it's",
        'x:y',
        '#tag',
        '',
      ),
      fc.string({ maxLength: 12 }),
    );
    const leaf = fc.oneof(text, fc.boolean(), fc.constant(null), fc.integer());
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        fc.array(tie('node'), { maxLength: 3 }),
        fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), tie('node'), { maxKeys: 3 }),
      ),
    })).node;
    const document = fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), value, {
      minKeys: 1,
      maxKeys: 5,
    });
    fc.assert(
      fc.property(document, fc.boolean(), (object, indentSeq) => {
        const written = stringify(object, { indentSeq });
        const read = readBlockYaml(written);
        if (read !== undefined) assert.deepEqual(read, parse(written));
        assert.deepEqual(readBlockYaml(JSON.stringify(object)), JSON.parse(JSON.stringify(object)));
      }),
      { numRuns: 500 },
    );
  });

  test('most generated kubeconfigs of plain names and strings are read without the library', () => {
    const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/);
    const entry = fc.record({
      name,
      cluster: fc.record({ server: name, 'insecure-skip-tls-verify': fc.boolean() }),
    });
    let read = 0;
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 4 }), fc.boolean(), (clusters, indentSeq) => {
        const written = stringify({ apiVersion: 'v1', kind: 'Config', clusters }, { indentSeq });
        const fast = readBlockYaml(written);
        if (fast !== undefined) read++;
        assert.deepEqual(fast ?? parse(written), parse(written));
      }),
      { numRuns: 200 },
    );
    assert.ok(read >= 190, `${read} of 200 read without the library`);
  });
});
