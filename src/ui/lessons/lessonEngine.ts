/**
 * The engine's lesson API bound for the app: the lesson store's engine (engineApi.ts), with the
 * built-in scenarios a lesson may start from (`scenario: {builtin: demo}`) registered.
 */
import { checkAnswer, checkpoint, enterStep, evaluateCheck, instantiate, parseLesson, predictionFor, registerBuiltinScenarios } from '../../engine/lessons';
import type { Check, Lesson, LessonInstance, Question } from '../../engine/lessons';
import { scenarioYaml } from '../../engine/scenario/serialize';
import { trace } from '../../engine/trace/tracer';
import type { LessonDoc, LessonEngine, LessonInst } from './engineApi';

// The built-in scenarios a lesson may start from (`scenario: {builtin: demo}`).
const scenarioFiles = import.meta.glob('../../scenarios/*.yaml', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;
registerBuiltinScenarios(Object.fromEntries(Object.entries(scenarioFiles).map(([p, text]) => [p.replace(/^.*\//, '').replace(/\.yaml$/, ''), text])));

export const lessonEngine: LessonEngine<Lesson & LessonDoc, LessonInstance & LessonInst> = {
  parseLesson: (text, file) => parseLesson(text, file) as ReturnType<LessonEngine<Lesson & LessonDoc>['parseLesson']>,
  instantiate: (lesson, seed) => instantiate(lesson, seed) as LessonInstance & LessonInst,
  enterStep,
  checkpoint,
  evaluateCheck: (check, ctx, inst) => evaluateCheck(check as Check, ctx, inst),
  predictionFor,
  checkAnswer: (q, a) => checkAnswer(q as Question, a),
  trace,
  serialize: scenarioYaml,
};

