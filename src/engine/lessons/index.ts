/**
 * Lessons (docs/lessons.md): the file format, the check vocabulary evaluated on engine state,
 * the learner's context through the steps, predictions, validation and grading.
 */
export * from './types';
export { parseLesson, instantiate, LESSON_API_VERSION } from './parse';
export { startContext, enterStep, solveStep, checkpoint, solvedContext, registerBuiltinScenarios, builtinScenario } from './context';
export { evaluateCheck } from './checks/index';
export { checkAnswer } from './answers';
export { predictionFor } from './prediction';
export { validateLesson, formatValidation } from './validate';
export { gradeSubmission, parseSubmission, submissionYaml, gradesCsv } from './grade';
