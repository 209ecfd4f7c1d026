/**
 * The scenario YAML and Apply. Errors are shown as `file:line:col: …` (the CLI's format);
 * on error the canvas keeps the last cluster that loaded.
 */
import { useRef } from 'react';
import { formatScenarioError, type ScenarioError } from '../../engine';
import { useApp } from '../StoreContext';
import { lineRange } from './textPosition';

export function ScenarioPanel() {
  const text = useApp((s) => s.scenarioText);
  const errors = useApp((s) => s.errors);
  const hasCluster = useApp((s) => s.cluster !== null);
  const setText = useApp((s) => s.setScenarioText);
  const apply = useApp((s) => s.applyScenario);
  const editor = useRef<HTMLTextAreaElement>(null);

  /** Select the line an error points at. */
  const reveal = (e: ScenarioError) => {
    const el = editor.current;
    if (!el || e.line === undefined) return;
    const [start, end] = lineRange(el.value, e.line);
    el.focus();
    el.setSelectionRange(start, end);
    const lineHeight = parseFloat(getComputedStyle(el).lineHeight) || 18;
    el.scrollTop = Math.max(0, (e.line - 4) * lineHeight);
  };

  return (
    <section className="panel panel--scenario" aria-label="Scenario">
      <textarea
        ref={editor}
        className="yaml-editor mono"
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            apply();
          }
        }}
        spellCheck={false}
        aria-label="Scenario YAML"
        data-testid="yaml-editor"
      />
      <div className="scenario-actions">
        <button type="button" className="button button--primary" onClick={() => apply()} data-testid="apply">
          Apply
        </button>
        <span className="muted">Ctrl+Enter</span>
      </div>
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
