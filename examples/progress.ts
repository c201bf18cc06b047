import { readFileSync } from 'node:fs';
import { feed, type MultitrackSpec, multitrack } from 'kubedog';
import { startFakeCluster } from 'kubedog/testing';

// Another tool's deploy command: kubedog tracks, the tool shows progress its own way.
const cluster = await startFakeCluster();
const migration = cluster.pod('migrate-*').container('migrate');
migration.exits(0, { after: '1s', logs: ['migration 0042 applied'] });
// Ctrl-C ends the track: every stream closes, and feed rejects with the reason.
const interrupt = new AbortController();
process.once('SIGINT', () => interrupt.abort(new Error('interrupted')));
try {
  await cluster.apply(readFileSync(new URL('app.yaml', import.meta.url), 'utf8'));
  const specs: MultitrackSpec[] = [
    { kind: 'Deployment', name: 'web' },
    { kind: 'Job', name: 'migrate', failMode: 'hope-until-end' }, // may fail and retry until the end
  ];
  // A timeout is an outcome, not an exception: what is not ready by then fails with reason Timeout.
  const track = multitrack(cluster.client, specs, { timeout: 120_000, signal: interrupt.signal });
  await feed(track, {
    onReady: (e) => console.log(`✓ ${e.resource.kind} ${e.resource.name}: ${e.message}`),
    onFailed: (e) => console.log(`✗ ${e.resource.kind} ${e.resource.name}: ${e.reason}: ${e.message}`),
    onLog: (e) => console.log(`  ${e.pod.replace(/-\w+$/, '-…')} │ ${e.lines.join('\n  … │ ')}`),
    onSummary: ({ summary }) => {
      console.log(`${summary.outcome}: ${summary.ready.length} ready, ${summary.failed.length} failed`);
      process.exitCode = summary.outcome === 'ready' ? 0 : 1;
    },
  });
} finally {
  await cluster.close();
}
