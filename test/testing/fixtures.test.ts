import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, test } from 'node:test';
import { FIXTURE_SCENARIOS, fixturePath, replayScenario } from '../../src/testing/fixtures.js';
import type { TrackEvent } from '../../src/track/events.js';
import { trackResource } from '../../src/track/resource.js';

describe('fixture library', () => {
  test('every scenario has its recording, and every recording a scenario', () => {
    assert.ok(FIXTURE_SCENARIOS.length >= 15, `${FIXTURE_SCENARIOS.length} scenarios`);
    const files = readdirSync(new URL('../../fixtures/scenarios/', import.meta.url)).sort();
    assert.deepEqual(files, FIXTURE_SCENARIOS.map((s) => `${s.name}.ndjson`).sort());
    assert.throws(() => fixturePath('nope'), /no fixture "nope" \(there are: deployment-ready, /);
  });

  // Replayed at the recorded pace (a track ends at readiness: faster, log lines in flight would miss it),
  // all at once: about as long as the longest one. Twenty replays and their trackers on two loaded
  // cores can lag their recordings by more than the replay's grace, so streams are held open after
  // the recording: each track still ends by its own verdict (or its timeout), and a request the
  // recording lacks is still in `unmatched`.
  test('each recording replays to its verdict, reason and key log lines', async () => {
    const results = await Promise.all(
      FIXTURE_SCENARIOS.map(async (scenario) => {
        await using replay = await replayScenario(scenario.name, { speed: 1, whenOver: 'hold' });
        const events: TrackEvent[] = [];
        for await (const event of trackResource(replay.client, replay.target, {
          timeout: 30_000,
          ...replay.options,
        }))
          events.push(event);
        return { scenario, events, unmatched: replay.unmatched };
      }),
    );
    for (const { scenario, events, unmatched } of results) {
      const last = events.at(-1);
      const end = last?.type === 'failed' ? `failed ${last.reason}` : last?.type;
      const expected = scenario.expect.end === 'failed' ? `failed ${scenario.expect.reason}` : 'ready';
      assert.equal(end, expected, scenario.name);
      const lines = new Set(events.flatMap((e) => (e.type === 'log' ? e.lines : [])));
      for (const line of scenario.expect.logs ?? [])
        assert.ok(lines.has(line), `${scenario.name}: log line "${line}" among ${[...lines].join(' | ')}`);
      assert.deepEqual(unmatched, [], `${scenario.name}: every request was recorded`);
    }
  });
});
