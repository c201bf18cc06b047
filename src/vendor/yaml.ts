import type * as Yaml from 'yaml';
import { loadVendored } from './load.js';

/** What kubedog uses of yaml: the package bundles only these (scripts/bundle.mjs, VENDORED). */
export type YamlUsed = Pick<
  typeof Yaml,
  'parse' | 'parseDocument' | 'parseAllDocuments' | 'stringify' | 'isMap' | 'LineCounter'
>;

let loaded: YamlUsed | undefined;

/** yaml, loaded when the first YAML text is parsed or written. */
export const yaml = (): YamlUsed => {
  loaded ??= loadVendored<YamlUsed>('yaml');
  return loaded;
};
