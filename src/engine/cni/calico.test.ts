import { describe, expect, it } from 'vitest';
import { formatIpv4 } from '../addressing/ipv4';
import type { NodeRec } from '../model/cluster';
import { calicoConflist, calicoIpipPlugin, calicoKubeconfig, calicoPlugin, calicoVethName, calicoVxlanPlugin, calicoVtepMac } from './calico';
import type { CniPlugin } from './plugin';
import { cidr, renderFdb, renderNeigh, renderRoute, renderRule, testCluster, testConfig, testContext } from './testCluster';

const addrs = (l: { addrs: { ip: number; prefix: number }[] }) => l.addrs.map((a) => `${formatIpv4(a.ip)}/${a.prefix}`);

/** dataplane-facts.json dp-ex-02: nodes A and B, podA on A; node network 10.0.0.0/24. */
function dpEx02(plugin: CniPlugin, wireguard = false) {
  const config = testConfig(plugin.mode, { nodeNetwork: cidr('10.0.0.0/24'), wireguard });
  const cluster = testCluster(
    plugin,
    config,
    [
      { name: 'A', ip: '10.0.0.11', blocks: ['192.168.221.64/26'] },
      { name: 'B', ip: '10.0.0.12', blocks: ['192.168.100.128/26'] },
    ],
    [{ namespace: 'default', name: 'podA', node: 'A', ip: '192.168.221.70' }],
  );
  return { cluster, ctx: testContext(plugin, cluster) };
}

describe('calico veth names (libcalico-go test vectors, ca-03)', () => {
  it('is cali + sha1("<ns>.<pod>")[:11]', () => {
    expect(calicoVethName('default', 'podA')).toBe('cali7f94ce7c295');
    expect(calicoVethName('default', 'podB')).toBe('cali92cf1f5e9f6');
  });
});

describe('calico-ipip node namespace: dp-ex-02', () => {
  const { cluster, ctx } = dpEx02(calicoIpipPlugin);
  const ns = calicoIpipPlugin.buildNode(ctx, cluster.nodes[0]);

  it('programs the blackhole, the BIRD IPIP route and the workload route', () => {
    expect(ns.routes.map(renderRoute)).toEqual([
      'default via 10.0.0.1 dev eth0 proto static',
      '10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.11',
      '192.168.100.128/26 via 10.0.0.12 dev tunl0 proto bird onlink',
      'blackhole 192.168.221.64/26 proto bird',
      '192.168.221.70 dev cali7f94ce7c295 scope link',
    ]);
  });

  it('has tunl0 (MTU 1480, address from the block) and the cali veth (ee:ee:…, proxy_arp, no master)', () => {
    const tunl0 = ns.links.find((l) => l.name === 'tunl0')!;
    expect(tunl0).toMatchObject({ ifindex: 3, kind: 'ipip', mtu: 1480, flags: ['NOARP', 'UP', 'LOWER_UP'], operState: 'UNKNOWN' });
    expect(addrs(tunl0)).toEqual(['192.168.221.64/32']);
    const cali = ns.links.find((l) => l.name === 'cali7f94ce7c295')!;
    expect(cali).toMatchObject({ kind: 'veth', mac: 'ee:ee:ee:ee:ee:ee', mtu: 1480, proxyArp: true, addrs: [] });
    expect(cali.master).toBeUndefined();
    expect(ns.sysctl['net.ipv4.conf.cali7f94ce7c295.proxy_arp']).toBe('1');
    expect(ns.links.some((l) => l.kind === 'bridge')).toBe(false);
  });

  it('gives the pod a /32 and routes via 169.254.1.1', () => {
    const pod = calicoIpipPlugin.buildPod(ctx, cluster.pods.get('default/podA')!);
    expect(addrs(pod.links.find((l) => l.name === 'eth0')!)).toEqual(['192.168.221.70/32']);
    expect(pod.routes.map(renderRoute)).toEqual(['default via 169.254.1.1 dev eth0', '169.254.1.1 dev eth0 scope link']);
    // The ipip module's fallback tunl0 exists, down, in every namespace.
    expect(pod.links.map((l) => `${l.ifindex}:${l.name}:${l.operState}`)).toEqual(['1:lo:UNKNOWN', '2:tunl0:DOWN', '3:eth0:UP']);
  });

  it('has no neighbour/FDB state of its own and no rules without WireGuard', () => {
    expect(ns.neighbors).toEqual([]);
    expect(ns.fdb).toEqual([]);
    expect(ns.rules).toEqual([]);
  });
});

