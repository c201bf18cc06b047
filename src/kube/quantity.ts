/**
 * Kubernetes resource quantities (`500m`, `2`, `1.5Gi`, `128M`, `1e3`), as
 * apimachinery's resource.Quantity writes them: a decimal number, then a
 * binary suffix (Ki…Ei), a decimal one (n, u, m, k, M…E) or an exponent.
 */

const SUFFIXES: Readonly<Record<string, number>> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?)$/;

/** A quantity's value (cores for CPU, bytes for memory); undefined when it is not one. */
export function parseQuantity(text: string): number | undefined {
  const m = QUANTITY.exec(text.trim());
  if (!m) return undefined;
  const number = Number(m[1]);
  return m[2] ? Number(`${m[1]}${m[2]}`) : number * (SUFFIXES[m[3] ?? ''] ?? 1);
}

/** CPU as people write it: `250m`, `2`, `1.5`. */
export function formatCpu(cores: number): string {
  return Number.isInteger(cores) ? String(cores) : `${Math.round(cores * 1000)}m`;
}

/** Memory as people write it: `512Mi`, `8Gi`, `1.5Gi`, or bytes. */
export function formatMemory(bytes: number): string {
  for (const [suffix, size] of [
    ['Ti', 2 ** 40],
    ['Gi', 2 ** 30],
    ['Mi', 2 ** 20],
    ['Ki', 2 ** 10],
  ] as const) {
    if (bytes >= size) return `${Math.round((bytes / size) * 10) / 10}${suffix}`;
  }
  return String(bytes);
}
