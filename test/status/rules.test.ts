import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InvalidInputError } from '../../src/kube/errors.js';
import { applyRule, type CustomRule, parseRules } from '../../src/status/rules.js';
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

  test("a rule's JSONPath is kubectl's (test/status/jsonpath.test.ts): its first value is what the rule compares", () => {
    const rules = parseRules(
      'rules:\n  - kind: W\n    jsonPath: "{.status.items[?(@.k==\\"y\\")].n}"\n    ready: ["2"]\n  - kind: V\n    jsonPath: "{.status[\'dotted\\\\.key\']}"\n    ready: ["5"]\n',
      'r.yaml',
    );
    const w = {
      apiVersion: 'example.com/v1',
      kind: 'W',
      metadata: { name: 'w' },
      status: {
        items: [
          { n: 1, k: 'x' },
          { n: 2, k: 'y' },
        ],
      },
    };
    const v = {
      apiVersion: 'example.com/v1',
      kind: 'V',
      metadata: { name: 'v' },
      status: { 'dotted.key': 5 },
    };
    assert.equal(applyRule(rules[0] as CustomRule, w).state, 'ready');
    assert.equal(applyRule(rules[1] as CustomRule, v).state, 'ready');
  });

  const bad: [string, RegExp][] = [
    ['rules: [', /rules file r.yaml: line \d+: /],
    ['rules: 5', /expected a top-level "rules" list/],
    ['rules:\n  - jsonPath: .a\n    ready: [x]', /rules\[0\] has no kind/],
    ['rules:\n  - kind: W\n    ready: [x]', /rules\[0\] \(W\) has no jsonPath/],
    [
      'rules:\n  - kind: W\n    jsonPath: .a[x]\n    ready: [x]',
      /rules\[0\] \(W\): invalid JSONPath "\.a\[x\]": invalid array index "x" at character 3$/,
    ],
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
