import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseCommandLine, parseTargets, trackArgs, withGoAliases } from '../../src/cli/args.js';

const parse = (mode: 'rollout' | 'follow', argv: string[]) => {
  const { values, positionals } = parseCommandLine(argv);
  return trackArgs(mode, values, positionals);
};

const parseGo = (argv: string[], env: NodeJS.ProcessEnv = {}) => {
  const { values, positionals } = parseCommandLine(argv);
  return trackArgs('rollout', withGoAliases(values, env), positionals);
};

describe("the Go kubedog's flags and variables", () => {
  test('-t seconds (0 = never), --kube-context, --kube-config, --logs-since now', () => {
    const args = parseGo([
      'deploy/web',
      '-t',
      '30',
      '--kube-context',
      'prod',
      '--kube-config',
      '/k',
      '--logs-since',
      'now',
    ]);
    assert.equal(args.timeout, 30_000);
    assert.equal(args.context, 'prod');
    assert.equal(args.kubeconfig, '/k');
    assert.ok(args.logsSince instanceof Date && Math.abs(args.logsSince.getTime() - Date.now()) < 5000);
    assert.equal(parseGo(['deploy/web', '-t', '0']).timeout, undefined);
    assert.equal(parseGo(['deploy/web', '-t', '-1']).timeout, undefined, 'the Go "wait for ever"');
  });

  test("KUBEDOG_KUBE_* variables, KUBEDOG_NO_COLOR, --status-progress-period; kubedog's own flags win", () => {
    const env = {
      KUBEDOG_KUBE_CONTEXT: 'staging',
      KUBEDOG_KUBE_CONFIG: '/from-env',
      KUBEDOG_NO_COLOR: '1',
    };
    const args = parseGo(['deploy/web', '--status-progress-period', '10'], env);
    assert.deepEqual(
      [args.context, args.kubeconfig, args.noColor, args.statusEvery],
      ['staging', '/from-env', true, 10_000],
    );
    assert.equal(parseGo(['deploy/web', '--context', 'mine'], env).context, 'mine');
    assert.equal(parseGo(['deploy/web', '--status-progress-period', '-1']).statusEvery, undefined);
    assert.equal(
      parseGo(['deploy/web'], { KUBEDOG_KUBE_CONFIG_BASE64: 'YXBpVmVyc2lvbjogdjE=' }).kubeconfigBase64,
      'YXBpVmVyc2lvbjogdjE=',
    );
    assert.throws(
      () => parseGo(['deploy/web', '--status-progress-period', 'often']),
      /--status-progress-period: "often" is not a number of seconds/,
    );
    assert.throws(
      () => parseGo(['deploy/web', '--kubeconfig', '/k', '--kube-config-base64', 'eA==']),
      /--kubeconfig and --kube-config-base64 exclude each other/,
    );
  });
});

describe('Helm flags', () => {
  test('--helm-revision N or next, --helm-storage (else HELM_DRIVER, Helm’s spellings), --helm-tests, --no-helm-hooks', () => {
    const helm = (argv: string[], env: NodeJS.ProcessEnv = {}) => {
      const { values, positionals } = parseCommandLine(['--helm-release', 'shop', ...argv]);
      return trackArgs('rollout', values, positionals, [], env).helm;
    };
    assert.deepEqual(helm([]), { storage: 'secret', hooks: true, tests: false });
    assert.deepEqual(helm(['--helm-revision', '12', '--helm-tests', '--no-helm-hooks']), {
      storage: 'secret',
      hooks: false,
      tests: true,
      revision: 12,
    });
    assert.equal(helm(['--helm-revision', 'next']).revision, 'next');
    assert.equal(helm([], { HELM_DRIVER: 'ConfigMaps' }).storage, 'configmap');
    assert.equal(helm(['--helm-storage', 'secrets'], { HELM_DRIVER: 'configmap' }).storage, 'secret');
    assert.throws(
      () => helm(['--helm-revision', '0']),
      /--helm-revision: "0" is not a revision number or next/,
    );
    assert.throws(
      () => helm([], { HELM_DRIVER: 'memory' }),
      /^InvalidInputError: HELM_DRIVER: "memory" is not one of/,
    );
    // Without --helm-release, HELM_DRIVER is not read, and the Helm flags are usage errors.
    const { values, positionals } = parseCommandLine(['deploy/web']);
    assert.equal(
      trackArgs('rollout', values, positionals, [], { HELM_DRIVER: 'sql' }).helm.storage,
      'secret',
    );
    const revision = parseCommandLine(['deploy/web', '--helm-revision', '2']);
    assert.throws(
      () => trackArgs('rollout', revision.values, revision.positionals),
      /kubedog rollout track: --helm-revision works with --helm-release/,
    );
  });
});

