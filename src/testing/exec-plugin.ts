import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What the test exec credential plugin prints on its next run; change it with `update`. */
export interface ExecPluginBehaviour {
  token?: string;
  clientCertificateData?: string;
  clientKeyData?: string;
  /** RFC 3339 expiry of the credential. */
  expirationTimestamp?: string;
  /** Exit with this code (and `stderr`) instead of printing a credential. */
  exitCode?: number;
  stderr?: string;
  /** apiVersion to print. @default the one the request asked for */
  apiVersion?: string;
  /** Print this instead of an ExecCredential. */
  rawOutput?: string;
}

export interface ExecPluginOptions extends ExecPluginBehaviour {
  /** Directory for the plugin's files. @default a new temporary directory */
  dir?: string;
}

export interface ExecPlugin {
  /** The kubeconfig `exec` section that runs this plugin (apiVersion v1, interactiveMode Never). */
  kubeconfigExec(extra?: Record<string, unknown>): Record<string, unknown>;
  /** Changes what later runs print. */
  update(behaviour: ExecPluginBehaviour): void;
  /** One entry per run: the KUBERNETES_EXEC_INFO it received, its argv and the env var TEST_PLUGIN_ENV. */
  calls(): { execInfo: unknown; argv: string[]; env: string | undefined }[];
}

const SCRIPT = `
const fs = require('node:fs');
const path = require('node:path');
const dir = __dirname;
const info = JSON.parse(process.env.KUBERNETES_EXEC_INFO || '{}');
fs.appendFileSync(path.join(dir, 'calls.ndjson'), JSON.stringify({ execInfo: info, argv: process.argv.slice(2), env: process.env.TEST_PLUGIN_ENV }) + '\\n');
const b = JSON.parse(fs.readFileSync(path.join(dir, 'behaviour.json'), 'utf8'));
if (b.exitCode !== undefined) { if (b.stderr) process.stderr.write(b.stderr + '\\n'); process.exit(b.exitCode); }
if (b.rawOutput !== undefined) { process.stdout.write(b.rawOutput); process.exit(0); }
const status = {};
for (const k of ['token', 'clientCertificateData', 'clientKeyData', 'expirationTimestamp']) if (b[k] !== undefined) status[k] = b[k];
process.stdout.write(JSON.stringify({ apiVersion: b.apiVersion || info.apiVersion, kind: 'ExecCredential', status }));
`;

/**
 * Writes a small exec credential plugin (a Node.js script) that prints what
 * the test tells it to and records each run, for testing exec-based auth.
 */
export function writeExecPlugin(options: ExecPluginOptions = {}): ExecPlugin {
  const { dir: given, ...behaviour } = options;
  const dir = given ?? mkdtempSync(join(tmpdir(), 'kubedog-exec-'));
  const script = join(dir, 'plugin.cjs');
  writeFileSync(script, SCRIPT, { mode: 0o700 });
  const update = (b: ExecPluginBehaviour) => writeFileSync(join(dir, 'behaviour.json'), JSON.stringify(b));
  update(behaviour);
  writeFileSync(join(dir, 'calls.ndjson'), '');
  return {
    kubeconfigExec: (extra = {}) => ({
      apiVersion: 'client.authentication.k8s.io/v1',
      command: process.execPath,
      args: [script],
      interactiveMode: 'Never',
      ...extra,
    }),
    update,
    calls: () =>
      readFileSync(join(dir, 'calls.ndjson'), 'utf8')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l)),
  };
}
