import { parseApiVersion, type ResourceType } from './resources.js';
import { isRecord } from './types.js';

/**
 * API discovery documents read as a Go server may send them: `null` for an
 * empty list (how Go encodes a nil slice), optional fields missing, the
 * odd entry of the wrong shape. What cannot be used is skipped and named in
 * `unusable` (said with an unknown kind's error), never a crash.
 */

/** An array, or empty for `null`/missing (Go's nil slice); undefined for anything else. */
const listOf = (value: unknown): unknown[] | undefined =>
  value === null || value === undefined ? [] : Array.isArray(value) ? value : undefined;

/**
 * The group versions of `/apis` (an APIGroupList) to read: each group's
 * preferred version, or its first version when it names none.
 */
export function preferredVersions(answer: unknown): { versions: string[]; unusable: string[] } {
  const unusable: string[] = [];
  const groups = isRecord(answer) ? listOf(answer.groups) : undefined;
  if (!groups) return { versions: [], unusable: ['/apis: "groups" is not a list'] };
  const versions: string[] = [];
  for (const [index, group] of groups.entries()) {
    const preferred =
      isRecord(group) && isRecord(group.preferredVersion) ? group.preferredVersion.groupVersion : undefined;
    const first = isRecord(group) ? listOf(group.versions)?.find(isRecord)?.groupVersion : undefined;
    const chosen = typeof preferred === 'string' ? preferred : first;
    if (typeof chosen === 'string' && /^[\w.-]+\/[\w.-]+$/.test(chosen)) versions.push(chosen);
    else unusable.push(`/apis: group ${groupName(group, index)} names no version`);
  }
  return { versions, unusable };
}

const groupName = (group: unknown, index: number) =>
  isRecord(group) && typeof group.name === 'string' ? `"${group.name}"` : `#${index + 1}`;

/** The kinds of one APIResourceList (`/api/v1`, `/apis/GROUP/VERSION`); its subresources left out. */
export function resourceTypes(answer: unknown, where: string, unusable: string[]): ResourceType[] {
  const groupVersion = isRecord(answer) ? answer.groupVersion : undefined;
  const resources = isRecord(answer) ? listOf(answer.resources) : undefined;
  const fallback = where.replace(/^\/apis?\//, '');
  const { group, version } = parseApiVersion(typeof groupVersion === 'string' ? groupVersion : fallback);
  if (!resources) {
    unusable.push(`${where}: "resources" is not a list`);
    return [];
  }
  const types: ResourceType[] = [];
  for (const resource of resources) {
    if (!isRecord(resource) || typeof resource.name !== 'string' || typeof resource.kind !== 'string') {
      unusable.push(`${where}: a resource without a name or kind`);
      continue;
    }
    if (resource.name.includes('/')) continue;
    const shortNames = listOf(resource.shortNames)?.filter(
      (name): name is string => typeof name === 'string',
    );
    types.push({
      kind: resource.kind,
      group,
      version,
      plural: resource.name,
      namespaced: resource.namespaced === true,
      ...(shortNames && shortNames.length > 0 ? { shortNames } : {}),
    });
  }
  return types;
}
