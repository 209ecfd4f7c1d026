/**
 * The engine's lesson API bound for the app: the lesson store's engine (engineApi.ts), with the
 * built-in scenarios a lesson may start from (`scenario: {builtin: demo}`) registered.
 */
import { checkAnswer, checkpoint, enterStep, evaluateCheck, instantiate, parseLesson, predictionFor, registerBuiltinScenarios } from '../../engine/lessons';
import { scenarioYaml } from '../../engine/scenario/serialize';
import { trace } from '../../engine/trace/tracer';
import type { LessonEngine } from './engineApi';

const scenarioFiles = import.meta.glob('../../scenarios/*.yaml', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;
registerBuiltinScenarios(Object.fromEntries(Object.entries(scenarioFiles).map(([p, text]) => [p.replace(/^.*\//, '').replace(/\.yaml$/, ''), text])));

export const lessonEngine: LessonEngine = { parseLesson, instantiate, enterStep, checkpoint, evaluateCheck, predictionFor, checkAnswer, trace, serialize: scenarioYaml };
