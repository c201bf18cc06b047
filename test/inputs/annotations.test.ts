import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readAnnotations } from '../../src/inputs/annotations.js';
import { InvalidInputError } from '../../src/kube/errors.js';
import type { KubeObject } from '../../src/kube/types.js';

const annotated = (annotations: Record<string, string>): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop', annotations },
});
const read = (annotations: Record<string, string>) => readAnnotations(annotated(annotations));

describe('werf and kubedog tracking annotations', () => {
  test("fail-mode: werf's values and the lower-case aliases", () => {
    assert.equal(read({ 'werf.io/fail-mode': 'IgnoreAndContinueDeployProcess' }).failMode, 'ignore');
    assert.equal(
      read({ 'werf.io/fail-mode': 'FailWholeDeployProcessImmediately' }).failMode,
      'fail-whole-deploy',
    );
    assert.equal(read({ 'werf.io/fail-mode': 'HopeUntilEndOfDeployProcess' }).failMode, 'hope-until-end');
    assert.equal(read({ 'kubedog.io/fail-mode': 'ignore' }).failMode, 'ignore');
  });

  test('fail-mode with a value werf does not know: a warning naming the annotation, the object and the allowed values', () => {
    const { failMode, warnings } = read({ 'werf.io/fail-mode': 'Ignore' });
    assert.equal(failMode, undefined);
    assert.deepEqual(warnings, [
      'deployment/web in shop: annotation werf.io/fail-mode is "Ignore", not one of FailWholeDeployProcessImmediately, IgnoreAndContinueDeployProcess, HopeUntilEndOfDeployProcess, fail-whole-deploy, ignore, hope-until-end: ignored',
    ]);
  });

  test("track-termination-mode: werf's values and the aliases; a wrong one warns", () => {
    assert.equal(
      read({ 'werf.io/track-termination-mode': 'NonBlocking' }).trackTerminationMode,
      'non-blocking',
    );
    assert.equal(
      read({ 'werf.io/track-termination-mode': 'WaitUntilResourceReady' }).trackTerminationMode,
      'wait-until-ready',
    );
    assert.equal(
      read({ 'kubedog.io/track-termination-mode': 'non-blocking' }).trackTerminationMode,
      'non-blocking',
    );
    assert.match(
      read({ 'werf.io/track-termination-mode': 'nonblocking' }).warnings[0] ?? '',
      /not one of WaitUntilResourceReady, NonBlocking/,
    );
  });

  test('no-activity-timeout: Go durations, and bare seconds as before; anything else warns', () => {
    assert.equal(read({ 'werf.io/no-activity-timeout': '8m30s' }).noActivityTimeout, 510_000);
    assert.equal(read({ 'werf.io/no-activity-timeout': '90' }).noActivityTimeout, 90_000);
    const bad = read({ 'werf.io/no-activity-timeout': 'ten minutes' });
    assert.equal(bad.noActivityTimeout, undefined);
    assert.match(
      bad.warnings[0] ?? '',
      /annotation werf.io\/no-activity-timeout is "ten minutes", not a duration/,
    );
  });

  test('failures-allowed-per-replica: a whole number; anything else warns', () => {
    assert.equal(read({ 'werf.io/failures-allowed-per-replica': '3' }).failuresAllowedPerReplica, 3);
    assert.match(
      read({ 'werf.io/failures-allowed-per-replica': '-1' }).warnings[0] ?? '',
      /not a whole number/,
    );
  });

  test("skip-logs and show-service-messages: Go's booleans", () => {
    assert.equal(read({ 'werf.io/skip-logs': 'true' }).logs, false);
    assert.equal(read({ 'werf.io/skip-logs': '1' }).logs, false);
    assert.equal(read({ 'werf.io/skip-logs': 'False' }).logs, undefined);
    assert.equal(read({ 'werf.io/show-service-messages': 'false' }).events, false);
    assert.match(read({ 'werf.io/skip-logs': 'yes' }).warnings[0] ?? '', /is "yes", not true or false/);
  });

  test('container lists and log regular expressions, for all containers and per container', () => {
    const { logs } = read({
      'werf.io/show-logs-only-for-containers': 'app, worker',
      'werf.io/skip-logs-for-containers': 'istio-proxy',
      'werf.io/log-regex': '^ERROR',
      'werf.io/log-regex-skip': 'healthz',
      'werf.io/log-regex-for-worker': 'job \\d+',
      'werf.io/log-regex-skip-for-app': 'GET /metrics',
    });
    assert.deepEqual(logs, {
      containers: ['app', 'worker'],
      excludeContainers: ['istio-proxy'],
      include: /^ERROR/,
      exclude: /healthz/,
      includeFor: { worker: /job \d+/ },
      excludeFor: { app: /GET \/metrics/ },
    });
  });

  test('an invalid regular expression is a usage error naming the annotation and the object', () => {
    assert.throws(
      () => read({ 'werf.io/log-regex-for-app': '(unclosed' }),
      (error: unknown) =>
        error instanceof InvalidInputError &&
        /^deployment\/web in shop: annotation werf.io\/log-regex-for-app: invalid regular expression "\(unclosed": /.test(
          error.message,
        ),
    );
  });

  test('ignore-readiness-probe-fails-for-CONTAINER: a duration per container', () => {
    assert.deepEqual(read({ 'werf.io/ignore-readiness-probe-fails-for-app': '2m' }).readinessProbeGraceMs, {
      app: 120_000,
    });
  });

  test('kubedog.io/ wins over werf.io/ for the same key', () => {
    const both = read({
      'werf.io/fail-mode': 'IgnoreAndContinueDeployProcess',
      'kubedog.io/fail-mode': 'hope-until-end',
    });
    assert.equal(both.failMode, 'hope-until-end');
  });

  test('a key one letter off a known one warns; werf keys of other concerns do not', () => {
    const { warnings } = read({
      'werf.io/fail-mod': 'IgnoreAndContinueDeployProcess',
      'werf.io/weight': '10',
      'werf.io/ownership': 'anyone',
      'werf.io/deploy-dependency-db': 'state=ready,kind=StatefulSet,name=db',
    });
    assert.deepEqual(warnings, [
      'deployment/web in shop: annotation werf.io/fail-mod is not known: did you mean werf.io/fail-mode?',
    ]);
  });

  test('what is read but not applied says so', () => {
    assert.match(
      read({ 'werf.io/show-logs-only-for-number-of-replicas': '2' }).warnings[0] ?? '',
      /show-logs-only-for-number-of-replicas is not applied: the logs of every replica are shown/,
    );
  });
});
