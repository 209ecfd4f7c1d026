/**
 * A lesson being written in the app, and the lesson file it becomes (docs/lessons.md).
 *
 * The draft mirrors the file: a start scenario (the cluster the author started from, inline
 * YAML), then steps with their texts, one check from the vocabulary and the reference solution
 * recorded from what the author did (shell lines, traces) or a YAML patch. `lessonFileText`
 * writes the YAML `podpath lesson validate` reads; nothing here knows about React.
 *
 * Invariants: ids are `[a-z0-9-]+` and unique (step ids within the lesson); a file is written
 * only with the fields a step has (empty hints, notice, solution parts are left out).
 */
import yaml from 'js-yaml';
import type { TraceRequest } from '../../../engine';

/** A check of the vocabulary: one key naming its kind (docs/lessons.md "Checks"). */
export type CheckSpec = Record<string, unknown>;

export interface SolutionDraft {
  commands: string[];
  traces: TraceRequest[];
  /** YAML documents applied like `kubectl apply -f`. */
  patch?: string;
}

/** What a prediction asks (docs/lessons.md `predict.ask`). */
export const PREDICT_ASKS = ['verdict', 'node', 'next-device', 'dnat-endpoint', 'wire-bytes', 'encap'] as const;
export type PredictAsk = (typeof PREDICT_ASKS)[number];

export interface PredictDraft {
  trace: TraceRequest;
  ask: PredictAsk;
}

export interface StepDraft {
  id: string;
  title: string;
  explain: string;
  task: string;
  hints: string[];
  notice: string;
  check: CheckSpec | null;
  /** The check in words, as the author chose it ("the last trace was dropped by policy deny-all"). */
  checkLabel: string;
  solution: SolutionDraft;
  /** Predict, then see: ask about this trace before the step's task (the engine builds the choices). */
  predict?: PredictDraft;
  /** The scenario text when the step began (the patch is taken against it); not written to the file. */
  startText: string;
}

export interface LessonDraft {
  id: string;
  title: string;
  summary: string;
  topics: string[];
  /** The start scenario: the current cluster's YAML when the lesson was started. */
  scenarioYaml: string;
  steps: StepDraft[];
}

export const API_VERSION = 'podpath.dev/v1alpha1';

/** `[a-z0-9-]+` from any text: lower case, other runs of characters become one dash. */
export function slug(text: string, fallback = 'lesson'): string {
  const s = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '');
  return s || fallback;
}

/** A new lesson whose start state is `scenarioYaml` (the cluster on screen). */
export function newDraft(scenarioYaml: string, title: string): LessonDraft {
  return { id: slug(title), title, summary: '', topics: [], scenarioYaml, steps: [] };
}

