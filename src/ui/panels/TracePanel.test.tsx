// @vitest-environment jsdom
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { exampleText, renderApp } from '../testing/renderApp';
import { Inspector } from './Inspector';
import { TracePanel } from './TracePanel';

/** The hop list's buttons, once the trace view (a lazy chunk) has rendered. */
// The hop list is a lazily loaded chunk: on a loaded 2-core CI machine it takes more than findBy's default 1 s.
const hopButtons = async () => within(await screen.findByTestId('hop-list', {}, { timeout: 10_000 })).getAllByRole('button');


/** The Trace tab and the packet inspector (which the app shows in the dock, beside the terminal). */
function TraceAndInspector() {
  return (
    <>
      <TracePanel />
      <Inspector />
    </>
  );
}

describe('TracePanel', () => {
  it('traces a cross-node ping on the Flannel demo through flannel.1 (VXLAN)', async () => {
    const user = userEvent.setup();
    const { store } = renderApp(<TraceAndInspector />);
    expect(screen.queryByTestId('hop-list')).toBeNull();

    await user.selectOptions(screen.getByRole('combobox', { name: 'From' }), 'default/web-589ccc5944-qtm7m (10.244.1.3, worker-1)');
    await user.selectOptions(screen.getByRole('combobox', { name: 'To' }), 'default/web-589ccc5944-njbm2 (10.244.2.3, worker-2)');
    await user.click(screen.getByRole('radio', { name: 'ICMP' }));
    expect((screen.getByRole('spinbutton', { name: 'Destination port' }) as HTMLInputElement).disabled).toBe(true);
    await user.click(screen.getByRole('button', { name: 'Trace' }));

    const hops = await hopButtons();
    expect(hops).toHaveLength(36); // 18 request + 18 reply hops
    expect(screen.getByTestId('verdict-request').textContent).toBe('delivered');
    expect(screen.getByTestId('verdict-reply').textContent).toBe('delivered');
    expect(hops[0].textContent).toContain('10.244.1.3 → 10.244.2.3');
    expect(store.getState()).toMatchObject({ from: 'default/web-589ccc5944-qtm7m', to: 'default/web-589ccc5944-njbm2', proto: 'icmp' });
    const encap = hops.find((h) => h.textContent?.includes('encap'))!;
    expect(encap.textContent).toContain('flannel.1');
    expect(encap.textContent).toContain('VXLAN 192.168.1.11 → 192.168.1.12 vni 1 :8472');
    const request = hops.slice(0, 18).map((h) => h.textContent ?? '');
    expect(request.filter((t) => t.includes('flannel.1')).length).toBeGreaterThanOrEqual(3); // route, encap on worker-1; decap on worker-2
    expect(request[17]).toContain('deliver');
    expect(store.getState().trace?.verdict).toBe('delivered');
    // The first hop is selected and the playback/inspector appear with the trace.
    expect(hops[0].getAttribute('aria-current')).toBe('step');
    expect(screen.getByRole('region', { name: 'Packet inspector' })).toBeTruthy();
  });

  it('sends TCP to the chosen port, and a Service target picks its protocol and port', async () => {
    const user = userEvent.setup();
    const { store } = renderApp(<TraceAndInspector />);
    await user.click(screen.getByRole('radio', { name: 'TCP' }));
    const port = screen.getByRole('spinbutton', { name: 'Destination port' }) as HTMLInputElement;
    expect(port.value).toBe('80');
    await user.clear(port);
    await user.type(port, '8080');
    expect(store.getState()).toMatchObject({ proto: 'tcp', port: 8080 });

    await user.selectOptions(screen.getByRole('combobox', { name: 'To' }), 'svc kube-system/kube-dns (10.96.0.10:53/UDP)');
    expect(store.getState()).toMatchObject({ to: '10.96.0.10', proto: 'udp', port: 53 });
    expect((screen.getByRole('radio', { name: 'UDP' }) as HTMLInputElement).checked).toBe(true);
    expect(port.value).toBe('53');
  });

  it('a NetworkPolicy drop on Calico shows where and why in the hop list and the inspector', async () => {
    const user = userEvent.setup();
    const { store } = renderApp(<TraceAndInspector />, { text: exampleText('policy-lab.yaml') });
    await user.selectOptions(screen.getByRole('combobox', { name: 'From' }), 'lab/intruder');
    await user.selectOptions(screen.getByRole('combobox', { name: 'To' }), 'lab/db');
    await user.click(screen.getByRole('radio', { name: 'TCP' }));
    const port = screen.getByRole('spinbutton', { name: 'Destination port' });
    await user.clear(port);
    await user.type(port, '5432');
    await user.click(screen.getByRole('button', { name: 'Trace' }));

    expect(store.getState().trace?.verdict).toBe('dropped');
    expect(screen.getByTestId('verdict-request').textContent).toBe('dropped');
    expect(screen.queryByTestId('verdict-reply')).toBeNull();
    const hops = await hopButtons();
    expect(hops).toHaveLength(9);
    expect(screen.getByTestId('hop-list').textContent).toContain('lab/default-deny-ingress');

    // Nothing alarming at the first hop; at the last one the inspector says where and why.
    expect(screen.queryByTestId('drop-reason')).toBeNull();
    await user.click(hops[8]);
    const inspector = screen.getByRole('region', { name: 'Packet inspector' });
    expect(inspector.textContent).toContain('worker-2');
    const alert = within(inspector).getByRole('alert');
    expect(alert.textContent).toMatch(/^✖ Dropped here: calico-felix dropped the packet in node\/worker-2 \(FORWARD\)/);
    expect(alert.textContent).toContain('no rule allows TCP/5432 from lab/intruder');
  });

  it('the Trace button is disabled without a cluster', () => {
    renderApp(<TraceAndInspector />, { text: 'not: [a cluster' });
    expect((screen.getByRole('button', { name: 'Trace' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('a Service by DNS name: the source pod resolves it through CoreDNS, then connects (the trace is that packet)', async () => {
    const user = userEvent.setup();
    const { store } = renderApp(<TraceAndInspector />);
    await user.selectOptions(screen.getByRole('combobox', { name: 'To' }), 'web.default.svc.cluster.local (:80/TCP)');
    expect(store.getState()).toMatchObject({ to: 'web.default.svc.cluster.local', proto: 'tcp', port: 80 });
    await user.click(screen.getByRole('button', { name: 'Trace' }));
    const lookup = screen.getByTestId('lookup');
    expect(lookup.textContent).toContain('$ kubectl exec -n default client -- nc -zv -w 2 web.default.svc.cluster.local 80');
    expect(lookup.textContent).toMatch(/web\.default\.svc\.cluster\.local \(10\.96\.\d+\.\d+:80\) open/);
    expect(lookup.textContent).toMatch(/asked CoreDNS first \(8 DNS queries, /);
    const t = store.getState().trace!;
    expect(t.verdict).toBe('delivered');
    expect(t.hops[0].packet).toMatchObject({ proto: 'tcp', dstPort: 80 });
    expect(t.hops[0].packet.dst).toMatch(/^10\.96\./);
    expect(t.hops.at(-1)!.netns).toMatch(/^pod\/default\/web-/);

    // Every packet the command sent can be followed: the 8 DNS queries, then the connection.
    const packets = within(screen.getByRole('list', { name: 'Packets the command sent' })).getAllByRole('button');
    expect(packets.map((b) => b.textContent)).toEqual([
      'DNS A? web.default.svc.cluster.local.default.svc.cluster.local. → NXDOMAIN',
      'DNS AAAA? web.default.svc.cluster.local.default.svc.cluster.local. → NXDOMAIN',
      'DNS A? web.default.svc.cluster.local.svc.cluster.local. → NXDOMAIN',
      'DNS AAAA? web.default.svc.cluster.local.svc.cluster.local. → NXDOMAIN',
      'DNS A? web.default.svc.cluster.local.cluster.local. → NXDOMAIN',
      'DNS AAAA? web.default.svc.cluster.local.cluster.local. → NXDOMAIN',
      expect.stringMatching(/^DNS A\? web\.default\.svc\.cluster\.local\. → NOERROR 10\.96\.\d+\.\d+$/),
      'DNS AAAA? web.default.svc.cluster.local. → NOERROR',
      expect.stringMatching(/^TCP SYN → 10\.96\.\d+\.\d+:80 · reply delivered$/),
    ]);
    expect(packets[8].getAttribute('aria-pressed')).toBe('true');
    await user.click(packets[6]);
    expect(packets[6].getAttribute('aria-pressed')).toBe('true');
    const query = store.getState().trace!;
    expect(query.hops[0].packet).toMatchObject({ proto: 'udp', dstPort: 53, dst: '10.96.0.10' });
    expect(store.getState().cursor).toBe(0);
    const inspector = await screen.findByRole('region', { name: 'Packet inspector' });
    expect(inspector.textContent).toContain('web.default.svc.cluster.local');
  });

  it('a name from a node is refused with the reason (a node does not use CoreDNS)', async () => {
    const user = userEvent.setup();
    const { store } = renderApp(<TraceAndInspector />);
    await user.selectOptions(screen.getByRole('combobox', { name: 'From' }), 'node/worker-1 (192.168.1.11)');
    await user.selectOptions(screen.getByRole('combobox', { name: 'To' }), 'web.default.svc.cluster.local (:80/TCP)');
    await user.click(screen.getByRole('button', { name: 'Trace' }));
    expect(screen.getByTestId('lookup').textContent).toContain("only a pod's resolver");
    expect(store.getState().trace).toBeNull();
  });

  it('from the outside client to a LoadBalancer: through the cloud load balancer to a node port and on to a pod', async () => {
    const user = userEvent.setup();
    const { store } = renderApp(<TraceAndInspector />, { text: exampleText('ingress.yaml') });
    await user.selectOptions(screen.getByRole('combobox', { name: 'From' }), 'the outside client (198.51.100.10)');
    const to = screen.getByRole('combobox', { name: 'To' }) as HTMLSelectElement;
    const lb = [...to.options].find((o) => o.text.includes('LoadBalancer'))!;
    expect(lb).toBeTruthy();
    await user.selectOptions(to, lb);
    expect(store.getState().to).toMatch(/^203\.0\.113\.\d+$/);
    await user.click(screen.getByRole('button', { name: 'Trace' }));
    const t = store.getState().trace!;
    expect(t.hops[0].netns).toBe('ext/client');
    expect(t.verdict).toBe('delivered');
    expect(t.hops.at(-1)!.netns).toMatch(/^pod\//);
    expect(t.hops.some((h) => h.netns.startsWith('ext/lb/'))).toBe(true);
  });
});
