import { describe, expect, it } from 'vitest';
import { Cidr, formatIpv4 } from '../addressing/ipv4';
import type { Cluster, CniMode } from '../model/cluster';
import { netnsId } from '../model/ids';
import type { Netns } from '../model/netns';
import type { PacketRepr } from '../model/packet';
import { sha256Hex } from '../util/hash';
import { ciliumHostIfname, ciliumIdentity, ciliumNativePlugin, ciliumPlugin } from './cilium';
import { ipcacheLookup } from './ciliumDatapath';
import { bpfProgramsFor } from '../trace/datapath';
import { handCluster, ip4 } from './handCluster';
import { networkOf } from './network';
import { routeLine } from './testCluster';

function fixture(mode: CniMode, wireguard = false): Cluster {
  return handCluster(
    mode,
    [
      { name: 'node-1', ip: '192.168.1.11', podCIDR: '10.0.0.0/24', extra: { routerIp: ip4('10.0.0.215') } },
      { name: 'node-2', ip: '192.168.1.12', podCIDR: '10.0.1.0/24', extra: { routerIp: ip4('10.0.1.197') } },
      { name: 'node-3', ip: '192.168.1.13', podCIDR: '10.0.2.0/24', extra: { routerIp: ip4('10.0.2.44') } },
    ],
    [
      { name: 'a', node: 'node-1', ip: '10.0.0.210', hostIfindex: 8, endpointId: 92 },
      { name: 'b', node: 'node-1', ip: '10.0.0.17', hostIfindex: 10, endpointId: 1201 },
      { name: 'c', node: 'node-2', ip: '10.0.1.110', hostIfindex: 8, endpointId: 377 },
      { name: 'd', node: 'node-3', ip: '10.0.2.99', hostIfindex: 8, endpointId: 2048, labels: { app: 'd', 'pod-template-hash': 'x1' } },
    ],
    { wireguard },
  );
}

const node = (c: Cluster, n: string) => networkOf(c).get(netnsId.node(n)) as Netns;
const pod = (c: Cluster, n: string) => networkOf(c).get(netnsId.pod('default', n)) as Netns;

function packet(src: string, dst: string): PacketRepr {
  return { ip: { src: ip4(src), dst: ip4(dst), ttl: 64, df: true, id: 1 }, l4: { proto: 'icmp', type: 8, code: 0, id: 1, seq: 1 }, payloadLen: 56, encap: [] };
}

function run(c: Cluster, nodeName: string, dev: string, p: PacketRepr) {
  const net = networkOf(c);
  const ns = node(c, nodeName);
  const link = ns.links.find((l) => l.name === dev)!;
  const prog = bpfProgramsFor(net.plugin.mode)![link.tcIngress!];
  return prog({ cluster: c, network: net, netns: ns, link, packet: p });
}

describe('cilium static facts', () => {
  it('names the host veth lxc + sha256("<containerID>:eth0")[:12]', () => {
    const name = ciliumHostIfname('abc');
    expect(name).toBe('lxc' + sha256Hex('abc:eth0').slice(0, 12));
    expect(name).toHaveLength(15);
    const c = fixture('cilium');
    const a = c.pods.get('default/a')!;
    expect(a.attachment!.hostIfname).toBe(ciliumHostIfname(a.containerId));
  });

  it('keeps device MTU at the node MTU and /32 pod addresses', () => {
    const c = fixture('cilium');
    expect(ciliumPlugin.podMtu(c.config)).toBe(1500);
    expect(ciliumPlugin.podPrefix(c.config)).toBe(32);
    expect(ciliumPlugin.daemonSet).toMatchObject({ name: 'cilium', namespace: 'kube-system' });
    expect(ciliumPlugin.daemonSet.image).toMatch(/^quay\.io\/cilium\/cilium:v1\.1\d\./);
    expect(ciliumPlugin.binaries).toContain('cilium-cni');
    expect(Object.keys(ciliumPlugin.nodeFiles(networkOf(c).ctx, c.nodes[0]))).toEqual(['/etc/cni/net.d/05-cilium.conflist']);
    expect(JSON.parse(ciliumPlugin.nodeFiles(networkOf(c).ctx, c.nodes[0])['/etc/cni/net.d/05-cilium.conflist']).plugins[0].type).toBe('cilium-cni');
  });

  it('gives pods of one workload the same identity regardless of pod-template-hash', () => {
    const c = fixture('cilium');
    const d = c.pods.get('default/d')!;
    const d2 = { ...d, meta: { ...d.meta, name: 'd2', labels: { app: 'd', 'pod-template-hash': 'zz' } } };
    expect(ciliumIdentity(d2)).toBe(ciliumIdentity(d));
    expect(ciliumIdentity(d)).toBeGreaterThanOrEqual(256);
    expect(ciliumIdentity(c.pods.get('default/a')!)).not.toBe(ciliumIdentity(d));
  });
});

