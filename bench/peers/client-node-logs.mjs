// Peer: @kubernetes/client-node's Log, following one container's log to stdout.
// Usage: node client-node-logs.mjs KUBECONFIG NAMESPACE POD CONTAINER
import { Log } from '@kubernetes/client-node';
import { loadConfig } from './client-node-config.mjs';

const [kubeconfig, namespace, pod, container] = process.argv.slice(2);
await new Log(loadConfig(kubeconfig)).log(namespace, pod, container, process.stdout, { follow: true });
