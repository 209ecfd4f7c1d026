/**
 * The lesson panel (the sidebar's Lesson tab): the step's title, explanation and task, its check
 * as the engine evaluates it now, hints one at a time, what to notice once it passes, the
 * prediction card, and Back / Reset step / Next; after the last step the practice questions.
 *
 * Props: `lessons` (the store of ui/lessons/lessonStore.ts) and `onExport` (an activity's
 * "Export submission"; absent: no button). Everything it shows comes from that store.
 *
 * Keyboard: the whole panel works by Tab and Enter; a prediction takes 1–9 and ↑ ↓ ← → to
 * choose and Enter to commit. In presentation mode PageDown/PageUp step the packet's hops, and
 * past the last (or first) hop the lesson's steps.
 */
import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { getPrefs } from '../canvas/viewPrefs';
import { useApp, useAppStoreApi } from '../StoreContext';
import { hopCount } from '../trace/playback';
import type { LessonQuestion, LessonStep } from './engineApi';
import { predictionScore, questionScore, type LessonStore, type PredictState } from './lessonStore';
import { seedOfName } from './progress';
import './lessons.css';

/** Time per hop while a prediction's packet plays (PlaybackControls' pace at speed 1). */
const STEP_MS = 750;

export interface LessonPanelProps {
  lessons: LessonStore;
  /** Export a submission (activities); the panel asks for nothing more. */
  onExport?: () => void;
  /** Copy a link to this lesson at this step, with its cluster. */
  onCopyLink?: () => void;
}

export function LessonPanel({ lessons, onExport, onCopyLink }: LessonPanelProps) {
  const open = useStore(lessons, (s) => s.open);
  const progress = useStore(lessons, (s) => s.progress);
  const askLearner = useStore(lessons, (s) => s.askLearner);
  const error = useStore(lessons, (s) => s.error);
  const st = lessons.getState();
  usePresenterKeys(lessons);
  usePlaybackClock();

  if (askLearner) return <LearnerForm lessons={lessons} title={askLearner.doc.meta.title} />;
  if (!open || !progress) return <p className="panel muted">No lesson is open. Choose one from Lessons in the top bar.</p>;
  const steps = open.inst.spec.steps;
  const step = steps[progress.step];
  return (
    <section className="panel lesson" aria-labelledby="lesson-title" data-testid="lesson-panel">
      <header className="lesson__head">
        <h2 id="lesson-title" className="lesson__title">
          {open.doc.meta.title}
        </h2>
        <div className="lesson__tools">
          {onCopyLink && (
            <button type="button" className="button button--small" onClick={onCopyLink} data-testid="lesson-link" title="Copy a link to this step with its cluster (for a class)">
              Link
            </button>
          )}
          <button type="button" className="button button--small" onClick={() => st.close()} aria-label="Close the lesson" data-testid="lesson-close">
            ✕
          </button>
        </div>
      </header>
      <ol className="lesson__steps" aria-label="Steps">
        {steps.map((s, i) => (
          <li key={s.id}>
            <button
              type="button"
              className={`lesson__dot${i === progress.step && !progress.questions ? ' is-on' : ''}${progress.passed.includes(s.id) ? ' is-passed' : ''}`}
              onClick={() => st.goto(i)}
              disabled={i > progress.reached}
              aria-current={i === progress.step && !progress.questions ? 'step' : undefined}
              aria-label={`Step ${i + 1}: ${s.title}${progress.passed.includes(s.id) ? ' (done)' : ''}`}
              title={s.title}
            >
              {progress.passed.includes(s.id) ? '✓' : i + 1}
            </button>
          </li>
        ))}
        {open.inst.spec.questions.length > 0 && (
          <li>
            <button type="button" className={`lesson__dot lesson__dot--q${progress.questions ? ' is-on' : ''}`} onClick={() => st.showQuestions(true)} disabled={progress.reached < steps.length - 1} aria-label="Practice questions" title="Practice questions">
              ?
            </button>
          </li>
        )}
      </ol>
      {error && (
        <p className="lesson__error" role="alert">
          {error}
        </p>
      )}
      {progress.questions ? <Questions lessons={lessons} onExport={onExport} /> : step && <Step lessons={lessons} step={step} index={progress.step} count={steps.length} />}
      <footer className="lesson__nav">
        <button type="button" className="button" onClick={() => st.back()} disabled={!progress.questions && progress.step === 0} data-testid="lesson-back">
          ← Back
        </button>
        {!progress.questions && (
          <button type="button" className="button" onClick={() => st.resetStep()} data-testid="lesson-reset" title="Put the cluster back as it was when this step started">
            Reset step
          </button>
        )}
        {!progress.questions && <NextButton lessons={lessons} />}
      </footer>
    </section>
  );
}

