import { describe } from 'node:test';
import { type Case, object, runCases } from './cases.js';

type C = { type: string; status: string; reason?: string; message?: string };
const cert = (conditions: C[]) => object('cert-manager.io/v1', 'Certificate', { conditions });
const helmRelease = (conditions: C[]) => object('helm.toolkit.fluxcd.io/v2', 'HelmRelease', { conditions });
const kustomization = (conditions: C[]) =>
  object('kustomize.toolkit.fluxcd.io/v1', 'Kustomization', { conditions });
const app = (status: unknown) => object('argoproj.io/v1alpha1', 'Application', status);
const externalSecret = (conditions: C[]) =>
  object('external-secrets.io/v1beta1', 'ExternalSecret', { conditions });
const sealedSecret = (conditions: C[]) => object('bitnami.com/v1alpha1', 'SealedSecret', { conditions });

const cases: Case[] = [
  { name: 'Certificate ready', object: cert([{ type: 'Ready', status: 'True' }]), state: 'ready' },
  {
    name: 'Certificate issuing',
    object: cert([
      { type: 'Ready', status: 'False', reason: 'DoesNotExist' },
      { type: 'Issuing', status: 'True' },
    ]),
    state: 'progressing',
    reason: 'DoesNotExist',
  },
  {
    name: 'Certificate issuance failed',
    object: cert([
      { type: 'Ready', status: 'False' },
      {
        type: 'Issuing',
        status: 'False',
        reason: 'Failed',
        message: 'The certificate request has failed to complete',
      },
    ]),
    state: 'failed',
    reason: 'Failed',
    hint: /CertificateRequest/,
  },
  {
    name: 'HelmRelease ready',
    object: helmRelease([{ type: 'Ready', status: 'True', reason: 'InstallSucceeded' }]),
    state: 'ready',
  },
  {
    name: 'HelmRelease upgrade failed',
    object: helmRelease([{ type: 'Ready', status: 'False', reason: 'UpgradeFailed', message: 'timed out' }]),
    state: 'failed',
    reason: 'UpgradeFailed',
  },
  {
    name: 'HelmRelease waiting on a dependency',
    object: helmRelease([{ type: 'Ready', status: 'False', reason: 'DependencyNotReady' }]),
    state: 'progressing',
  },
  {
    name: 'HelmRelease reconciling (generic check)',
    object: helmRelease([
      { type: 'Reconciling', status: 'True', reason: 'Progressing' },
      { type: 'Ready', status: 'Unknown' },
    ]),
    state: 'progressing',
    reason: 'Reconciling',
  },
  {
    name: 'HelmRelease stalled (generic check)',
    object: helmRelease([{ type: 'Stalled', status: 'True', reason: 'RetriesExceeded' }]),
    state: 'failed',
    reason: 'Stalled',
  },
  { name: 'Kustomization ready', object: kustomization([{ type: 'Ready', status: 'True' }]), state: 'ready' },
  {
    name: 'Kustomization build failed',
    object: kustomization([{ type: 'Ready', status: 'False', reason: 'BuildFailed' }]),
    state: 'failed',
    reason: 'BuildFailed',
  },
  {
    name: 'Kustomization health check failed',
    object: kustomization([{ type: 'Ready', status: 'False', reason: 'HealthCheckFailed' }]),
    state: 'failed',
  },
  {
    name: 'Argo CD app healthy and synced',
    object: app({ health: { status: 'Healthy' }, sync: { status: 'Synced' } }),
    state: 'ready',
  },
  {
    name: 'Argo CD app healthy but out of sync',
    object: app({ health: { status: 'Healthy' }, sync: { status: 'OutOfSync' } }),
    state: 'progressing',
  },
  {
    name: 'Argo CD app degraded',
    object: app({
      health: { status: 'Degraded', message: 'Deployment "web" exceeded its progress deadline' },
    }),
    state: 'failed',
    reason: 'Degraded',
  },
  {
    name: 'Argo CD app progressing',
    object: app({ health: { status: 'Progressing' }, sync: { status: 'Synced' } }),
    state: 'progressing',
  },
  {
    name: 'Argo CD app suspended',
    object: app({ health: { status: 'Suspended' } }),
    state: 'progressing',
    reason: 'Suspended',
    hint: /suspended/,
  },
  {
    name: 'Argo CD sync failed',
    object: app({ operationState: { phase: 'Failed', message: 'one or more objects failed to apply' } }),
    state: 'failed',
    reason: 'SyncFailed',
  },
  {
    name: 'ExternalSecret synced',
    object: externalSecret([{ type: 'Ready', status: 'True', reason: 'SecretSynced' }]),
    state: 'ready',
  },
  {
    name: 'ExternalSecret sync error',
    object: externalSecret([
      {
        type: 'Ready',
        status: 'False',
        reason: 'SecretSyncedError',
        message: 'could not get secret data from provider',
      },
    ]),
    state: 'failed',
    hint: /SecretStore/,
  },
  { name: 'ExternalSecret not yet synced', object: externalSecret([]), state: 'progressing' },
  {
    name: 'SealedSecret unsealed',
    object: sealedSecret([{ type: 'Synced', status: 'True' }]),
    state: 'ready',
  },
  {
    name: 'SealedSecret cannot be unsealed',
    object: sealedSecret([
      { type: 'Synced', status: 'False', reason: 'ErrUnsealFailed', message: 'no key could decrypt secret' },
    ]),
    state: 'failed',
    reason: 'ErrUnsealFailed',
  },
];

describe('custom resource verdicts', () => runCases(cases));
