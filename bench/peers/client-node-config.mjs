import { KubeConfig } from '@kubernetes/client-node';

/** A client-node KubeConfig for the simulated server: client-node refuses plain HTTP unless told to skip TLS checks. */
export function loadConfig(file) {
  const config = new KubeConfig();
  config.loadFromFile(file);
  config.loadFromOptions({
    clusters: config.clusters.map((cluster) => ({ ...cluster, skipTLSVerify: true })),
    users: config.users,
    contexts: config.contexts,
    currentContext: config.currentContext,
  });
  return config;
}
