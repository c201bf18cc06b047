// Peer: kubedog's watch (the built library), counting events until it has N.
// Usage: node kubedog-watch.mjs KUBECONFIG N
import { readFileSync } from 'node:fs';
import { KubeClient, loadKubeConfig } from '../../dist/index.js';

const [kubeconfig, n] = process.argv.slice(2);
const client = new KubeClient(loadKubeConfig({ kubeconfig }));
const started = performance.now();
let events = 0;
for await (const _event of client.watch('Pod', { namespace: 'default' })) if (++events >= Number(n)) break;
const seconds = (performance.now() - started) / 1000;
const peakRssMb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]) / 1024;
console.log(JSON.stringify({ events, seconds, peakRssMb }));
await client.close();
