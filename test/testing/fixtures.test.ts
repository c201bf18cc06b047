import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, test } from 'node:test';
import {
  FIXTURE_SCENARIOS,
  type FixtureScenario,
  fixturePath,
  replayScenario,
} from '../../src/testing/fixtures.js';
import type { TrackEvent } from '../../src/track/events.js';
import { type TrackOptions, trackResource } from '../../src/track/resource.js';

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
  // recording lacks is still in `unmatched`. The recordings were made with watches of the whole
  // namespace; trackers that scope theirs to the resource get them filtered by their selectors.
  const replayAll = (options: TrackOptions) =>
    Promise.all(
      FIXTURE_SCENARIOS.map(async (scenario) => {
        await using replay = await replayScenario(scenario.name, { speed: 1, whenOver: 'hold' });
        const events: TrackEvent[] = [];
        for await (const event of trackResource(replay.client, replay.target, {
          timeout: 30_000,
          ...replay.options,
          ...options,
        }))
          events.push(event);
        return { scenario, events, unmatched: replay.unmatched };
      }),
    );

  test('each recording replays to its verdict and reason, every request recorded', async () => {
    for (const { scenario, events, unmatched } of await replayAll({})) {
      assert.equal(endOf(events), expectedEnd(scenario), scenario.name);
      assert.deepEqual(unmatched, [], `${scenario.name}: every request was recorded`);
    }
  });

  // Followed past the end of every recording (the longest is about 12 s), so that neither track
  // ends before the other has had all of it: a track that ends at its verdict races the Events
  // and log lines that come in the same moment (on two loaded cores, a sidecar Deployment ready
  // half a second after its containers start can end before its log streams answer).
  test("watched as recorded (the namespace's) or scoped to the resource, each recording shows the same pods, Events and key log lines", async () => {
    const [scoped, wide] = await Promise.all(
      (['resource', 'namespace'] as const).map((watchScope) =>
        replayAll({ watchScope, until: 'never', timeout: 14_000 }),
      ),
    );
    assert.ok(wide?.some(({ events }) => podsOf(events).length > 0 && kubeEventsOf(events).length > 0));
    for (const [i, { scenario, events }] of (wide ?? []).entries()) {
      // Deleted mid-rollout, a followed resource ends its track: what comes after, neither shows, and
      // which Events came before the deletion on which watch is a race of the replay, not of the scope.
      if (scenario.expect.end === 'failed' && scenario.expect.reason === 'Deleted') continue;
      const other = scoped?.[i]?.events ?? [];
      assert.deepEqual(podsOf(other), podsOf(events), `${scenario.name}: pods`);
      assert.deepEqual(kubeEventsOf(other), kubeEventsOf(events), `${scenario.name}: Events`);
      for (const track of [events, other]) {
        const lines = new Set(track.flatMap((e) => (e.type === 'log' ? e.lines : [])));
        for (const line of scenario.expect.logs ?? [])
          assert.ok(lines.has(line), `${scenario.name}: log line "${line}" among ${[...lines].join(' | ')}`);
      }
    }
  });
});

const endOf = (events: TrackEvent[]) => {
  const last = events.at(-1);
  return last?.type === 'failed' ? `failed ${last.reason}` : last?.type;
};
const expectedEnd = (scenario: FixtureScenario) =>
  scenario.expect.end === 'failed' ? `failed ${scenario.expect.reason}` : 'ready';
const podsOf = (events: TrackEvent[]) =>
  [...new Set(events.flatMap((e) => (e.type === 'pod' ? [e.pod] : [])))].sort();
const kubeEventsOf = (events: TrackEvent[]) =>
  [...new Set(events.flatMap((e) => (e.type === 'event' ? [`${e.involvedObject} ${e.reason}`] : [])))].sort();
