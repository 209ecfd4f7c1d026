import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { withLinkMtu } from '../cni/linkMtus';
import { networkOf } from '../cni/network';
import type { Cluster } from '../model/cluster';
import { netnsId } from '../model/ids';
import { podIps, twoNodeCluster } from '../trace/traceFixture';
import { formatTrace, trace } from '../trace/tracer';
import type { TraceRequest } from '../trace/traceTypes';

/**
 * Packet size against device and path MTUs, as Linux decides it: a veth (or bridge port) whose
 * MTU is too small drops the frame silently (is_skb_forwardable), a router answers a DF packet
 * too big for its egress with ICMP fragmentation needed, and an underlay smaller than the NICs
 * drops oversize frames silently. Flannel (VXLAN): a, b on node-1, c on node-2; pods MTU 1450.
 */
const [A, , C] = podIps('flannel');
const ping = (from: string, to: string, size: number, df = true): TraceRequest => ({ from, to, proto: 'icmp', size, df });
const mtuDrop = (c: Cluster, req: TraceRequest) => {
  const r = trace(c, req);
  return { r, drop: r.hops.find((h) => h.decision?.hook === 'mtu') };
};
const underlay = (c: Cluster, mtu: number): Cluster => ({ ...c, config: { ...c.config, underlayMtu: mtu } });

describe('MTU: silent drops and frag-needed', () => {
  it('an underlay smaller than the node NIC drops the full-size VXLAN frame silently; small packets pass', () => {
    const c = underlay(twoNodeCluster('flannel'), 1450);
    expect(trace(c, ping('a', C, 56)).verdict).toBe('delivered');
    // 1372 + 28 = 1400-byte inner packet → 1450 outer: just fits.
    expect(trace(c, ping('a', C, 1372)).verdict).toBe('delivered');
    // 1422 + 28 = 1450 inner (the pod MTU) → 1500 outer: fits eth0 (1500), not the underlay.
    const { r, drop } = mtuDrop(c, ping('a', C, 1422));
    expect(r.verdict, formatTrace(r)).toBe('dropped');
    expect(r.hops.some((h) => h.action === 'icmp-error')).toBe(false);
    expect(drop?.netns).toBe('net/nodes');
    expect(drop?.decision?.by).toBe('underlay');
    expect(drop?.detail).toContain("1514-byte frame (1500-byte IP packet) > the network's mtu 1450");
    expect(r.reason).toMatch(/^mtu: 1500-byte packet too big for the node network/);
  });

  it('a pod eth0 raised above its veth peer: the host end drops the frame (rx_dropped), no ICMP', () => {
    const c0 = twoNodeCluster('flannel');
    const c = withLinkMtu(c0, netnsId.pod('default', 'a'), 'eth0', 1500);
    expect(networkOf(c).get(netnsId.pod('default', 'a'))!.links.find((l) => l.name === 'eth0')!.mtu).toBe(1500);
    expect(networkOf(c0).get(netnsId.pod('default', 'a'))!.links.find((l) => l.name === 'eth0')!.mtu).toBe(1450);
    // 1454 = peer MTU 1450 + VLAN_HLEN 4 still passes is_skb_forwardable; 1455 does not.
    expect(trace(c, ping('a', C, 1454 - 28)).hops.some((h) => h.decision?.hook === 'mtu')).toBe(false);
    const { r, drop } = mtuDrop(c, ping('a', C, 1455 - 28));
    expect(r.verdict).toBe('dropped');
    expect(r.hops.some((h) => h.action === 'icmp-error')).toBe(false);
    expect(drop?.netns).toBe('node/node-1');
    expect(drop?.decision?.by).toBe('veth');
    expect(drop?.detail).toContain('> veth');
  });

  it('a bridge port (host end of b) smaller than the frame: dropped at the port by the bridge', () => {
    const c0 = twoNodeCluster('flannel');
    const hostEnd = networkOf(c0).get(netnsId.pod('default', 'b'))!.links.find((l) => l.name === 'eth0')!.peer!.name;
    const c = withLinkMtu(c0, netnsId.node('node-1'), hostEnd, 1000);
    const { r, drop } = mtuDrop(c, ping('a', podIps('flannel')[1], 1200));
    expect(r.verdict, formatTrace(r)).toBe('dropped');
    expect(drop).toMatchObject({ netns: 'node/node-1', device: hostEnd, decision: { by: 'bridge' } });
  });

  it('a DF packet bigger than a routed egress (flannel.1 lowered) gets ICMP fragmentation needed with the next-hop MTU', () => {
    const c = withLinkMtu(twoNodeCluster('flannel'), netnsId.node('node-1'), 'flannel.1', 1400);
    const r = trace(c, ping('a', C, 1422));
    expect(r.verdict).toBe('dropped');
    const err = r.hops.find((h) => h.action === 'icmp-error');
    expect(err?.netns).toBe('node/node-1');
    expect(err?.packet).toMatchObject({ proto: 'icmp' });
    expect(r.reason).toContain('fragmentation needed (mtu 1400)');
    // Without DF the router fragments instead, and the packet arrives.
    expect(trace(c, ping('a', C, 1422, false)).verdict).toBe('delivered');
  });

  it('a routed VXLAN device allowed more than eth0 − 50: skb_tunnel_check_pmtu lowers the PMTU, the packet still goes (outer fragmented)', () => {
    const c0 = twoNodeCluster('flannel');
    let c = withLinkMtu(c0, netnsId.node('node-1'), 'flannel.1', 1450);
    c = withLinkMtu(c, netnsId.node('node-1'), 'eth0', 1400);
    const r = trace(c, ping('a', C, 1422));
    expect(r.verdict, formatTrace(r)).toBe('delivered');
    const encap = r.hops.find((h) => h.action === 'encap');
    expect(encap?.detail).toContain('path mtu 1350');
  });

  it('property: without an underlay limit, every ICMP size up to the pod MTU is delivered; with one, delivered iff the outer packet fits', () => {
    const plain = twoNodeCluster('flannel');
    const limited = underlay(plain, 1400);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1450 - 28 }), (size) => {
        expect(trace(plain, ping('a', C, size)).verdict).toBe('delivered');
        const inner = size + 28;
        expect(trace(limited, ping('a', C, size)).verdict).toBe(inner + 50 <= 1400 ? 'delivered' : 'dropped');
      }),
      { numRuns: 40, seed: 14 },
    );
  });

  it('A is the first pod (sanity of the fixture)', () => {
    expect(A).toBe('10.244.1.2');
  });
});
