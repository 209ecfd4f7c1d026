import { describe, expect, it } from 'vitest';
import { Cidr } from '../addressing/ipv4';
import { handCluster, ip4 } from '../cni/handCluster';
import { networkOf } from '../cni/network';
import { CNI_MODES, type Cluster, type CniMode } from '../model/cluster';
import { netnsId } from '../model/ids';
import type { Netns } from '../model/netns';
import type { NetfilterHook } from '../dataplane/netfilter';
import { podIps, twoNodeCluster } from './traceFixture';
import { formatTrace, trace, traceroute, traceToJson } from './tracer';
import type { TraceHop, TraceLeg, TraceRequest } from './traceTypes';

const tcp = (from: string, to: string, extra: Partial<TraceRequest> = {}): TraceRequest => ({ from, to, proto: 'tcp', port: 80, ...extra });
const hopsOf = (leg: TraceLeg, action: TraceHop['action']) => leg.hops.filter((h) => h.action === action);
const details = (leg: TraceLeg) => leg.hops.map((h) => h.detail).join('\n');
const nodeNs = (c: Cluster, n: string) => networkOf(c).get(netnsId.node(n)) as Netns;

function expectRoundTrip(c: Cluster, req: TraceRequest) {
  const r = trace(c, req);
  expect(r.verdict, `${req.from} -> ${req.to}: ${r.reason ?? ''}\n${formatTrace(r)}`).toBe('delivered');
  expect(r.reply?.verdict, `reply: ${r.reply?.reason ?? ''}\n${formatTrace(r)}`).toBe('delivered');
  return r;
}

describe('every mode: pods and nodes reach pods both ways, source unchanged', () => {
  const cases: [CniMode, boolean][] = [...CNI_MODES.map((m) => [m, false] as [CniMode, boolean]), ['calico', true], ['calico-ipip', true], ['calico-vxlan', true], ['cilium', true], ['cilium-native', true]];
  for (const [mode, wireguard] of cases) {
    it(`${mode}${wireguard ? ' + wireguard' : ''}`, () => {
      const c = twoNodeCluster(mode, { wireguard });
      const ips = podIps(mode);
      for (const from of ['a', 'b', 'c', 'node/node-1', 'node/node-2']) {
        for (const [i, to] of ['a', 'b', 'c'].entries()) {
          if (from === to) continue;
          const r = expectRoundTrip(c, tcp(from, to));
          const last = r.hops[r.hops.length - 1];
          expect(last.netns).toBe(`pod/default/${to}`);
          expect(last.packet.dst).toBe(ips[i]);
          if (!from.startsWith('node/')) expect(last.packet.src).toBe(ips[['a', 'b', 'c'].indexOf(from)]);
          expect(r.reply!.hops[r.reply!.hops.length - 1].netns).toBe(from.startsWith('node/') ? `node/${from.slice(5)}` : `pod/default/${from}`);
        }
      }
      expectRoundTrip(c, { from: 'node/node-1', to: 'node/node-2', proto: 'icmp' });
    });
  }
});

