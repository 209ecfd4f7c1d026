// @vitest-environment jsdom
import { act, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { exampleText, makeStore, renderApp } from '../testing/renderApp';
import { Inspector } from './Inspector';

/**
 * The demo's default trace, default/client (10.244.1.5, worker-1) → web pod 10.244.2.3 on
 * worker-2 over Flannel VXLAN. Request hops: 7 encap on flannel.1, 11 decap on worker-2.
 */
function tracedStore(cursor: number) {
  const store = makeStore();
  store.getState().runTrace();
  store.getState().selectHop(cursor);
  return store;
}

const layer = (title: string) => screen.getByTestId(`layer-${title}`);
/** The value shown for a field of a layer (dt name → dd text). */
function field(title: string, name: string): string {
  const dt = within(layer(title)).getAllByText(name, { selector: 'dt' })[0];
  return dt.nextElementSibling?.textContent ?? '';
}

describe('Inspector', () => {
  it('at the VXLAN encap hop shows the nested layers, outermost first, with VNI 1 and UDP 8472', () => {
    renderApp(<Inspector />, { store: tracedStore(7) });
    const inspector = screen.getByRole('region', { name: 'Packet inspector' });
    expect(inspector.textContent).toContain('Request · hop 8');
    expect(inspector.textContent).toContain('Encapsulated');
    expect(inspector.textContent).toContain('flannel.1');

    const titles = [...inspector.querySelectorAll('.layer__title')].map((t) => t.firstChild?.textContent);
    expect(titles).toEqual(['Outer Ethernet', 'Outer IPv4 (VXLAN)', 'Outer UDP', 'VXLAN', 'Inner Ethernet', 'Inner IPv4', 'ICMP']);
    expect(field('VXLAN', 'VNI')).toBe('1');
    expect(field('Outer UDP', 'dst port')).toBe('8472');
    expect(field('Outer IPv4 (VXLAN)', 'src')).toBe('192.168.1.11');
    expect(field('Outer IPv4 (VXLAN)', 'dst')).toBe('192.168.1.12');
    expect(field('Outer IPv4 (VXLAN)', 'protocol')).toBe('17 (UDP)');
    expect(field('Inner IPv4', 'src')).toBe('10.244.1.5');
    expect(field('Inner IPv4', 'dst')).toBe('10.244.2.3');
    expect(field('ICMP', 'type')).toBe('8 (echo request)');
    // The tunnel layers are new here, and say so in words.
    for (const t of ['Outer Ethernet', 'Outer IPv4 (VXLAN)', 'Outer UDP', 'VXLAN']) expect(within(layer(t)).getByText('+ added here')).toBeTruthy();
    expect(within(layer('Inner IPv4')).queryByText('+ added here')).toBeNull();
  });

  it('marks changed fields with a symbol and words, not only colour: the TTL on the forwarding route hop, the MACs on the neighbour hop', () => {
    const store = tracedStore(5);
    const { unmount } = renderApp(<Inspector />, { store });
    const inspector = () => screen.getByRole('region', { name: 'Packet inspector' });
    expect(inspector().textContent).toContain('Routing decision');
    expect(inspector().textContent).toContain('forwarded: TTL 64 → 63');
    expect(field('IPv4', 'TTL')).toBe('63▲ changed');
    expect(screen.getAllByText('▲ changed')).toHaveLength(1);
    unmount();
    // The PERMANENT flannel.1 entry is a table lookup, not ARP: nothing is sent.
    renderApp(<Inspector />, { store: tracedStore(6) });
    expect(inspector().textContent).toContain('Neighbour table');
    expect(inspector().textContent).not.toContain('ARP who-has');
    expect(field('Ethernet', 'dst MAC')).toBe('32:37:5a:e3:f6:d1▲ changed');
    expect(field('IPv4', 'TTL')).toBe('63');
    expect(field('IPv4', 'src')).toBe('10.244.1.5');
    expect(screen.getAllByText('▲ changed')).toHaveLength(2); // src MAC, dst MAC
  });

  it('the outer Ethernet header of the VXLAN encapsulation carries the underlay MACs (worker-1 eth0 → worker-2 eth0)', () => {
    const store = tracedStore(7);
    renderApp(<Inspector />, { store });
    const hops = store.getState().trace!.hops;
    const wire = hops.find((h) => h.action === 'wire')!.repr!.encap[0].eth;
    expect(field('Outer Ethernet', 'src MAC')).toMatch(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/);
    expect(field('Outer Ethernet', 'src MAC')).toBe(wire.src);
    expect(field('Outer Ethernet', 'dst MAC')).toBe(wire.dst);
  });

  it('at the decap hop lists the removed tunnel layers', () => {
    renderApp(<Inspector />, { store: tracedStore(11) });
    expect(screen.getByText(/^− removed at this hop:/).textContent).toBe('− removed at this hop: Outer Ethernet, Outer IPv4 (VXLAN), Outer UDP, VXLAN');
    expect(screen.queryByTestId('layer-VXLAN')).toBeNull();
  });

  it('follows the store cursor into the reply leg', () => {
    const store = tracedStore(0);
    renderApp(<Inspector />, { store });
    expect(screen.getByRole('region', { name: 'Packet inspector' }).textContent).toContain('Request · hop 1');
    act(() => store.getState().selectHop(18));
    const inspector = screen.getByRole('region', { name: 'Packet inspector' });
    expect(inspector.textContent).toContain('Reply · hop 1');
    expect(field('IPv4', 'src')).toBe('10.244.2.3');
    expect(field('ICMP', 'type')).toBe('0 (echo reply)');
  });

  it('a packet dropped by a NetworkPolicy says where and why', () => {
    const store = makeStore(exampleText('policy-lab.yaml'));
    const st = store.getState();
    st.setFrom('lab/intruder');
    st.setTo('lab/db');
    st.setProto('tcp');
    st.setPort(5432);
    st.runTrace();
    const last = store.getState().trace!.hops.length - 1;
    store.getState().selectHop(last);
    renderApp(<Inspector />, { store });
    const inspector = screen.getByRole('region', { name: 'Packet inspector' });
    expect(inspector.textContent).toContain(`Request · hop ${last + 1}`);
    expect(inspector.textContent).toContain('Netfilter rule');
    expect(inspector.textContent).toContain('worker-2');
    const reason = within(inspector).getByRole('alert');
    expect(reason.textContent).toContain('Dropped here: ');
    expect(reason.textContent).toContain('selected by lab/db-allow-api, lab/default-deny-ingress for Ingress');
    expect(field('TCP', 'dst port')).toBe('5432');
  });

  it('no alert on a delivered packet', () => {
    renderApp(<Inspector />, { store: tracedStore(17) });
    expect(screen.getByRole('region', { name: 'Packet inspector' }).textContent).toContain('Delivered');
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
