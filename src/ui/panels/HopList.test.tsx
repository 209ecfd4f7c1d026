// @vitest-environment jsdom
import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { makeStore, renderApp } from '../testing/renderApp';
import { HopList } from './HopList';

/** The demo's default trace: default/client (worker-1) → web pod on worker-2, ICMP. */
function tracedStore() {
  const store = makeStore();
  store.getState().runTrace();
  return store;
}

describe('HopList', () => {
  it('renders nothing without a trace', () => {
    renderApp(<HopList />);
    expect(screen.queryByTestId('hop-list')).toBeNull();
  });

  it('lists the request and reply legs with their hop counts and verdicts', () => {
    renderApp(<HopList />, { store: tracedStore() });
    const request = screen.getByRole('heading', { name: /^Request/ });
    const reply = screen.getByRole('heading', { name: /^Reply/ });
    expect(request.textContent).toBe('Request delivered 18 hops');
    expect(reply.textContent).toBe('Reply delivered 18 hops');
    const first = within(screen.getByTestId('hop-list')).getAllByRole('button')[0];
    expect(first.textContent).toContain('send');
    expect(first.textContent).toContain('pod/default/client');
    expect(first.textContent).toContain('icmp · ');
  });

  it('clicking a hop moves the store cursor and marks it with aria-current', async () => {
    const user = userEvent.setup();
    const { store } = renderApp(<HopList />, { store: tracedStore() });
    const hops = within(screen.getByTestId('hop-list')).getAllByRole('button');
    expect(hops).toHaveLength(36);
    expect(store.getState().cursor).toBe(0);

    // Request hop 8 is the VXLAN encapsulation on worker-1.
    await user.click(hops[7]);
    expect(store.getState().cursor).toBe(7);
    expect(hops[7].getAttribute('aria-current')).toBe('step');
    expect(hops[7].textContent).toContain('encap');
    expect(hops[7].textContent).toContain('flannel.1');
    expect(hops[0].hasAttribute('aria-current')).toBe(false);
    expect(hops.filter((h) => h.getAttribute('aria-current') === 'step')).toHaveLength(1);

    // The first reply hop sits after the 18 request hops.
    await user.click(hops[18]);
    expect(store.getState().cursor).toBe(18);
    expect(hops[18].getAttribute('aria-current')).toBe('step');
    expect(hops[18].textContent).toContain('10.244.2.3 → 10.244.1.5');
    expect(hops[7].hasAttribute('aria-current')).toBe(false);
  });

  it('follows the cursor when the store moves it', () => {
    const store = tracedStore();
    renderApp(<HopList />, { store });
    act(() => store.getState().selectHop(11));
    const current = screen.getAllByRole('button').filter((h) => h.getAttribute('aria-current') === 'step');
    expect(current).toHaveLength(1);
    expect(current[0].textContent).toContain('decap');
    expect(current[0].textContent).toContain('worker-2');
  });
});