describe('flannel (vxlan)', () => {
  const c = twoNodeCluster('flannel');

  it('same node: through the cni0 bridge, no encapsulation, TTL unchanged', () => {
    const r = expectRoundTrip(c, tcp('a', 'b'));
    expect(hopsOf(r, 'bridge').map((h) => h.device)).toEqual(['cni0']);
    expect(hopsOf(r, 'encap')).toHaveLength(0);
    expect(r.hops[r.hops.length - 1].packet.ttl).toBe(64);
    expect(details(r)).toMatch(/ARP who-has 10\.244\.1\.3 on eth0: .* \(pod\/default\/b eth0, flooded by cni0\)/);
  });

  it('cross node: flannel.1 route, PERMANENT neighbour, FDB to the remote VTEP, VXLAN UDP 8472 VNI 1, +50 bytes', () => {
    const r = expectRoundTrip(c, { from: 'a', to: 'c', proto: 'icmp' });
    expect(details(r)).toContain('10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink');
    expect(details(r)).toMatch(/neighbour 10\.244\.2\.0 dev flannel\.1 lladdr [0-9a-f:]{17} PERMANENT/);
    expect(details(r)).toMatch(/fdb [0-9a-f:]{17} dev flannel\.1 dst 192\.168\.1\.12 self permanent/);
    const encap = hopsOf(r, 'encap')[0];
    expect(encap.packet.encap).toMatchObject({ type: 'vxlan', src: '192.168.1.11', dst: '192.168.1.12', dstPort: 8472, vni: 1 });
    const before = r.hops[r.hops.indexOf(encap) - 1];
    // 84-byte ICMP echo in a 98-byte frame; VXLAN adds outer IP 20 + UDP 8 + VXLAN 8 + inner Ethernet 14.
    expect(before.packet.size).toBe(98);
    expect(encap.packet.size).toBe(98 + 50);
    expect(hopsOf(r, 'wire')).toHaveLength(1);
    expect(hopsOf(r, 'decap')[0]).toMatchObject({ node: 'node-2', device: 'flannel.1' });
    expect(r.hops[r.hops.length - 1].packet.ttl).toBe(62);
    // The echo reply comes back the same way.
    expect(r.reply!.hops[0].repr!.l4).toMatchObject({ proto: 'icmp', type: 0 });
    expect(hopsOf(r.reply!, 'encap')[0].packet.encap).toMatchObject({ src: '192.168.1.12', dst: '192.168.1.11', dstPort: 8472 });
  });

  it('node to pod: the node sends from its flannel.1 address', () => {
    const r = expectRoundTrip(c, tcp('node/node-1', 'c'));
    expect(r.hops[0].packet.src).toBe('10.244.1.0');
    expect(r.hops[0].node).toBe('node-1');
  });

  it('MTU: DF packets larger than the pod MTU fail in the sender; without DF they are fragmented', () => {
    expectRoundTrip(c, { from: 'a', to: 'c', proto: 'icmp', size: 1422, df: true });
    const big = trace(c, { from: 'a', to: 'c', proto: 'icmp', size: 1423, df: true });
    expect(big.verdict).toBe('dropped');
    expect(big.reason).toMatch(/mtu 1450/);
    expect(big.hops.every((h) => h.netns === 'pod/default/a')).toBe(true);
    const frag = trace(c, { from: 'a', to: 'c', proto: 'icmp', size: 1423, df: false });
    expect(frag.verdict).toBe('delivered');
    expect(details(frag)).toMatch(/DF clear: fragmented/);
  });

  it('MTU: a router with a smaller next-hop MTU answers fragmentation needed', () => {
    const c2 = twoNodeCluster('flannel');
    nodeNs(c2, 'node-1').links.find((l) => l.name === 'flannel.1')!.mtu = 1400;
    const r = trace(c2, { from: 'a', to: 'c', proto: 'icmp', size: 1400, df: true });
    expect(r.verdict).toBe('dropped');
    const err = hopsOf(r, 'icmp-error')[0];
    expect(err).toMatchObject({ netns: 'node/node-1' });
    expect(err.detail).toMatch(/mtu 1400/);
    expect(err.packet).toMatchObject({ src: '10.244.1.1', dst: '10.244.1.2', proto: 'icmp' });
  });

  it('TTL: a router receiving TTL 1 answers time exceeded from its address toward the sender', () => {
    const r = trace(c, { from: 'a', to: 'c', proto: 'icmp', ttl: 1 });
    expect(r.verdict).toBe('dropped');
    expect(r.reason).toMatch(/TTL exceeded in node\/node-1/);
    expect(hopsOf(r, 'icmp-error')[0].packet).toMatchObject({ src: '10.244.1.1', dst: '10.244.1.2' });
  });

  it('traceroute lists each router, then the destination', () => {
    const hops = traceroute(c, 'a', '10.244.2.2');
    expect(hops.map((h) => h.address)).toEqual(['10.244.1.1', '10.244.2.0', '10.244.2.2']);
    expect(hops[2].reached).toBe(true);
    expect(traceroute(c, 'a', '10.244.1.3').map((h) => h.address)).toEqual(['10.244.1.3']);
  });

  it('unreachable: no neighbour answers, or no route at all', () => {
    // The gateway (192.168.1.1, external/world.ts) answers; an unused node-network address does not.
    const r = trace(c, tcp('a', '192.168.1.99'));
    expect(r.verdict).toBe('unreachable');
    expect(r.reason).toMatch(/ARP for 192\.168\.1\.99 on eth0: no reply/);
    const c2 = twoNodeCluster('flannel');
    const pod = networkOf(c2).get(netnsId.pod('default', 'a'))!;
    pod.routes = pod.routes.filter((x) => x.dst.prefix !== 0);
    const r2 = trace(c2, tcp('a', '8.8.8.8'));
    expect(r2.verdict).toBe('unreachable');
    expect(r2.reason).toMatch(/no route to 8\.8\.8\.8 in pod\/default\/a/);
    expect(r2.reply).toBeUndefined();
  });

  it('unknown names are unreachable with a reason, not exceptions', () => {
    expect(trace(c, tcp('nope', 'c'))).toEqual({ verdict: 'unreachable', reason: 'pod "default/nope" not found', hops: [] });
    expect(trace(c, tcp('a', 'node/zzz')).reason).toBe('node "zzz" not found');
    expect(trace(c, tcp('shop/a', 'c')).reason).toBe('pod "shop/a" not found');
  });

  it('hostNetwork pods send and receive in their node namespace; a pod reaches itself over lo', () => {
    const c2 = handCluster('flannel', [{ name: 'node-1', ip: '192.168.1.11', podCIDR: '10.244.1.0/24' }, { name: 'node-2', ip: '192.168.1.12', podCIDR: '10.244.2.0/24' }], [
      { name: 'a', node: 'node-1', ip: '10.244.1.2', hostIfindex: 5 },
      { name: 'h', namespace: 'kube-system', node: 'node-2', hostNetwork: true, hostIfindex: 0 },
    ]);
    const r = expectRoundTrip(c2, tcp('a', 'kube-system/h'));
    expect(r.hops[r.hops.length - 1]).toMatchObject({ netns: 'node/node-2', packet: { dst: '192.168.1.12' } });
    expect(expectRoundTrip(c2, tcp('kube-system/h', 'a')).hops[0].netns).toBe('node/node-2');
    const self = expectRoundTrip(c2, tcp('a', '10.244.1.2'));
    expect(self.hops.map((h) => h.action)).toEqual(['send', 'route', 'deliver']);
  });

  it('to an IP address: pod IP, node IP', () => {
    expectRoundTrip(c, tcp('a', '10.244.2.2'));
    expectRoundTrip(c, tcp('a', '192.168.1.12'));
  });

  it('is deterministic, and the JSON contract has no repr', () => {
    const a = traceToJson(trace(c, tcp('a', 'c')));
    const b = traceToJson(trace(twoNodeCluster('flannel'), tcp('a', 'c')));
    expect(a).toEqual(b);
    const text = JSON.stringify(a);
    expect(text).not.toContain('repr');
    expect(Object.keys((a as { hops: object[] }).hops[0])).toEqual(['node', 'netns', 'device', 'action', 'detail', 'packet']);
  });


  it('formatTrace prints one line per hop with the packet summary', () => {
    const out = formatTrace(trace(c, tcp('a', 'c')));
    expect(out).toMatch(/^10\.244\.1\.2 → 10\.244\.2\.2 tcp\/80: delivered, \d+ hops/);
    expect(out).toMatch(/node-1\s+node\/node-1\s+flannel\.1\s+encap\s+fdb/);
    expect(out).toMatch(/\[vxlan 192\.168\.1\.11 > 192\.168\.1\.12:8472 vni 1\]/);
    expect(out).toMatch(/\nreply: delivered/);
  });
});