describe('cilium tunnel mode node', () => {
  const c = fixture('cilium');
  const ns = node(c, 'node-1');

  it('has the cilium devices with ifindexes, flags and the router IP', () => {
    const names = ns.links.map((l) => `${l.ifindex}:${l.name}`);
    const a = c.pods.get('default/a')!.attachment!;
    const b = c.pods.get('default/b')!.attachment!;
    expect(names).toEqual(['1:lo', '2:eth0', '3:cilium_net', '4:cilium_host', '5:cilium_vxlan', `8:${a.hostIfname}`, `10:${b.hostIfname}`]);
    const host = ns.links.find((l) => l.name === 'cilium_host')!;
    expect(host.flags).toContain('NOARP');
    expect(host.addrs).toEqual([{ ip: ip4('10.0.0.215'), prefix: 32, scope: 'link' }]);
    expect(host.peer).toEqual({ netns: ns.id, ifindex: 3, name: 'cilium_net' });
    const vx = ns.links.find((l) => l.name === 'cilium_vxlan')!;
    expect(vx.vxlan).toMatchObject({ port: 8472, external: true, learning: false });
    expect(vx.tcIngress).toBe('cil_from_overlay');
    const lxc = ns.links.find((l) => l.name === a.hostIfname)!;
    expect(lxc).toMatchObject({ kind: 'veth', mtu: 1500, mac: a.hostMac, tcIngress: 'cil_from_container' });
    expect(ns.links.some((l) => l.kind === 'bridge')).toBe(false);
  });

  it('routes every pool CIDR via cilium_host, remote ones with the tunnel route MTU', () => {
    expect(ns.routes.map(routeLine)).toEqual([
      'default via 192.168.1.1 dev eth0 proto static',
      '10.0.0.0/24 via 10.0.0.215 dev cilium_host proto kernel src 10.0.0.215',
      '10.0.0.215 dev cilium_host proto kernel scope link',
      '10.0.1.0/24 via 10.0.0.215 dev cilium_host proto kernel src 10.0.0.215 mtu 1450',
      '10.0.2.0/24 via 10.0.0.215 dev cilium_host proto kernel src 10.0.0.215 mtu 1450',
      '192.168.1.0/24 dev eth0 proto kernel scope link src 192.168.1.11',
    ]);
  });

  it('gives the pod a /32, a default via the router with MTU 1450 and the router neighbour', () => {
    const p = pod(c, 'a');
    const a = c.pods.get('default/a')!.attachment!;
    expect(p.links[1].addrs).toEqual([{ ip: ip4('10.0.0.210'), prefix: 32, scope: 'global' }]);
    expect(p.routes.map(routeLine)).toEqual(['default via 10.0.0.215 dev eth0 mtu 1450', '10.0.0.215 dev eth0 scope link']);
    expect(p.neighbors).toEqual([{ ip: ip4('10.0.0.215'), dev: 'eth0', mac: a.hostMac, state: 'REACHABLE' }]);
  });
});

describe('cilium eBPF programs (tunnel)', () => {
  const c = fixture('cilium');

  it('from-container delivers to a local endpoint with redirect-peer, TTL-1 and rewritten MACs', () => {
    const a = c.pods.get('default/a')!.attachment!;
    const b = c.pods.get('default/b')!.attachment!;
    const v = run(c, 'node-1', a.hostIfname, packet('10.0.0.210', '10.0.0.17'));
    expect(v.kind).toBe('redirect-peer');
    if (v.kind !== 'redirect-peer') return;
    expect(v.dev).toBe(b.hostIfname);
    expect(v.packet!.ip.ttl).toBe(63);
    expect(v.packet!.eth).toEqual({ src: b.hostMac, dst: b.podMac });
    expect(v.detail).toContain('endpoint 1201');
  });

  it('from-container encapsulates to the remote node, VNI = source identity', () => {
    const a = c.pods.get('default/a')!;
    const v = run(c, 'node-1', a.attachment!.hostIfname, packet('10.0.0.210', '10.0.1.110'));
    expect(v).toMatchObject({ kind: 'redirect', dev: 'cilium_vxlan', tunnelRemote: ip4('192.168.1.12'), tunnelVni: ciliumIdentity(a) });
    expect(v.detail).toMatch(/^ipcache 10\.0\.1\.110\/32 → identity \d+ \(default\/c\), tunnel endpoint 192\.168\.1\.12/);
  });

  it('from-container sends node and world destinations to the stack', () => {
    const a = c.pods.get('default/a')!.attachment!;
    expect(run(c, 'node-1', a.hostIfname, packet('10.0.0.210', '192.168.1.12')).kind).toBe('pass');
    const w = run(c, 'node-1', a.hostIfname, packet('10.0.0.210', '8.8.8.8'));
    expect(w.kind).toBe('pass');
    expect(w.detail).toContain('0.0.0.0/0 → identity 2');
  });

  it('from-overlay on the remote node delivers to the endpoint', () => {
    const cc = c.pods.get('default/c')!.attachment!;
    const v = run(c, 'node-2', 'cilium_vxlan', packet('10.0.0.210', '10.0.1.110'));
    expect(v).toMatchObject({ kind: 'redirect-peer', dev: cc.hostIfname });
    expect(run(c, 'node-2', 'cilium_vxlan', packet('10.0.0.210', '10.0.0.17')).kind).toBe('pass');
  });

  it('from-host (cilium_host egress, on cilium_net) delivers, encapsulates or drops', () => {
    const b = c.pods.get('default/b')!.attachment!;
    expect(run(c, 'node-1', 'cilium_net', packet('192.168.1.11', '10.0.0.17'))).toMatchObject({ kind: 'redirect', dev: b.hostIfname });
    expect(run(c, 'node-1', 'cilium_net', packet('192.168.1.11', '10.0.2.99'))).toMatchObject({ kind: 'redirect', dev: 'cilium_vxlan', tunnelRemote: ip4('192.168.1.13'), tunnelVni: 1 });
    expect(run(c, 'node-1', 'cilium_net', packet('192.168.1.11', '10.0.0.99')).kind).toBe('drop');
  });

  it('from-netdev passes tunnel packets and unrelated traffic', () => {
    const p = packet('10.0.0.210', '10.0.1.110');
    p.encap = [{ type: 'vxlan', eth: { src: 'x', dst: 'y' }, ip: { src: ip4('192.168.1.11'), dst: ip4('192.168.1.12'), ttl: 64, df: false, id: 2 }, srcPort: 40000, dstPort: 8472, vni: 300 }];
    expect(run(c, 'node-2', 'eth0', p).kind).toBe('pass');
  });

  it('ipcache maps pool CIDRs without a pod to the owning node', () => {
    const e = ipcacheLookup(c, 'node-1', ip4('10.0.2.200'), true);
    expect(e.prefix).toBe('10.0.2.0/24');
    expect(e.tunnelEndpoint).toBe(ip4('192.168.1.13'));
    expect(ipcacheLookup(c, 'node-1', ip4('10.0.1.197'), true)).toMatchObject({ identity: 6, tunnelEndpoint: ip4('192.168.1.12') });
  });
});