describe('calico (BGP, no encapsulation)', () => {
  const { cluster, ctx } = dpEx02(calicoPlugin);
  it('routes remote blocks via the node IP on eth0, proto bird, and has no tunnel device', () => {
    const ns = calicoPlugin.buildNode(ctx, cluster.nodes[1]);
    expect(ns.links.map((l) => l.name)).toEqual(['lo', 'eth0']);
    expect(ns.routes.map(renderRoute)).toEqual([
      'default via 10.0.0.1 dev eth0 proto static',
      '10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.12',
      'blackhole 192.168.100.128/26 proto bird',
      '192.168.221.64/26 via 10.0.0.11 dev eth0 proto bird',
    ]);
    expect(calicoPlugin.podMtu(cluster.config)).toBe(1500);
  });
});

describe('calico-vxlan', () => {
  const { cluster, ctx } = dpEx02(calicoVxlanPlugin);
  const ns = calicoVxlanPlugin.buildNode(ctx, cluster.nodes[0]);
  const macB = calicoVtepMac(ctx, cluster.nodes[1]);

  it('creates vxlan.calico: VNI 4096, port 4789, MTU 1450, the tunnel address', () => {
    const v = ns.links.find((l) => l.name === 'vxlan.calico')!;
    expect(v).toMatchObject({ ifindex: 3, kind: 'vxlan', mtu: 1450, operState: 'UNKNOWN', mac: calicoVtepMac(ctx, cluster.nodes[0]) });
    expect(v.vxlan).toEqual({ vni: 4096, port: 4789, local: 0x0a00000b, dev: 'eth0', learning: false });
    expect(addrs(v)).toEqual(['192.168.221.64/32']);
    expect(calicoVxlanPlugin.podMtu(cluster.config)).toBe(1450);
    expect(ns.links.find((l) => l.name === 'cali7f94ce7c295')!.mtu).toBe(1450);
  });

  it("programs Felix's routes (blackhole proto 80, remote block via the remote VTEP onlink) and the VTEP's neighbour/FDB", () => {
    expect(ns.routes.map(renderRoute)).toEqual([
      'default via 10.0.0.1 dev eth0 proto static',
      '10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.11',
      '192.168.100.128/26 via 192.168.100.128 dev vxlan.calico onlink',
      'blackhole 192.168.221.64/26 proto 80',
      '192.168.221.70 dev cali7f94ce7c295 scope link',
    ]);
    expect(ns.neighbors.map(renderNeigh)).toEqual([`192.168.100.128 dev vxlan.calico lladdr ${macB} PERMANENT`]);
    expect(ns.fdb.map(renderFdb)).toEqual([`${macB} dev vxlan.calico dst 10.0.0.12 self permanent`]);
  });

  it('uses a tunnel IP recorded on the node by IPAM when there is one', () => {
    const c2 = dpEx02(calicoVxlanPlugin);
    (c2.cluster.nodes[1] as NodeRec & { tunnelIp?: number }).tunnelIp = 0xc0a864bf; // 192.168.100.191
    const ns2 = calicoVxlanPlugin.buildNode(c2.ctx, c2.cluster.nodes[0]);
    expect(ns2.routes.map(renderRoute)).toContain('192.168.100.128/26 via 192.168.100.191 dev vxlan.calico onlink');
  });
});