function NextButton({ lessons }: { lessons: LessonStore }) {
  const progress = useStore(lessons, (s) => s.progress);
  const open = useStore(lessons, (s) => s.open);
  const predict = useStore(lessons, (s) => s.predict);
  if (!progress || !open) return null;
  const step = open.inst.spec.steps[progress.step];
  const passed = !step?.check || progress.passed.includes(step.id);
  const last = progress.step >= open.inst.spec.steps.length - 1;
  const skipping = !passed && progress.step + 1 > progress.reached;
  const label = last ? (open.inst.spec.questions.length ? 'Questions →' : 'Finish') : skipping ? 'Skip →' : 'Next →';
  const busy = predict !== null && predict.phase !== 'revealed';
  return (
    <button
      type="button"
      className={`button${passed ? ' button--primary' : ''}`}
      onClick={() => lessons.getState().next()}
      disabled={busy || (last && !open.inst.spec.questions.length)}
      title={skipping ? 'Go on without solving this step: the next step starts from its own start state' : undefined}
      data-testid="lesson-next"
    >
      {label}
    </button>
  );
}

function Step({ lessons, step, index, count }: { lessons: LessonStore; step: LessonStep; index: number; count: number }) {
  const check = useStore(lessons, (s) => s.check);
  const progress = useStore(lessons, (s) => s.progress);
  const predict = useStore(lessons, (s) => s.predict);
  const hintsShown = progress?.hints[step.id] ?? 0;
  const passed = !!progress?.passed.includes(step.id);
  const hints = step.hints ?? [];
  const waiting = predict !== null && predict.stepId === step.id && predict.phase !== 'revealed';
  return (
    <article className="lesson__step" data-testid="lesson-step" data-step={index}>
      <p className="lesson__count muted">
        Step {index + 1} of {count}
      </p>
      <h3 className="lesson__steptitle">{step.title}</h3>
      {step.explain && <RichText text={step.explain} />}
      {step.predict ? <PredictCard lessons={lessons} step={step} /> : null}
      {!waiting && step.task && (
        <div className="lesson__task">
          <strong>Your task</strong>
          <RichText text={step.task} />
        </div>
      )}
      {!waiting && step.check ? (
        <p className={`lesson__check${check?.pass ? ' is-pass' : ''}`} role="status" aria-live="polite" data-testid="lesson-check" data-pass={check?.pass ? 'true' : 'false'}>
          {check?.pass ? '✓ Done' : passed ? '✓ Done earlier' : `○ Not yet${check ? `: ${check.message}` : ''}`}
        </p>
      ) : null}
      {!waiting && hints.length > 0 && (
        <div className="lesson__hints">
          {hints.slice(0, hintsShown).map((h, i) => (
            <div className="lesson__hint" key={i} data-testid="lesson-hint">
              <span className="muted">Hint {i + 1}</span>
              <RichText text={h} />
            </div>
          ))}
          {hintsShown < hints.length && (
            <button type="button" className="button button--small" onClick={() => lessons.getState().showHint()} data-testid="lesson-show-hint">
              {hintsShown === 0 ? 'Show a hint' : 'Another hint'} ({hintsShown + 1} of {hints.length})
            </button>
          )}
        </div>
      )}
      {(check?.pass || passed) && step.notice && (
        <div className="lesson__notice" data-testid="lesson-notice">
          <strong>Notice</strong>
          <RichText text={step.notice} />
        </div>
      )}
    </article>
  );
}