describe('flannel host-gw', () => {
  it('routes to the remote node IP, no encapsulation', () => {
    const r = expectRoundTrip(twoNodeCluster('flannel-host-gw'), tcp('a', 'c'));
    expect(details(r)).toContain('10.244.2.0/24 via 192.168.1.12 dev eth0');
    expect(hopsOf(r, 'encap')).toHaveLength(0);
    expect(r.hops[r.hops.length - 1].packet.size).toBe(74);
  });
});

describe('calico', () => {
  it('pod → cali veth by proxy ARP for 169.254.1.1, BGP route with proto bird', () => {
    const r = expectRoundTrip(twoNodeCluster('calico'), tcp('a', 'c'));
    expect(details(r)).toContain('default via 169.254.1.1 dev eth0');
    expect(details(r)).toMatch(/ARP who-has 169\.254\.1\.1 on eth0: ee:ee:ee:ee:ee:ee \(node\/node-1 cali[0-9a-f]{11} proxy_arp\)/);
    expect(details(r)).toContain('10.244.2.0/26 via 192.168.1.12 dev eth0 proto bird');
    expect(details(r)).toMatch(/10\.244\.2\.2 dev cali[0-9a-f]{11} scope link/);
  });

  it('ipip: tunl0 encapsulates to the route gateway, +20 bytes', () => {
    const r = expectRoundTrip(twoNodeCluster('calico-ipip'), tcp('a', 'c'));
    expect(details(r)).toContain('10.244.2.0/26 via 192.168.1.12 dev tunl0 proto bird onlink');
    const e = hopsOf(r, 'encap')[0];
    expect(e.packet.encap).toEqual({ type: 'ipip', src: '192.168.1.11', dst: '192.168.1.12' });
    expect(e.packet.size).toBe(74 + 20 - 14 + 14);
    expect(hopsOf(r, 'decap')[0].device).toBe('tunl0');
  });

  it('vxlan: vxlan.calico, UDP 4789, VNI 4096', () => {
    const r = expectRoundTrip(twoNodeCluster('calico-vxlan'), tcp('a', 'c'));
    expect(hopsOf(r, 'encap')[0].packet.encap).toMatchObject({ type: 'vxlan', dstPort: 4789, vni: 4096 });
  });

  it('wireguard: rule 99 sends pod traffic to table 1 and wireguard.cali, UDP 51820', () => {
    const r = expectRoundTrip(twoNodeCluster('calico', { wireguard: true }), tcp('a', 'c'));
    expect(details(r)).toContain('10.244.2.0/26 dev wireguard.cali table 1 scope link (rule 99: not from all fwmark 0x100000/0x100000 lookup 1)');
    expect(hopsOf(r, 'encap')[0].packet.encap).toMatchObject({ type: 'wireguard', dst: '192.168.1.12', dstPort: 51820 });
  });
});

