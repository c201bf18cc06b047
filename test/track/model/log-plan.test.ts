import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeObject } from '../../../src/kube/types.js';
import { type ContainerFilter, type LogAction, LogPlan } from '../../../src/track/model/log-plan.js';

const running = (name: string, id = `cri://${name}-1`) => ({ name, containerID: id, state: { running: {} } });

function pod(name: string, node: string, status: Record<string, unknown>): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { nodeName: node }, status };
}

const said = (actions: LogAction[]) =>
  actions.map((a) =>
    a.type === 'follow' ? `follow ${a.tail.pod}/${a.tail.container}` : `${a.type} ${a.pod}`,
  );

describe('which container instances are followed', () => {
  const crashLooping = pod('web-a', 'node-1', {
    containerStatuses: [
      running('app'),
      {
        name: 'sidecar',
        state: { waiting: { reason: 'CrashLoopBackOff' } },
        lastState: { terminated: { containerID: 'cri://sidecar-1' } },
      },
      { name: 'init-done', containerID: 'cri://init-1', state: { terminated: { exitCode: 0 } } },
    ],
  });
  const plan = (filter: ContainerFilter) => said(new LogPlan(filter).update(crashLooping));

  test('by default: running and terminated instances, and the crashed instance of a waiting one', () => {
    assert.deepEqual(plan({}), ['follow web-a/app', 'previous web-a', 'follow web-a/init-done']);
  });

  test("--container-state: only instances in those states (waiting: a crashed instance's last lines)", () => {
    assert.deepEqual(plan({ states: ['running'] }), ['follow web-a/app']);
    assert.deepEqual(plan({ states: ['waiting'] }), ['previous web-a']);
    assert.deepEqual(plan({ states: ['terminated'] }), ['follow web-a/init-done']);
  });

  test('--node and --exclude-pod: pods elsewhere, or whose name matches, are not followed', () => {
    assert.deepEqual(plan({ node: 'node-2' }), []);
    assert.equal(plan({ node: 'node-1' }).length, 3);
    assert.deepEqual(plan({ excludePods: [/^web-/] }), []);
    assert.equal(plan({ excludePods: [/^api-/] }).length, 3);
  });

  test('ephemeral containers (kubectl debug) are followed too', () => {
    const debugged = pod('web-a', 'node-1', {
      containerStatuses: [running('app')],
      ephemeralContainerStatuses: [running('debugger-x7')],
    });
    assert.deepEqual(said(new LogPlan().update(debugged)), ['follow web-a/app', 'follow web-a/debugger-x7']);
  });
});
