// @vitest-environment jsdom
import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { EditorView } from '@codemirror/view';
import { describe, expect, it } from 'vitest';
import { demoText, renderApp } from '../testing/renderApp';
import { ScenarioPanel } from './ScenarioPanel';

/** CodeMirror's view behind the editor (typing into contenteditable is not something jsdom does). */
function editor(): EditorView {
  const view = EditorView.findFromDOM(screen.getByRole('textbox', { name: 'Scenario YAML' }));
  if (!view) throw new Error('no CodeMirror view');
  return view;
}

function typeInEditor(from: string, to: string) {
  const view = editor();
  const text = view.state.doc.toString();
  const at = text.indexOf(from);
  expect(at).toBeGreaterThanOrEqual(0);
  act(() => view.dispatch({ changes: { from: at, to: at + from.length, insert: to } }));
}

describe('ScenarioPanel', () => {
  it('shows the scenario text in the editor, in sync', () => {
    const { store } = renderApp(<ScenarioPanel />);
    expect(editor().state.doc.toString()).toBe(demoText);
    expect(store.getState().scenarioText).toBe(demoText);
    expect(screen.getByText('In sync with the canvas')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Revert' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('an edit marks the text dirty; Apply loads it into the cluster', async () => {
    const user = userEvent.setup();
    const { store } = renderApp(<ScenarioPanel />);
    typeInEditor('cni: flannel', 'cni: calico');
    expect(store.getState().scenarioText).toContain('cni: calico');
    expect(store.getState().cluster!.config.cni).toBe('flannel');
    expect(screen.getByText('Edited, not applied · Ctrl+Enter applies')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Apply' }));
    // Applying waits for the YAML parser's chunk.
    await waitFor(() => expect(store.getState().cluster!.config.cni).toBe('calico'));
    expect(screen.getByText('In sync with the canvas')).toBeTruthy();
  });

  it('a bad edit lists the error with its line and keeps the last cluster; Revert restores the text', async () => {
    const user = userEvent.setup();
    const { store } = renderApp(<ScenarioPanel />);
    const before = store.getState().cluster;
    typeInEditor('cni: flannel', 'cni: nope');
    await user.click(screen.getByRole('button', { name: 'Apply' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Not applied; the canvas still shows the last cluster that loaded.');
    expect(alert.textContent).toMatch(/scenario\.yaml:10:\d+:.*nope/);
    expect(store.getState().cluster).toBe(before);

    await user.click(screen.getByRole('button', { name: 'Revert' }));
    expect(editor().state.doc.toString()).toBe(demoText);
  });

  it('a change made elsewhere (undo) is shown in the editor', () => {
    const { store } = renderApp(<ScenarioPanel />);
    act(() => {
      store.getState().openScenario(demoText.replace('name: demo', 'name: other'), 'a test');
    });
    expect(editor().state.doc.toString()).toContain('name: other');
    act(() => store.getState().undo());
    expect(editor().state.doc.toString()).toBe(demoText);
  });
});
