/**
 * Write a lesson from the app (issue 14 §3): start from the cluster on screen (its YAML is the
 * lesson's start state), add steps with their texts, pick each step's check from what is on
 * screen (the trace shown, the selected pod, node or Service: suggest.ts), and let the recorder
 * take the reference solution from what the author does next (terminal lines, traces) or record
 * the YAML changes as a patch. Then validate (each check fails at its step's start and passes
 * after its solution, run by the engine), preview as a learner, export the file.
 */
import { useMemo, useState, type ReactNode } from 'react';
import yaml from 'js-yaml';
import { useApp, useAppStoreApi } from '../../StoreContext';
import { download } from '../../canvas/exportImage';
import { draftProblems, lessonFileText, PREDICT_ASKS, type PredictAsk, type StepDraft } from './draft';
import type { TraceRequest } from '../../../engine';
import { selectionChoices, subjectsOf, traceChoices, type CheckChoice } from './suggest';
import { authorFor, useAuthor } from './authorRuntime';
import './author.css';

/** `extra`: more actions beside Export; `report`: shown under the actions (the validation). */
export function AuthorPanel({ extra, report }: { extra?: ReactNode; report?: ReactNode }) {
  const app = useAppStoreApi();
  const author = authorFor(app);
  const draft = useAuthor(app, (s) => s.draft);
  const active = useAuthor(app, (s) => s.active);
  const [title, setTitle] = useState('');

  if (!draft) {
    const start = () => author.getState().start(title.trim() || 'My lesson', app.getState().appliedText);
    return (
      <section className="panel author" aria-label="Write a lesson">
        <h2 className="author__h">Write a lesson</h2>
        <p className="hint muted">The cluster on screen becomes the lesson's start state. Then, step by step: write what to read and what to do, do it yourself (the terminal, a trace) — that is recorded as the step's reference solution — and pick the check from what is on screen.</p>
        <label className="field">
          <span className="field__label">Title</span>
          <input type="text" value={title} onChange={(e) => setTitle(e.target.value)} placeholder="Across nodes: the VXLAN overlay" data-testid="author-title" onKeyDown={(e) => e.key === 'Enter' && start()} />
        </label>
        <button type="button" className="button button--primary" onClick={start} data-testid="author-start">
          Start a lesson from this cluster
        </button>
      </section>
    );
  }

  const problems = draftProblems(draft);
  const exportFile = () => download(new Blob([lessonFileText(draft)], { type: 'application/yaml' }), `${draft.id}.yaml`);
  return (
    <section className="panel author" aria-label="Write a lesson">
      <div className="author__meta">
        <label className="field">
          <span className="field__label">Lesson title</span>
          <input type="text" value={draft.title} onChange={(e) => author.getState().setMeta({ title: e.target.value })} data-testid="author-lesson-title" />
        </label>
        <label className="field">
          <span className="field__label">Id (file name)</span>
          <input type="text" className="mono" value={draft.id} onChange={(e) => author.getState().setMeta({ id: e.target.value.toLowerCase().replace(/[^a-z0-9-]/g, '-') })} data-testid="author-lesson-id" />
        </label>
      </div>
      <div className="author__actions">
        <button type="button" className="button button--primary" onClick={exportFile} data-testid="author-export" title="Download the lesson file (podpath lesson validate reads it)">
          ⤓ Export {draft.id}.yaml
        </button>
        {extra}
        <button
          type="button"
          className="button"
          onClick={() => {
            if (window.confirm(`Discard the lesson “${draft.title}”? Its file is not kept unless exported.`)) author.getState().discard();
          }}
          data-testid="author-discard"
        >
          Discard
        </button>
      </div>
      {report}
      {problems.length > 0 && (
        <ul className="author__problems" aria-label="Still missing" data-testid="author-problems">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      <ol className="author__steps">
        {draft.steps.map((s, i) => (
          <li key={i} className={`author-step${i === active ? ' is-active' : ''}`} data-testid={`author-step-${i}`}>
            {i === active ? <StepEditor step={s} index={i} /> : <StepRow step={s} index={i} />}
          </li>
        ))}
      </ol>
      <button type="button" className="button" onClick={() => author.getState().addStep(app.getState().appliedText)} data-testid="author-add-step" title="The new step starts from the cluster as it is now">
        + Add a step (it starts from the cluster as it is now)
      </button>
    </section>
  );
}

function StepRow({ step, index }: { step: StepDraft; index: number }) {
  const app = useAppStoreApi();
  const author = authorFor(app);
  return (
    <div className="author-step__row">
      <span>
        <strong>{index + 1}.</strong> {step.title} <span className={step.check ? 'author__ok' : 'author__missing'}>{step.check ? `✓ ${step.checkLabel}` : 'no check yet'}</span>
      </span>
      <button type="button" className="button button--small" onClick={() => author.getState().setActive(index)} data-testid={`author-edit-${index}`}>
        Edit
      </button>
    </div>
  );
}

function StepEditor({ step, index }: { step: StepDraft; index: number }) {
  const app = useAppStoreApi();
  const author = authorFor(app);
  const recording = useAuthor(app, (s) => s.recording);
  const patchNote = useAuthor(app, (s) => s.patchNote);
  const cluster = useApp((s) => s.cluster);
  const trace = useApp((s) => s.trace);
  const selection = useApp((s) => s.selection);
  const choices = useMemo<CheckChoice[]>(() => [...(trace ? traceChoices(trace) : []), ...(cluster ? selectionChoices(cluster, selection) : [])], [trace, cluster, selection]);
  const set = (change: Partial<StepDraft>) => author.getState().update(index, change);
  const sol = step.solution;
  const nothing = !sol.commands.length && !sol.traces.length && !sol.patch;
  return (
    <div className="author-step__edit">
      <div className="author-step__head">
        <strong>Step {index + 1}</strong>
        <input type="text" aria-label={`Step ${index + 1} title`} value={step.title} onChange={(e) => set({ title: e.target.value })} data-testid="author-step-title" />
        <button type="button" className="button button--small" onClick={() => author.getState().remove(index)} aria-label={`Remove step ${index + 1}`}>
          ✕
        </button>
      </div>
      <TextField label="Task (what to do)" value={step.task} onChange={(v) => set({ task: v })} rows={2} testId="author-task" />
      <details className="author-texts" open={!!(step.explain || step.notice || step.hints.length) || undefined}>
        <summary data-testid="author-texts">Explain, hints, notice</summary>
        <TextField label="Explain (what to read first)" value={step.explain} onChange={(v) => set({ explain: v })} rows={3} testId="author-explain" />
        <TextField label="Hints (one per line, weakest first)" value={step.hints.join('\n')} onChange={(v) => set({ hints: v.split('\n') })} rows={2} testId="author-hints" />
        <TextField label="Notice (shown once the check passes)" value={step.notice} onChange={(v) => set({ notice: v })} rows={2} testId="author-notice" />
      </details>

      <fieldset className="author-box">
        <legend>Check</legend>
        {step.check ? (
          <div className="author-check" data-testid="author-check">
            <p className="author__ok">✓ {step.checkLabel}</p>
            <pre className="mono author-check__yaml">{yaml.dump(step.check, { flowLevel: 1, lineWidth: -1 }).trim()}</pre>
            <button type="button" className="button button--small" onClick={() => author.getState().setCheck(index, null, '')}>
              Clear the check
            </button>
          </div>
        ) : (
          <p className="muted hint">Pick one below: run a trace, or select a pod, node or Service (on the canvas or here), and its checks appear.</p>
        )}
        <label className="field field--inline author-subject">
          <span className="field__label">Selected</span>
          <SubjectSelect />
        </label>
        {choices.length > 0 ? (
          <ul className="author-choices" aria-label="Checks from what is on screen" data-testid="author-choices">
            {choices.map((c) => (
              <li key={c.id}>
                <button type="button" className="button button--small author-choice" onClick={() => author.getState().setCheck(index, c.check, c.label)} data-testid={`author-choice-${c.id}`}>
                  {c.label}
                </button>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted hint">Nothing selected and no trace shown.</p>
        )}
      </fieldset>

      <PredictBox step={step} index={index} />

      <fieldset className="author-box">
        <legend>Reference solution</legend>
        <label className="author-rec">
          <input type="checkbox" checked={recording} onChange={(e) => author.getState().setRecording(e.target.checked)} data-testid="author-recording" />
          <span>{recording ? '● Recording' : 'Record'} what you do next into this step: terminal lines, traces</span>
        </label>
        {nothing && <p className="muted hint">Do the task yourself now: type in the terminal, run a trace.</p>}
        {sol.commands.length > 0 && (
          <ol className="author-sol mono" aria-label="Commands" data-testid="author-commands">
            {sol.commands.map((c, i) => (
              <li key={i}>$ {c}</li>
            ))}
          </ol>
        )}
        {sol.traces.length > 0 && (
          <ol className="author-sol mono" aria-label="Traces" data-testid="author-traces">
            {sol.traces.map((t, i) => (
              <li key={i}>
                trace {t.from} → {t.to} {t.proto}
                {t.port ? `/${t.port}` : ''}
              </li>
            ))}
          </ol>
        )}
        {sol.patch && (
          <details className="author-patch">
            <summary>YAML patch ({sol.patch.split(/^---$/m).length} document{sol.patch.split(/^---$/m).length === 1 ? '' : 's'})</summary>
            <pre className="mono">{sol.patch}</pre>
          </details>
        )}
        {patchNote && <p className="muted hint">{patchNote}</p>}
        <div className="author__actions">
          <button type="button" className="button button--small" onClick={() => author.getState().recordPatch(index, app.getState().appliedText)} data-testid="author-record-patch" title="Edits made on the canvas, in the Edit tab or the YAML: the objects they changed, applied like kubectl apply -f">
            Record the cluster's changes as a patch
          </button>
          <button type="button" className="button button--small" onClick={() => author.getState().clearSolution(index)} disabled={nothing}>
            Clear
          </button>
        </div>
      </fieldset>
    </div>
  );
}

const ASK_WORDS: Record<PredictAsk, string> = {
  verdict: 'delivered or dropped?',
  node: 'which node next?',
  'next-device': 'which device next?',
  'dnat-endpoint': 'which endpoint after DNAT?',
  'wire-bytes': 'how many bytes on the wire?',
  encap: 'which encapsulation?',
};

/** Predict, then see: before the step's task the learner is asked about a trace (the step's own, else the one shown). */
function PredictBox({ step, index }: { step: StepDraft; index: number }) {
  const app = useAppStoreApi();
  const author = authorFor(app);
  const [ask, setAsk] = useState<PredictAsk>('verdict');
  const shown = useApp((s) => (s.trace ? `${s.from}|${s.to}|${s.proto}|${s.proto === 'icmp' ? '' : s.port}` : ''));
  const request: TraceRequest | null = step.solution.traces[step.solution.traces.length - 1] ?? (shown ? requestOf(shown) : null);
  return (
    <fieldset className="author-box">
      <legend>Predict, then see (optional)</legend>
      {step.predict ? (
        <p className="author__ok" data-testid="author-predict">
          ✓ Before the task: {ASK_WORDS[step.predict.ask]} — {step.predict.trace.from} → {step.predict.trace.to} {step.predict.trace.proto}
          <button type="button" className="button button--small" onClick={() => author.getState().update(index, { predict: undefined })}>
            Remove
          </button>
        </p>
      ) : (
        <div className="author__actions">
          <select value={ask} onChange={(e) => setAsk(e.target.value as PredictAsk)} aria-label="What the learner predicts" data-testid="author-predict-ask">
            {PREDICT_ASKS.map((a) => (
              <option key={a} value={a}>
                {ASK_WORDS[a]}
              </option>
            ))}
          </select>
          <button type="button" className="button button--small" disabled={!request} onClick={() => request && author.getState().update(index, { predict: { trace: request, ask } })} data-testid="author-predict-add" title={request ? `About ${request.from} → ${request.to}` : 'Run a trace first'}>
            Ask it about {request ? `${request.from} → ${request.to}` : 'a trace (run one first)'}
          </button>
        </div>
      )}
    </fieldset>
  );
}

function requestOf(key: string): TraceRequest {
  const [from, to, proto, port] = key.split('|');
  return { from, to, proto: proto as TraceRequest['proto'], ...(port ? { port: Number(port) } : {}) };
}

/** The canvas selection as a list (keyboard users, and an element scrolled off the canvas). */
function SubjectSelect() {
  const app = useAppStoreApi();
  const cluster = useApp((s) => s.cluster);
  const selection = useApp((s) => s.selection);
  const options = useMemo(() => (cluster ? subjectsOf(cluster) : []), [cluster]);
  const known = selection !== null && options.some((o) => o.id === selection);
  return (
    <select value={known ? selection! : ''} onChange={(e) => app.getState().select(e.target.value || null)} data-testid="author-subject">
      <option value="">(nothing)</option>
      {(['Pods', 'Services', 'Nodes'] as const).map((g) => (
        <optgroup key={g} label={g}>
          {options
            .filter((o) => o.group === g)
            .map((o) => (
              <option key={o.id} value={o.id}>
                {o.label}
              </option>
            ))}
        </optgroup>
      ))}
    </select>
  );
}

function TextField({ label, value, onChange, rows, testId }: { label: string; value: string; onChange: (v: string) => void; rows: number; testId: string }) {
  return (
    <label className="field">
      <span className="field__label">{label}</span>
      <textarea value={value} rows={rows} onChange={(e) => onChange(e.target.value)} data-testid={testId} />
    </label>
  );
}