describe('cilium', () => {
  it('tunnel: cil_from_container encapsulates on cilium_vxlan (8472), cil_from_overlay delivers', () => {
    const r = expectRoundTrip(twoNodeCluster('cilium'), tcp('a', 'c'));
    const bpf = hopsOf(r, 'bpf').map((h) => h.detail);
    expect(bpf[0]).toMatch(/^tc ingress cil_from_container: redirect cilium_vxlan/);
    expect(bpf.some((d) => d.startsWith('tc ingress cil_from_overlay: redirect-peer'))).toBe(true);
    expect(hopsOf(r, 'encap')[0].packet.encap).toMatchObject({ type: 'vxlan', dstPort: 8472 });
  });

  it('honours the route MTU 1450 on a 1500-byte eth0', () => {
    const c = twoNodeCluster('cilium');
    expectRoundTrip(c, { from: 'a', to: 'c', proto: 'icmp', size: 1422 });
    const r = trace(c, { from: 'a', to: 'c', proto: 'icmp', size: 1423, df: true });
    expect(r.verdict).toBe('dropped');
    expect(details(r)).toMatch(/route mtu 1450/);
  });

  it('native routing: no encapsulation, route via the remote node IP', () => {
    const r = expectRoundTrip(twoNodeCluster('cilium-native'), tcp('a', 'c'));
    expect(hopsOf(r, 'encap')).toHaveLength(0);
    expect(details(r)).toContain('10.244.2.0/24 via 192.168.1.12 dev eth0 proto kernel');
  });
});