describe("the Go kubedog's output flags", () => {
  test('--output-prefix for text; KUBEDOG_TERMINAL_WIDTH or --terminal-width a number of columns', () => {
    assert.equal(parseGo(['deploy/web', '--output-prefix', '[deploy] ']).outputPrefix, '[deploy] ');
    assert.throws(
      () => parseGo(['deploy/web', '--output-prefix', '>', '-o', 'json']),
      /--output-prefix is for text output: -o json lines stay JSON/,
    );
    assert.equal(parseGo(['deploy/web'], { KUBEDOG_TERMINAL_WIDTH: '100' }).terminalWidth, 100);
    assert.equal(
      parseGo(['deploy/web', '--terminal-width', '80'], { KUBEDOG_TERMINAL_WIDTH: '100' }).terminalWidth,
      80,
    );
    assert.throws(
      () => parseGo(['deploy/web'], { KUBEDOG_TERMINAL_WIDTH: 'wide' }),
      /--terminal-width \(or KUBEDOG_TERMINAL_WIDTH\): "wide" is not a number of columns/,
    );
  });
});

describe("stern's choice of streams", () => {
  test('--max-log-requests, --container-state (lists, all), --exclude-pod, --node; bad values are usage errors', () => {
    const args = parse('follow', [
      'deploy/web',
      '--max-log-requests',
      '10',
      '--container-state',
      'running,terminated',
      '--exclude-pod',
      'canary-.*',
      '--node',
      'node-2',
    ]);
    assert.deepEqual(
      [args.maxLogRequests, args.containerStates, args.excludePods?.map(String), args.node],
      [10, ['running', 'terminated'], ['/canary-.*/'], 'node-2'],
    );
    assert.equal(parse('follow', ['deploy/web', '--container-state', 'all']).containerStates, undefined);
    assert.throws(
      () => parse('follow', ['deploy/web', '--max-log-requests', '0']),
      /--max-log-requests: "0" is not a number above 0/,
    );
    assert.throws(
      () => parse('follow', ['deploy/web', '--container-state', 'sleeping']),
      /--container-state: "sleeping" is not one of running, waiting, terminated, all/,
    );
    assert.throws(
      () => parse('follow', ['deploy/web', '--exclude-pod', '(']),
      /--exclude-pod: invalid regular expression "\("/,
    );
  });
});

describe("stern's --timestamps and --timezone", () => {
  test('--timestamps, --timestamps=short, --timezone; a bad format or zone, or a zone alone, is a usage error', () => {
    assert.deepEqual(parse('follow', ['deploy/web', '--timestamps']).timestamps, { format: 'default' });
    assert.deepEqual(parse('follow', ['deploy/web', '--timestamps=short', '--timezone', 'UTC']).timestamps, {
      format: 'short',
      zone: 'UTC',
    });
    assert.equal(parse('follow', ['deploy/web']).timestamps, undefined);
    assert.throws(
      () => parse('follow', ['deploy/web', '--timestamps=long']),
      /--timestamps: "long" is not one of default, short/,
    );
    assert.throws(
      () => parse('follow', ['deploy/web', '--timezone', 'UTC']),
      /--timezone goes with --timestamps/,
    );
    assert.throws(
      () => parse('follow', ['deploy/web', '--timestamps', '--timezone', 'Nowhere/Land']),
      /unknown time zone "Nowhere\/Land"/,
    );
  });
});

