import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeObject } from '../../src/kube/types.js';
import { reportWarnings } from '../../src/track/report-warnings.js';
import type { TrackSource } from '../../src/track/sources.js';

const warning = (pod: string, reason: string, count = 2): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { name: `${pod}.${reason}` },
  type: 'Warning',
  reason,
  message: `${reason} for ${pod} at https://bob:hunter2@registry.local`,
  involvedObject: { kind: 'Pod', name: pod },
  count,
});

/** A source whose list answers from `events` (or fails for `failing` pods), and says what it was asked. */
function source(events: KubeObject[], failing: string[] = []) {
  const asked: string[] = [];
  const list: NonNullable<TrackSource['list']> = async (kind, options) => {
    asked.push(`${String(kind)} ${options.namespace} ${options.fieldSelector}`);
    const pod = /involvedObject\.name=([^,]+)/.exec(options.fieldSelector ?? '')?.[1] ?? '';
    if (failing.includes(pod)) throw new Error('503');
    return { items: events.filter((e) => (e.involvedObject as { name: string }).name === pod) };
  };
  return { asked, source: { list } as unknown as TrackSource };
}

const signal = () => AbortSignal.timeout(1000);

describe('the Warning events of a failure report', () => {
  test('those of the failing pods are read from the API, scoped on the server, and merged with the known ones', async () => {
    const { asked, source: api } = source([warning('web-1', 'Failed', 3), warning('web-2', 'BackOff')]);
    const known = [
      { involvedObject: 'Deployment/web', reason: 'FailedCreate', message: 'quota', count: 1 },
      {
        involvedObject: 'Pod/web-1',
        reason: 'Failed',
        message: 'Failed for web-1 at https://***@registry.local',
        count: 1,
      },
    ];
    const warnings = await reportWarnings(api, 'shop', known, ['web-1', 'web-1', 'web-2'], signal());
    assert.deepEqual(asked, [
      'Event shop involvedObject.kind=Pod,involvedObject.name=web-1,type=Warning',
      'Event shop involvedObject.kind=Pod,involvedObject.name=web-2,type=Warning',
    ]);
    // The API's copy of a known warning wins (a newer count); secrets are redacted.
    assert.deepEqual(
      warnings.map((w) => `${w.involvedObject} ${w.reason} ×${w.count}: ${w.message}`),
      [
        'Deployment/web FailedCreate ×1: quota',
        'Pod/web-1 Failed ×3: Failed for web-1 at https://***@registry.local',
        'Pod/web-2 BackOff ×2: BackOff for web-2 at https://***@registry.local',
      ],
    );
  });

  test('a read that fails adds nothing for that pod; a source that cannot list gives the known ones', async () => {
    const { source: api } = source([warning('web-1', 'Failed'), warning('web-2', 'Failed')], ['web-1']);
    const warnings = await reportWarnings(api, 'shop', [], ['web-1', 'web-2'], signal());
    assert.deepEqual(
      warnings.map((w) => w.involvedObject),
      ['Pod/web-2'],
    );
    const known = [{ involvedObject: 'Pod/web-1', reason: 'Failed', message: 'x', count: 1 }];
    assert.deepEqual(await reportWarnings({} as TrackSource, 'shop', known, ['web-1'], signal()), known);
  });
});
