/**
 * The lesson a learner has open, as a vanilla zustand store beside the app's (no React here:
 * tests drive it with a store over the real engine). It reads the app store's engine state —
 * the cluster, the trace and command logs — and never what the page shows:
 *
 * - the current step's check is evaluated by the engine after every change of the cluster, a
 *   trace or a shell line; a pass is remembered (progress), the step's `notice` then shows;
 * - entering a step runs its setup (enterStep); a step can be reset to its start (checkpoint);
 *   skipping a step that has not passed loads the next step's start, the state a right answer
 *   would have left;
 * - predict, then see: the prediction's packet plays and stops before the hop the question is
 *   about (the app store's `hold`); once the learner commits, it plays on and the answer shows;
 * - practice questions after the last step, checked by the engine;
 * - progress is saved per lesson (progress.ts) after every change.
 *
 * API for other panels (the author's preview, the class view): `createLessonStore(app, engine,
 * storage)`, then `openLesson(doc, source, options)`; read `open`, `progress`, `check`,
 * `predict`; step with `goto`/`next`/`back`.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Cluster, Result } from '../../engine';
import { formatScenarioError } from '../../engine/model/source';
import type { AppStore } from '../store';
import type { CheckResult, LessonContext, LessonDoc, LessonEngine, LessonInst, LessonQuestion, LessonStep, Prediction } from './engineApi';
import { emptyProgress, readLearner, readProgress, saveActive, saveLearner, saveProgress, type KeyValue, type Learner, type LessonProgress, type LessonSource } from './progress';

export interface OpenLessonState {
  doc: LessonDoc;
  inst: LessonInst;
  source: LessonSource;
}

export type PredictPhase = 'playing' | 'asking' | 'revealed';

export interface PredictState {
  stepId: string;
  prediction: Prediction;
  /** The hop playback waits on (the one before the hop asked about). */
  hold: number;
  phase: PredictPhase;
  /** The choice the keyboard is on. */
  focus: number;
  chosen: number | null;
}

export interface OpenOptions {
  seed?: string;
  /** 0-based step to open at (default: where the learner left it, else the first). */
  step?: number;
  /**
   * The cluster: 'keep' the app's (a reload: the autosaved work is the lesson's), a given cluster
   * (a lesson link's), or by default the step's start state.
   */
  cluster?: 'keep' | Cluster;
}

interface PendingOpen {
  doc: LessonDoc;
  source: LessonSource;
  options: OpenOptions;
}

export interface LessonState {
  open: OpenLessonState | null;
  progress: LessonProgress | null;
  /** The current step's check on the current state; null when the step has none. */
  check: CheckResult | null;
  predict: PredictState | null;
  /** A lesson with per-learner variants waits for the learner's name (asked once, kept). */
  askLearner: PendingOpen | null;
  learner: Learner | null;
  /** Why the last action could not be done (a step's setup failed, …); null when it could. */
  error: string | null;

  openLesson(doc: LessonDoc, source: LessonSource, options?: OpenOptions): boolean;
  setLearner(learner: Learner): void;
  close(): void;
  /** Show step i (entering it runs its setup the first time it is reached). */
  goto(i: number): void;
  /** The next step (a step not passed yet: its successor's start state is loaded), or the questions after the last. */
  next(): void;
  back(): void;
  showHint(): void;
  /** Put the cluster back to the current step's start. */
  resetStep(): void;
  startPrediction(): void;
  focusChoice(i: number): void;
  commitPrediction(i: number): void;
  answer(questionId: string, answer: string): boolean;
  showQuestions(show: boolean): void;
}

export type LessonStore = StoreApi<LessonState>;

/** How much of a command's output the saved progress keeps. */
const STDOUT_KEPT = 4000;

/** The step shown, or undefined. */
export function currentStep(s: Pick<LessonState, 'open' | 'progress'>): LessonStep | undefined {
  return s.open && s.progress ? s.open.inst.spec.steps[s.progress.step] : undefined;
}

/** The hop playback waits on for a prediction: the one before the hop asked about (before the verdict: the request's last hop but one). */
export function holdFor(p: Pick<Prediction, 'stopBeforeHop'>, requestHops: number): number {
  const before = p.stopBeforeHop >= 0 ? p.stopBeforeHop - 1 : requestHops - 2;
  return Math.max(0, Math.min(before, requestHops - 1));
}

