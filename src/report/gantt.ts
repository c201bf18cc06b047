import type { PodStep, ResourceTimeline } from '../track/events.js';
import { formatElapsed, resourceName } from './names.js';

/** The mark of each step on a pod's bar, in the order they are drawn (a later one wins a shared column). */
const MARKS: readonly [PodStep, string][] = [
  ['created', 'c'],
  ['scheduled', 's'],
  ['pulled', 'p'],
  ['started', 'S'],
  ['running', 'r'],
  ['ready', '✓'],
  ['failing', '!'],
  ['deleted', 'x'],
];
const LEGEND = MARKS.map(([step, mark]) => `${mark} ${step}`).join(', ');
/** Pods drawn per resource at most: a 10,000-pod Deployment is a count, not 10,000 lines. */
const MAX_PODS = 10;

/**
 * The rollout timeline as a compact text Gantt chart: one line per
 * resource (its end: ✓ ready or ✗ failed, when), one per pod (up to 10 per
 * resource) with its steps marked where they happened on a bar of `width`
 * columns spanning the track, and their times.
 * @example
 * import { ganttChart } from 'kubedog/report';
 *
 * const lines = ganttChart([{ resource: { kind: 'Job', namespace: 'ci', name: 'migrate' }, end: { state: 'ready', atMs: 3000 }, pods: [] }], 3000);
 * console.log(lines[1]);
 * // prints: job/migrate ✓ ready at 3.0s
 */
export function ganttChart(timeline: readonly ResourceTimeline[], totalMs: number, width = 30): string[] {
  const span = Math.max(totalMs, 1);
  const column = (atMs: number) => Math.min(width - 1, Math.max(0, Math.round((atMs / span) * (width - 1))));
  const lines = [`Timeline: 0s to ${formatElapsed(totalMs)}, ${width} columns (${LEGEND})`];
  for (const resource of timeline) {
    const end = resource.end
      ? ` ${resource.end.state === 'ready' ? '✓ ready' : '✗ failed'} at ${formatElapsed(resource.end.atMs)}`
      : ' (not done)';
    lines.push(`${resourceName(resource.resource)}${end}`);
    const pods = resource.pods.slice(0, MAX_PODS);
    const nameWidth = Math.max(0, ...pods.map((p) => p.pod.length));
    for (const pod of pods) {
      const bar = Array.from({ length: width }, () => ' ');
      const columns = pod.steps.map((s) => column(s.atMs));
      for (let c = Math.min(...columns); c <= Math.max(...columns); c++) bar[c] = '·';
      for (const [step, mark] of MARKS) {
        const at = pod.steps.find((s) => s.step === step);
        if (at) bar[column(at.atMs)] = mark;
      }
      const times = MARKS.flatMap(([step, mark]) => {
        const at = pod.steps.find((s) => s.step === step);
        return at ? [`${mark} ${formatElapsed(at.atMs)}`] : [];
      });
      lines.push(`  ${pod.pod.padEnd(nameWidth)} │${bar.join('')}│ ${times.join('  ')}`);
    }
    if (resource.pods.length > MAX_PODS) lines.push(`  … and ${resource.pods.length - MAX_PODS} more pods`);
  }
  return lines;
}
