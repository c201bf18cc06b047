import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type FinalLineContext, finalLine } from '../../../src/cli/render/final-line.js';
import type { MultitrackSummary, SummaryEntry } from '../../../src/track/events.js';

const entry = (name: string, reason: string): SummaryEntry => ({
  resource: { kind: 'Deployment', namespace: 'default', name },
  reason,
  message: '',
  elapsedMs: 1200,
});
const summary = (
  outcome: MultitrackSummary['outcome'],
  lists: Partial<MultitrackSummary>,
): MultitrackSummary => ({
  outcome,
  elapsedMs: 1234,
  ready: [],
  failed: [],
  pending: [],
  timeline: [],
  degraded: [],
  ...lists,
});
const context = (
  until: FinalLineContext['args']['until'],
  mode: FinalLineContext['args']['mode'] = 'wait',
) => ({
  args: { mode, until, timeout: 30_000 },
  names: (entries: SummaryEntry[]) => entries.map((e) => `deploy/${e.resource.name}`).join(', '),
});

describe('the last line of a track', () => {
  test('waiting for deletions: gone, all gone, nothing to wait for, not deleted at the timeout', () => {
    const one = summary('deleted', { ready: [entry('web', 'Deleted')] });
    assert.equal(finalLine(one, context('deleted')), 'deploy/web is gone (waited 1.2s)');
    const two = summary('deleted', { ready: [entry('a', 'Deleted'), entry('b', 'Deleted')] });
    assert.equal(finalLine(two, context('deleted')), 'all 2 resources are gone (waited 1.2s)');
    assert.equal(
      finalLine(summary('deleted', {}), context('deleted')),
      'nothing matches: nothing left to wait for',
    );
    const late = summary('timeout', {
      ready: [entry('a', 'Deleted')],
      failed: [{ ...entry('b', 'Timeout'), ignored: false }],
    });
    assert.equal(finalLine(late, context('deleted')), 'timed out after 30.0s: deploy/b not deleted');
  });

  test('waiting for creations: exists; not created at the timeout', () => {
    assert.equal(
      finalLine(summary('exists', { ready: [entry('web', 'Exists')] }), context('exists')),
      'deploy/web exists (waited 1.2s)',
    );
    const late = summary('timeout', { failed: [{ ...entry('web', 'Timeout'), ignored: false }] });
    assert.equal(finalLine(late, context('exists')), 'timed out after 30.0s: deploy/web not created');
  });

  test('following: deleted, or what is ready at the end', () => {
    const gone = summary('deleted', { ready: [entry('web', 'Ready')] });
    assert.equal(
      finalLine(gone, context('never', 'follow')),
      'every tracked resource was deleted; followed for 1.2s',
    );
    assert.equal(
      finalLine(summary('ready', { ready: [entry('web', 'Ready')] }), context('never', 'follow')),
      'followed for 1.2s: deploy/web ready',
    );
  });

  test('a rollout: ready after, failed after, with ignored failures named', () => {
    const ready = summary('ready', {
      ready: [entry('a', 'Ready')],
      failed: [{ ...entry('b', 'Error'), ignored: true }],
    });
    assert.equal(
      finalLine(ready, context('ready', 'rollout')),
      '1 of 2 resources ready after 1.2s; failed, ignored (fail-mode ignore): deploy/b',
    );
    const failed = summary('failed', { failed: [{ ...entry('web', 'ImagePullBackOff'), ignored: false }] });
    assert.equal(
      finalLine(failed, context('ready', 'rollout')),
      'deploy/web failed after 1.2s: ImagePullBackOff',
    );
  });
});

test('reads the API server refused are named once each at the end of the last line', () => {
  const rule = { apiGroups: [''], resources: ['events'], verbs: ['list', 'watch'], namespace: 'shop' };
  const denied = (name: string, read: string) => ({
    resource: { kind: 'Deployment', namespace: 'shop', name },
    read,
    rule,
    without: 'whatever it does',
  });
  const line = finalLine(
    summary('ready', {
      ready: [entry('web', 'Ready'), entry('api', 'Ready')],
      degraded: [denied('web', 'events'), denied('api', 'events'), denied('web', 'replicasets')],
    }),
    context('ready'),
  );
  assert.match(line, /^2 of 2 resources ready after 1\.2s \(without access to events, replicasets\)$/);
});
