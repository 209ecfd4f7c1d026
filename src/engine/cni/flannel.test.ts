import { describe, expect, it } from 'vitest';
import { formatIpv4 } from '../addressing/ipv4';
import { networkOf } from './network';
import { FLANNEL_CONFLIST, flannelHostGwPlugin, flannelPlugin } from './flannel';
import { cidr, renderFdb, renderNeigh, renderRoute, testCluster, testConfig, testContext } from './testCluster';

const backendData = (mac: string) => ({ 'flannel.alpha.coreos.com/backend-data': JSON.stringify({ VNI: 1, VtepMAC: mac }) });

/** dataplane-facts.json dp-ex-01: flannel VXLAN, 3 nodes, one pod on node-1. */
function dpEx01(withPod = true) {
  const config = testConfig('flannel');
  const cluster = testCluster(
    flannelPlugin,
    config,
    [
      { name: 'node-1', ip: '192.168.0.11', podCIDR: '10.244.0.0/24', annotations: backendData('aa:aa:aa:00:00:01') },
      { name: 'node-2', ip: '192.168.0.12', podCIDR: '10.244.1.0/24', annotations: backendData('aa:aa:aa:00:00:02') },
      { name: 'node-3', ip: '192.168.0.13', podCIDR: '10.244.2.0/24', annotations: backendData('aa:aa:aa:00:00:03') },
    ],
    withPod ? [{ name: 'web', node: 'node-1' }] : [],
  );
  return { cluster, ctx: testContext(flannelPlugin, cluster) };
}

describe('flannel (VXLAN) node namespace: dp-ex-01', () => {
  const { cluster, ctx } = dpEx01();
  const ns = flannelPlugin.buildNode(ctx, cluster.nodes[0]);

  it('programs exactly the routes of the worked example, in ip route order', () => {
    expect(ns.routes.map(renderRoute)).toEqual([
      'default via 192.168.0.1 dev eth0 proto static',
      '10.244.0.0/24 dev cni0 proto kernel scope link src 10.244.0.1',
      '10.244.1.0/24 via 10.244.1.0 dev flannel.1 onlink',
      '10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink',
      '192.168.0.0/24 dev eth0 proto kernel scope link src 192.168.0.11',
    ]);
  });

  it('has one permanent neighbour and one FDB entry per remote node', () => {
    expect(ns.neighbors.map(renderNeigh)).toEqual([
      '10.244.1.0 dev flannel.1 lladdr aa:aa:aa:00:00:02 PERMANENT',
      '10.244.2.0 dev flannel.1 lladdr aa:aa:aa:00:00:03 PERMANENT',
    ]);
    expect(ns.fdb.filter((f) => f.dev === 'flannel.1').map(renderFdb)).toEqual([
      'aa:aa:aa:00:00:02 dev flannel.1 dst 192.168.0.12 self permanent',
      'aa:aa:aa:00:00:03 dev flannel.1 dst 192.168.0.13 self permanent',
    ]);
  });

  it('creates flannel.1 as flanneld does', () => {
    const f = ns.links.find((l) => l.name === 'flannel.1')!;
    expect(f).toMatchObject({ ifindex: 3, kind: 'vxlan', mtu: 1450, mac: 'aa:aa:aa:00:00:01', operState: 'UNKNOWN', qdisc: 'noqueue' });
    expect(f.vxlan).toEqual({ vni: 1, port: 8472, local: 0xc0a8000b, dev: 'eth0', learning: false });
    expect(f.addrs.map((a) => `${formatIpv4(a.ip)}/${a.prefix}`)).toEqual(['10.244.0.0/32']);
    expect(f.addrs[0].broadcast).toBeUndefined();
  });

  it('creates cni0 with the gateway address and enslaves the pod veth with hairpin on', () => {
    const br = ns.links.find((l) => l.name === 'cni0')!;
    expect(br).toMatchObject({ ifindex: 4, kind: 'bridge', mtu: 1450, operState: 'UP' });
    expect(br.addrs.map((a) => `${formatIpv4(a.ip)}/${a.prefix} brd ${formatIpv4(a.broadcast!)}`)).toEqual(['10.244.0.1/24 brd 10.244.0.255']);
    const pod = cluster.pods.get('default/web')!;
    expect(formatIpv4(pod.attachment!.ip)).toBe('10.244.0.2'); // first_pod_ip
    const veth = ns.links.find((l) => l.name === pod.attachment!.hostIfname)!;
    expect(veth.name).toMatch(/^veth[0-9a-f]{8}$/);
    expect(veth).toMatchObject({ kind: 'veth', master: 'cni0', hairpin: true, mtu: 1450, ifindex: pod.attachment!.hostIfindex });
    expect(veth.peer).toEqual({ netns: 'pod/default/web', ifindex: 3, name: 'eth0' });
    // The bridge's own entries plus the pod's learned MAC.
    const fdb = ns.fdb.filter((f) => f.master === 'cni0').map(renderFdb);
    expect(fdb).toContain(`${pod.attachment!.podMac} dev ${veth.name} master cni0`);
    expect(fdb).toContain(`${br.mac} dev cni0 vlan 1 master cni0 permanent`);
    expect(fdb).toContain(`${veth.mac} dev ${veth.name} master cni0 permanent`);
  });

  it('writes subnet.env and the kube-flannel conflist', () => {
    const files = flannelPlugin.nodeFiles(ctx, cluster.nodes[0]);
    expect(files['/run/flannel/subnet.env']).toBe('FLANNEL_NETWORK=10.244.0.0/16\nFLANNEL_SUBNET=10.244.0.1/24\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n');
    expect(files['/etc/cni/net.d/10-flannel.conflist']).toBe(FLANNEL_CONFLIST);
    const conf = JSON.parse(FLANNEL_CONFLIST);
    expect(conf.name).toBe('cbr0');
    expect(conf.plugins[0].delegate).toEqual({ hairpinMode: true, isDefaultGateway: true });
  });
});

