/**
 * The Author tab: the lesson author's panel with the actions that need the lessons engine —
 * Validate (the engine's validateLesson, what `podpath lesson validate` runs: per step, its check
 * at the step's start and after its reference solution) and Preview as a learner (the lesson
 * panel opened on the draft, from its start).
 */
import { useState } from 'react';
import { parseLesson, validateLesson, type ValidationReport } from '../../../engine/lessons';
import { formatScenarioError } from '../../../engine/model/source';
import { useAppStoreApi } from '../../StoreContext';
import { lessonsFor } from '../chunk';
import { AuthorPanel } from './AuthorPanel';
import { authorFor } from './authorRuntime';
import { lessonFileText } from './draft';

type Outcome = { kind: 'report'; report: ValidationReport } | { kind: 'error'; text: string };

export function AuthorTab() {
  const app = useAppStoreApi();
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const fileOf = () => {
    const draft = authorFor(app).getState().draft;
    return draft ? { name: `${draft.id}.yaml`, text: lessonFileText(draft) } : null;
  };
  const validate = () => {
    const f = fileOf();
    if (!f) return;
    const parsed = parseLesson(f.text, f.name);
    if (!parsed.ok) return setOutcome({ kind: 'error', text: parsed.errors.map(formatScenarioError).join('\n') });
    try {
      setOutcome({ kind: 'report', report: validateLesson(parsed.value) });
    } catch (e) {
      setOutcome({ kind: 'error', text: `internal error: ${e instanceof Error ? e.message : String(e)}` });
    }
  };
  const preview = () => {
    const f = fileOf();
    if (!f) return;
    // Recording stops while previewing: the learner's actions are not the author's solution.
    authorFor(app).getState().setRecording(false);
    void lessonsFor(app).openText(f.text, { kind: 'file', name: f.name, text: f.text }, { step: 0 });
  };
  const extra = (
    <>
      <button type="button" className="button" onClick={validate} data-testid="author-validate" title="Each check must fail at its step's start and pass after its reference solution (podpath lesson validate)">
        ✓ Validate
      </button>
      <button type="button" className="button" onClick={preview} data-testid="author-preview" title="Open the draft in the Lesson tab as a learner sees it (from its start)">
        ▶ Preview as a learner
      </button>
    </>
  );
  return (
<AuthorPanel extra={extra} report={outcome && <Report outcome={outcome} />} />
  );
}

function Report({ outcome }: { outcome: Outcome }) {
  if (outcome.kind === 'error')
    return (
      <section aria-label="Validation">
        <p className="error-box" role="alert" data-testid="author-report">
          The lesson file does not parse: {outcome.text}
        </p>
      </section>
    );
  const r = outcome.report;
  return (
    <section className="author-validation" aria-label="Validation" data-testid="author-report">
      <p className={r.ok ? 'author__ok' : 'author__missing'} role="status">
        {r.ok ? '✓ Valid: every check fails at its step\u2019s start and passes after its solution (what podpath lesson validate checks).' : '✕ Not valid yet:'}
      </p>
      {r.error && <p className="error-box">{r.error}</p>}
      <ol className="author-report">
        {r.steps.map((s) => (
          <li key={s.step} className={s.ok ? 'is-good' : 'is-bad'}>
            <strong>{s.ok ? '✓' : '✕'} {s.step}</strong>:{' '}
            {s.error
              ? s.error
              : `${s.before.pass ? `passes already at its start (it must fail): ${s.before.message}` : 'fails at its start'}, ${s.after.pass ? 'passes after its solution' : `fails after its solution: ${s.after.message}`}${s.prediction && !s.prediction.ok ? `; prediction: ${s.prediction.message}` : ''}`}
          </li>
        ))}
      </ol>
    </section>
  );
}
