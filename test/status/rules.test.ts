import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InvalidInputError } from '../../src/kube/errors.js';
import { compileJsonPath, evaluateJsonPath, parseRules } from '../../src/status/rules.js';
import { type Case, object, runCases } from './cases.js';

const RULES = `
rules:
  - kind: Database
    group: db.example.com
    jsonPath: '{.status.state}'
    ready: [Online]
    failed: [Error, Failed]
  - kind: Widget
    jsonPath: .status.conditions[?(@.type=="Synced")].status
    ready: ["True"]
    failed: ["False"]
`;
const rules = parseRules(RULES, 'rules.yaml');

const cases: Case[] = [
  {
    name: 'user rule: ready value',
    object: object('db.example.com/v1', 'Database', { state: 'Online' }),
    context: { rules },
    state: 'ready',
    message: 'database "x": {.status.state} is Online',
  },
  {
    name: 'user rule: failed value',
    object: object('db.example.com/v1', 'Database', { state: 'Error' }),
    context: { rules },
    state: 'failed',
  },
  {
    name: 'user rule: other values progress',
    object: object('db.example.com/v1', 'Database', { state: 'Creating' }),
    context: { rules },
    state: 'progressing',
  },
  {
    name: 'user rule: value not set yet',
    object: object('db.example.com/v1', 'Database', {}),
    context: { rules },
    state: 'progressing',
    message: /is not set yet/,
  },
  {
    name: 'user rule for another group does not apply',
    object: object('other.io/v1', 'Database', { phase: 'Failed' }),
    context: { rules },
    state: 'failed',
    reason: 'PhaseFailed',
  },
  {
    name: 'user rule with a filter expression',
    object: object('example.com/v1', 'Widget', {
      conditions: [
        { type: 'Ready', status: 'False' },
        { type: 'Synced', status: 'True' },
      ],
    }),
    context: { rules },
    state: 'ready',
  },
  {
    name: 'user rule wins over the built-in default',
    object: object('example.com/v1', 'Widget', {
      conditions: [
        { type: 'Synced', status: 'False' },
        { type: 'Ready', status: 'True' },
      ],
    }),
    context: { rules },
    state: 'failed',
  },
];

describe('user-supplied rules', () => {
  runCases(cases);

  test('JSONPath subset', () => {
    const doc = {
      a: {
        b: [
          { n: 1, k: 'x' },
          { n: 2, k: 'y' },
        ],
      },
      'dotted.key': 5,
    };
    assert.equal(evaluateJsonPath(compileJsonPath('.a.b[1].n', 't'), doc), 2);
    assert.equal(evaluateJsonPath(compileJsonPath('{.a.b[?(@.k=="y")].n}', 't'), doc), 2);
    assert.equal(evaluateJsonPath(compileJsonPath("$['dotted.key']", 't'), doc), 5);
    assert.equal(evaluateJsonPath(compileJsonPath('.a.b[*].k', 't'), doc), 'x');
    assert.equal(evaluateJsonPath(compileJsonPath('.a.missing.deeper', 't'), doc), undefined);
  });

  const bad: [string, RegExp][] = [
    ['rules: [', /rules file r.yaml: line \d+: /],
    ['rules: 5', /expected a top-level "rules" list/],
    ['rules:\n  - jsonPath: .a\n    ready: [x]', /rules\[0\] has no kind/],
    ['rules:\n  - kind: W\n    ready: [x]', /rules\[0\] \(W\) has no jsonPath/],
    ['rules:\n  - kind: W\n    jsonPath: .a..b\n    ready: [x]', /invalid jsonPath "\.a\.\.b"/],
    ['rules:\n  - kind: W\n    jsonPath: .a\n    ready: x', /"ready" must be a list/],
    ['rules:\n  - kind: W\n    jsonPath: .a', /lists no "ready" values/],
  ];
  for (const [text, message] of bad) {
    test(`bad rules file: ${message.source}`, () => {
      assert.throws(
        () => parseRules(text, 'r.yaml'),
        (error: unknown) => error instanceof InvalidInputError && message.test(error.message),
      );
    });
  }
});