/** Predict, then see: the question while the packet waits, then the reveal. */
function PredictCard({ lessons, step }: { lessons: LessonStore; step: LessonStep }) {
  const predict = useStore(lessons, (s) => s.predict);
  const answered = useStore(lessons, (s) => s.progress?.predictions[step.id]);
  const group = useRef<HTMLDivElement>(null);
  const p = predict && predict.stepId === step.id ? predict : null;
  const asking = p?.phase === 'asking';
  useEffect(() => {
    if (!asking) return;
    // The question in view (under a long explanation on a laptop), and the keys on its choices.
    group.current?.closest('.lesson__predict')?.scrollIntoView?.({ block: 'start', behavior: 'smooth' });
    group.current?.focus({ preventScroll: true });
  }, [asking]);
  if (!p) {
    return (
      <div className="lesson__predict" data-testid="lesson-predict">
        <strong>Predict, then see</strong>
        <p className="muted">{answered ? `You answered this prediction ${answered.right ? 'right' : 'wrong'}.` : 'A packet will stop before a hop and you say what happens next.'}</p>
        <button type="button" className="button button--small" onClick={() => lessons.getState().startPrediction()} data-testid="lesson-predict-start">
          {answered ? 'Replay the packet and the answer' : 'Start the prediction'}
        </button>
      </div>
    );
  }
  const st = lessons.getState();
  const onKey = (e: KeyboardEvent) => {
    if (p.phase !== 'asking') return;
    const n = p.prediction.choices.length;
    const digit = Number(e.key);
    if (Number.isInteger(digit) && digit >= 1 && digit <= n) {
      e.preventDefault();
      st.focusChoice(digit - 1);
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowRight') {
      e.preventDefault();
      st.focusChoice(p.focus + 1);
    } else if (e.key === 'ArrowUp' || e.key === 'ArrowLeft') {
      e.preventDefault();
      st.focusChoice(p.focus - 1);
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      st.commitPrediction(p.focus);
    }
  };
  return (
    <div className={`lesson__predict lesson__predict--${p.phase}`} data-testid="lesson-predict" data-phase={p.phase}>
      <strong>Predict, then see</strong>
      {p.phase === 'playing' ? (
        <p className="muted" role="status">
          Watch the packet: it stops before the hop this question is about…
        </p>
      ) : (
        <>
          <p className="lesson__question" id={`predict-q-${step.id}`}>
            {p.prediction.question}
          </p>
          <div
            ref={group}
            role="radiogroup"
            aria-labelledby={`predict-q-${step.id}`}
            aria-activedescendant={p.phase === 'asking' ? `predict-${step.id}-${p.focus}` : undefined}
            tabIndex={p.phase === 'asking' ? 0 : -1}
            className="lesson__choices"
            onKeyDown={onKey}
            data-testid="lesson-choices"
          >
            {p.prediction.choices.map((c, i) => (
              <Choice key={i} id={`predict-${step.id}-${i}`} index={i} text={c} p={p} onPick={() => (p.phase === 'asking' ? (p.focus === i ? st.commitPrediction(i) : st.focusChoice(i)) : undefined)} />
            ))}
          </div>
          {p.phase === 'asking' && <p className="muted lesson__keys">Keys 1–{p.prediction.choices.length} or arrows choose, Enter commits (a click picks, a second click commits).</p>}
          {p.phase === 'revealed' && p.chosen !== null && (
            <p className={`lesson__verdict${p.chosen === p.prediction.answer ? ' is-right' : ' is-wrong'}`} role="status" data-testid="lesson-predict-verdict">
              {p.chosen === p.prediction.answer ? '✓ Right' : `✕ Not this time: the answer is “${p.prediction.choices[p.prediction.answer]}”`}
            </p>
          )}
        </>
      )}
    </div>
  );
}