export interface Score {
  right: number;
  answered: number;
  total: number;
}

export function predictionScore(inst: LessonInst, p: LessonProgress): Score {
  const asked = inst.spec.steps.filter((s) => s.predict);
  const answered = asked.filter((s) => p.predictions[s.id]);
  return { right: answered.filter((s) => p.predictions[s.id].right).length, answered: answered.length, total: asked.length };
}

export function questionScore(inst: LessonInst, p: LessonProgress): Score {
  const answered = inst.spec.questions.filter((q) => p.answers[q.id]);
  return { right: answered.filter((q) => p.answers[q.id].right).length, answered: answered.length, total: inst.spec.questions.length };
}

/** Whether a lesson asks for a seed (it has per-learner params). */
export function needsSeed(doc: LessonDoc): boolean {
  return Object.keys(doc.params).length > 0;
}

const errorsText = (r: Result<unknown>) => (r.ok ? '' : r.errors.map(formatScenarioError).join('\n'));

export function createLessonStore(app: AppStore, engine: LessonEngine, storage: KeyValue | null): LessonStore {
  const store = createStore<LessonState>()((set, get) => ({
    open: null,
    progress: null,
    check: null,
    predict: null,
    askLearner: null,
    learner: storage ? readLearner(storage) : null,
    error: null,

    openLesson(doc, source, options = {}) {
      const id = doc.meta.id;
      const saved = storage ? readProgress(storage, id) : null;
      const seed = options.seed ?? saved?.seed ?? get().learner?.seed ?? '';
      if (needsSeed(doc) && !seed) {
        // The Lesson tab shows the question (the lesson opens once it is answered).
        set({ askLearner: { doc, source, options } });
        app.setState({ lesson: { id, title: doc.meta.title }, tab: 'lesson' });
        return false;
      }
      let inst: LessonInst;
      try {
        inst = engine.instantiate(doc, needsSeed(doc) ? seed : undefined);
      } catch (e) {
        set({ error: `The lesson ${id} could not be prepared: ${e instanceof Error ? e.message : String(e)}` });
        return false;
      }
      const progress = saved && saved.seed === seed ? saved : emptyProgress(seed);
      const last = Math.max(0, inst.spec.steps.length - 1);
      const step = Math.min(options.step ?? progress.step, last);
      if (options.cluster === 'keep') {
        if (!app.getState().cluster) return fail('no cluster is loaded');
        app.setState({ traceLog: progress.traces, commandLog: progress.commands });
      } else if (options.cluster) {
        if (!app.getState().applyCommand(`open lesson ${id}`, () => ({ ok: true, value: options.cluster as Cluster }))) return fail(app.getState().notice?.text ?? 'its cluster did not load');
        app.setState({ traceLog: [], commandLog: [] });
      } else {
        const ctx = startOf(inst, step);
        if (!ctx.ok) return fail(errorsText(ctx));
        if (!showContext(ctx.value, `open lesson ${id}`)) return fail(app.getState().notice?.text ?? 'its cluster did not load');
      }
      set({
        open: { doc, inst, source },
        progress: { ...progress, step, reached: Math.max(progress.reached, step) },
        askLearner: null,
        predict: null,
        error: null,
      });
      app.setState({ lesson: { id, title: doc.meta.title }, tab: 'lesson', hold: null });
      if (storage) saveActive(storage, { id, source });
      persist();
      evaluate();
      maybePredict();
      return true;

      function fail(why: string): false {
        set({ error: `The lesson ${id} could not be opened: ${why}` });
        return false;
      }
    },

    setLearner(learner) {
      if (storage) saveLearner(storage, learner);
      const pending = get().askLearner;
      set({ learner, askLearner: null });
      if (pending) get().openLesson(pending.doc, pending.source, { ...pending.options, seed: pending.options.seed ?? learner.seed });
    },

    close() {
      endPrediction();
      set({ open: null, progress: null, check: null, predict: null, askLearner: null, error: null });
      if (storage) saveActive(storage, null);
      app.setState({ lesson: null, hold: null, tab: app.getState().tab === 'lesson' ? 'trace' : app.getState().tab });
    },

    goto(i) {
      const { open, progress } = get();
      if (!open || !progress || i < 0 || i >= open.inst.spec.steps.length || i === progress.step) return;
      endPrediction();
      if (i > progress.reached) {
        const entered = enter(open.inst, i);
        if (!entered) return;
      }
      update({ step: i, reached: Math.max(progress.reached, i), questions: false });
      set({ error: null });
      evaluate();
      maybePredict();
    },

    next() {
      const { open, progress } = get();
      if (!open || !progress) return;
      const i = progress.step;
      if (progress.questions) return;
      if (i >= open.inst.spec.steps.length - 1) {
        get().showQuestions(true);
        return;
      }
      const step = open.inst.spec.steps[i];
      const passed = !step.check || progress.passed.includes(step.id);
      if (i + 1 > progress.reached && !passed) {
        // Skipped: the next step starts from its own start state (what a right answer leaves).
        endPrediction();
        const ctx = startOf(open.inst, i + 1);
        if (!ctx.ok || !showContext(ctx.value, `skip to step ${i + 2} of ${open.doc.meta.id}`)) {
          set({ error: `Step ${i + 2} could not be started: ${ctx.ok ? app.getState().notice?.text : errorsText(ctx)}` });
          return;
        }
        update({ step: i + 1, reached: i + 1 });
        set({ error: null });
        evaluate();
        maybePredict();
        return;
      }
      get().goto(i + 1);
    },

    back() {
      const { progress } = get();
      if (!progress) return;
      if (progress.questions) get().showQuestions(false);
      else get().goto(progress.step - 1);
    },

    showHint() {
      const step = currentStep(get());
      const progress = get().progress;
      if (!step || !progress) return;
      const shown = progress.hints[step.id] ?? 0;
      if (shown >= (step.hints?.length ?? 0)) return;
      update({ hints: { ...progress.hints, [step.id]: shown + 1 } });
    },

    resetStep() {
      const { open, progress } = get();
      if (!open || !progress) return;
      endPrediction();
      const ctx = startOf(open.inst, progress.step);
      if (!ctx.ok || !showContext(ctx.value, `reset step ${progress.step + 1}`)) {
        set({ error: `The step could not be reset: ${ctx.ok ? app.getState().notice?.text : errorsText(ctx)}` });
        return;
      }
      set({ error: null });
      evaluate();
    },

    startPrediction() {
      const { open, progress } = get();
      const step = currentStep(get());
      const cluster = app.getState().cluster;
      if (!open || !progress || !step?.predict || !cluster) return;
      let prediction: Prediction | null;
      try {
        prediction = engine.predictionFor(open.inst, progress.step, context());
      } catch (e) {
        set({ error: `The prediction could not be built: ${e instanceof Error ? e.message : String(e)}` });
        return;
      }
      if (!prediction) {
        set({ error: 'The prediction could not be built on this cluster (its packet or the hop it asks about is not there); reset the step to its start.' });
        return;
      }
      const trace = engine.trace(cluster, prediction.request);
      const hold = holdFor(prediction, trace.hops.length);
      const answered = progress.predictions[step.id];
      app.getState().showTrace(trace, prediction.request);
      if (answered) {
        // Already answered: replay the packet and show the answer again.
        set({ predict: { stepId: step.id, prediction, hold, phase: 'revealed', focus: answered.chosen, chosen: answered.chosen }, error: null });
        app.getState().play();
        return;
      }
      app.getState().setHold(hold);
      set({ predict: { stepId: step.id, prediction, hold, phase: 'playing', focus: 0, chosen: null }, error: null });
      app.getState().play();
      watchHold();
    },

    focusChoice(i) {
      const p = get().predict;
      if (!p || p.phase === 'revealed') return;
      const n = p.prediction.choices.length;
      set({ predict: { ...p, focus: ((i % n) + n) % n } });
    },

    commitPrediction(i) {
      const p = get().predict;
      const progress = get().progress;
      if (!p || !progress || p.phase === 'revealed' || i < 0 || i >= p.prediction.choices.length) return;
      const right = i === p.prediction.answer;
      update({ predictions: { ...progress.predictions, [p.stepId]: { chosen: i, right } } });
      set({ predict: { ...p, phase: 'revealed', chosen: i, focus: i } });
      // The packet goes on from where it waited.
      app.getState().setHold(null);
      app.getState().play();
    },

    answer(questionId, answer) {
      const { open, progress } = get();
      const q: LessonQuestion | undefined = open?.inst.spec.questions.find((x) => x.id === questionId);
      if (!q || !progress) return false;
      const right = engine.checkAnswer(q, answer);
      update({ answers: { ...progress.answers, [q.id]: { answer, right } } });
      evaluate();
      return right;
    },

    showQuestions(show) {
      if (!get().progress) return;
      endPrediction();
      update({ questions: show });
    },
  }));

  function context(): LessonContext {
    const a = app.getState();
    const answers: Record<string, string> = {};
    for (const [id, x] of Object.entries(store.getState().progress?.answers ?? {})) answers[id] = x.answer;
    return { cluster: a.cluster as Cluster, traces: a.traceLog, commands: a.commandLog, answers };
  }

  /** The start state of step i (the engine's checkpoint: the start, earlier steps' setups and solutions, its own setup). */
  function startOf(inst: LessonInst, i: number): Result<LessonContext> {
    return engine.checkpoint(inst, i);
  }

  /** Run step i's setup on the current state. */
  function enter(inst: LessonInst, i: number): boolean {
    const ctx = engine.enterStep(inst, i, context());
    if (!ctx.ok || !showContext(ctx.value, `start step ${i + 1}`)) {
      store.setState({ error: `Step ${i + 1} could not be started: ${ctx.ok ? app.getState().notice?.text : errorsText(ctx)}` });
      return false;
    }
    return true;
  }

  /** Make a context the app's state: its cluster (an undoable change) and its logs. */
  function showContext(ctx: LessonContext, description: string): boolean {
    if (!app.getState().applyCommand(description, () => ({ ok: true, value: ctx.cluster }))) return false;
    app.setState({ traceLog: ctx.traces, commandLog: ctx.commands });
    return true;
  }

  function update(change: Partial<LessonProgress>): void {
    const progress = store.getState().progress;
    if (!progress) return;
    store.setState({ progress: { ...progress, ...change } });
    persist();
  }

  function persist(): void {
    const { open, progress } = store.getState();
    if (!storage || !open || !progress) return;
    const a = app.getState();
    // A command's output is kept for `stdoutIncludes` checks, cut to what a check could need.
    const commands = a.commandLog.map((c) => (c.stdout && c.stdout.length > STDOUT_KEPT ? { ...c, stdout: c.stdout.slice(0, STDOUT_KEPT) } : c));
    saveProgress(storage, open.doc.meta.id, { ...progress, traces: a.traceLog, commands });
  }

  function evaluate(): void {
    const step = currentStep(store.getState());
    const progress = store.getState().progress;
    if (!step || !progress || !app.getState().cluster) return;
    if (!step.check) {
      store.setState({ check: null });
      return;
    }
    let check: CheckResult;
    try {
      check = engine.evaluateCheck(step.check, context(), store.getState().open?.inst);
    } catch (e) {
      check = { pass: false, kind: 'error', message: `the check could not be evaluated: ${e instanceof Error ? e.message : String(e)}` };
    }
    store.setState({ check });
    if (check.pass && !progress.passed.includes(step.id)) update({ passed: [...progress.passed, step.id] });
  }

  /** A step with a prediction not answered yet asks it as the step opens. */
  function maybePredict(): void {
    const step = currentStep(store.getState());
    const progress = store.getState().progress;
    if (step?.predict && progress && !progress.predictions[step.id] && !progress.questions) store.getState().startPrediction();
  }

  function watchHold(): void {
    const p = store.getState().predict;
    const a = app.getState();
    if (p?.phase === 'playing' && a.cursor >= p.hold && !a.playing) {
      store.setState({ predict: { ...p, phase: 'asking' } });
    }
  }

  function endPrediction(): void {
    if (app.getState().hold !== null) app.getState().setHold(null);
    if (store.getState().predict) store.setState({ predict: null });
  }

  app.subscribe((s, prev) => {
    if (!store.getState().open) return;
    if (s.cursor !== prev.cursor || s.playing !== prev.playing) watchHold();
    if (s.cluster !== prev.cluster || s.traceLog !== prev.traceLog || s.commandLog !== prev.commandLog) {
      // A prediction's packet belongs to the cluster it ran on.
      if (s.cluster !== prev.cluster && store.getState().predict?.phase === 'playing') endPrediction();
      evaluate();
      persist();
    }
  });

  return store;
}
