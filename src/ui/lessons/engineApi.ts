/**
 * The engine's lesson API (docs/lessons.md, `src/engine/lessons/`) as the lesson store takes
 * it: an object of functions, so the store's logic can be driven with another engine in a test
 * and the app hands it the real one (lessonEngine.ts). The types are the engine's.
 */
import type { Cluster, Result, TraceRequest, TraceResult } from '../../engine';
import type { Check, CheckResult, Lesson, LessonContext, LessonInstance, Prediction, Question, Step } from '../../engine/lessons';

export type { CheckResult, LessonContext, Prediction };
/** A parsed lesson (params not yet chosen). */
export type LessonDoc = Lesson;
/** A lesson for one learner: params chosen from the seed, `${}` substituted. */
export type LessonInst = LessonInstance;
export type LessonStep = Step;
export type LessonQuestion = Question;

export interface LessonEngine {
  parseLesson(text: string, file: string): Result<Lesson>;
  instantiate(lesson: Lesson, seed?: string): LessonInstance;
  enterStep(inst: LessonInstance, stepIndex: number, ctx: LessonContext): Result<LessonContext>;
  /** `inst`: the lesson's questions, for `answer` checks. */
  evaluateCheck(check: Check, ctx: LessonContext, inst?: LessonInstance): CheckResult;
  checkpoint(inst: LessonInstance, stepIndex: number): Result<LessonContext>;
  predictionFor(inst: LessonInstance, stepIndex: number, ctx: LessonContext): Prediction | null;
  checkAnswer(question: Question, answer: string): boolean;
  /** The tracer (the engine's `trace`): a prediction's packet. */
  trace(cluster: Cluster, req: TraceRequest): TraceResult;
  /** The scenario YAML of a cluster. */
  serialize(cluster: Cluster): string;
}
