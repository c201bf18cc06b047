import { describe } from 'node:test';
import { type Case, object, runCases } from './cases.js';

const svc = (spec: Record<string, unknown>, status: unknown = {}) =>
  object('v1', 'Service', status, { spec, metadata: { name: 'web' } });
const ing = (status: unknown, spec: Record<string, unknown> = {}) =>
  object('networking.k8s.io/v1', 'Ingress', status, { spec, metadata: { name: 'web' } });

const cases: Case[] = [
  {
    name: 'ClusterIP with an IP',
    object: svc({ type: 'ClusterIP', clusterIP: '10.0.0.5' }),
    state: 'ready',
    message: 'service "web" has cluster IP 10.0.0.5',
  },
  { name: 'headless (None) is ready', object: svc({ clusterIP: 'None' }), state: 'ready' },
  {
    name: 'no cluster IP yet',
    object: svc({ type: 'ClusterIP' }),
    state: 'progressing',
    reason: 'WaitingForIP',
  },
  { name: 'NodePort with an IP', object: svc({ type: 'NodePort', clusterIP: '10.0.0.6' }), state: 'ready' },
  {
    name: 'ExternalName at once',
    object: svc({ type: 'ExternalName', externalName: 'db.example.com' }),
    state: 'ready',
    message: 'service "web" points to db.example.com',
  },
  {
    name: 'LoadBalancer without an address',
    object: svc({ type: 'LoadBalancer', clusterIP: '10.0.0.7' }, { loadBalancer: {} }),
    state: 'progressing',
    reason: 'WaitingForLoadBalancer',
    hint: /cloud controller/,
  },
  {
    name: 'LoadBalancer with an ingress IP',
    object: svc(
      { type: 'LoadBalancer', clusterIP: '10.0.0.7' },
      { loadBalancer: { ingress: [{ ip: '203.0.113.9' }] } },
    ),
    state: 'ready',
    message: 'service "web" is reachable at 203.0.113.9',
  },
  {
    name: 'LoadBalancer with a hostname',
    object: svc(
      { type: 'LoadBalancer', clusterIP: '10.0.0.7' },
      { loadBalancer: { ingress: [{ hostname: 'lb.example.com' }] } },
    ),
    state: 'ready',
  },
  {
    name: 'LoadBalancer with externalIPs',
    object: svc({ type: 'LoadBalancer', clusterIP: '10.0.0.7', externalIPs: ['198.51.100.1'] }),
    state: 'ready',
  },
  {
    name: 'Ingress waiting for an address',
    object: ing({}, { ingressClassName: 'nginx' }),
    state: 'progressing',
    reason: 'WaitingForLoadBalancer',
    hint: /ingressClassName "nginx"/,
  },
  {
    name: 'Ingress with an address',
    object: ing({ loadBalancer: { ingress: [{ ip: '192.0.2.1' }] } }),
    state: 'ready',
    message: 'ingress "web" is reachable at 192.0.2.1',
  },
  {
    name: 'Ingress with an empty ingress entry',
    object: ing({ loadBalancer: { ingress: [{}] } }),
    state: 'progressing',
  },
];

describe('Service and Ingress verdicts', () => runCases(cases));