describe('flannel node without pod-network pods', () => {
  it('has flannel.1 but no cni0 and no connected pod route (the bridge plugin creates cni0 lazily)', () => {
    const { cluster, ctx } = dpEx01(false);
    const ns = flannelPlugin.buildNode(ctx, cluster.nodes[1]);
    expect(ns.links.map((l) => l.name)).toEqual(['lo', 'eth0', 'flannel.1']);
    expect(ns.routes.map(renderRoute)).toEqual([
      'default via 192.168.0.1 dev eth0 proto static',
      '10.244.0.0/24 via 10.244.0.0 dev flannel.1 onlink',
      '10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink',
      '192.168.0.0/24 dev eth0 proto kernel scope link src 192.168.0.12',
    ]);
  });

  it('falls back to NodeRec.macs, then a seed-derived MAC, for the VtepMAC', () => {
    const config = testConfig('flannel');
    const cluster = testCluster(flannelPlugin, config, [
      { name: 'a', ip: '192.168.0.11', podCIDR: '10.244.0.0/24' },
      { name: 'b', ip: '192.168.0.12', podCIDR: '10.244.1.0/24', macs: { 'flannel.1': '0a:0b:0c:0d:0e:0f' } },
    ]);
    const ctx = testContext(flannelPlugin, cluster);
    const a = flannelPlugin.buildNode(ctx, cluster.nodes[0]);
    expect(a.neighbors.map(renderNeigh)).toEqual(['10.244.1.0 dev flannel.1 lladdr 0a:0b:0c:0d:0e:0f PERMANENT']);
    const b = flannelPlugin.buildNode(ctx, cluster.nodes[1]);
    const aMac = a.links.find((l) => l.name === 'flannel.1')!.mac;
    expect(aMac).toMatch(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/);
    expect(b.fdb.map(renderFdb)).toEqual([`${aMac} dev flannel.1 dst 192.168.0.11 self permanent`]);
  });

  it('a node without spec.podCIDR holds no lease: no flannel devices there, no routes to it elsewhere', () => {
    const config = testConfig('flannel');
    const cluster = testCluster(flannelPlugin, config, [
      { name: 'a', ip: '192.168.0.11', podCIDR: '10.244.0.0/24' },
      { name: 'b', ip: '192.168.0.12' },
    ]);
    const ctx = testContext(flannelPlugin, cluster);
    expect(flannelPlugin.buildNode(ctx, cluster.nodes[1]).links.map((l) => l.name)).toEqual(['lo', 'eth0']);
    expect(flannelPlugin.buildNode(ctx, cluster.nodes[0]).neighbors).toEqual([]);
  });
});

