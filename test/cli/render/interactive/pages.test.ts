import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setImmediate as tick } from 'node:timers/promises';
import { drawFrame } from '../../../../src/cli/render/interactive/frame.js';
import { InteractiveView } from '../../../../src/cli/render/interactive/index.js';
import {
  describeLines,
  eventLines,
  type Inspector,
  yamlLines,
} from '../../../../src/cli/render/interactive/inspect.js';
import { Navigation } from '../../../../src/cli/render/interactive/navigation.js';
import { KEYS } from '../../../../src/cli/render/interactive/pages.js';
import type { KubeObject } from '../../../../src/kube/types.js';
import { fakeTerminal } from './fake-terminal.js';
import { api, crashLoop, heading, pod, progress, rollout, screen, time } from './scenes.js';

/** The view reads the clock itself: what the pages say is relative to now. */
const T0 = Date.now();

const apiObject = (): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'api',
    namespace: 'shop',
    creationTimestamp: new Date(T0 - 600_000).toISOString(),
    labels: { app: 'api' },
    annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"password":"hunter2"}' },
    managedFields: [{ manager: 'kubectl' }, { manager: 'kube-controller-manager' }],
  },
  spec: {
    template: {
      spec: {
        containers: [
          {
            name: 'app',
            image: 'api:v1',
            env: [
              { name: 'DB_PASSWORD', value: 'hunter2' },
              { name: 'LOG_LEVEL', value: 'debug' },
            ],
            args: ['--token=s3cr3t-value'],
          },
        ],
      },
    },
  },
  status: {
    conditions: [
      { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'no minimum' },
    ],
  },
});

const event = (name: string, reason: string, type: string, at: number, message: string): KubeObject => ({
  metadata: { name: `${name}.1`, namespace: 'shop' },
  involvedObject: { kind: name.startsWith('api-1') ? 'Pod' : 'Deployment', name },
  type,
  reason,
  message,
  count: 3,
  lastTimestamp: new Date(at).toISOString(),
});

/** Reads from a cluster as the test says: the api Deployment, Events from before the track, previous logs. */
function fakeInspector(calls: string[] = []): Inspector {
  return {
    get: async (ref) => {
      calls.push(`get ${ref.kind}/${ref.name}`);
      if (ref.kind === 'Pod')
        throw new Error('pods "api-1" is forbidden: User "ci" cannot get resource "pods"');
      return apiObject();
    },
    events: async (namespace, fieldSelector) => {
      calls.push(`events ${namespace} ${fieldSelector ?? ''}`.trim());
      return [
        event('api-1', 'BackOff', 'Warning', T0 - 21_000, 'Back-off restarting failed container app'),
        event('api', 'ScalingReplicaSet', 'Normal', T0 - 600_000, 'Scaled up replica set api-7f9 to 2'),
        event('other', 'Pulled', 'Normal', T0 - 1000, 'not about api'),
      ];
    },
    logs: (pod, read) => {
      calls.push(`logs ${pod.name} ${read.container} previous=${read.previous}`);
      return (async function* () {
        yield [
          { time, text: 'starting api' },
          { time, text: 'panic: missing DATABASE_URL' },
        ];
      })();
    },
  };
}

/** The view on a fake terminal, fed the rollout's events. */
function viewOn(inspector: Inspector | undefined, clipboard = false) {
  const { input, output, streams } = fakeTerminal({ columns: 120, rows: 40 });
  const view = new InteractiveView(...streams, {
    title: 'kubedog rollout track',
    resources: [api],
    allNamespaces: false,
    describe: () => ({ ok: false, text: '' }),
    ...(inspector ? { inspector } : {}),
    logsUntil: 'never',
    clipboard,
  });
  view.start();
  for (const e of [progress(api, 0, 'Waiting for rollout'), pod(api, 'api-1', false), crashLoop()])
    view.observe(e);
  const type = (keys: string) => input.emit('data', keys);
  const frame = () =>
    drawFrame(view.state, view.nav, heading, { width: 120, height: 40 }, T0).text().join('\n');
  // The first frame, as the view draws at once: the failing resource opens itself.
  frame();
  return { view, output, type, frame };
}

