import { JOB_POD_PROBLEMS } from '../../status/job.js';
import { ownPods, type PodStrategy } from './strategy.js';

/** Job: every pod it controls is current; failed pods are its backoffLimit's business. */
export const jobPods: PodStrategy = { ...ownPods, podProblems: JOB_POD_PROBLEMS };

/** ReplicaSet: every pod it controls is current. */
export const replicaSetPods: PodStrategy = ownPods;

/** Pod: the resource is its own pod. */
export const podItself: PodStrategy = { self: true, ...ownPods };
