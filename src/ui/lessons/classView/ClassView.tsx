/**
 * The class view (issue 14 §3): on the instructor's screen, beside the canvas in presentation
 * mode, the lesson's current step in large type and the prediction a learner would be asked —
 * the question and its choices, nothing revealed — while the packet waits before the hop in
 * question. A key press (PageDown, Enter, R) reveals the true answer and why, and the packet
 * plays on. No server, no accounts: the room looks at one screen.
 *
 * It drives the open lesson's store (ui/lessons/lessonStore.ts): the step shown, its prediction
 * (startPrediction plays the packet to the hop before the question); the reveal shows the answer
 * without recording a learner's choice.
 */
import { useEffect, useLayoutEffect, useReducer, useRef } from 'react';
import { useStore } from 'zustand';
import type { AppStore } from '../../store';
import { useApp, useAppStoreApi } from '../../StoreContext';
import { hopCount } from '../../trace/playback';
import { currentStep, type LessonStore } from '../lessonStore';
import { inline } from '../LessonPanel';
import { classKeyAction, type ClassAction } from './classKeys';
import { setClassView } from './classViewMode';
import './classView.css';

const LETTERS = 'ABCDEFGHI';
/**
 * The smallest type the class view shrinks to so a long step fits the screen: its smallest text
 * is 0.8em (classView.css), so nothing goes under 18 px.
 */
export const CLASS_MIN_PX = 22.5;

/**
 * Fit the view's text to its height: back to the style sheet's size, then 1 px smaller at a time
 * while the content would need a scroll, down to CLASS_MIN_PX. After every render (a new step,
 * the reveal) and when the window changes size.
 */
function useFitText() {
  const ref = useRef<HTMLElement>(null);
  // A resize re-renders the view, which fits it again.
  const [, onResize] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.style.fontSize = '';
    let px = parseFloat(getComputedStyle(el).fontSize);
    while (el.scrollHeight > el.clientHeight + 1 && px > CLASS_MIN_PX) {
      px = Math.max(CLASS_MIN_PX, px - 1);
      el.style.fontSize = `${px}px`;
    }
  });
  return ref;
}

/** Show the answer: the packet goes on from where it waited; no learner's choice is recorded. */
export function revealToClass(lessons: LessonStore, app: AppStore): void {
  const p = lessons.getState().predict;
  if (!p || p.phase === 'revealed') return;
  lessons.setState({ predict: { ...p, phase: 'revealed', chosen: null, focus: p.prediction.answer } });
  app.getState().setHold(null);
  app.getState().play();
}

function run(action: ClassAction, lessons: LessonStore, app: AppStore): void {
  const ls = lessons.getState();
  if (action === 'ask') ls.startPrediction();
  else if (action === 'jump') {
    const p = ls.predict;
    if (p) app.getState().selectHop(p.hold);
  } else if (action === 'reveal') revealToClass(lessons, app);
  else if (action === 'hop') app.getState().step(1);
  else if (action === 'next-step') ls.next();
  else if (action === 'prev-step') ls.back();
}

function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el?.closest?.('input, textarea, select, [contenteditable="true"], .cm-editor, .xterm');
}

/** The clicker's keys while the class view is on (capture: before the app's own hop stepping). */
function useClassKeys(lessons: LessonStore) {
  const app = useAppStoreApi();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
      if (e.key === 'Escape') {
        setClassView(false);
        return;
      }
      const reveal = e.key === 'Enter' || e.key === 'r' || e.key === 'R';
      const forward = e.key === 'PageDown' || e.key === 'ArrowDown' || e.key === 'ArrowRight';
      const back = e.key === 'PageUp' || e.key === 'ArrowUp' || e.key === 'ArrowLeft';
      if (!reveal && !forward && !back) return;
      if (reveal && (e.target as HTMLElement | null)?.closest?.('button, a, summary')) return;
      const ls = lessons.getState();
      if (!ls.open || !ls.progress) return;
      const step = currentStep(ls);
      const p = ls.predict && ls.predict.stepId === step?.id ? ls.predict : null;
      const a = app.getState();
      let action = classKeyAction({ stepPredicts: !!step?.predict, phase: p?.phase ?? null, hops: hopCount(a.trace), cursor: a.cursor }, !back);
      if (reveal && action !== 'reveal') return;
      // The lesson panel's own presenter keys may have taken this key to change step already.
      if ((action === 'next-step' || action === 'prev-step') && e.defaultPrevented) return;
      if (action === 'hop' && back) {
        e.preventDefault();
        e.stopImmediatePropagation();
        a.step(-1);
        return;
      }
      e.preventDefault();
      e.stopImmediatePropagation();
      if (action === 'none') return;
      run(action, lessons, app);
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [lessons, app]);
}

