import { describe } from 'node:test';
import { type Case, event, object, runCases } from './cases.js';

const pvc = (phase: string | undefined) =>
  object('v1', 'PersistentVolumeClaim', phase ? { phase } : {}, {
    spec: { volumeName: 'pv-1' },
    metadata: { name: 'data' },
  });

const cases: Case[] = [
  {
    name: 'Bound',
    object: pvc('Bound'),
    state: 'ready',
    message: 'persistentvolumeclaim "data" is bound to pv-1',
  },
  { name: 'Lost', object: pvc('Lost'), state: 'failed', reason: 'ClaimLost', hint: /PersistentVolume/ },
  {
    name: 'Pending',
    object: pvc('Pending'),
    state: 'progressing',
    reason: 'ClaimPending',
    message: 'persistentvolumeclaim "data" is pending',
  },
  {
    name: 'Pending with ProvisioningFailed as the message',
    object: pvc('Pending'),
    context: {
      events: [
        event({
          kind: 'PersistentVolumeClaim',
          name: 'data',
          reason: 'ProvisioningFailed',
          message: 'storageclass.storage.k8s.io "fast" not found',
        }),
      ],
    },
    state: 'progressing',
    message: 'persistentvolumeclaim "data" is pending: storageclass.storage.k8s.io "fast" not found',
    hint: /StorageClass/,
  },
  {
    name: 'Pending waiting for the first consumer',
    object: pvc('Pending'),
    context: {
      events: [
        event({
          type: 'Normal',
          kind: 'PersistentVolumeClaim',
          name: 'data',
          reason: 'WaitForFirstConsumer',
          message: 'waiting for first consumer to be created before binding',
        }),
      ],
    },
    state: 'progressing',
    message: /WaitForFirstConsumer/,
  },
  { name: 'no status yet', object: pvc(undefined), state: 'progressing' },
];

describe('PersistentVolumeClaim verdicts', () => runCases(cases));
