import { startControlPlane } from '../control-plane.js';

/** Starts a control plane, prints its directory, and waits to be killed (teardown.test.ts). */
const plane = await startControlPlane({ bin: process.argv[2] ?? '' });
process.stdout.write(`${plane.dir}\n`);
setInterval(() => {}, 60_000);