describe('calico with WireGuard', () => {
  const { cluster, ctx } = dpEx02(calicoIpipPlugin, true);
  const ns = calicoIpipPlugin.buildNode(ctx, cluster.nodes[0]);

  it('adds wireguard.cali (port 51820, MTU 1440) with B as peer', () => {
    const wg = ns.links.find((l) => l.name === 'wireguard.cali')!;
    expect(wg).toMatchObject({ ifindex: 4, kind: 'wireguard', mtu: 1440, flags: ['POINTOPOINT', 'NOARP', 'UP', 'LOWER_UP'] });
    expect(addrs(wg)).toEqual(['192.168.221.65/32']);
    expect(wg.wireguard!.listenPort).toBe(51820);
    const [peer, ...rest] = wg.wireguard!.peers;
    expect(rest).toEqual([]);
    expect(formatIpv4(peer.endpoint.ip)).toBe('10.0.0.12');
    expect(peer.endpoint.port).toBe(51820);
    expect(peer.allowedIps.map(String)).toEqual(['192.168.100.128/26']);
    expect(peer.publicKey).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  });

  it('steers pod traffic through table 1 with the fwmark rule', () => {
    expect(ns.rules.map(renderRule)).toEqual(['99:\tnot from all fwmark 0x100000/0x100000 lookup 1']);
    expect(ns.routes.filter((r) => r.table === '1').map(renderRoute)).toEqual(['192.168.100.128/26 dev wireguard.cali table 1 scope link']);
  });

  it('lowers the pod MTU to the WireGuard MTU (the smallest enabled tunnel)', () => {
    expect(calicoIpipPlugin.podMtu(cluster.config)).toBe(1440);
    expect(calicoVxlanPlugin.podMtu(cluster.config)).toBe(1440);
    expect(calicoPlugin.podMtu(cluster.config)).toBe(1440);
    expect(ns.links.find((l) => l.name === 'tunl0')!.mtu).toBe(1480);
  });

  it('gives the same peer the same public key on every node', () => {
    const nsB = calicoIpipPlugin.buildNode(ctx, cluster.nodes[1]);
    const keyOfAonB = nsB.links.find((l) => l.name === 'wireguard.cali')!.wireguard!.peers[0].publicKey;
    const keyOfBonA = ns.links.find((l) => l.name === 'wireguard.cali')!.wireguard!.peers[0].publicKey;
    expect(keyOfAonB).not.toBe(keyOfBonA);
    expect(calicoIpipPlugin.buildNode(testContext(calicoIpipPlugin, cluster), cluster.nodes[1]).links.find((l) => l.name === 'wireguard.cali')!.wireguard!.peers[0].publicKey).toBe(keyOfAonB);
  });
});

describe('calico node files', () => {
  const { cluster, ctx } = dpEx02(calicoIpipPlugin);
  const files = calicoIpipPlugin.nodeFiles(ctx, cluster.nodes[0]);
  it('writes the install-cni conflist with the node name and mtu 0', () => {
    const text = files['/etc/cni/net.d/10-calico.conflist'];
    expect(text).toBe(calicoConflist('A'));
    const conf = JSON.parse(text);
    expect(conf.name).toBe('k8s-pod-network');
    expect(conf.plugins[0]).toMatchObject({ type: 'calico', nodename: 'A', mtu: 0, ipam: { type: 'calico-ipam' }, kubernetes: { kubeconfig: '/etc/cni/net.d/calico-kubeconfig' } });
    expect(conf.plugins[1]).toEqual({ type: 'portmap', snat: true, capabilities: { portMappings: true } });
  });
  it('writes calico-kubeconfig pointing at the kubernetes Service IP', () => {
    const kc = files['/etc/cni/net.d/calico-kubeconfig'];
    expect(kc).toBe(calicoKubeconfig(cluster.config));
    expect(kc).toContain('    server: https://[10.96.0.1]:443\n');
    expect(kc).toContain('current-context: calico-context');
  });
  it('lists calico binaries next to the kubernetes-cni ones', () => {
    expect(calicoIpipPlugin.binaries).toEqual(expect.arrayContaining(['calico', 'calico-ipam', 'install', 'portmap', 'loopback']));
    expect(calicoIpipPlugin.daemonSet).toMatchObject({ name: 'calico-node', namespace: 'calico-system' });
  });
});

describe('calico performance', () => {
  it('builds one node of a 5,000-node cluster (VXLAN, with WireGuard) in one pass', () => {
    const config = testConfig('calico-vxlan', { podCIDR: cidr('10.0.0.0/8'), nodeNetwork: cidr('172.16.0.0/16'), wireguard: true });
    const nodes = Array.from({ length: 5000 }, (_, i) => ({
      name: `n${i}`,
      ip: `172.16.${Math.floor((i + 10) / 256)}.${(i + 10) % 256}`,
      blocks: [`10.${Math.floor(i / 1024)}.${Math.floor((i % 1024) / 4)}.${(i % 4) * 64}/26`],
    }));
    const cluster = testCluster(calicoVxlanPlugin, config, nodes);
    const ctx = testContext(calicoVxlanPlugin, cluster);
    calicoVxlanPlugin.buildNode(ctx, cluster.nodes[0]); // warms the per-cluster VTEP and key caches
    // Best of 5, so a busy CI machine does not make the bound flaky.
    let ms = Infinity;
    for (let i = 1; i <= 5; i++) {
      const t0 = performance.now();
      calicoVxlanPlugin.buildNode(ctx, cluster.nodes[i]);
      ms = Math.min(ms, performance.now() - t0);
    }
    const ns = calicoVxlanPlugin.buildNode(ctx, cluster.nodes[1]);
    expect(ns.routes.filter((r) => r.dev === 'vxlan.calico').length).toBe(4999);
    expect(ns.routes.filter((r) => r.table === '1').length).toBe(4999);
    expect(ms).toBeLessThan(50);
  });
});
