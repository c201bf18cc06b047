import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Set by the bundler (scripts/bundle.mjs) to the package's version. */
declare const KUBEDOG_VERSION: string | undefined;

/**
 * A file of the kubedog package (its package.json, fixtures, scripts),
 * found through the package's own name — wherever the bundler put the code
 * that asks, and from the sources alike. Undefined in the single-file CLI,
 * which has no package around it.
 */
export function packageFile(relative: string): string | undefined {
  try {
    const root = dirname(createRequire(import.meta.url).resolve('kubedog/package.json'));
    const path = join(root, relative);
    return existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

/** kubedog's version: built in by the bundler, else read from package.json. */
export function packageVersion(): string {
  if (typeof KUBEDOG_VERSION === 'string') return KUBEDOG_VERSION;
  const path = packageFile('package.json');
  return path ? (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version : 'unknown';
}
