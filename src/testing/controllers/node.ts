import type { KubeObject } from '../../kube/types.js';

/**
 * A simulated node as its kubelet registers it: 4 CPUs, 8 GiB, 110 pods,
 * InternalIP 127.0.0.1, no pressure, Ready. The simulated control plane
 * stores it as is; on a real API server the node is created first and the
 * status written through the status subresource, as a kubelet does.
 */
export function simulatedNode(
  name: string,
  options: { now: string; kubeletPort?: number; kubeletVersion: string },
): KubeObject & { status: Record<string, unknown> } {
  const resources = { cpu: '4', memory: '8Gi', pods: '110', 'ephemeral-storage': '100Gi' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
      },
    },
    spec: {},
    status: {
      capacity: resources,
      allocatable: resources,
      conditions: nodeConditions(options.now),
      addresses: [
        { type: 'InternalIP', address: '127.0.0.1' },
        { type: 'Hostname', address: name },
      ],
      ...(options.kubeletPort ? { daemonEndpoints: { kubeletEndpoint: { Port: options.kubeletPort } } } : {}),
      nodeInfo: {
        machineID: name,
        systemUUID: name,
        bootID: name,
        kernelVersion: 'simulated',
        osImage: 'kubedog simulated node',
        containerRuntimeVersion: 'simulated://1.0.0',
        kubeletVersion: options.kubeletVersion,
        kubeProxyVersion: '',
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
    },
  };
}

/** A healthy kubelet's node conditions, as its heartbeat at `now` writes them. */
export function nodeConditions(now: string): Record<string, string>[] {
  const condition = (type: string, status: string, reason: string, message: string) => ({
    type,
    status,
    reason,
    message,
    lastHeartbeatTime: now,
    lastTransitionTime: now,
  });
  return [
    condition(
      'MemoryPressure',
      'False',
      'KubeletHasSufficientMemory',
      'kubelet has sufficient memory available',
    ),
    condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
    condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
  ];
}
