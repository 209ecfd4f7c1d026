/**
 * An activity's submission file (docs/lessons.md "Activities, submissions and grading"): the
 * learner's scenario, traces, shell lines and answers, the seed and the name. Nothing claimed
 * (scores, check results) goes in it: `podpath lesson grade` evaluates the checks on it itself.
 */
import jsyaml from 'js-yaml';
import type { TraceRequest } from '../../engine';
import type { CommandRecord } from '../store';

export interface SubmissionInput {
  lesson: string;
  seed: string;
  learner: string;
  scenario: string;
  traces: TraceRequest[];
  commands: CommandRecord[];
  answers: Record<string, string>;
}

export function submissionText(s: SubmissionInput): string {
  const doc = {
    apiVersion: 'podpath.dev/v1alpha1',
    kind: 'Submission',
    lesson: s.lesson,
    seed: s.seed,
    learner: s.learner,
    scenario: s.scenario,
    // The request as the learner asked it (DNS message views are the tracer's, not the learner's).
    traces: s.traces.map(({ dns: _d, replyDns: _r, ...req }) => req),
    commands: s.commands.map((c) => ({ line: c.line, status: c.status, ...(c.place ? { place: c.place } : {}) })),
    answers: s.answers,
  };
  return jsyaml.dump(doc, { lineWidth: -1, noRefs: true });
}