describe('cilium native routing', () => {
  const c = fixture('cilium-native');
  const ns = node(c, 'node-2');

  it('has no cilium_vxlan and direct routes to the other nodes', () => {
    expect(ns.links.map((l) => l.name).slice(0, 4)).toEqual(['lo', 'eth0', 'cilium_net', 'cilium_host']);
    expect(ns.links.some((l) => l.name === 'cilium_vxlan')).toBe(false);
    expect(ns.routes.map(routeLine).slice(1, 5)).toEqual([
      '10.0.0.0/24 via 192.168.1.11 dev eth0 proto kernel',
      '10.0.1.0/24 via 10.0.1.197 dev cilium_host proto kernel src 10.0.1.197',
      '10.0.1.197 dev cilium_host proto kernel scope link',
      '10.0.2.0/24 via 192.168.1.13 dev eth0 proto kernel',
    ]);
    expect(pod(c, 'c').routes.map(routeLine)[0]).toBe('default via 10.0.1.197 dev eth0 mtu 1500');
    expect(ciliumNativePlugin.podMtu(c.config)).toBe(1500);
  });

  it('from-container passes remote pods to the stack; from-netdev delivers arriving ones', () => {
    const a = c.pods.get('default/a')!.attachment!;
    const v = run(c, 'node-1', a.hostIfname, packet('10.0.0.210', '10.0.1.110'));
    expect(v.kind).toBe('pass');
    expect(v.detail).toContain('native routing');
    const cc = c.pods.get('default/c')!.attachment!;
    expect(run(c, 'node-2', 'eth0', packet('10.0.0.210', '10.0.1.110'))).toMatchObject({ kind: 'redirect-peer', dev: cc.hostIfname });
  });
});

describe('cilium with WireGuard', () => {
  it('adds cilium_wg0 with the other nodes as peers and lowers the route MTU', () => {
    const c = fixture('cilium', true);
    const ns = node(c, 'node-1');
    const wg = ns.links.find((l) => l.name === 'cilium_wg0')!;
    expect(wg.wireguard!.listenPort).toBe(51871);
    expect(wg.wireguard!.peers.map((p) => formatIpv4(p.endpoint.ip))).toEqual(['192.168.1.12', '192.168.1.13']);
    expect(wg.wireguard!.peers[0].allowedIps.map(String)).toContain(new Cidr(ip4('10.0.1.0'), 24).toString());
    expect(pod(c, 'a').routes.map(routeLine)[0]).toBe('default via 10.0.0.215 dev eth0 mtu 1370');
    expect(wg.mtu).toBe(1420);
    const a = c.pods.get('default/a')!.attachment!;
    const v = run(c, 'node-1', a.hostIfname, packet('10.0.0.210', '10.0.1.110'));
    expect(v).toMatchObject({ kind: 'redirect', dev: 'cilium_wg0' });
    expect(v.detail).toContain('WireGuard peer 192.168.1.12:51871');
    expect(run(c, 'node-1', a.hostIfname, packet('10.0.0.210', '10.0.0.17')).kind).toBe('redirect-peer');
  });
});
