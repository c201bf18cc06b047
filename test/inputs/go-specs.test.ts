import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseMultitrackSpecs } from '../../src/inputs/go-specs.js';
import { InvalidInputError } from '../../src/kube/errors.js';

const parse = (value: unknown) => parseMultitrackSpecs(JSON.stringify(value), 'stdin');
const rejects = (text: string, message: RegExp) =>
  assert.throws(
    () => parseMultitrackSpecs(text, 'stdin'),
    (error: unknown) => error instanceof InvalidInputError && message.test(error.message),
  );

describe("the Go kubedog's MultitrackSpecs", () => {
  test("the Go command's example, with the Go defaults", () => {
    const specs = parse({
      Deployments: [
        { ResourceName: 'mydeploy', Namespace: 'myns' },
        {
          ResourceName: 'myresource',
          Namespace: 'myns',
          FailMode: 'HopeUntilEndOfDeployProcess',
          AllowFailuresCount: 3,
          SkipLogsForContainers: ['two', 'three'],
        },
      ],
      StatefulSets: [{ ResourceName: 'mysts', Namespace: 'myns' }],
    });
    assert.deepEqual(specs, [
      {
        kind: 'Deployment',
        name: 'mydeploy',
        namespace: 'myns',
        failuresAllowed: 1,
        logs: {},
        events: false,
      },
      {
        kind: 'Deployment',
        name: 'myresource',
        namespace: 'myns',
        failMode: 'hope-until-end',
        failuresAllowed: 3,
        logs: { excludeContainers: ['two', 'three'] },
        events: false,
      },
      { kind: 'StatefulSet', name: 'mysts', namespace: 'myns', failuresAllowed: 1, logs: {}, events: false },
    ]);
  });

  test('every field of a spec', () => {
    const [spec] = parse({
      Jobs: [
        {
          ResourceName: 'migrate',
          TrackTerminationMode: 'NonBlocking',
          FailMode: 'IgnoreAndContinueDeployProcess',
          AllowFailuresCount: 0,
          IgnoreReadinessProbeFailsByContainerName: { app: 120_000_000_000, sidecar: '30s' },
          LogRegex: '^ERROR',
          LogRegexByContainerName: { app: 'step \\d+' },
          ShowLogsOnlyForContainers: ['app'],
          ShowServiceMessages: true,
        },
      ],
    });
    assert.deepEqual(spec, {
      kind: 'Job',
      name: 'migrate',
      failMode: 'ignore',
      trackTerminationMode: 'non-blocking',
      failuresAllowed: 0,
      readinessProbeGraceMs: { app: 120_000, sidecar: 30_000 },
      logs: { include: /^ERROR/, includeFor: { app: /step \d+/ }, containers: ['app'] },
      events: true,
    });
    assert.equal(parse({ Jobs: [{ ResourceName: 'x', SkipLogs: true }] })[0]?.logs, false);
  });

  test('field names match ignoring case, as Go reads them; Canaries are Flagger’s, with no failure allowed', () => {
    const [canary] = parse({
      canaries: [{ resourcename: 'web', failmode: 'FailWholeDeployProcessImmediately' }],
    });
    assert.equal(canary?.kind, 'Canary.flagger.app');
    assert.equal(canary?.name, 'web');
    assert.equal(canary?.failMode, 'fail-whole-deploy');
    assert.equal(canary?.failuresAllowed, 0);
  });

  test('Generics: the kind with its group; durations in nanoseconds; what is not applied warns', () => {
    const [generic] = parse({
      Generics: [
        {
          Name: 'shop-tls',
          Namespace: 'shop',
          GroupVersionKind: { Group: 'cert-manager.io', Version: 'v1', Kind: 'Certificate' },
          NoActivityTimeout: 600_000_000_000,
          Timeout: 60_000_000_000,
          HideEvents: true,
        },
      ],
    });
    assert.deepEqual(generic, {
      kind: 'Certificate.cert-manager.io',
      name: 'shop-tls',
      namespace: 'shop',
      noActivityTimeout: 600_000,
      events: false,
      warnings: ["Generics[0].Timeout is not applied: the command's --timeout and --status-every are"],
    });
  });

  test('malformed JSON: its line and column', () => {
    rejects(
      '{\n  "Deployments": [\n    {"ResourceName": "web",}\n  ]\n}',
      /^invalid MultitrackSpecs JSON from stdin: line 3, column \d+: /,
    );
  });

  test('an unknown field, a wrong type, a value not allowed, a bad regular expression: named with where they are', () => {
    rejects('{"Deploymnets": []}', /MultitrackSpecs\.Deploymnets: unknown field \(known: Deployments, /);
    rejects(
      '{"Deployments": [{"ResourceName": "web", "SkipLogz": true}]}',
      /Deployments\[0\]\.SkipLogz: unknown field/,
    );
    rejects(
      '{"Jobs": [{"ResourceName": "m", "AllowFailuresCount": "3"}]}',
      /Jobs\[0\]\.AllowFailuresCount: expected a whole number/,
    );
    rejects(
      '{"Jobs": [{"ResourceName": "m", "FailMode": "Ignore"}]}',
      /Jobs\[0\]\.FailMode: "Ignore" is not one of FailWholeDeployProcessImmediately, /,
    );
    rejects(
      '{"Jobs": [{"ResourceName": "m", "LogRegex": "(x"}]}',
      /Jobs\[0\]\.LogRegex: invalid regular expression "\(x": Unterminated group$/,
    );
    rejects('{"Jobs": [{"Namespace": "shop"}]}', /Jobs\[0\]: no ResourceName$/);
    rejects('[]', /MultitrackSpecs: expected an object$/);
  });
});
