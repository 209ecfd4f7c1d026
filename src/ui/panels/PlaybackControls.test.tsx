// @vitest-environment jsdom
import { act, fireEvent, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeStore, renderApp } from '../testing/renderApp';
import { PlaybackControls } from './PlaybackControls';

/** The demo's default trace: 18 request + 18 reply hops, cursor on the first. */
function tracedStore() {
  const store = makeStore();
  store.getState().runTrace();
  return store;
}

const button = (name: string) => screen.getByRole('button', { name }) as HTMLButtonElement;
const position = () => screen.getByText(/^hop \d+ \/ \d+$/).textContent;

afterEach(() => vi.useRealTimers());

describe('PlaybackControls', () => {
  it('every control has an accessible name', () => {
    renderApp(<PlaybackControls />, { store: tracedStore() });
    expect(screen.getByRole('group', { name: 'Playback' })).toBeTruthy();
    const names = screen.getAllByRole('button').map((b) => b.getAttribute('aria-label'));
    expect(names).toEqual(['Restart from the first hop', 'Previous hop (←)', 'Play (Space)', 'Next hop (→)']);
    expect(screen.getByRole('combobox', { name: 'Playback speed' })).toBeTruthy();
  });

  it('steps forward and back, clamped at the first hop', async () => {
    const user = userEvent.setup();
    const { store } = renderApp(<PlaybackControls />, { store: tracedStore() });
    expect(position()).toBe('hop 1 / 36');
    expect(button('Previous hop (←)').disabled).toBe(true);

    await user.click(button('Next hop (→)'));
    await user.click(button('Next hop (→)'));
    expect(store.getState().cursor).toBe(2);
    expect(position()).toBe('hop 3 / 36');
    expect(button('Previous hop (←)').disabled).toBe(false);

    await user.click(button('Previous hop (←)'));
    expect(store.getState().cursor).toBe(1);
    await user.click(button('Restart from the first hop'));
    expect(store.getState().cursor).toBe(0);
    expect(button('Previous hop (←)').disabled).toBe(true);
  });

  it('Next is disabled on the last hop', () => {
    const store = tracedStore();
    store.getState().selectHop(35);
    renderApp(<PlaybackControls />, { store });
    expect(position()).toBe('hop 36 / 36');
    expect(button('Next hop (→)').disabled).toBe(true);
  });

  it('play and pause switch the store state and the button', async () => {
    const user = userEvent.setup();
    const { store } = renderApp(<PlaybackControls />, { store: tracedStore() });
    await user.click(button('Play (Space)'));
    expect(store.getState().playing).toBe(true);
    expect(screen.queryByRole('button', { name: 'Play (Space)' })).toBeNull();

    await user.click(button('Pause (Space)'));
    expect(store.getState().playing).toBe(false);
    expect(button('Play (Space)')).toBeTruthy();
  });

  it('while playing, the clock advances one hop per 750 ms at speed 1 and twice as fast at 2×', () => {
    vi.useFakeTimers();
    const { store } = renderApp(<PlaybackControls />, { store: tracedStore() });
    fireEvent.click(button('Play (Space)'));
    act(() => vi.advanceTimersByTime(750 * 3));
    expect(store.getState().cursor).toBe(3);

    fireEvent.change(screen.getByRole('combobox', { name: 'Playback speed' }), { target: { value: '2' } });
    expect(store.getState().speed).toBe(2);
    act(() => vi.advanceTimersByTime(750));
    expect(store.getState().cursor).toBe(5);
    fireEvent.click(button('Pause (Space)'));
    act(() => vi.advanceTimersByTime(750 * 4));
    expect(store.getState().cursor).toBe(5);
  });

  it('with prefers-reduced-motion there is no Play button and the speed is hidden', () => {
    renderApp(<PlaybackControls />, { store: tracedStore(), reducedMotion: true });
    expect(screen.queryByRole('button', { name: 'Play (Space)' })).toBeNull();
    expect(screen.queryByRole('combobox', { name: 'Playback speed' })).toBeNull();
    expect(screen.getAllByRole('button')).toHaveLength(3);
  });
});
