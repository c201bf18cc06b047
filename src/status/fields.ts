/**
 * Safe readers for objects of any shape: a missing, null or wrongly typed
 * field reads as undefined, so verdict rules never throw on odd objects.
 */

export function field(object: unknown, ...path: (string | number)[]): unknown {
  let current: unknown = object;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

export function num(object: unknown, ...path: (string | number)[]): number | undefined {
  const value = field(object, ...path);
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function str(object: unknown, ...path: (string | number)[]): string | undefined {
  const value = field(object, ...path);
  return typeof value === 'string' ? value : undefined;
}

export function bool(object: unknown, ...path: (string | number)[]): boolean | undefined {
  const value = field(object, ...path);
  return typeof value === 'boolean' ? value : undefined;
}

export function list(object: unknown, ...path: (string | number)[]): unknown[] {
  const value = field(object, ...path);
  return Array.isArray(value) ? value : [];
}

export function record(object: unknown, ...path: (string | number)[]): Record<string, unknown> | undefined {
  const value = field(object, ...path);
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown' | string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

/** `status.conditions`, keeping only well-formed entries. */
export function conditions(object: unknown): Condition[] {
  return list(object, 'status', 'conditions').filter(
    (c): c is Condition => typeof field(c, 'type') === 'string' && typeof field(c, 'status') === 'string',
  );
}

export function condition(object: unknown, type: string): Condition | undefined {
  return conditions(object).find((c) => c.type === type);
}

export const name = (object: unknown) => str(object, 'metadata', 'name') ?? '';

/** `Condition: reason: message`, leaving out what is missing. */
export function describeCondition(c: Condition): string {
  return [c.reason, c.message].filter(Boolean).join(': ') || `${c.type} is ${c.status}`;
}
