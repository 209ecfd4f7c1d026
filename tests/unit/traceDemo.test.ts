/**
 * Traces on the demo cluster through the whole engine (loader, allocators, Flannel VXLAN, tracer):
 * the sizes and the fragmentation rules a learner checks with `ping -s` and `ping -M do`.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { netnsId } from '../../src/engine/model/ids';
import { loadCluster, networkOf, trace, type Cluster, type TraceRequest } from '../../src/engine/index';

const demo: Cluster = (() => {
  const r = loadCluster([{ name: 'demo.yaml', text: readFileSync(new URL('../../src/scenarios/demo.yaml', import.meta.url), 'utf8') }]);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
})();

const podOn = (node: string) => [...demo.pods.values()].find((p) => p.nodeName === node && p.meta.name.startsWith('web-'))!;
const remote = () => `default/${podOn('worker-2').meta.name}`;
const run = (req: Partial<TraceRequest>) => trace(demo, { from: 'default/client', to: remote(), proto: 'icmp', ...req });

describe('packet sizes on Flannel VXLAN', () => {
  it('adds 50 bytes of outer headers between the nodes (14 Ethernet + 20 IP + 8 UDP + 8 VXLAN)', () => {
    const t = run({});
    const inner = t.hops.find((h) => h.action === 'route' && h.netns === 'pod/default/client')!.packet.size;
    const wire = t.hops.find((h) => h.action === 'wire')!.packet;
    expect(wire.encap).toMatchObject({ type: 'vxlan', dstPort: 8472, vni: 1 });
    // inner: 84-byte IP packet; on the wire: inner frame (98) + outer IP/UDP/VXLAN (36) + outer Ethernet (14)
    expect(inner).toBe(84);
    expect(wire.size).toBe(84 + 14 + 50);
  });

  it('refuses a datagram over the pod MTU with DF set, in the sender (ping -M do)', () => {
    const t = run({ size: 1423, df: true });
    expect(t.verdict).toBe('dropped');
    expect(t.hops[t.hops.length - 1].detail).toContain('mtu 1450');
    expect(run({ size: 1422, df: true }).verdict).toBe('delivered');
  });

  it('fragments without DF, reassembles at the receiver, and fragments the reply too', () => {
    const t = run({ size: 1500, df: false });
    expect(t.verdict).toBe('delivered');
    expect(t.hops.some((h) => h.detail.includes('fragmented into 2 fragments'))).toBe(true);
    expect(t.hops.some((h) => h.detail.includes('reassembled: 1528 bytes'))).toBe(true);
    expect(Math.max(...t.hops.filter((h) => h.action === 'wire').map((h) => h.packet.size))).toBeLessThanOrEqual(1514);
    expect(t.reply?.verdict).toBe('delivered');
  });

  it('follows the tables: delete worker-1\'s route to worker-2\'s PodCIDR and the packet takes the default route instead', () => {
    expect(run({}).hops.some((h) => h.detail.startsWith('10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink'))).toBe(true);
    const copy: Cluster = { ...demo }; // a new cluster object gets its own network namespaces
    const node = networkOf(copy).get(netnsId.node('worker-1'))!;
    node.routes = node.routes.filter((r) => r.dst.toString() !== '10.244.2.0/24');
    const t = trace(copy, { from: 'default/client', to: remote(), proto: 'icmp' });
    expect(t.hops.some((h) => h.detail.includes('flannel.1'))).toBe(false);
    expect(t.hops.some((h) => h.detail.startsWith('default via 192.168.1.1 dev eth0'))).toBe(true);
  });
});