describe('weave', () => {
  it('pods ARP each other across nodes through the datapath; vxlan-6784 carries the frame', () => {
    const r = expectRoundTrip(twoNodeCluster('weave'), tcp('a', 'c'));
    expect(details(r)).toMatch(/ARP who-has 10\.44\.0\.2 on eth0: [0-9a-f:]{17} \(default\/c on node-2, flooded over the weave datapath/);
    expect(hopsOf(r, 'encap')[0].packet.encap).toMatchObject({ type: 'vxlan', dstPort: 6784 });
    // Pure L2 between pods: nobody routes, TTL stays 64.
    expect(r.hops[r.hops.length - 1].packet.ttl).toBe(64);
  });
});

describe('aws-vpc', () => {
  it('the VPC fabric delivers to the ENI holding the pod IP; rule 512 picks main', () => {
    const r = expectRoundTrip(twoNodeCluster('aws-vpc'), tcp('a', 'c'));
    expect(details(r)).toMatch(/VPC fabric: secondary IP 192\.168\.1\.201 → node node-2/);
    const wire = hopsOf(r, 'wire');
    expect(wire.map((h) => h.fabric)).toEqual([{ network: 'VPC', route: '192.168.1.201/32', kind: 'secondary-ip', node: 'node-2', dev: 'eth0' }]);
    expect((traceToJson(r) as { hops: { action: string; fabric?: unknown }[] }).hops.find((h) => h.action === "wire")?.fabric).toMatchObject({ route: '192.168.1.201/32', node: 'node-2' });
    expect(details(r)).toMatch(/192\.168\.1\.201 dev eni[0-9a-f]{11} scope link \(rule 512: from all to 192\.168\.1\.201\/32 lookup main\)/);
  });
});

describe('netfilter seam and loop guard', () => {
  it('runs hooks at the right points and follows a drop', () => {
    const seen: string[] = [];
    const hook: NetfilterHook = {
      name: 'test',
      hooks: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
      run: (ctx) => {
        seen.push(`${ctx.leg}:${ctx.netns.id}:${ctx.hook}`);
        return ctx.hook === 'INPUT' && ctx.leg === 'reply' ? { kind: 'drop', detail: 'policy' } : { kind: 'accept' };
      },
    };
    const r = trace(twoNodeCluster('flannel-host-gw'), tcp('a', 'c'), { hooks: [hook] });
    expect(r.verdict).toBe('delivered');
    expect(r.reply?.verdict).toBe('dropped');
    expect(seen.slice(0, 4)).toEqual(['request:pod/default/a:OUTPUT', 'request:pod/default/a:POSTROUTING', 'request:node/node-1:PREROUTING', 'request:node/node-1:FORWARD']);
    expect(seen).toContain('request:pod/default/c:INPUT');
  });

  it('a routing loop ends by TTL, or by the hop guard when TTL is high', () => {
    const c = twoNodeCluster('flannel-host-gw');
    const loop = Cidr.parse('10.99.0.0/16')!;
    nodeNs(c, 'node-1').routes.push({ type: 'unicast', dst: loop, via: ip4('192.168.1.12'), dev: 'eth0' });
    nodeNs(c, 'node-2').routes.push({ type: 'unicast', dst: loop, via: ip4('192.168.1.11'), dev: 'eth0' });
    const byTtl = trace(c, tcp('a', '10.99.0.1', { ttl: 8 }));
    expect(byTtl.reason).toMatch(/TTL exceeded/);
    const byGuard = trace(c, tcp('a', '10.99.0.1', { ttl: 255 }));
    expect(byGuard.verdict).toBe('dropped');
    expect(byGuard.reason).toMatch(/forwarding loop/);
  });
});
