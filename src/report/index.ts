/**
 * kubedog/report: what a track says to CI — a run's report collected from
 * the events (`RunReporter`), as a Markdown job summary or JUnit XML, and
 * GitHub's workflow commands and collapsible log sections. What the
 * `kubedog` CLI writes with `--ci`, `--report` and `--junit`, for another
 * tool embedding kubedog to write the same.
 */
export { type CiSystem, ciSection, detectCi, GithubAnnotations } from './ci.js';
export { ganttChart } from './gantt.js';
export { junitReport } from './junit.js';
export { markdownReport } from './markdown.js';
export { type ResourceResult, type RunReport, RunReporter } from './run-report.js';
