import { describeKubectlAgainstSimulator } from '../../test/testing/kubectl-suite.js';
import { kubectlBinary } from './helpers.js';

// The kubectl of the tier's Kubernetes version, always built here: never skipped.
describeKubectlAgainstSimulator(kubectlBinary());
