import type { Progress, Verdict } from './types.js';

/** The only way verdicts are built, so every one has the same shape. */

function build(
  state: Verdict['state'],
  reason: string,
  message: string,
  extra: { hint?: string | undefined; progress?: Progress | undefined },
) {
  const verdict: Verdict = { state, reason, message };
  if (extra.hint) verdict.hint = extra.hint;
  if (extra.progress) verdict.progress = extra.progress;
  return verdict;
}

export const progressing = (
  reason: string,
  message: string,
  extra: { hint?: string; progress?: Progress } = {},
) => build('progressing', reason, message, extra);

export const ready = (reason: string, message: string, extra: { hint?: string; progress?: Progress } = {}) =>
  build('ready', reason, message, extra);

export const failed = (
  reason: string,
  message: string,
  extra: { hint?: string | undefined; progress?: Progress } = {},
) => build('failed', reason, message, extra);
