import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InvalidInputError } from '../../src/kube/errors.js';
import {
  fieldValue,
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
} from '../../src/kube/selector.js';

describe('label selectors', () => {
  const cases: [string, Record<string, string>, boolean][] = [
    ['app=web', { app: 'web' }, true],
    ['app==web', { app: 'web' }, true],
    ['app=web', { app: 'db' }, false],
    ['app!=web', { app: 'db' }, true],
    ['app!=web', {}, true],
    ['app in (web, api)', { app: 'api' }, true],
    ['app notin (web,api)', { app: 'api' }, false],
    ['app notin (web,api)', {}, true],
    ['app', { app: '' }, true],
    ['!app', { app: 'x' }, false],
    ['!app', {}, true],
    ['app=web,tier=front', { app: 'web', tier: 'front' }, true],
    ['app=web,tier=front', { app: 'web', tier: 'back' }, false],
    ['example.com/team=a', { 'example.com/team': 'a' }, true],
    ['replicas>2', { replicas: '3' }, true],
    ['replicas<2', { replicas: '3' }, false],
    ['', { anything: 'x' }, true],
  ];
  for (const [selector, labels, expected] of cases) {
    test(`"${selector}" ${expected ? 'matches' : 'does not match'} ${JSON.stringify(labels)}`, () => {
      assert.equal(matchesLabels(parseLabelSelector(selector), labels), expected);
    });
  }

  for (const bad of [
    'app=',
    'app==web,',
    '=web',
    'app in ()',
    'app in web',
    'a b c',
    'replicas>x',
    'ap p=web',
    '-app=x',
  ]) {
    test(`rejects "${bad}" with a message naming it`, () => {
      if (bad === 'app=') {
        // An empty value is valid: it matches labels set to "".
        assert.deepEqual(parseLabelSelector(bad), [{ key: 'app', op: 'in', values: [''] }]);
        return;
      }
      assert.throws(
        () => parseLabelSelector(bad),
        (error: unknown) =>
          error instanceof InvalidInputError && error.message.includes(`"${bad}"`) && error.input === bad,
      );
    });
  }
});

describe('field selectors', () => {
  const event = { metadata: { name: 'e1', namespace: 'ns' }, involvedObject: { kind: 'Pod', name: 'web-1' } };
  test('match dotted paths with = and !=', () => {
    assert.ok(matchesFields(parseFieldSelector('involvedObject.kind=Pod,involvedObject.name=web-1'), event));
    assert.ok(!matchesFields(parseFieldSelector('involvedObject.name!=web-1'), event));
    assert.ok(matchesFields(parseFieldSelector('metadata.namespace==ns'), event));
  });
  test('escaped commas belong to the value', () => {
    assert.deepEqual(parseFieldSelector('metadata.name=a\\,b'), [
      { path: 'metadata.name', op: '=', value: 'a,b' },
    ]);
  });
  test('missing fields read as empty', () => {
    assert.equal(fieldValue(event, 'status.phase'), '');
    assert.ok(matchesFields(parseFieldSelector('status.phase='), event));
  });
  test('rejects text without an operator', () => {
    assert.throws(() => parseFieldSelector('metadata.name'), /invalid field selector "metadata.name"/);
  });
});