/** An id not yet taken by another step: `step-2`, or the title's slug. */
function freeStepId(draft: LessonDraft, base: string): string {
  const taken = new Set(draft.steps.map((s) => s.id));
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/** A new step starting from `startText` (the cluster on screen when it is added; default the lesson's start). */
export function addStep(draft: LessonDraft, title = '', startText = draft.scenarioYaml): LessonDraft {
  const n = draft.steps.length + 1;
  const id = freeStepId(draft, title ? slug(title, `step-${n}`) : `step-${n}`);
  const step: StepDraft = { id, title: title || `Step ${n}`, explain: '', task: '', hints: [], notice: '', check: null, checkLabel: '', solution: { commands: [], traces: [] }, startText };
  return { ...draft, steps: [...draft.steps, step] };
}

export function updateStep(draft: LessonDraft, index: number, change: Partial<StepDraft>): LessonDraft {
  const steps = draft.steps.map((s, i) => (i === index ? { ...s, ...change } : s));
  if (change.id !== undefined) steps[index] = { ...steps[index], id: freeStepIdExcept(steps, index, slug(change.id, `step-${index + 1}`)) };
  return { ...draft, steps };
}

function freeStepIdExcept(steps: StepDraft[], index: number, base: string): string {
  const taken = new Set(steps.filter((_, i) => i !== index).map((s) => s.id));
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

export function removeStep(draft: LessonDraft, index: number): LessonDraft {
  return { ...draft, steps: draft.steps.filter((_, i) => i !== index) };
}

/** What is missing before the file can pass `lesson validate` (each a sentence naming the step). */
export function draftProblems(draft: LessonDraft): string[] {
  const out: string[] = [];
  if (!draft.title.trim()) out.push('The lesson has no title.');
  if (!draft.steps.length) out.push('The lesson has no steps: add one.');
  draft.steps.forEach((s, i) => {
    const name = `Step ${i + 1} (${s.id})`;
    if (!s.task.trim()) out.push(`${name} has no task: say what the learner does.`);
    if (!s.check) out.push(`${name} has no check: pick one from what is selected or from the last trace.`);
    if (!s.solution.commands.length && !s.solution.traces.length && !s.solution.patch?.trim()) out.push(`${name} has no reference solution: do the task (terminal, trace) while recording, or record a patch.`);
  });
  return out;
}

/** The trace request as the lesson file writes it (no port on ICMP, no defaults). */
function traceEntry(t: TraceRequest): Record<string, unknown> {
  return { from: t.from, to: t.to, proto: t.proto, ...(t.port !== undefined && t.proto !== 'icmp' ? { port: t.port } : {}), ...(t.size !== undefined ? { size: t.size } : {}) };
}

/** The lesson as a plain object in the file's shape (docs/lessons.md "The file"). */
export function lessonDocument(draft: LessonDraft): Record<string, unknown> {
  const steps = draft.steps.map((s) => {
    const solution: Record<string, unknown> = {};
    if (s.solution.commands.length) solution.commands = s.solution.commands;
    if (s.solution.patch?.trim()) solution.patch = ensureNewline(s.solution.patch);
    if (s.solution.traces.length) solution.traces = s.solution.traces.map(traceEntry);
    const hints = s.hints.map((h) => h.trim()).filter(Boolean);
    return {
      id: s.id,
      title: s.title,
      ...(s.explain.trim() ? { explain: ensureNewline(s.explain) } : {}),
      ...(s.task.trim() ? { task: s.task.trim() } : {}),
      ...(s.check ? { check: s.check } : {}),
      ...(hints.length ? { hints } : {}),
      solution,
      ...(s.notice.trim() ? { notice: ensureNewline(s.notice) } : {}),
      ...(s.predict ? { predict: { trace: traceEntry(s.predict.trace), ask: s.predict.ask } } : {}),
    };
  });
  return {
    apiVersion: API_VERSION,
    kind: 'Lesson',
    metadata: {
      id: draft.id,
      title: draft.title,
      ...(draft.topics.length ? { topics: draft.topics } : {}),
      ...(draft.summary.trim() ? { summary: draft.summary.trim() } : {}),
    },
    spec: {
      activity: false,
      scenario: { yaml: ensureNewline(draft.scenarioYaml) },
      steps,
    },
  };
}

/** The lesson file's text: block scalars for the scenario and texts, flow style for short checks. */
export function lessonFileText(draft: LessonDraft): string {
  const header = `# ${draft.title || draft.id}: written in podpath's lesson editor. Check it with: podpath lesson validate ${draft.id}.yaml\n`;
  return header + yaml.dump(lessonDocument(draft), { lineWidth: -1, noRefs: true, flowLevel: -1, quotingType: '"' });
}

function ensureNewline(s: string): string {
  return s.endsWith('\n') ? s : `${s}\n`;
}

/**
 * The YAML patch that takes `startYaml` to `nowYaml`: the documents of the current scenario that
 * the start does not hold as they are (new or changed objects), applied like `kubectl apply -f`.
 * Objects only deleted cannot be expressed by apply: they are named in `deleted` so the author
 * records `kubectl delete` in the terminal instead.
 */
export function scenarioPatch(startYaml: string, nowYaml: string): { patch: string; deleted: string[] } {
  const start = documents(startYaml);
  const now = documents(nowYaml);
  const startByKey = new Map(start.map((d) => [d.key, d.norm]));
  const changed = now.filter((d) => startByKey.get(d.key) !== d.norm);
  const nowKeys = new Set(now.map((d) => d.key));
  const deleted = start.filter((d) => !nowKeys.has(d.key)).map((d) => d.key);
  return { patch: changed.map((d) => d.text.trim()).join('\n---\n') + (changed.length ? '\n' : ''), deleted };
}

interface Doc {
  key: string;
  norm: string;
  text: string;
}

function documents(text: string): Doc[] {
  const out: Doc[] = [];
  for (const part of text.split(/^---[ \t]*$/m)) {
    let value: unknown;
    try {
      value = yaml.load(part);
    } catch {
      continue;
    }
    if (!value || typeof value !== 'object') continue;
    const v = value as { kind?: string; metadata?: { name?: string; namespace?: string } };
    const key = `${v.kind ?? '?'}/${v.metadata?.namespace ?? (v.kind === 'Cluster' || v.kind === 'Node' || v.kind === 'Namespace' ? '' : 'default')}/${v.metadata?.name ?? ''}`;
    out.push({ key, norm: JSON.stringify(value), text: yaml.dump(value, { lineWidth: -1, noRefs: true }) });
  }
  return out;
}