function Choice({ id, index, text, p, onPick }: { id: string; index: number; text: string; p: PredictState; onPick: () => void }) {
  const revealed = p.phase === 'revealed';
  const right = revealed && index === p.prediction.answer;
  const chosen = p.chosen === index;
  const cls = ['lesson__choice', p.focus === index && !revealed ? 'is-focus' : '', right ? 'is-right' : '', revealed && chosen && !right ? 'is-wrong' : ''].filter(Boolean).join(' ');
  return (
    <div id={id} role="radio" aria-checked={revealed ? chosen : p.focus === index} className={cls} onClick={onPick} data-testid="lesson-choice">
      <span className="lesson__choicekey" aria-hidden>
        {index + 1}
      </span>
      <span>
        <span className="mono">{text}</span>
        {revealed && p.prediction.explain[index] && <span className="lesson__why">{p.prediction.explain[index]}</span>}
      </span>
    </div>
  );
}

function Questions({ lessons, onExport }: { lessons: LessonStore; onExport?: () => void }) {
  const open = useStore(lessons, (s) => s.open);
  const progress = useStore(lessons, (s) => s.progress);
  if (!open || !progress) return null;
  const q = questionScore(open.inst, progress);
  const pr = predictionScore(open.inst, progress);
  return (
    <div className="lesson__questions" data-testid="lesson-questions">
      <h3 className="lesson__steptitle">Practice questions</h3>
      <p className="lesson__score" role="status" data-testid="lesson-score">
        Questions: {q.right} of {q.total} right{pr.total ? ` · predictions: ${pr.right} of ${pr.total} right` : ''} · steps done: {open.inst.spec.steps.filter((s) => !s.check || progress.passed.includes(s.id)).length} of {open.inst.spec.steps.length}
      </p>
      {open.inst.spec.questions.map((question, i) => (
        <QuestionCard key={question.id} lessons={lessons} question={question} n={i + 1} />
      ))}
      {onExport && open.inst.spec.activity && (
        <button type="button" className="button button--primary" onClick={onExport} data-testid="lesson-export">
          Export submission
        </button>
      )}
    </div>
  );
}

function QuestionCard({ lessons, question, n }: { lessons: LessonStore; question: LessonQuestion; n: number }) {
  const done = useStore(lessons, (s) => s.progress?.answers[question.id]);
  const [value, setValue] = useState(done?.answer ?? '');
  const submit = () => {
    if (value.trim() !== '') lessons.getState().answer(question.id, value);
  };
  const name = `q-${question.id}`;
  return (
    <form
      className="lesson__q"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
      data-testid="lesson-question"
      data-question={question.id}
    >
      <p className="lesson__question" id={`${name}-prompt`}>
        {n}. {question.prompt}
      </p>
      {question.type === 'choice' ? (
        <div role="radiogroup" aria-labelledby={`${name}-prompt`} className="lesson__qchoices">
          {(question.choices ?? []).map((c, i) => (
            <label key={i} className="lesson__qchoice">
              <input type="radio" name={name} value={String(i)} checked={value === String(i)} onChange={() => setValue(String(i))} />
              <span className="mono">{c}</span>
            </label>
          ))}
        </div>
      ) : (
        <input className="input mono" aria-labelledby={`${name}-prompt`} value={value} onChange={(e) => setValue(e.target.value)} spellCheck={false} autoComplete="off" data-testid="lesson-answer" />
      )}
      <div className="lesson__qrow">
        <button type="submit" className="button button--small" disabled={value.trim() === ''} data-testid="lesson-check-answer">
          Check
        </button>
        {done && (
          <span className={done.right ? 'lesson__ok' : 'lesson__bad'} role="status" data-testid="lesson-answer-result">
            {done.right ? '✓ Right' : '✕ Not quite'}
          </span>
        )}
      </div>
      {done && question.explain && <RichText text={question.explain} />}
    </form>
  );
}

