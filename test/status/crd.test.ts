import { describe } from 'node:test';
import { type Case, object, runCases } from './cases.js';

const crd = (conditions: { type: string; status: string; reason?: string; message?: string }[]) =>
  object(
    'apiextensions.k8s.io/v1',
    'CustomResourceDefinition',
    { conditions },
    { metadata: { name: 'widgets.example.com' } },
  );

const cases: Case[] = [
  {
    name: 'Established',
    object: crd([
      { type: 'NamesAccepted', status: 'True' },
      { type: 'Established', status: 'True' },
    ]),
    state: 'ready',
  },
  {
    name: 'not yet established',
    object: crd([{ type: 'NamesAccepted', status: 'True' }]),
    state: 'progressing',
    reason: 'NotEstablished',
  },
  {
    name: 'names not accepted',
    object: crd([
      {
        type: 'NamesAccepted',
        status: 'False',
        reason: 'ListKindConflict',
        message: '"WidgetList" is already in use',
      },
    ]),
    state: 'failed',
    reason: 'NamesNotAccepted',
    hint: /another CRD/,
  },
  { name: 'no conditions', object: crd([]), state: 'progressing' },
];

describe('CustomResourceDefinition verdicts', () => runCases(cases));
