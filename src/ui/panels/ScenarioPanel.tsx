/**
 * The scenario as YAML in CodeMirror, kept in sync with the canvas both ways: an edit on the
 * canvas rewrites the text (the store does, from the engine's serializer); Apply (Ctrl+Enter)
 * loads the text. Errors are marked at their line in the gutter and listed below; on error
 * nothing changes and the canvas keeps the last cluster that loaded.
 */
import { useEffect, useMemo, useRef } from 'react';
import { basicSetup } from 'codemirror';
import { yaml } from '@codemirror/lang-yaml';
import { EditorState } from '@codemirror/state';
import { EditorView, keymap } from '@codemirror/view';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { formatScenarioError, type ScenarioError } from '../../engine/model/source';
import { editingFor } from '../editing';
import type { AppStore } from '../store';
import { useApp, useAppStoreApi } from '../StoreContext';
import { notEnforcedBecause } from '../../engine/policy/unenforced';
import { policyWarnings, type LintWarning } from './policyLint';

const theme = EditorView.theme({
  '&': { height: '100%', fontSize: '12.5px', backgroundColor: 'var(--surface-2)', color: 'var(--text)' },
  '.cm-scroller': { fontFamily: 'var(--mono)', lineHeight: '1.45' },
  '.cm-gutters': { backgroundColor: 'var(--surface)', color: 'var(--muted)', borderRight: '1px solid var(--border)' },
  '.cm-activeLine, .cm-activeLineGutter': { backgroundColor: 'color-mix(in srgb, var(--accent) 8%, transparent)' },
  '&.cm-focused': { outline: '2px solid var(--accent)', outlineOffset: '-2px' },
  '.cm-cursor': { borderLeftColor: 'var(--text)' },
});

function diagnosticsFor(state: EditorState, errors: ScenarioError[], warnings: LintWarning[] = []): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const w of warnings) {
    if (w.line > state.doc.lines) continue;
    const line = state.doc.line(w.line);
    out.push({ from: line.from, to: line.to, severity: 'warning', message: w.message });
  }
  for (const e of errors) {
    if (e.line === undefined || e.line < 1 || e.line > state.doc.lines) continue;
    const line = state.doc.line(e.line);
    const from = Math.min(line.to, line.from + Math.max(0, (e.column ?? 1) - 1));
    out.push({ from, to: Math.max(from, line.to), severity: 'error', message: formatScenarioError(e) });
  }
  return out;
}

/** Apply the edited text; that needs the YAML parser (the editing chunk, fetched already unless the page just opened). */
function applyText(store: AppStore): void {
  void editingFor(store).then(() => store.getState().applyScenario(), () => undefined);
}

export function ScenarioPanel() {
  const store = useAppStoreApi();
  const errors = useApp((s) => s.errors);
  const dirty = useApp((s) => s.scenarioText !== s.appliedText);
  const hasCluster = useApp((s) => s.cluster !== null);
  // A NetworkPolicy the applied cluster's CNI does not enforce: a warning at its `kind:` line.
  const because = useApp((s) => (s.cluster ? notEnforcedBecause(s.cluster) : undefined));
  const appliedText = useApp((s) => s.appliedText);
  const warnings = useMemo(() => policyWarnings(appliedText, because), [appliedText, because]);
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);

  useEffect(() => {
    const apply = () => {
      applyText(store);
      return true;
    };
    const v = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: store.getState().scenarioText,
        extensions: [
          keymap.of([{ key: 'Mod-Enter', run: apply }]),
          basicSetup,
          yaml(),
          lintGutter(),
          theme,
          EditorView.contentAttributes.of({ 'aria-label': 'Scenario YAML', 'data-testid': 'yaml-editor' }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) store.getState().setScenarioText(u.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = v;
    // Text changed elsewhere (an edit on the canvas, undo, an example): show it.
    const unsubscribe = store.subscribe((s, prev) => {
      if (s.scenarioText === prev.scenarioText || s.scenarioText === v.state.doc.toString()) return;
      v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: s.scenarioText } });
    });
    return () => {
      unsubscribe();
      v.destroy();
      view.current = null;
    };
  }, [store]);

  useEffect(() => {
    const v = view.current;
    if (v) v.dispatch(setDiagnostics(v.state, diagnosticsFor(v.state, errors, v.state.doc.toString() === appliedText ? warnings : [])));
  }, [errors, warnings, appliedText]);

  const reveal = (e: ScenarioError) => {
    const v = view.current;
    if (!v || e.line === undefined || e.line > v.state.doc.lines) return;
    const line = v.state.doc.line(e.line);
    v.dispatch({ selection: { anchor: line.from, head: line.to }, scrollIntoView: true });
    v.focus();
  };

  return (
    <section className="panel panel--scenario" aria-label="Scenario YAML">
      <div className="yaml-host" ref={host} />
      <div className="scenario-actions">
        <button type="button" className="button button--primary" onClick={() => applyText(store)} data-testid="apply">
          Apply
        </button>
        <button type="button" className="button" disabled={!dirty} onClick={() => store.getState().setScenarioText(store.getState().appliedText)} data-testid="revert">
          Revert
        </button>
        <span className="muted">{dirty ? 'Edited, not applied · Ctrl+Enter applies' : 'In sync with the canvas'}</span>
      </div>
      {warnings.length > 0 && (
        <p className="np-lint-warning" role="note" data-testid="policy-lint">
          ⚠ {warnings.length === 1 ? 'A NetworkPolicy here is' : `${warnings.length} NetworkPolicies here are`} accepted but not enforced: {because}. All traffic still flows.
        </p>
      )}
      {errors.length > 0 && (
        <div className="error-box" role="alert" data-testid="scenario-errors">
          <p>{hasCluster ? 'Not applied; the canvas still shows the last cluster that loaded.' : 'The scenario did not load.'}</p>
          <ul>
            {errors.map((e, i) => (
              <li key={i} className="mono">
                {e.line !== undefined ? (
                  <button type="button" className="link" onClick={() => reveal(e)} title="Show this line">
                    {formatScenarioError(e)}
                  </button>
                ) : (
                  formatScenarioError(e)
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
