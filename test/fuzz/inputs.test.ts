/**
 * Bad input, generated: random and mutated inputs for every parser of user
 * input never crash, never hang, and fail with a KubedogError whose message
 * names the input.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { parseCommandLine, parseTargets, trackArgs } from '../../src/cli/args.js';
import { kubeConfigFromString } from '../../src/kube/config.js';
import { parseDuration, parseSince } from '../../src/kube/duration.js';
import { isKubedogError } from '../../src/kube/errors.js';
import { LineSplitter } from '../../src/kube/lines.js';
import { parseManifests } from '../../src/kube/manifests.js';
import { parseFieldSelector, parseLabelSelector } from '../../src/kube/selector.js';
import { parseRules } from '../../src/status/rules.js';

const RUNS = 300;

/** Runs a parser on one input: it returns, or throws a KubedogError naming `names` — nothing else. */
function parsesOrExplains(parse: () => unknown, names: string): void {
  try {
    parse();
  } catch (error) {
    assert.ok(isKubedogError(error), `not a KubedogError: ${(error as Error)?.stack}`);
    assert.ok(error.message.includes(names), `"${error.message}" does not name ${JSON.stringify(names)}`);
    assert.ok(!error.message.includes('\n'), 'one line');
  }
}

/** Text with the characters that break naive parsers. */
const nasty = fc.string({
  unit: fc.oneof(
    fc.constantFrom(
      ':',
      '-',
      '[',
      ']',
      '{',
      '}',
      '"',
      "'",
      '\n',
      ' ',
      '#',
      '&',
      '*',
      '!',
      '|',
      '>',
      '%',
      '@',
      '`',
      ',',
      '=',
      '(',
      ')',
      '\t',
      '\u0000',
      '\u00e9',
      '\ud83d\ude00',
    ),
    fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }),
  ),
  maxLength: 200,
});

/** A valid document with a few characters replaced, dropped or inserted. */
const mutated = (valid: string) =>
  fc
    .array(
      fc.tuple(
        fc.nat({ max: valid.length }),
        fc.constantFrom('delete', 'insert', 'replace'),
        fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }),
      ),
      {
        minLength: 1,
        maxLength: 6,
      },
    )
    .map((edits) => {
      let text = valid;
      for (const [at, kind, char] of edits) {
        const i = at % (text.length + 1);
        if (kind === 'delete') text = text.slice(0, i) + text.slice(i + 1);
        else if (kind === 'insert') text = text.slice(0, i) + char + text.slice(i);
        else text = text.slice(0, i) + char + text.slice(i + 1);
      }
      return text;
    });

const MANIFEST = stringify({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop', annotations: { 'kubedog.io/fail-mode': 'ignore' } },
  spec: {
    replicas: 2,
    template: { spec: { containers: [{ name: 'app', image: 'registry.local/web:v1' }] } },
  },
});
const KUBECONFIG = stringify({
  apiVersion: 'v1',
  kind: 'Config',
  clusters: [
    {
      name: 'c',
      cluster: { server: 'https://127.0.0.1:6443', 'certificate-authority-data': 'bm90IGEgY2VydA==' },
    },
  ],
  users: [{ name: 'u', user: { token: 'fuzz-t0ken' } }],
  contexts: [{ name: 'x', context: { cluster: 'c', user: 'u', namespace: 'shop' } }],
  'current-context': 'x',
});
const RULES =
  'rules:\n  - kind: Database\n    jsonPath: "{.status.phase}"\n    ready: [Ready]\n    failed: [Broken]\n';

