/**
 * Practice answers: a text answer is compared tolerantly with each accepted one (case, spaces,
 * a trailing dot of a DNS name, surrounding quotes or backticks do not matter); a choice answer
 * is the index of the chosen item (or the item's own text).
 */
import type { Question } from './types';

function normalize(s: string): string {
  return s
    .trim()
    .replace(/^[`'"]+|[`'"]+$/g, '')
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/\.$/, '')
    .toLowerCase();
}

export function checkAnswer(question: Question, answer: string): boolean {
  if (question.type === 'text') {
    const a = normalize(answer);
    return a !== '' && question.accept.some((x) => normalize(x) === a);
  }
  const t = answer.trim();
  if (/^\d+$/.test(t)) return Number(t) === question.answer;
  return normalize(t) === normalize(question.choices[question.answer]);
}