describe('pages over the panes', () => {
  test('? lists every key; Esc (or q) goes back to the panes without leaving', () => {
    const state = rollout();
    const nav = new Navigation();
    let lines = screen(state, nav, '?');
    assert.equal(nav.page, undefined, 'the view opens pages: the navigation asks for one');
    assert.deepEqual(nav.handle('?', state), { open: 'help' });
    const { view, type, frame } = viewOn(undefined);
    type('?');
    const help = frame();
    for (const [key] of KEYS) assert.ok(help.includes(key), key);
    assert.match(help, /\n Keys\n/);
    type('q');
    assert.equal(view.nav.page, undefined);
    lines = frame().split('\n');
    assert.match(lines[1] ?? '', /NAME/);
    view.close();
  });

  test('d describes the selection: the verdict in full with its hint, conditions, and Events from before the track', async () => {
    const calls: string[] = [];
    const { view, type, frame } = viewOn(fakeInspector(calls));
    type('j');
    type('d');
    assert.match(frame(), /Describe · deployment\/api\n reading…/);
    await tick();
    await tick();
    const page = frame();
    assert.match(
      page,
      /Name: +api\n Namespace: +shop\n Kind: +Deployment\n Created: +\S+ \(10m ago\)\n Labels: +app=api/,
    );
    assert.match(page, /Status: +CrashLoopBackOff: pod api-1: container app keeps crashing/);
    assert.match(page, /Available +False +MinimumReplicasUnavailable +no minimum/);
    assert.match(page, /21s +Warning +BackOff +pod\/api-1 +Back-off restarting failed container app \(×3\)/);
    assert.match(page, /10m +Normal +ScalingReplicaSet +deployment\/api/);
    assert.doesNotMatch(page, /not about api/);
    assert.deepEqual(calls, ['get Deployment/api', 'events shop']);
    type('\u001b');
    assert.equal(view.nav.page, undefined);
    view.close();
  });

  test('a read the server refuses says so on the page, in one line', async () => {
    const { view, type, frame } = viewOn(fakeInspector());
    type('jjy');
    await tick();
    await tick();
    assert.match(
      frame(),
      /YAML · pod\/api-1\n cannot read pod\/api-1: pods "api-1" is forbidden: User "ci" cannot get resource "pods"/,
    );
    view.close();
  });

  test('e lists a pod’s Events by field selector; p reads the previous instance of the container that restarted most', async () => {
    const calls: string[] = [];
    const { view, type, frame } = viewOn(fakeInspector(calls));
    type('jje');
    await tick();
    await tick();
    assert.match(frame(), /Events · pod\/api-1\n LAST SEEN +TYPE +REASON +OBJECT +MESSAGE/);
    type('\u001bkp');
    await tick();
    await tick();
    assert.match(frame(), /Previous logs · pod\/api-1 › app\n starting api\n panic: missing DATABASE_URL/);
    assert.deepEqual(calls, ['events shop involvedObject.name=api-1', 'logs api-1 app previous=true']);
    view.close();
  });

  test('without a cluster to read (every resource selected), d says what to select', () => {
    const { view, type, frame } = viewOn(fakeInspector());
    type('d');
    assert.match(frame(), /describe: select a resource, a pod or a container first/);
    view.close();
  });

  test('c copies the selected message with OSC 52 when --clipboard allows it; else it says how', () => {
    const on = viewOn(undefined, true);
    on.type('jc');
    const osc = '\u001b]52;c;';
    const start = on.output.written.indexOf(osc) + osc.length;
    const base64 = on.output.written.slice(start, on.output.written.indexOf('\u0007', start));
    assert.equal(
      Buffer.from(base64 ?? '', 'base64').toString(),
      'CrashLoopBackOff: pod api-1: container app keeps crashing; Waiting for rollout',
    );
    assert.match(on.frame(), /copied 78 characters/);
    on.view.close();
    const off = viewOn(undefined, false);
    off.type('jc');
    assert.ok(!off.output.written.includes('\u001b]52'));
    assert.match(off.frame(), /copying is off: --clipboard lets c copy/);
    off.view.close();
  });
});

describe('what the pages show', () => {
  test('YAML as the server has it: managedFields and the last applied configuration folded, credentials masked', async () => {
    const text = (await yamlLines(apiObject())).map((line) => line.text).join('\n');
    assert.match(text, /managedFields: \(2 entries folded\)/);
    assert.match(text, /last-applied-configuration: \(22 characters folded\)/);
    assert.match(text, /- name: DB_PASSWORD\n\s+value: "\*\*\*"/);
    assert.match(text, /- name: LOG_LEVEL\n\s+value: debug/);
    assert.match(text, /--token=\*\*\*/);
    assert.doesNotMatch(text, /hunter2|s3cr3t/);
  });

  test('a Secret’s values are never shown', async () => {
    const secret: KubeObject = {
      kind: 'Secret',
      metadata: { name: 'db' },
      data: { password: 'aHVudGVyMg==' },
      stringData: { url: 'postgres://u:p@db' },
    };
    const text = (await yamlLines(secret)).map((line) => line.text).join('\n');
    assert.doesNotMatch(text, /aHVudGVyMg|postgres/);
    assert.match(text, /password: "?\*\*\*"?\n/);
  });

  test('what a broken server sends is shown as far as it makes sense, never a crash', async () => {
    const junk = {
      kind: 'Pod',
      status: { containerStatuses: [null, { name: 'app', state: 'weird' }], conditions: 'no' },
    };
    const lines = describeLines(
      rollout(),
      { kind: 'pod', key: 'Deployment/shop/api', pod: 'api-1' },
      junk as never,
      undefined,
      T0,
    )
      .map((line) => line.text)
      .join('\n');
    assert.match(lines, /Name: +\n/);
    assert.match(lines, /Containers:\n {2}app {2}image \n {4}state: +-/);
    assert.match(eventLines([{ count: 'many' } as never], T0)[1]?.text ?? '', /^- +\/ *$/);
    assert.match((await yamlLines({ kind: 'X' } as never)).map((l) => l.text).join('\n'), /kind: X/);
  });

  test('Events as kubectl lists them; control characters from the cluster escaped', () => {
    const lines = eventLines([event('api', 'X', 'Warning', T0 - 5000, 'bad\u001b[2Jthing')], T0).map(
      (l) => l.text,
    );
    assert.match(lines[0] ?? '', /^LAST SEEN +TYPE +REASON +OBJECT +MESSAGE$/);
    assert.match(lines[1] ?? '', /^5s +Warning +X +deployment\/api +bad\\x1b\[2Jthing \(×3\)$/);
    assert.match(eventLines([], T0)[0]?.text ?? '', /no Events/);
  });
});
