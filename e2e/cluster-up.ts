import { execFileSync } from 'node:child_process';
import { startControlPlane } from './control-plane.js';

/**
 * `npm run cluster:up`: a real control plane with three simulated nodes, left
 * running for manual use (kubectl, kubedog) until Ctrl-C, which removes it.
 */
const bin = execFileSync('bash', [new URL('build.sh', import.meta.url).pathname], {
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
}).trim();
const plane = await startControlPlane({ bin, controllers: true, nodes: 3 });
process.stdout.write(
  [
    `kube-apiserver ${plane.server} with ${plane.nodes?.names.join(', ')}`,
    `export KUBECONFIG=${plane.kubeconfigPath}`,
    '',
    'Pods behave as the annotation sim.kubedog.io/CONTAINER says (README, "Testing your deployment scripts").',
    'Ctrl-C stops everything and removes the directory.',
    '',
  ].join('\n'),
);
// Ctrl-C: startControlPlane's signal handler stops the processes and removes the directory.
setInterval(() => {
  for (const error of plane.nodes?.errors.splice(0) ?? []) process.stderr.write(`node: ${error}\n`);
}, 1000);
