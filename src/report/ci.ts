import type { FailedEvent, MultitrackEvent } from '../track/events.js';
import { resourceKey } from '../track/resource-ref.js';
import { reasoned, resourceName } from './names.js';
import { terminalSafe } from './safe.js';

/** The CI systems kubedog speaks to natively. */
export type CiSystem = 'github' | 'gitlab';

/**
 * The CI system a process runs in, from its environment: `GITHUB_ACTIONS=true`, `GITLAB_CI=true`.
 * @example
 * import { detectCi } from 'kubedog/report';
 *
 * console.log(detectCi({ GITHUB_ACTIONS: 'true' }));
 * // prints: github
 */
export function detectCi(env: NodeJS.ProcessEnv): CiSystem | undefined {
  if (env.GITHUB_ACTIONS === 'true') return 'github';
  if (env.GITLAB_CI === 'true') return 'gitlab';
  return undefined;
}

/** A line a CI system reads as a command (GitHub's `::…`, GitLab's section markers): it must start its line. */
export const isCiCommand = (line: string) => line.startsWith('::') || line.startsWith('\u001b[0Ksection_');

// GitHub's workflow-command encoding: data escapes %, CR and LF; properties also : and ,.
const commandData = (text: string) => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const commandProperty = (text: string) => commandData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** A workflow command; what the cluster wrote is made safe as on a terminal, lines kept. */
function command(name: 'error' | 'warning', title: string, lines: string[]): string {
  const message = lines.map(terminalSafe).join('\n');
  return `::${name} title=${commandProperty(terminalSafe(title))}::${commandData(message)}`;
}

/** `::error` for a failure: the resource and reason as its title; the message, hint and findings as its text. */
export function githubFailure(failure: FailedEvent): string {
  const lines = [reasoned(failure.reason, failure.message)];
  if (failure.hint) lines.push(`hint: ${failure.hint}`);
  for (const finding of failure.report.findings) lines.push(`found: ${finding}`);
  return command('error', `${resourceName(failure.resource, true)}: ${failure.reason}`, lines);
}

/**
 * The workflow commands of GitHub Actions for a track's events: `::error`
 * for each failure, `::warning` for a tracked resource's Warning Event —
 * once per object and reason, so a crash loop is one annotation, not
 * hundreds. Give it every event; it returns the lines to print.
 * @example
 * import { GithubAnnotations } from 'kubedog/report';
 *
 * const annotations = new GithubAnnotations();
 * const lines = annotations.lines({
 *   type: 'event', time: '2026-12-02T10:00:00Z', resource: { kind: 'Deployment', namespace: 'shop', name: 'web' },
 *   eventType: 'Warning', reason: 'BackOff', message: 'Back-off pulling image', involvedObject: 'Pod/web-1', count: 1,
 * });
 * console.log(lines[0]);
 * // prints: ::warning title=shop/deploy/web%3A BackOff::Pod/web-1: Back-off pulling image
 */
export class GithubAnnotations {
  readonly #warned = new Set<string>();

  /** The workflow commands this event calls for (none for most). */
  lines(event: MultitrackEvent): string[] {
    if (event.type === 'failed') return [githubFailure(event)];
    if (event.type !== 'event' || event.eventType !== 'Warning') return [];
    const key = `${resourceKey(event.resource)}/${event.involvedObject}/${event.reason}`;
    if (this.#warned.has(key)) return [];
    this.#warned.add(key);
    const title = `${resourceName(event.resource, true)}: ${event.reason}`;
    return [command('warning', title, [`${event.involvedObject}: ${event.message}`])];
  }
}

/**
 * A collapsible section of the CI log around `lines`: GitHub's
 * `::group::`, GitLab's `section_start`/`section_end` (collapsed). `now`
 * gives GitLab's timestamp (seconds).
 * @example
 * import { ciSection } from 'kubedog/report';
 *
 * console.log(ciSection('github', 'Last 2 log lines of web-1 app', ['booting', 'panic: no config'], new Date()).join('\n'));
 * // prints: ::group::Last 2 log lines of web-1 app
 */
export function ciSection(system: CiSystem, title: string, lines: string[], now: Date): string[] {
  const safeTitle = terminalSafe(title);
  if (system === 'github') return [`::group::${commandData(safeTitle)}`, ...lines, '::endgroup::'];
  const seconds = Math.floor(now.getTime() / 1000);
  const id = `kubedog_${seconds}_${safeTitle.replace(/[^a-zA-Z0-9_]/g, '_').slice(0, 40)}`;
  return [
    `\u001b[0Ksection_start:${seconds}:${id}[collapsed=true]\r\u001b[0K${safeTitle}`,
    ...lines,
    `\u001b[0Ksection_end:${seconds}:${id}\r\u001b[0K`,
  ];
}
