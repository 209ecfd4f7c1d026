/**
 * A learner's progress through lessons, kept in this browser (localStorage), one key per lesson:
 * the step shown and the furthest reached, the steps whose check passed, hints shown, prediction
 * and question answers, the seed, and the learner's traces and shell lines (a submission needs
 * them after a reload). The cluster itself is the app's autosaved work. The lesson open when the
 * page was left is remembered too, so a reload comes back to it.
 *
 * Reads never trust what is stored: anything malformed reads as "no progress".
 */
import type { TraceRequest } from '../../engine';
import type { CommandRecord } from '../store';
import { ACTIVE_KEY } from './activeKey';

export const PROGRESS_PREFIX = 'podpath:lesson:';
export { ACTIVE_KEY };
export const LEARNER_KEY = 'podpath:learner';

export type KeyValue = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export interface PredictionAnswer {
  chosen: number;
  right: boolean;
}

export interface QuestionAnswer {
  answer: string;
  right: boolean;
}

export interface LessonProgress {
  seed: string;
  /** The step shown (index). */
  step: number;
  /** The furthest step entered (its setup ran). */
  reached: number;
  /** Ids of the steps whose check passed. */
  passed: string[];
  /** Hints shown, by step id. */
  hints: Record<string, number>;
  predictions: Record<string, PredictionAnswer>;
  answers: Record<string, QuestionAnswer>;
  /** The practice questions are shown (after the last step). */
  questions: boolean;
  traces: TraceRequest[];
  commands: CommandRecord[];
}

/** Where the open lesson came from: a built-in id, a URL, or a dropped file (its text kept). */
export type LessonSource = { kind: 'builtin'; id: string } | { kind: 'url'; url: string } | { kind: 'file'; name: string; text: string };

export interface ActiveLesson {
  id: string;
  source: LessonSource;
}

export interface Learner {
  name: string;
  seed: string;
}

export function emptyProgress(seed: string): LessonProgress {
  return { seed, step: 0, reached: 0, passed: [], hints: {}, predictions: {}, answers: {}, questions: false, traces: [], commands: [] };
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNat = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

function read(s: KeyValue, key: string): unknown {
  try {
    const raw = s.getItem(key);
    return raw === null ? null : (JSON.parse(raw) as unknown);
  } catch {
    return null;
  }
}

function write(s: KeyValue, key: string, value: unknown): boolean {
  try {
    s.setItem(key, JSON.stringify(value));
    return true;
  } catch {
    return false;
  }
}

function recordOf<T>(v: unknown, ok: (x: unknown) => x is T): Record<string, T> {
  const out: Record<string, T> = {};
  if (!isObj(v)) return out;
  for (const [k, x] of Object.entries(v)) if (ok(x)) out[k] = x;
  return out;
}

const isPrediction = (x: unknown): x is PredictionAnswer => isObj(x) && isNat(x.chosen) && typeof x.right === 'boolean';
const isAnswer = (x: unknown): x is QuestionAnswer => isObj(x) && typeof x.answer === 'string' && typeof x.right === 'boolean';
const isTrace = (x: unknown): x is TraceRequest => isObj(x) && typeof x.from === 'string' && typeof x.to === 'string' && ['icmp', 'tcp', 'udp'].includes(x.proto as string);
const isCommand = (x: unknown): x is CommandRecord => isObj(x) && typeof x.line === 'string' && typeof x.status === 'number';

export function readProgress(s: KeyValue, id: string): LessonProgress | null {
  const v = read(s, PROGRESS_PREFIX + id);
  if (!isObj(v) || typeof v.seed !== 'string' || !isNat(v.step) || !isNat(v.reached)) return null;
  return {
    seed: v.seed,
    step: v.step,
    reached: Math.max(v.reached, v.step),
    passed: Array.isArray(v.passed) ? v.passed.filter((x): x is string => typeof x === 'string') : [],
    hints: recordOf(v.hints, isNat),
    predictions: recordOf(v.predictions, isPrediction),
    answers: recordOf(v.answers, isAnswer),
    questions: v.questions === true,
    traces: Array.isArray(v.traces) ? v.traces.filter(isTrace) : [],
    commands: Array.isArray(v.commands) ? v.commands.filter(isCommand) : [],
  };
}

/** False when storage refused it (full, or disabled): the progress lasts for this page only. */
export function saveProgress(s: KeyValue, id: string, p: LessonProgress): boolean {
  return write(s, PROGRESS_PREFIX + id, p);
}

export function clearProgress(s: KeyValue, id: string): void {
  try {
    s.removeItem(PROGRESS_PREFIX + id);
  } catch {
    /* nothing to clear */
  }
}

export function readActive(s: KeyValue): ActiveLesson | null {
  const v = read(s, ACTIVE_KEY);
  if (!isObj(v) || typeof v.id !== 'string' || !isObj(v.source)) return null;
  const src = v.source;
  if (src.kind === 'builtin' && typeof src.id === 'string') return { id: v.id, source: { kind: 'builtin', id: src.id } };
  if (src.kind === 'url' && typeof src.url === 'string') return { id: v.id, source: { kind: 'url', url: src.url } };
  if (src.kind === 'file' && typeof src.name === 'string' && typeof src.text === 'string') return { id: v.id, source: { kind: 'file', name: src.name, text: src.text } };
  return null;
}

export function saveActive(s: KeyValue, active: ActiveLesson | null): void {
  if (active) write(s, ACTIVE_KEY, active);
  else {
    try {
      s.removeItem(ACTIVE_KEY);
    } catch {
      /* nothing to clear */
    }
  }
}

export function readLearner(s: KeyValue): Learner | null {
  const v = read(s, LEARNER_KEY);
  if (!isObj(v) || typeof v.name !== 'string' || typeof v.seed !== 'string' || !v.seed) return null;
  return { name: v.name, seed: v.seed };
}

export function saveLearner(s: KeyValue, learner: Learner): void {
  write(s, LEARNER_KEY, learner);
}

/** The seed a name gives when the learner does not choose one: the name, trimmed and lower-cased. */
export function seedOfName(name: string): string {
  return name.trim().toLowerCase().replace(/\s+/g, '-');
}