describe("stern's log selection", () => {
  test('-i, -e and -H are regular expressions, any of them; -c and -E match whole names or patterns; --tail; --since', () => {
    const args = parse('follow', [
      'deploy/web',
      '-i',
      'ERROR',
      '-i',
      'WARN',
      '-e',
      'healthz',
      '-H',
      'user=\\w+',
      '-c',
      'app|worker-.*',
      '-E',
      'istio-proxy',
      '--tail',
      '50',
      '--since',
      '10m',
    ]);
    assert.deepEqual(
      [args.include, args.exclude, args.highlight],
      [/(?:ERROR)|(?:WARN)/, /(?:healthz)/, /(?:user=\w+)/],
    );
    const [only] = args.containers;
    assert.ok(only?.test('app') && only.test('worker-7') && !only.test('app-proxy'), 'matched whole');
    assert.ok(args.excludeContainers[0]?.test('istio-proxy'));
    assert.equal(args.tail, 50);
    assert.equal(args.logsSince, 600_000);
  });

  test('a bad regular expression or --tail names its flag', () => {
    assert.throws(
      () => parse('follow', ['deploy/web', '-i', '(x']),
      /^InvalidInputError: --include: invalid regular expression "\(x": Unterminated group$/,
    );
    assert.throws(
      () => parse('follow', ['deploy/web', '-c', '[a']),
      /^InvalidInputError: --container: invalid regular expression "\[a"/,
    );
    assert.throws(
      () => parse('follow', ['deploy/web', '--tail', 'some']),
      /--tail: "some" is not a whole number/,
    );
  });
});

describe('command line', () => {
  test('targets: KIND NAME…, KIND/NAME…', () => {
    assert.deepEqual(parseTargets(['deploy', 'a', 'b'], 'cmd'), [
      { kind: 'deploy', name: 'a' },
      { kind: 'deploy', name: 'b' },
    ]);
    assert.deepEqual(parseTargets(['sts/db', 'job/migrate'], 'cmd'), [
      { kind: 'sts', name: 'db' },
      { kind: 'job', name: 'migrate' },
    ]);
    assert.deepEqual(parseTargets([], 'cmd'), []);
    assert.throws(() => parseTargets(['deploy'], 'cmd'), /cmd: missing NAME after "deploy"/);
    assert.throws(() => parseTargets(['sts/db', 'web'], 'cmd'), /"web" is not KIND\/NAME/);
    assert.throws(() => parseTargets(['a/b/c'], 'cmd'), /"a\/b\/c" is not KIND\/NAME/);
  });

  test('defaults: rollout track times out after 5m, follow never; logs on; text output', () => {
    const rollout = parse('rollout', ['deploy/web']);
    assert.equal(rollout.timeout, 300_000);
    assert.equal(rollout.logs, true);
    assert.equal(rollout.output, 'text');
    assert.equal(parse('follow', ['deploy/web']).timeout, undefined);
    assert.equal(parse('rollout', ['deploy/web', '--timeout', '0']).timeout, undefined, '0 = never');
  });

  test('every flag, with kubectl short forms', () => {
    const args = parse('rollout', [
      '-n',
      'shop',
      '--context',
      'prod',
      '--kubeconfig',
      '/k',
      '-f',
      'a.yaml',
      '-f',
      'b/',
      '-l',
      'app=web',
      '-A',
      '--timeout',
      '1h30m',
      '--logs-since',
      '2026-11-26T10:00:00Z',
      '--no-logs',
      '--raw-logs',
      '-c',
      'app',
      '--exclude-container',
      'istio-proxy',
      '-o',
      'json',
      '--status-every',
      '30s',
      '--no-color',
      '-q',
      '--fail-mode',
      'hope-until-end',
      '--failures-allowed-per-replica',
      '3',
      '--no-activity-timeout',
      '10m',
      '--rules',
      'rules.yaml',
    ]);
    assert.deepEqual(args, {
      mode: 'rollout',
      until: 'ready',
      timeline: false,
      interactive: false,
      clipboard: false,
      targets: [],
      files: ['a.yaml', 'b/'],
      selector: 'app=web',
      all: false,
      allNamespaces: true,
      helm: { hooks: true, storage: 'secret', tests: false },
      namespace: 'shop',
      context: 'prod',
      kubeconfig: '/k',
      timeout: 5_400_000,
      logsSince: new Date('2026-11-26T10:00:00Z'),
      logs: false,
      rawLogs: true,
      containers: [/^(?:app)$/],
      excludeContainers: [/^(?:istio-proxy)$/],
      output: 'json',
      statusEvery: 30_000,
      noColor: true,
      quiet: true,
      debug: false,
      specs: [],
      failMode: 'hope-until-end',
      failuresAllowedPerReplica: 3,
      noActivityTimeout: 600_000,
      rules: 'rules.yaml',
    });
  });

  test('--kube-api-qps and --kube-api-burst: the request rate limit, either alone keeping the other default', () => {
    assert.equal(parse('rollout', ['deploy/web']).rateLimit, undefined);
    assert.deepEqual(parse('rollout', ['deploy/web', '--kube-api-qps', '5']).rateLimit, {
      qps: 5,
      burst: 300,
    });
    assert.deepEqual(
      parse('rollout', ['deploy/web', '--kube-api-qps', '2.5', '--kube-api-burst', '10']).rateLimit,
      {
        qps: 2.5,
        burst: 10,
      },
    );
    for (const bad of ['0', '-1', 'fast', ''])
      assert.throws(
        () => parse('rollout', ['deploy/web', '--kube-api-burst', bad]),
        new RegExp(`^InvalidInputError: --kube-api-burst: "${bad}" is not a positive number of requests$`),
      );
  });

  test('bad values name their flag', () => {
    assert.throws(
      () => parse('rollout', ['deploy/web', '--status-every', 'often']),
      /^InvalidInputError: --status-every: invalid duration "often"/,
    );
    assert.throws(
      () => parse('rollout', ['deploy/web', '--logs-since', '2026-11-26T10:00:00']),
      /--logs-since: invalid time/,
    );
    assert.throws(() => parse('rollout', ['-A', 'deploy/web']), /-A works with -l or --all/);
    assert.throws(() => parseCommandLine(['--nope']), /^InvalidInputError: Unknown option '--nope'$/);
  });
});