describe('bad input, generated', () => {
  test('manifests: random and mutated YAML parse or name the source', () => {
    fc.assert(
      fc.property(fc.oneof(nasty, mutated(MANIFEST), mutated(`${MANIFEST}---\n${MANIFEST}`)), (text) =>
        parsesOrExplains(() => parseManifests(text, 'fuzz.yaml'), 'fuzz.yaml'),
      ),
      { numRuns: RUNS },
    );
  });

  test('kubeconfig: random and mutated files load or name the file; the token never shows', () => {
    fc.assert(
      fc.property(fc.oneof(nasty, mutated(KUBECONFIG)), (text) => {
        try {
          kubeConfigFromString(text, { source: '/fuzz/kubeconfig' });
        } catch (error) {
          assert.ok(isKubedogError(error), `not a KubedogError: ${(error as Error)?.stack}`);
          assert.ok(!error.message.includes('fuzz-t0ken'), error.message);
          assert.ok(
            error.message.includes('/fuzz/kubeconfig') || /context|cluster|user|server/.test(error.message),
            error.message,
          );
        }
      }),
      { numRuns: RUNS },
    );
  });

  test('durations and times: anything parses or names the text', () => {
    fc.assert(
      fc.property(fc.oneof(nasty, fc.stringMatching(/^[0-9.]{0,4}(ms|s|m|h|d|)[0-9]{0,3}$/)), (text) => {
        parsesOrExplains(() => parseDuration(text), JSON.stringify(text));
        parsesOrExplains(() => parseSince(text), JSON.stringify(text));
      }),
      { numRuns: RUNS },
    );
  });

  test('label and field selectors: parse or name the selector', () => {
    const selectorish = fc.string({
      unit: fc.constantFrom('a', 'b', '=', '!', ',', ' ', '(', ')', 'in', 'notin', '/', '.', '-', '1'),
      maxLength: 40,
    });
    fc.assert(
      fc.property(fc.oneof(nasty, selectorish), (text) => {
        // The message quotes the selector as given (escaped, on one line).
        parsesOrExplains(() => parseLabelSelector(text), `label selector ${JSON.stringify(text)}`);
        parsesOrExplains(() => parseFieldSelector(text), `field selector ${JSON.stringify(text)}`);
      }),
      { numRuns: RUNS },
    );
  });

  test('rules files: parse or name the file', () => {
    fc.assert(
      fc.property(fc.oneof(nasty, mutated(RULES)), (text) =>
        parsesOrExplains(() => parseRules(text, 'rules.yaml'), 'rules.yaml'),
      ),
      { numRuns: RUNS },
    );
  });

  test('command lines: any words parse or say what is wrong, as a usage error', () => {
    const word = fc.oneof(
      fc.constantFrom(
        '-n',
        '--timeout',
        '5m',
        '-f',
        '-',
        'deploy',
        'deploy/web',
        'web',
        '-l',
        'a=b',
        '--all',
        '-A',
        '-o',
        'json',
        '--logs-since',
        '-c',
        '--',
        '--bogus',
        '-q',
      ),
      fc.string({ maxLength: 8 }),
    );
    fc.assert(
      fc.property(
        fc.array(word, { maxLength: 8 }),
        fc.constantFrom('rollout' as const, 'follow' as const),
        (argv, mode) => {
          try {
            const { values, positionals } = parseCommandLine(argv);
            trackArgs(mode, values, positionals);
            parseTargets(positionals, 'cmd');
          } catch (error) {
            assert.ok(
              isKubedogError(error) && error.code === 'KUBEDOG_INVALID_INPUT',
              `${(error as Error)?.stack}`,
            );
            assert.ok(!error.message.includes('\n'));
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  test('the line splitter: any bytes, any chunking, bounded memory, no crash', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 400 }),
        fc.array(fc.nat({ max: 400 }), { maxLength: 8 }),
        (bytes, cuts) => {
          const splitter = new LineSplitter({ maxLineBytes: 64 });
          const points = [...new Set([0, ...cuts.map((c) => c % (bytes.length + 1)), bytes.length])].sort(
            (a, b) => a - b,
          );
          try {
            for (let i = 1; i < points.length; i++)
              for (const _ of splitter.push(bytes.subarray(points[i - 1], points[i])));
            assert.ok(splitter.pendingBytes <= 64);
          } catch (error) {
            assert.ok(isKubedogError(error), `${(error as Error)?.stack}`);
            assert.match(error.message, /64/);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
});
