/**
 * The `command` check: the learner ran a shell line (LessonContext.commands: the app's
 * terminal, `podpath sh`, or in grading the submission's lines re-run on its own cluster) that
 * the ERE `matches` finds (GNU egrep syntax, engine/util/regex), with the given exit status,
 * output and place; and the `answer` check: a practice question answered right.
 */
import { compileGnu } from '../../util/regex/index';
import { checkAnswer } from '../answers';
import type { AnswerCheck, CheckResult, CommandCheck, LessonContext, Question } from '../types';
import { countMatches, countText, failed, pass } from './cluster';

/** `pod NAME` → `pod default/NAME`; other places as written. */
function normalizePlace(p: string): string {
  const m = /^pod\s+(\S+)$/.exec(p.trim());
  if (m) return `pod ${m[1].includes('/') ? m[1] : `default/${m[1]}`}`;
  return p.trim().replace(/\s+/g, ' ');
}

export function checkCommand(c: CommandCheck, ctx: LessonContext): CheckResult {
  const re = compileGnu([c.matches], 'ere');
  if (!re.ok) return failed('command', `the check's pattern ${JSON.stringify(c.matches)} is not a valid extended regular expression: ${re.error}`);
  const place = c.place !== undefined ? normalizePlace(c.place) : undefined;
  const lines = ctx.commands.filter((r) => re.regex.test(r.line));
  const hits = lines.filter((r) => (c.status === undefined || r.status === c.status) && (c.stdoutIncludes === undefined || (r.stdout ?? '').includes(c.stdoutIncludes)) && (place === undefined || (r.place !== undefined && normalizePlace(r.place) === place)));
  const count = c.count ?? { min: 1 };
  const what = `a command matching /${c.matches}/${c.status !== undefined ? ` exiting ${c.status}` : ''}${c.stdoutIncludes !== undefined ? ` printing "${c.stdoutIncludes}"` : ''}${place ? ` run in ${place}` : ''}`;
  if (countMatches(count, hits.length)) return pass('command', `${what}: ${hits.length ? JSON.stringify(hits[hits.length - 1].line) : 'none, as expected'}`);
  const near = lines[lines.length - 1];
  const seen = near ? `; the closest was ${JSON.stringify(near.line)} (exit ${near.status}${near.place ? `, in ${near.place}` : ''})` : ctx.commands.length ? `; none of the ${ctx.commands.length} lines run matches` : '; no command has been run';
  return failed('command', `expected ${typeof count === 'number' || count.max !== undefined ? `${countText(count)} of ` : ''}${what}; found ${hits.length}${seen}`);
}

export function checkAnswerCheck(c: AnswerCheck, ctx: LessonContext, questions: Question[] | undefined): CheckResult {
  const q = questions?.find((x) => x.id === c.question);
  if (!q) return failed('answer', `expected question ${c.question} to be answered; the lesson has no such question`);
  const a = ctx.answers[c.question];
  if (a === undefined) return failed('answer', `expected question ${c.question} to be answered; it has not been answered`);
  return checkAnswer(q, a) ? pass('answer', `question ${c.question} answered right`) : failed('answer', `expected the right answer to question ${c.question}; ${JSON.stringify(a)} is not it`);
}