function LearnerForm({ lessons, title }: { lessons: LessonStore; title: string }) {
  const [name, setName] = useState(lessons.getState().learner?.name ?? '');
  const [seed, setSeed] = useState('');
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <form
      className="panel lesson"
      onSubmit={(e) => {
        e.preventDefault();
        const s = seed.trim() || seedOfName(name);
        if (s) lessons.getState().setLearner({ name: name.trim(), seed: s });
      }}
      data-testid="lesson-learner"
    >
      <h2 className="lesson__title">{title}</h2>
      <p>This lesson gives every learner their own variant (names, addresses, how many nodes), so answers differ from a neighbour's. Your name picks yours, and goes on anything you export. You are asked once.</p>
      <label className="field">
        <span className="field__label">Your name</span>
        <input ref={ref} className="input" value={name} onChange={(e) => setName(e.target.value)} autoComplete="name" data-testid="lesson-learner-name" />
      </label>
      <details>
        <summary>Use a seed your instructor gave you</summary>
        <label className="field">
          <span className="field__label">Seed</span>
          <input className="input mono" value={seed} onChange={(e) => setSeed(e.target.value)} data-testid="lesson-learner-seed" />
        </label>
      </details>
      <div className="lesson__qrow">
        <button type="submit" className="button button--primary" disabled={!name.trim() && !seed.trim()} data-testid="lesson-learner-ok">
          Start the lesson
        </button>
        <button type="button" className="button" onClick={() => lessons.getState().close()}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Plain text with `code` in backticks; a blank line starts a paragraph. */
export function RichText({ text }: { text: string }) {
  const paras = text.trim().split(/\n\s*\n/);
  return (
    <>
      {paras.map((p, i) => (
        <p key={i} className="lesson__text">
          {inline(p.replace(/\s*\n\s*/g, ' '))}
        </p>
      ))}
    </>
  );
}

/** Text with `code` in backticks as React nodes (the class view shares it). */
export function inline(text: string): ReactNode[] {
  return text.split(/(`[^`]+`)/).map((part, i) => (part.startsWith('`') && part.endsWith('`') && part.length > 1 ? <code key={i}>{part.slice(1, -1)}</code> : part));
}

/**
 * While a packet plays (a prediction's), hops advance here: the Trace tab's playback controls,
 * which keep that clock otherwise, are not shown beside the lesson. With reduced motion the
 * packet jumps to where it waits.
 */
function usePlaybackClock() {
  const store = useAppStoreApi();
  const playing = useApp((s) => s.playing);
  useEffect(() => {
    if (!playing) return;
    if (window.matchMedia?.('(prefers-reduced-motion: reduce)').matches) {
      const s = store.getState();
      s.selectHop(s.hold ?? hopCount(s.trace) - 1);
      return;
    }
    const timer = setInterval(() => store.getState().step(1), STEP_MS / store.getState().speed);
    return () => clearInterval(timer);
  }, [playing, store]);
}

/**
 * Presentation mode: PageDown/PageUp (a clicker) step the packet's hops — the app does that —
 * and past the last hop (or before the first) the lesson's steps. A pending prediction keeps them.
 */
function usePresenterKeys(lessons: LessonStore) {
  const store = useAppStoreApi();
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (!getPrefs().presentation || (e.key !== 'PageDown' && e.key !== 'PageUp') || e.ctrlKey || e.metaKey || e.altKey) return;
      const ls = lessons.getState();
      if (!ls.open || !ls.progress) return;
      const predict = ls.predict;
      if (predict && predict.phase !== 'revealed') {
        e.preventDefault();
        return;
      }
      const a = store.getState();
      const count = hopCount(a.trace);
      const forward = e.key === 'PageDown';
      if (count > 0 && (forward ? a.cursor < count - 1 : a.cursor > 0)) return; // the app steps the hop
      e.preventDefault();
      if (forward) ls.next();
      else ls.back();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [lessons, store]);
}
