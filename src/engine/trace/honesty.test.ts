/**
 * What a trace says must be what the kernel did (issue 13 point 5), and a delivered packet
 * must not hide an unenforced NetworkPolicy (point 1):
 * - the TTL is decremented by forwarding, at the route hop (ip_forward → ip_decrease_ttl);
 * - a neighbour found in the table (flannel's PERMANENT VTEP entries) is `neigh`, not `arp`;
 * - the encapsulation hop's outer Ethernet header already has the underlay MACs;
 * - a forwarded packet's route hop is at the device it arrived on, so a FORWARD drop that
 *   follows is at the same place (no jump to the out-device and back);
 * - flannel delivers a packet a policy would drop, and the trace says so in its note.
 */
import { describe, expect, it } from 'vitest';
import { denyIngressYaml, netpolCluster } from '../policy/testkit';
import { twoNodeCluster } from './traceFixture';
import { formatTrace, trace, traceToJson } from './tracer';
import type { TraceHop } from './traceTypes';

const DENY_C = denyIngressYaml('x', 'deny-c', 'c');

describe('trace facts', () => {
  const flannel = () => trace(twoNodeCluster('flannel'), { from: 'a', to: 'c', proto: 'icmp' });

  it('the TTL changes on the route hop of a forwarding namespace, with the reason, and never on a neighbour hop', () => {
    // weave bridges pod traffic across nodes (no router on the way), cilium forwards in eBPF.
    for (const mode of ['flannel', 'calico', 'calico-ipip', 'weave', 'cilium'] as const) {
      const r = trace(twoNodeCluster(mode), { from: 'a', to: 'c', proto: 'icmp' });
      expect(r.verdict).toBe('delivered');
      const hops = r.hops;
      for (let i = 1; i < hops.length; i++) {
        const [before, now] = [hops[i - 1], hops[i]];
        if (before.packet.encap || now.packet.encap) continue;
        if (now.packet.ttl === before.packet.ttl - 1 && now.action !== 'bpf') {
          expect(now.action, `${mode} hop ${i + 1}\n${formatTrace(r)}`).toBe('route');
          expect(now.detail).toContain(`forwarded: TTL ${before.packet.ttl} → ${now.packet.ttl}`);
        }
        if (now.action === 'arp' || now.action === 'neigh') expect(now.packet.ttl).toBe(before.packet.ttl);
      }
      if (mode !== 'cilium' && mode !== 'weave') expect(hops.filter((h) => h.action === 'route' && h.detail.includes('forwarded: TTL')).length, mode).toBeGreaterThanOrEqual(1);
    }
  });

  it('a PERMANENT neighbour entry is a table lookup (`neigh`), an answered request is `arp`', () => {
    const r = flannel();
    const vtep = r.hops.find((h) => h.device === 'flannel.1' && (h.action === 'neigh' || h.action === 'arp'))!;
    expect(vtep.action).toBe('neigh');
    expect(vtep.detail).toMatch(/PERMANENT/);
    expect(vtep.detail).not.toMatch(/ARP who-has/);
    const underlay = r.hops.find((h) => h.device === 'eth0' && h.netns === 'node/node-1' && (h.action === 'neigh' || h.action === 'arp'))!;
    expect(underlay.action).toBe('arp');
    expect(underlay.detail).toMatch(/^ARP who-has 192\.168\.1\.12 on eth0/);
    expect(r.hops.filter((h) => h.action === 'arp').every((h) => h.detail.startsWith('ARP'))).toBe(true);
    expect((traceToJson(r) as { hops: { action: string }[] }).hops.some((h) => h.action === 'neigh')).toBe(true);
  });

  it('the encap hop carries the outer Ethernet header the wire shows (VXLAN, IP-in-IP)', () => {
    for (const mode of ['flannel', 'calico-ipip', 'calico-vxlan'] as const) {
      const r = trace(twoNodeCluster(mode), { from: 'a', to: 'c', proto: 'icmp' });
      const encap = r.hops.find((h) => h.action === 'encap')!;
      const wire = r.hops.find((h) => h.action === 'wire')!;
      const eth = encap.repr!.encap[0].eth;
      expect(eth.src, mode).toMatch(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/);
      expect(eth).toEqual(wire.repr!.encap[0].eth);
    }
  });

  it('on Calico, the route hop of a forwarded packet is where it arrived, and a policy drop in FORWARD is there too', () => {
    const c = netpolCluster('calico', DENY_C);
    const r = trace(c, { from: 'x/a', to: 'x/c', proto: 'tcp', port: 80 });
    expect(r.verdict).toBe('dropped');
    expect(r.reason).toContain('x/deny-c');
    const last = r.hops[r.hops.length - 1];
    expect(last.action).toBe('netfilter');
    expect(last.detail).toMatch(/^FORWARD calico-felix: cali-tw-/);
    const route = r.hops[r.hops.length - 2];
    expect(route.action).toBe('route');
    expect(route.netns).toBe(last.netns);
    expect(route.device).toBe(last.device);
    // Every route hop of a forwarding namespace is drawn at the device the packet came in on.
    const received = (h: TraceHop, i: number) => i > 0 && r.hops[i - 1].netns === h.netns && h.action === 'route';
    r.hops.forEach((h, i) => {
      if (received(h, i) && r.hops[i - 1].action === 'veth') expect(h.device).toBe(r.hops[i - 1].device);
    });
  });

  it('the JSON carries a hop\'s structured decision (hook, provider, the policies that dropped) as lesson checks read it', () => {
    const r = trace(netpolCluster('calico', DENY_C), { from: 'x/a', to: 'x/c', proto: 'tcp', port: 80 });
    const json = traceToJson(r) as { hops: { action: string; decision?: { hook: string; by: string; verdict: string; policies?: string[] } }[] };
    r.hops.forEach((h, i) => expect(json.hops[i].decision).toEqual(h.decision));
    const last = json.hops[json.hops.length - 1];
    expect(last.decision).toMatchObject({ hook: 'FORWARD', by: 'calico-felix', verdict: 'drop', policies: ['x/deny-c'] });
    expect(Object.keys(last)).toEqual(['node', 'netns', 'device', 'action', 'detail', 'packet', 'decision']);
  });

  it('flannel delivers what a policy would drop, and the trace says which policy it ignored', () => {
    const c = netpolCluster('flannel', DENY_C);
    const r = trace(c, { from: 'x/a', to: 'x/c', proto: 'tcp', port: 80 });
    expect(r.verdict).toBe('delivered');
    expect(r.note).toBe('NetworkPolicy deny-c selects c but flannel does not enforce NetworkPolicy');
    expect(formatTrace(r).split('\n')[0]).toContain('delivered — NetworkPolicy deny-c selects c but flannel does not enforce NetworkPolicy');
    expect((traceToJson(r) as { note?: string }).note).toBe(r.note);
    // No policy selects either end: no note. An enforcing CNI: no note (it drops instead).
    expect(trace(c, { from: 'x/c', to: 'x/a', proto: 'tcp', port: 80 }).note).toBeUndefined();
    expect(trace(netpolCluster('calico', DENY_C), { from: 'x/a', to: 'x/b', proto: 'tcp', port: 80 }).note).toBeUndefined();
  });

  it('an egress policy on the sender is named whatever the destination: a pod, a node (the packet SNATed on the way), a host outside', () => {
    const egress = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-out, namespace: x}
spec:
  podSelector: {matchLabels: {pod: a}}
  policyTypes: [Egress]`;
    const c = netpolCluster('flannel', egress);
    for (const to of ['x/b', 'node/worker-2', '8.8.8.8']) {
      const r = trace(c, { from: 'x/a', to, proto: 'icmp' });
      expect(r.verdict, to).toBe('delivered');
      expect(r.note, to).toBe('NetworkPolicy deny-out selects a but flannel does not enforce NetworkPolicy');
    }
    // Calico enforces it: dropped, no note.
    const calico = trace(netpolCluster('calico', egress), { from: 'x/a', to: 'node/worker-2', proto: 'icmp' });
    expect(calico.verdict).toBe('dropped');
    expect(calico.note).toBeUndefined();
  });
});
