import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  findJsonPath,
  formatJsonPathValue,
  JsonPathError,
  parseJsonPath,
} from '../../src/status/jsonpath.js';

/** The input of kubectl's JSONPath reference (kubernetes.io/docs/reference/kubectl/jsonpath). */
const INPUT = {
  kind: 'List',
  items: [
    {
      kind: 'None',
      metadata: { name: '127.0.0.1', labels: { 'kubernetes.io/hostname': '127.0.0.1' } },
      status: {
        capacity: { cpu: '4' },
        addresses: [{ type: 'LegacyHostIP', address: '127.0.0.1' }],
      },
    },
    {
      kind: 'None',
      metadata: { name: '127.0.0.2' },
      status: {
        capacity: { cpu: '8' },
        addresses: [
          { type: 'LegacyHostIP', address: '127.0.0.2' },
          { type: 'another', address: '127.0.0.3' },
        ],
      },
    },
  ],
  users: [
    { name: 'myself', user: {} },
    { name: 'e2e', user: { username: 'admin', password: 'secret' } },
  ],
};

const find = (expression: string, value: unknown = INPUT) => findJsonPath(parseJsonPath(expression), value);

describe("JSONPath, kubectl's dialect", () => {
  test("the examples of kubectl's reference give what it says they give", () => {
    assert.deepEqual(find('{.kind}'), ['List']);
    assert.deepEqual(find('{@}'), [INPUT]);
    assert.deepEqual(find("{['kind']}"), ['List']);
    assert.deepEqual(find('{..name}'), ['127.0.0.1', '127.0.0.2', 'myself', 'e2e']);
    assert.deepEqual(find('{.items[*].metadata.name}'), ['127.0.0.1', '127.0.0.2']);
    assert.deepEqual(find('{.users[0].name}'), ['myself']);
    assert.deepEqual(find("{.items[*]['metadata.name', 'status.capacity']}"), [
      '127.0.0.1',
      '127.0.0.2',
      { cpu: '4' },
      { cpu: '8' },
    ]);
    assert.deepEqual(find('{.users[?(@.name=="e2e")].user.password}'), ['secret']);
    assert.deepEqual(find('{.items[0].metadata.labels.kubernetes\\.io/hostname}'), ['127.0.0.1']);
  });

  test('the forms kubectl wait and get -o jsonpath take: braces and the leading dot may be left out', () => {
    for (const form of ['{.kind}', '.kind', 'kind', '{kind}', '{$.kind}', '  {.kind} '])
      assert.deepEqual(find(form), ['List'], form);
  });

  test('subscripts: an index, from the end, slices with a step, all, unions', () => {
    const list = { a: [0, 1, 2, 3, 4, 5] };
    assert.deepEqual(find('.a[2]', list), [2]);
    assert.deepEqual(find('.a[-1]', list), [5]);
    assert.deepEqual(find('.a[1:3]', list), [1, 2]);
    assert.deepEqual(find('.a[-2:]', list), [4, 5]);
    assert.deepEqual(find('.a[::2]', list), [0, 2, 4]);
    assert.deepEqual(find('.a[*]', list), [0, 1, 2, 3, 4, 5]);
    assert.deepEqual(find('.a[0,5]', list), [0, 5]);
    assert.deepEqual(find('.a[6]', list), [], 'past the end: nothing');
    assert.deepEqual(find('.*', { x: 1, y: [2] }), [1, [2]]);
  });

  test('filters: ==, !=, <, <=, >, >= against text, numbers and booleans; existence; paths on both sides', () => {
    const pods = {
      items: [
        { name: 'a', restarts: 0, ready: true, node: 'n1', want: 'n1' },
        { name: 'b', restarts: 3, ready: false, node: 'n2', want: 'n1' },
        { name: 'c', restarts: 7, node: 'n1' },
      ],
    };
    const names = (filter: string) => find(`{.items[?(${filter})].name}`, pods);
    assert.deepEqual(names('@.restarts > 2'), ['b', 'c']);
    assert.deepEqual(names('@.restarts<=3'), ['a', 'b']);
    assert.deepEqual(names('@.restarts >= 7'), ['c']);
    assert.deepEqual(names('@.restarts < 1'), ['a']);
    assert.deepEqual(names("@.node != 'n1'"), ['b']);
    assert.deepEqual(names('@.ready == true'), ['a']);
    assert.deepEqual(names('@.ready'), ['a', 'b'], 'it exists');
    assert.deepEqual(names('@.node == @.want'), ['a']);
    assert.deepEqual(names('@.restarts == "3"'), [], 'a number is not text');
  });

  test('recursive descent through an object nested 100,000 deep (as a hostile server may send): no stack overflow', () => {
    const depth = 100_000;
    const parsed = JSON.parse(`{"top":${'{"inner":'.repeat(depth)}{"name":"bottom"}${'}'.repeat(depth)}}`);
    assert.deepEqual(findJsonPath(parseJsonPath('{..name}'), parsed), ['bottom']);
  });

  test("a Pod's Ready condition, as kubectl wait's own example reads it", () => {
    const pod = {
      status: {
        conditions: [
          { type: 'PodScheduled', status: 'True' },
          { type: 'Ready', status: 'False' },
        ],
      },
    };
    assert.deepEqual(find('{.status.conditions[?(@.type=="Ready")].status}', pod), ['False']);
    assert.deepEqual(find('{.status.loadBalancer.ingress}', pod), [], 'a missing key: nothing, not an error');
  });

  test('bad expressions: a JsonPathError naming the character', () => {
    const bad: [string, RegExp][] = [
      ['', /the expression is empty at character 1$/],
      ['{.status', /unclosed "\{" at character 9$/],
      ['{.items[}', /unterminated "\[" at character 8$/],
      ['{.a[?(@.x=="y"}', /unterminated filter "\[\?\(" at character 4$/],
      ['{.a[x]}', /invalid array index "x" at character 4$/],
      ['{.a[::0]}', /the step of a slice must be > 0 at character 4$/],
      ['{.a[?(@.x=~"y")]}', /unknown filter operator "=" at character 10$/],
      ['{range .items[*]}{.name}{end}', /one \{…\} expression is taken, not a template at character 17$/],
      ['{.a....b}', /"\.\." twice in a row at character 6$/],
      ['{.a[0]#}', /unexpected "#" at character 7$/],
    ];
    for (const [expression, message] of bad)
      assert.throws(
        () => parseJsonPath(expression),
        (error: unknown) =>
          error instanceof JsonPathError &&
          message.test(error.message) &&
          error.code === 'KUBEDOG_INVALID_INPUT',
        expression,
      );
  });

  test('values as kubectl compares them (Go %v): text, whole numbers, floats, booleans, null; none for a map or a list', () => {
    assert.equal(formatJsonPathValue('Running'), 'Running');
    assert.equal(formatJsonPathValue(3), '3');
    assert.equal(formatJsonPathValue(1.5), '1.5');
    assert.equal(formatJsonPathValue(1500000.5), '1.5000005e+06');
    assert.equal(formatJsonPathValue(0.00001), '1e-05');
    assert.equal(formatJsonPathValue(true), 'true');
    assert.equal(formatJsonPathValue(null), '<nil>');
    assert.equal(formatJsonPathValue({ a: 1 }), undefined);
    assert.equal(formatJsonPathValue([1]), undefined);
  });
});