describe('flannel pod namespace', () => {
  it('has a /24 on eth0, the default and cluster routes via .1 and the connected route', () => {
    const { cluster, ctx } = dpEx01();
    const pod = cluster.pods.get('default/web')!;
    const ns = flannelPlugin.buildPod(ctx, pod);
    const eth0 = ns.links.find((l) => l.name === 'eth0')!;
    expect(eth0.addrs.map((a) => `${formatIpv4(a.ip)}/${a.prefix}`)).toEqual(['10.244.0.2/24']);
    expect(eth0.mtu).toBe(1450);
    expect(eth0.peer).toMatchObject({ netns: 'node/node-1', name: pod.attachment!.hostIfname });
    expect(ns.routes.map(renderRoute)).toEqual([
      'default via 10.244.0.1 dev eth0',
      '10.244.0.0/16 via 10.244.0.1 dev eth0',
      '10.244.0.0/24 dev eth0 proto kernel scope link src 10.244.0.2',
    ]);
  });
});

describe('flannel host-gw', () => {
  const config = testConfig('flannel-host-gw');
  const cluster = testCluster(
    flannelHostGwPlugin,
    config,
    [
      { name: 'node-1', ip: '192.168.0.11', podCIDR: '10.244.0.0/24' },
      { name: 'node-2', ip: '192.168.0.12', podCIDR: '10.244.1.0/24' },
      { name: 'node-3', ip: '192.168.0.13', podCIDR: '10.244.2.0/24' },
    ],
    [{ name: 'web', node: 'node-2' }],
  );
  const ctx = testContext(flannelHostGwPlugin, cluster);

  it('routes remote leases via the remote node IP on eth0 and has no VXLAN device', () => {
    const ns = flannelHostGwPlugin.buildNode(ctx, cluster.nodes[1]);
    expect(ns.links.map((l) => l.name)).toEqual(['lo', 'eth0', 'cni0', cluster.pods.get('default/web')!.attachment!.hostIfname]);
    expect(ns.links.find((l) => l.name === 'cni0')).toMatchObject({ ifindex: 3, mtu: 1500 });
    expect(ns.routes.map(renderRoute)).toEqual([
      'default via 192.168.0.1 dev eth0 proto static',
      '10.244.0.0/24 via 192.168.0.11 dev eth0',
      '10.244.1.0/24 dev cni0 proto kernel scope link src 10.244.1.1',
      '10.244.2.0/24 via 192.168.0.13 dev eth0',
      '192.168.0.0/24 dev eth0 proto kernel scope link src 192.168.0.12',
    ]);
    expect(ns.neighbors).toEqual([]);
  });

  it('uses the full node MTU for pods and subnet.env', () => {
    expect(flannelHostGwPlugin.podMtu(config)).toBe(1500);
    expect(flannelHostGwPlugin.nodeFiles(ctx, cluster.nodes[0])['/run/flannel/subnet.env']).toContain('FLANNEL_MTU=1500\n');
  });
});

describe('flannel through networkOf (registry wiring)', () => {
  it('builds the same node namespace as the plugin does directly', () => {
    const { cluster } = dpEx01();
    const net = networkOf(cluster);
    const ns = net.get('node/node-1' as never)!;
    expect(ns.routes.map(renderRoute)).toContain('10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink');
    expect(net.get('pod/default/web' as never)!.routes.map(renderRoute)[0]).toBe('default via 10.244.0.1 dev eth0');
  });
});

describe('flannel performance', () => {
  it('builds one node of a 5,000-node cluster in a single pass (well under 50 ms after the per-cluster cache warms)', () => {
    const config = testConfig('flannel', { podCIDR: cidr('10.0.0.0/8'), nodeNetwork: cidr('172.16.0.0/16') });
    const nodes = Array.from({ length: 5000 }, (_, i) => ({
      name: `n${i}`,
      ip: `172.16.${Math.floor((i + 10) / 256)}.${(i + 10) % 256}`,
      podCIDR: `10.${Math.floor(i / 256)}.${i % 256}.0/24`,
    }));
    const cluster = testCluster(flannelPlugin, config, nodes);
    const ctx = testContext(flannelPlugin, cluster);
    flannelPlugin.buildNode(ctx, cluster.nodes[0]); // warms the lease cache (5,000 VtepMACs once)
    // Best of 5, so a busy CI machine does not make the bound flaky.
    let ms = Infinity;
    for (let i = 1; i <= 5; i++) {
      const t0 = performance.now();
      flannelPlugin.buildNode(ctx, cluster.nodes[i]);
      ms = Math.min(ms, performance.now() - t0);
    }
    const ns = flannelPlugin.buildNode(ctx, cluster.nodes[1]);
    expect(ns.routes.length).toBe(4999 + 2);
    expect(ns.neighbors.length).toBe(4999);
    expect(ms).toBeLessThan(50);
  });
});
