import type * as Undici from 'undici';
import { loadVendored } from './load.js';

/** What kubedog uses of undici: the package bundles only these (scripts/bundle.mjs, VENDORED). */
export type UndiciUsed = Pick<typeof Undici, 'Agent' | 'ProxyAgent'>;

let loaded: UndiciUsed | undefined;

/** undici, loaded when the first client is made. */
export const undici = (): UndiciUsed => {
  loaded ??= loadVendored<UndiciUsed>('undici');
  return loaded;
};
