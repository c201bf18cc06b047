// Peer: @kubernetes/client-node's Watch, counting events until it has N.
// Usage: node client-node-watch.mjs KUBECONFIG N
import { readFileSync } from 'node:fs';
import { Watch } from '@kubernetes/client-node';
import { loadConfig } from './client-node-config.mjs';

const [kubeconfig, n] = process.argv.slice(2);
const started = performance.now();
let events = 0;
const done = () => {
  const seconds = (performance.now() - started) / 1000;
  const peakRssMb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]) / 1024;
  console.log(JSON.stringify({ events, seconds, peakRssMb }));
  process.exit(0);
};
const watch = new Watch(loadConfig(kubeconfig));
await watch.watch(
  '/api/v1/namespaces/default/pods',
  {},
  () => {
    if (++events >= Number(n)) done();
  },
  (error) => {
    if (error) console.error(String(error));
    done();
  },
);
