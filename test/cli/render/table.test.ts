import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { painter } from '../../../src/cli/colors.js';
import { renderTable, StatusRows } from '../../../src/cli/render/table.js';

const time = '2026-11-26T10:00:00.000Z';
const web = { kind: 'Deployment', namespace: 'shop', name: 'web' };
const job = { kind: 'Job', namespace: 'shop', name: 'migrate' };

describe('status table', () => {
  test('rows follow the events: counts, state, restarts summed per container, last warning', () => {
    const rows = new StatusRows([web, job]);
    assert.equal(rows.rows[0]?.state, 'waiting');
    rows.observe({
      type: 'status',
      time,
      resource: web,
      verdict: {
        state: 'progressing',
        reason: 'Progressing',
        message: 'Waiting: 1 of 3',
        progress: { desired: 3, ready: 1, updated: 2, available: 1 },
      },
    });
    rows.observe({
      type: 'pod-error',
      time,
      resource: web,
      pod: 'a',
      container: 'app',
      reason: 'Error',
      message: '',
      restarts: 1,
      failures: 1,
    });
    rows.observe({
      type: 'pod-error',
      time,
      resource: web,
      pod: 'a',
      container: 'app',
      reason: 'Error',
      message: '',
      restarts: 2,
      failures: 2,
    });
    rows.observe({
      type: 'pod-error',
      time,
      resource: web,
      pod: 'b',
      container: 'app',
      reason: 'Error',
      message: '',
      restarts: 1,
      failures: 1,
    });
    assert.equal(
      rows.observe({
        type: 'event',
        time,
        resource: web,
        eventType: 'Normal',
        reason: 'Pulled',
        message: '',
        involvedObject: 'Pod/a',
        count: 1,
      }),
      false,
    );
    rows.observe({
      type: 'event',
      time,
      resource: web,
      eventType: 'Warning',
      reason: 'BackOff',
      message: 'Back-off',
      involvedObject: 'Pod/a',
      count: 1,
    });
    rows.observe({
      type: 'added',
      time,
      resource: job,
      ready: false,
      verdict: {
        state: 'progressing',
        reason: 'Running',
        message: 'running',
        progress: { desired: 1, succeeded: 0, active: 1 },
      },
    });
    const lines = renderTable(rows.rows, { paint: painter(false), width: 120 });
    assert.deepEqual(lines, [
      'RESOURCE     READY  UPDATED  AVAILABLE  RESTARTS  STATE        STATUS           LAST WARNING',
      'deploy/web   1/3    2        1          3         progressing  Waiting: 1 of 3  BackOff: Back-off',
      'job/migrate  0/1    -        -          0         progressing  running',
    ]);
  });

  test('lines never exceed the width, so a redraw knows its height', () => {
    const rows = new StatusRows([web]);
    rows.observe({
      type: 'failed',
      time,
      resource: web,
      reason: 'ProgressDeadlineExceeded',
      message: 'x'.repeat(300),
      report: { warnings: [], logs: [], findings: [] },
    });
    for (const width of [40, 80, 200]) {
      for (const line of renderTable(rows.rows, { paint: painter(false), width }))
        assert.ok(line.length <= width, `${line.length} > ${width}`);
    }
  });
});
