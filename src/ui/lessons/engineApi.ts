/**
 * The part of the engine's lesson API (docs/lessons.md, `src/engine/lessons/`) the lesson panel
 * uses, described by the fields it reads. The panel's store takes it as an argument, so its logic
 * is tested with a small engine of the test's own and the app hands it the real one.
 */
import type { Cluster, Result, TraceRequest, TraceResult } from '../../engine';
import type { CommandRecord } from '../store';

/** The learner's context a check is evaluated on (docs/lessons.md `LessonContext`). */
export interface LessonContext {
  cluster: Cluster;
  traces: TraceRequest[];
  commands: CommandRecord[];
  answers: Record<string, string>;
}

export interface CheckResult {
  pass: boolean;
  kind: string;
  message: string;
  children?: CheckResult[];
}

export interface Prediction {
  request: TraceRequest;
  /** The hop the question is about (playback stops on the hop before it); -1: before the verdict. */
  stopBeforeHop: number;
  question: string;
  choices: string[];
  answer: number;
  /** explain[i]: why choice i is right or wrong. */
  explain: string[];
}

export interface LessonQuestion {
  id: string;
  type: 'text' | 'choice';
  prompt: string;
  choices?: string[];
  explain?: string;
}

export interface LessonStep {
  id: string;
  title: string;
  explain?: string;
  task?: string;
  hints?: string[];
  notice?: string;
  check?: unknown;
  predict?: unknown;
  points?: number;
}

export interface LessonMeta {
  id: string;
  title: string;
  order?: number;
  topics?: string[];
  summary?: string;
}

export interface LessonSpecView {
  activity: boolean;
  steps: LessonStep[];
  questions: LessonQuestion[];
}

/** A parsed lesson: what the panel reads of it (before params are resolved). */
export interface LessonDoc {
  meta: LessonMeta;
  params: Record<string, unknown>;
  spec: LessonSpecView;
}

/** A lesson with its params resolved for a seed (the texts are the learner's own variant). */
export interface LessonInst {
  lesson: LessonDoc;
  seed: string;
  spec: LessonSpecView;
}

export interface LessonEngine<L extends LessonDoc = LessonDoc, I extends LessonInst = LessonInst> {
  parseLesson(text: string, file: string): Result<L>;
  instantiate(lesson: L, seed?: string): I;
  enterStep(inst: I, stepIndex: number, ctx: LessonContext): Result<LessonContext>;
  /** `inst`: the lesson's questions, for `answer` checks. */
  evaluateCheck(check: unknown, ctx: LessonContext, inst?: I): CheckResult;
  checkpoint(inst: I, stepIndex: number): Result<LessonContext>;
  predictionFor(inst: I, stepIndex: number, ctx: LessonContext): Prediction | null;
  checkAnswer(question: LessonQuestion, answer: string): boolean;
  /** The tracer (the engine's `trace`): a prediction's packet. */
  trace(cluster: Cluster, req: TraceRequest): TraceResult;
  /** The scenario YAML of a cluster (a submission's `scenario`). */
  serialize(cluster: Cluster): string;
}
