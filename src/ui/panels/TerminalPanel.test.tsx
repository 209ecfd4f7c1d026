// @vitest-environment jsdom
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../testing/renderApp';
import { TerminalPanel } from './TerminalPanel';

/** xterm's hidden textarea takes the keys; its DOM renderer draws the rows as text. */
const terminal = () => screen.getByRole('textbox', { name: 'Terminal: type shell commands (help lists them)' });
const screenText = () => document.querySelector('.xterm-rows')?.textContent ?? '';

describe('TerminalPanel', () => {
  it('Escape then Tab or Shift+Tab leaves the terminal, and a screen reader is told how', async () => {
    const user = userEvent.setup();
    renderApp(
      <>
        <button type="button">before</button>
        <TerminalPanel />
        <button type="button">after</button>
      </>,
    );
    await user.click(terminal());
    expect(terminal().getAttribute('aria-describedby')).toBe('terminal-exit-hint');
    expect(document.getElementById('terminal-exit-hint')!.textContent).toBe('To leave the terminal, press Escape, then Tab or Shift+Tab.');
    // (That a plain Tab stays in the terminal is xterm's doing in a real browser: tests/e2e/honesty.spec.ts.)
    await user.keyboard('{Escape}');
    expect(screen.getByTestId('terminal-announce').textContent).toBe('Escape: now press Tab or Shift+Tab to leave the terminal.');
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'after' }));
    await user.click(terminal());
    await user.keyboard('{Escape}');
    await user.tab({ shift: true });
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'before' }));
  });

  it('the first prompt is the workstation: it says where ping works, and a ping there says where to go', async () => {
    const user = userEvent.setup();
    renderApp(<TerminalPanel />);
    await waitFor(() => expect(screenText()).toContain('kubectl exec -it client -- sh'));
    expect(screenText()).toContain('ssh worker-1');
    await user.click(terminal());
    await user.keyboard('ping 10.244.2.3{Enter}');
    await waitFor(() => expect(screenText()).toContain('sh: ping: not found'));
    await waitFor(() => expect(screenText()).toContain('podpath: ping is not on your workstation'));
  });

  it('prints what the commands of a line wrote in the order they wrote it, an error between two echoes', async () => {
    const user = userEvent.setup();
    renderApp(<TerminalPanel />);
    await user.click(terminal());
    await user.keyboard('echo one; kubectl get pods nope; echo two{Enter}');
    await waitFor(() => expect(screenText()).toContain('two'));
    const text = screenText();
    const [one, err, two] = ['one', 'Error from server (NotFound): pods "nope" not found', 'two'].map((s) => text.lastIndexOf(s));
    expect(one).toBeGreaterThan(-1);
    expect(err).toBeGreaterThan(one);
    expect(two).toBeGreaterThan(err);
  });

  it('a ping run in a pod becomes the current trace, and its output is shown', async () => {
    const user = userEvent.setup();
    const { store } = renderApp(<TerminalPanel />);
    await user.click(terminal());
    await user.keyboard('kubectl exec client -- ping -c 1 10.244.2.3{Enter}');
    await waitFor(() => expect(store.getState().trace).not.toBeNull());
    const t = store.getState().trace!;
    expect(t.verdict).toBe('delivered');
    expect(t.hops[0].packet.src).toBe('10.244.1.5');
    expect(t.hops[0].packet.dst).toBe('10.244.2.3');
    expect(t.hops.some((h) => h.device === 'flannel.1')).toBe(true);
    expect(store.getState().cursor).toBe(0);
    // busybox ping's summary line.
    await waitFor(() => expect(screenText()).toContain('1 packets transmitted, 1 packets received, 0% packet loss'));
  });

  it('a command that changes the cluster is an undoable change in the store', async () => {
    const user = userEvent.setup();
    const { store } = renderApp(<TerminalPanel />);
    expect(store.getState().cluster!.pods.has('default/probe')).toBe(false);
    await user.click(terminal());
    await user.keyboard('kubectl run probe --image=busybox{Enter}');
    await waitFor(() => expect(store.getState().cluster!.pods.has('default/probe')).toBe(true));
    expect(store.getState().past.at(-1)?.description).toBe('kubectl run probe --image=busybox');
    await waitFor(() => expect(screenText()).toContain('pod/probe created'));
    store.getState().undo();
    expect(store.getState().cluster!.pods.has('default/probe')).toBe(false);
  });

  it('an unknown command says so', async () => {
    const user = userEvent.setup();
    renderApp(<TerminalPanel />);
    await user.click(terminal());
    await user.keyboard('frobnicate{Enter}');
    await waitFor(() => expect(screenText()).toContain('frobnicate: not found'));
  });
});