export function ClassView({ lessons }: { lessons: LessonStore }) {
  const app = useAppStoreApi();
  const open = useStore(lessons, (s) => s.open);
  const progress = useStore(lessons, (s) => s.progress);
  const predict = useStore(lessons, (s) => s.predict);
  const cursor = useApp((s) => s.cursor);
  const hops = useApp((s) => hopCount(s.trace));
  useClassKeys(lessons);
  const ref = useFitText();

  const close = (
    <button type="button" className="button class-view__close" onClick={() => setClassView(false)} data-testid="class-view-close" aria-label="Leave the class view (C or Escape)">
      ✕
    </button>
  );
  if (!open || !progress) {
    return (
      <aside ref={ref} className="class-view" aria-label="Class view" data-testid="class-view">
        <header className="class-view__head">
          <h2 className="class-view__title">Class view</h2>
          {close}
        </header>
        <p className="class-view__text">Open a lesson (Lessons, in the top bar): this view shows each step's prediction to the room, then its reveal.</p>
      </aside>
    );
  }
  const steps = open.inst.spec.steps;
  const step = currentStep({ open, progress });
  const p = predict && step && predict.stepId === step.id ? predict : null;
  const revealed = p?.phase === 'revealed';
  return (
    <aside ref={ref} className="class-view" aria-label="Class view" data-testid="class-view">
      <header className="class-view__head">
        <p className="class-view__pos">
          {open.doc.meta.title} · step {progress.step + 1} / {steps.length}
        </p>
        {close}
      </header>
      {step && <h2 className="class-view__title">{step.title}</h2>}
      {p ? (
        <section className={`class-view__predict class-view__predict--${p.phase}`} aria-live="polite" data-testid="class-predict" data-phase={p.phase}>
          <p className="class-view__label">{revealed ? 'The answer' : 'Predict'}</p>
          <p className="class-view__question" data-testid="class-question">
            {p.prediction.question}
          </p>
          <ol className="class-view__choices" aria-label="Choices">
            {p.prediction.choices.map((c, i) => {
              const right = revealed && i === p.prediction.answer;
              return (
                <li key={i} className={`class-view__choice${right ? ' is-right' : ''}${revealed && !right ? ' is-other' : ''}`} data-testid={`class-choice-${i}`}>
                  <span className="class-view__letter" aria-hidden>
                    {right ? '✓' : LETTERS[i]}
                  </span>
                  <span>
                    <span className="class-view__choicetext">{c}</span>
                    {revealed && p.prediction.explain[i] && <span className="class-view__why">{p.prediction.explain[i]}</span>}
                  </span>
                </li>
              );
            })}
          </ol>
          {p.phase === 'playing' && <p className="class-view__keys">The packet is on its way… (PageDown: stop it before the hop in question)</p>}
          {p.phase === 'asking' && (
            <p className="class-view__keys">
              Ask the room, then <kbd>PageDown</kbd> or <kbd>Enter</kbd> reveals.{' '}
              <button type="button" className="button" onClick={() => revealToClass(lessons, app)} data-testid="class-reveal">
                Reveal
              </button>
            </p>
          )}
          {revealed && (
            <p className="class-view__keys" data-testid="class-revealed">
              ✓ {p.prediction.choices[p.prediction.answer]} — the packet plays on. <kbd>PageDown</kbd> steps its hops, then the next step.
            </p>
          )}
        </section>
      ) : (
        step && (
          <section className="class-view__step">
            {step.task && <Paragraphs text={step.task} />}
            {step.predict ? (
              <p className="class-view__keys">
                <kbd>PageDown</kbd> asks this step's prediction.{' '}
                <button type="button" className="button" onClick={() => lessons.getState().startPrediction()} data-testid="class-ask">
                  Ask the class
                </button>
              </p>
            ) : (
              <p className="class-view__keys">
                {hops > 0 && cursor < hops - 1 ? (
                  <>
                    <kbd>PageDown</kbd> steps the packet (hop {cursor + 1} / {hops}).
                  </>
                ) : (
                  <>
                    <kbd>PageDown</kbd> goes to the next step.
                  </>
                )}
              </p>
            )}
          </section>
        )
      )}
    </aside>
  );
}

/** Text with `code` in backticks; a blank line starts a paragraph (docs/lessons.md). */
function Paragraphs({ text }: { text: string }) {
  return (
    <>
      {text
        .trim()
        .split(/\n\s*\n/)
        .map((para, i) => (
          <p key={i} className="class-view__text">
            {inline(para)}
          </p>
        ))}
    </>
  );
}

