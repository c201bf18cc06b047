import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeObject } from '../../src/kube/types.js';
import { podSelectorOf, SCOPED_RESOURCES, scopeFor } from '../../src/track/scope.js';

const withSelector = (selector: unknown): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: { selector },
});

describe('watch scope', () => {
  test("a workload's selector as the label selector query the server takes", () => {
    assert.equal(
      podSelectorOf(withSelector({ matchLabels: { app: 'web', tier: 'front' } })),
      'app=web,tier=front',
    );
    assert.equal(
      podSelectorOf(
        withSelector({
          matchLabels: { app: 'web' },
          matchExpressions: [
            { key: 'track', operator: 'In', values: ['stable', 'canary'] },
            { key: 'env', operator: 'NotIn', values: ['dev'] },
            { key: 'team', operator: 'Exists' },
            { key: 'legacy', operator: 'DoesNotExist' },
          ],
        }),
      ),
      'app=web,track in (stable,canary),env notin (dev),team,!legacy',
    );
  });

  test('a selector that selects everything, none, or one the query cannot say: the namespace is watched', () => {
    assert.equal(podSelectorOf(withSelector({})), undefined);
    assert.equal(podSelectorOf(withSelector(undefined)), undefined);
    assert.equal(podSelectorOf(withSelector('app=web')), undefined);
    assert.equal(
      podSelectorOf(withSelector({ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] })),
      undefined,
    );
    assert.equal(
      podSelectorOf(withSelector({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] })),
      undefined,
    );
  });

  test(`'auto' scopes a track of up to ${SCOPED_RESOURCES} resources of a namespace to each resource; asked, as asked`, () => {
    assert.equal(scopeFor(undefined, 1), 'resource');
    assert.equal(scopeFor('auto', SCOPED_RESOURCES), 'resource');
    assert.equal(scopeFor('auto', SCOPED_RESOURCES + 1), 'namespace');
    assert.equal(scopeFor('resource', 1000), 'resource');
    assert.equal(scopeFor('namespace', 1), 'namespace');
  });
});
