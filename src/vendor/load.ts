import { createRequire } from 'node:module';

/**
 * Set by the bundler (scripts/bundle.mjs): `package` when undici and yaml
 * are bundled into `dist/vendor/*.cjs` next to kubedog's own code. Unset
 * when kubedog runs from its sources, which load them from node_modules.
 */
declare const KUBEDOG_VENDOR: 'package' | undefined;

const require = createRequire(import.meta.url);

/**
 * Loads a vendored module on first use, synchronously: what a caller needs
 * first (a kubeconfig read, a client) pays for it, not `import('kubedog')`.
 * In the package, the bundles are found through the package's own name
 * (`kubedog/vendor/NAME`), wherever the bundler put the calling code.
 */
export function loadVendored<T>(name: 'undici' | 'yaml'): T {
  return require(typeof KUBEDOG_VENDOR === 'string' ? `kubedog/vendor/${name}` : name) as T;
}

/**
 * A Node built-in that takes milliseconds to load (`node:zlib` 3 ms,
 * `node:child_process` 1.5 ms on a 2-core machine), loaded when first used:
 * only reading a Helm release needs zlib, only an exec credential plugin a child process.
 */
export function loadBuiltin<T>(name: 'node:zlib' | 'node:child_process'): T {
  return require(name) as T;
}
