/**
 * Practice answers: a text answer is compared tolerantly with each accepted one (case, spaces,
 * a trailing dot of a DNS name, surrounding quotes or backticks do not matter); a choice answer
 * is the chosen item's text, or its index.
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
  // A choice's own text first (choices may be numbers: "1450"), then an index.
  const byText = question.choices.findIndex((c) => normalize(c) === normalize(answer));
  if (byText >= 0) return byText === question.answer;
  const t = answer.trim();
  return /^\d+$/.test(t) && Number(t) === question.answer;
}
