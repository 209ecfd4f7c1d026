// @vitest-environment jsdom
import { act, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../testing/renderApp';
import { Notices } from './Notices';

describe('Notices', () => {
  it('shows nothing when there is no notice', () => {
    const { container } = renderApp(<Notices />);
    expect(container.textContent).toBe('');
  });

  it('renders an HTML-looking message as text, not as an element', () => {
    const { store, container } = renderApp(<Notices />);
    const evil = '<img src=x onerror=alert(1)>';
    act(() => store.getState().notify({ kind: 'error', text: evil }));
    const alert = screen.getByRole('alert');
    expect(alert.querySelector('pre')?.textContent).toBe(evil);
    expect(container.querySelector('img')).toBeNull();
    expect(alert.textContent).toContain('✖');
  });

  it('an info notice is a status, not an alert', () => {
    const { store } = renderApp(<Notices />);
    act(() => store.getState().notify({ kind: 'info', text: 'Opened demo.yaml.' }));
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByRole('status').textContent).toContain('Opened demo.yaml.');
  });

  it('Dismiss removes the notice from the page and the store', async () => {
    const user = userEvent.setup();
    const { store } = renderApp(<Notices />);
    act(() => store.getState().notify({ kind: 'error', text: 'scale: no cluster is loaded' }));
    expect(screen.getByRole('alert').textContent).toContain('scale: no cluster is loaded');
    await user.click(screen.getByRole('button', { name: 'Dismiss message' }));
    expect(store.getState().notice).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('shows the error of a refused scenario', () => {
    const { store } = renderApp(<Notices />);
    const before = store.getState().cluster;
    act(() => {
      store.getState().openScenario('apiVersion: podpath/v1alpha1\nkind: Cluster\nspec: {cni: nope}\n', 'the file bad.yaml', 'bad.yaml');
    });
    expect(store.getState().cluster).toBe(before);
    expect(screen.getByRole('alert').textContent).toContain('the file bad.yaml did not load; your work is unchanged.');
  });
});