describe("kubectl's wait and rollout status flags", () => {
  const parseAs = (mode: 'wait' | 'status', argv: string[]) => {
    const { values, positionals } = parseCommandLine(argv);
    return trackArgs(mode, values, positionals);
  };

  test('--for=jsonpath=EXPR=VALUE splits at the first = outside braces and brackets; the value loses every quote around it', () => {
    const filter = parseAs('wait', [
      '--for=jsonpath={.status.conditions[?(@.type=="Ready")].status}="\'True\'"',
      'pod/x',
    ]);
    assert.deepEqual(filter.condition, {
      jsonPath: '{.status.conditions[?(@.type=="Ready")].status}',
      value: 'True',
    });
    assert.deepEqual(parseAs('wait', ['--for=jsonpath=.status.phase', 'pod/x']).condition, {
      jsonPath: '.status.phase',
    });
  });

  test('several --for: a list in their order, create kept for -l; --strict on each', () => {
    const args = parseAs('wait', [
      '--for=create',
      '--for=condition=Ready',
      '--for=jsonpath={.status.phase}=Running',
      '--strict',
      'pod',
      '-l',
      'app=web',
    ]);
    assert.equal(args.until, 'ready');
    assert.equal(args.create, true);
    assert.deepEqual(args.condition, [
      { condition: 'Ready', strict: true },
      { jsonPath: '{.status.phase}', value: 'Running', strict: true },
    ]);
  });

  test('rollout status: no timeout, --watch=false (Go spellings) judges once, --revision pins Deployments', () => {
    const status = parseAs('status', ['deploy/web']);
    assert.equal(status.timeout, undefined);
    assert.equal(status.until, 'ready');
    for (const off of ['--watch=false', '--watch=0', '-w=F', '--watch=False'])
      assert.equal(parseAs('status', [off, 'deploy/web']).until, 'once', off);
    assert.equal(parseAs('status', ['--watch=true', 'deploy/web']).until, 'ready');
    assert.equal(parseAs('status', ['-w', 'deploy/web']).until, 'ready');
    assert.equal(parseAs('status', ['--revision', '3', 'deploy/web']).deploymentRevision, 3);
    assert.equal(
      parseAs('status', ['--revision=0', 'deploy/web']).deploymentRevision,
      undefined,
      '0: the newest',
    );
    assert.equal(parseAs('status', ['--timeout', '2m', 'deploy/web']).timeout, 120_000);
  });
});
