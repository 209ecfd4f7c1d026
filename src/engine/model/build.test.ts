import { asPMap } from '../util/persistent';
import { describe, expect, it } from 'vitest';
import { formatIpv4 } from '../addressing/ipv4';
import { CNI_MODES, type Cluster, type PodRec } from './cluster';
import { buildCluster } from './build';
import { config, ip, cidr, node, pod, scenario, threeNodes } from './buildFixtures';
import { networkOf } from '../cni/network';
import { netnsId } from './ids';

function built(s: ReturnType<typeof scenario>): Cluster {
  const r = buildCluster(s);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
}
const podIp = (c: Cluster, name: string, ns = 'default') => formatIpv4(c.pods.get(`${ns}/${name}`)!.attachment!.ip);
const nodeOf = (c: Cluster, name: string) => c.nodes.find((n) => n.meta.name === name)!;

describe('buildCluster: nodes', () => {
  it('gives node IPs from .10 in node order, keeping recorded ones and skipping them', () => {
    const c = built(scenario(config('flannel'), [node('control-plane'), node('worker-1', { ip: ip('172.18.0.11') }), node('worker-2')]));
    expect(c.nodes.map((n) => formatIpv4(n.ip))).toEqual(['172.18.0.10', '172.18.0.11', '172.18.0.12']);
    expect(c.nodes[0]).toMatchObject({ osImage: 'Ubuntu 22.04.4 LTS', kernelVersion: '5.15.0-119-generic', containerRuntime: 'containerd://1.7.22', capacityPods: 110 });
  });

  it('rejects a recorded node IP outside the node network', () => {
    const r = buildCluster(scenario(config('flannel'), [node('w', { ip: ip('10.9.9.9') })]));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatchObject({ object: 'Node/w', field: 'status.addresses' });
  });

  it('hands out PodCIDRs in node order, occupying recorded ones first (range allocator)', () => {
    const c = built(scenario(config('flannel'), [node('control-plane'), node('worker-1', { podCIDR: cidr('10.244.0.0/24') }), node('worker-2')]));
    expect(c.nodes.map((n) => n.podCIDR?.toString())).toEqual(['10.244.1.0/24', '10.244.0.0/24', '10.244.2.0/24']);
  });

  it('reports CIDRNotAvailable when the cluster CIDR has no /24 left', () => {
    const r = buildCluster(scenario(config('flannel', { podCIDR: cidr('10.244.0.0/23') }), [node('a'), node('b'), node('c')]));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors).toHaveLength(1);
      expect(r.errors[0]).toMatchObject({ object: 'Node/c', field: 'spec.podCIDR' });
      expect(r.errors[0].message).toBe(
        'CIDRNotAvailable: failed to allocate cidr from cluster cidr at idx:0: CIDR allocation failed; there are no remaining CIDRs left to allocate in the accepted range',
      );
    }
  });

  it('fills the MACs plugins read from NodeRec.macs', () => {
    const c = built(threeNodes('flannel'));
    expect(Object.keys(c.nodes[1].macs).sort()).toEqual(['cni0', 'eth0', 'flannel.1']);
    expect(c.nodes[1].macs.eth0).toMatch(/^[0-9a-f][26ae](:[0-9a-f]{2}){5}$/);
  });
});

describe('buildCluster: flannel (host-local)', () => {
  it('first pod on node 2 is 10.244.1.2, veth from ifindex 5, eth0 ifindex 2, /24, MTU 1450', () => {
    const c = built(threeNodes('flannel'));
    expect(podIp(c, 'a')).toBe('10.244.1.2');
    expect(podIp(c, 'b')).toBe('10.244.2.2');
    expect(podIp(c, 'c')).toBe('10.244.1.3');
    const a = c.pods.get('default/a')!.attachment!;
    expect(a).toMatchObject({ prefix: 24, hostIfindex: 5, podIfindex: 2, mtu: 1450 });
    expect(a.hostIfname).toMatch(/^veth[0-9a-f]{8}$/);
    expect(c.pods.get('default/c')!.attachment!.hostIfindex).toBe(6);
    expect(asPMap(c.ipam.lastReserved).get('worker-1')).toBe(ip('10.244.1.3'));
  });

  it('keeps a recorded podIP and continues after it (last reserved IP)', () => {
    const c = built(scenario(config('flannel'), [node('w')], [pod('x', 'w'), pod('y', 'w', { podIP: ip('10.244.0.7') })]));
    expect(podIp(c, 'y')).toBe('10.244.0.7');
    expect(podIp(c, 'x')).toBe('10.244.0.8');
  });

  it('rejects a recorded podIP outside the node range', () => {
    const r = buildCluster(scenario(config('flannel'), [node('w')], [pod('y', 'w', { podIP: ip('10.244.5.7') })]));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors[0]).toMatchObject({ object: 'Pod/default/y', field: 'status.podIP' });
      expect(r.errors[0].message).toContain("is not in the node's range 10.244.0.0/24");
    }
  });

  it("leaves the pod the exhausted range cannot hold in ContainerCreating, with host-local's words in kubelet's event", () => {
    const pods = Array.from({ length: 254 }, (_, i) => pod(`p${i}`, 'w'));
    const c = built(scenario(config('flannel', { podCIDR: cidr('10.244.0.0/16') }), [node('x'), node('w', { capacityPods: 300 })], pods));
    const stuck = c.pods.get('default/p253')!;
    expect(stuck.attachment).toBeUndefined();
    expect(stuck).toMatchObject({ phase: 'Pending', ready: false, status: { display: 'ContainerCreating', reason: 'ContainerCreating' } });
    expect(c.pods.get('default/p252')!.attachment).toBeDefined();
    // kuberuntime "Failed to create pod sandbox: %v", containerd "failed to setup network for sandbox %q", libcni "plugin type=%q failed (add)".
    const message = `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "${stuck.containerId}": plugin type="flannel" failed (add): failed to allocate for range 0: no IP addresses available in range set: 10.244.1.1-10.244.1.254`;
    expect(stuck.status!.message).toBe(message);
    expect(c.events!.filter((e) => e.involvedObject.name === 'p253')).toEqual([
      { type: 'Warning', reason: 'FailedCreatePodSandBox', message, involvedObject: { kind: 'Pod', namespace: 'default', name: 'p253', uid: stuck.meta.uid }, source: { component: 'kubelet', host: 'w' }, firstTimestamp: 0, lastTimestamp: 0, count: 1 },
    ]);
  });

  it('gives hostNetwork and unscheduled pods no attachment', () => {
    const c = built(scenario(config('flannel'), [node('w')], [pod('h', 'w', { hostNetwork: true }), pod('p', '', { phase: 'Pending' })]));
    expect(c.pods.get('default/h')!.attachment).toBeUndefined();
    expect(c.pods.get('default/p')!.attachment).toBeUndefined();
  });

  it('host-gw: veths from ifindex 4, MTU 1500', () => {
    const c = built(threeNodes('flannel-host-gw'));
    expect(c.pods.get('default/a')!.attachment).toMatchObject({ hostIfindex: 4, mtu: 1500 });
  });
});

describe('buildCluster: calico (calico-ipam)', () => {
  it('ipip: tunl0 takes ordinal 0 of the first /26 block, the first pod ordinal 1, /32, MTU 1480', () => {
    const c = built(threeNodes('calico-ipip'));
    const w1 = nodeOf(c, 'worker-1');
    expect(w1.blocks).toHaveLength(1);
    const block = w1.blocks[0];
    expect(block.prefix).toBe(26);
    expect(cidr('192.168.0.0/16').containsSubnet(block)).toBe(true);
    expect(w1.tunnelIp).toBe(block.nth(0));
    expect(c.pods.get('default/a')!.attachment!.ip).toBe(block.nth(1));
    expect(c.pods.get('default/c')!.attachment!.ip).toBe(block.nth(2));
    expect(c.pods.get('default/a')!.attachment).toMatchObject({ prefix: 32, mtu: 1480, podIfindex: 3, hostIfindex: 4, hostMac: 'ee:ee:ee:ee:ee:ee' });
    expect(c.pods.get('default/a')!.attachment!.hostIfname).toMatch(/^cali[0-9a-f]{11}$/);
    expect(asPMap(c.ipam.blockFree).get(block.toString())!.slice(0, 2)).toEqual([3, 4]);
    // Every node has a tunnel address, in a block of its own.
    expect(new Set(c.nodes.map((n) => n.blocks[0].toString())).size).toBe(3);
  });

  it('plain BGP: no tunnel address, blocks only where pods are, first pod ordinal 0', () => {
    const c = built(threeNodes('calico'));
    expect(nodeOf(c, 'control-plane').blocks).toEqual([]);
    const w1 = nodeOf(c, 'worker-1');
    expect(w1.tunnelIp).toBeUndefined();
    expect(c.pods.get('default/a')!.attachment!.ip).toBe(w1.blocks[0].nth(0));
    expect(c.pods.get('default/a')!.attachment!.hostIfindex).toBe(3);
  });

  it('vxlan + WireGuard: tunnel .0, wireguard .1, pods from .2, MTU 1440', () => {
    const c = built(threeNodes('calico-vxlan', { wireguard: true }));
    const w1 = nodeOf(c, 'worker-1');
    expect(w1.tunnelIp).toBe(w1.blocks[0].nth(0));
    expect(w1.wireguardIp).toBe(w1.blocks[0].nth(1));
    expect(c.pods.get('default/a')!.attachment).toMatchObject({ ip: w1.blocks[0].nth(2), mtu: 1440, hostIfindex: 5 });
    expect(w1.macs['vxlan.calico']).toBeDefined();
  });

  // calico-node's tunnel-ip-allocator (node/pkg/allocateip/allocateip.go assignHostTunnelAddr)
  // AutoAssigns with the node's hostname, and AutoAssign takes the first free ordinal of a block
  // already affine to the host (libcalico-go lib/ipam/ipam.go autoAssign, allocation_block.go
  // autoAssign `Unallocated[0:num]`): the tunnel shares the block the recorded pods use.
  it('with recorded pod IPs, tunl0 takes the first address they left free in their block, not a block of its own', () => {
    const pods = [pod('a', 'w', { podIP: ip('192.168.221.70') }), pod('b', 'w', { podIP: ip('192.168.221.64') }), pod('c', 'w')];
    const c = built(scenario(config('calico-ipip'), [node('w')], pods));
    const w = c.nodes[0];
    expect(w.blocks.map(String)).toEqual(['192.168.221.64/26']);
    expect(formatIpv4(w.tunnelIp!)).toBe('192.168.221.65');
    expect(podIp(c, 'a')).toBe('192.168.221.70');
    expect(podIp(c, 'c')).toBe('192.168.221.66');
    const tunl0 = networkOf(c).get(netnsId.node('w'))!.links.find((l) => l.name === 'tunl0')!;
    expect(tunl0.addrs.map((a) => `${formatIpv4(a.ip)}/${a.prefix}`)).toEqual(['192.168.221.65/32']);
  });

  it('with recorded pod IPs, vxlan.calico and wireguard.cali take the first free ordinals of that block', () => {
    const pods = [pod('a', 'w', { podIP: ip('10.1.2.129') })];
    const c = built(scenario(config('calico-vxlan', { podCIDR: cidr('10.1.0.0/16'), wireguard: true }), [node('w'), node('x')], pods));
    const [w, x] = c.nodes;
    expect(w.blocks.map(String)).toEqual(['10.1.2.128/26']);
    expect([formatIpv4(w.tunnelIp!), formatIpv4(w.wireguardIp!)]).toEqual(['10.1.2.128', '10.1.2.130']);
    // A node without recorded pods claims its own block, tunnel first (ordinal 0).
    expect(x.blocks).toHaveLength(1);
    expect(x.tunnelIp).toBe(x.blocks[0].nth(0));
  });

  // node/pkg/allocateip/allocateip.go reconcileTunnelAddrs keeps a valid recorded address; calico-node
  // writes it to the Node as projectcalico.org/IPv4IPIPTunnelAddr / IPv4VXLANTunnelAddr.
  it('keeps the tunnel address a dumped Node records in its calico annotation', () => {
    const w = node('w');
    const annotated = { ...w, meta: { ...w.meta, annotations: { 'projectcalico.org/IPv4IPIPTunnelAddr': '192.168.221.64' } } };
    const c = built(scenario(config('calico-ipip'), [annotated], [pod('a', 'w', { podIP: ip('192.168.221.65') }), pod('b', 'w')]));
    expect(formatIpv4(c.nodes[0].tunnelIp!)).toBe('192.168.221.64');
    expect(c.nodes[0].blocks.map(String)).toEqual(['192.168.221.64/26']);
    expect(podIp(c, 'b')).toBe('192.168.221.66');
    // An annotation that collides with a recorded pod address is reassigned, as calico-node does.
    const clash = { ...w, meta: { ...w.meta, annotations: { 'projectcalico.org/IPv4IPIPTunnelAddr': '192.168.221.65' } } };
    const c2 = built(scenario(config('calico-ipip'), [clash], [pod('a', 'w', { podIP: ip('192.168.221.65') })]));
    expect(formatIpv4(c2.nodes[0].tunnelIp!)).toBe('192.168.221.64');
  });

  it('claims a new block for the tunnel when the recorded pods fill theirs (AutoAssign: no free affine ordinal)', () => {
    const pods = Array.from({ length: 64 }, (_, i) => pod(`p${i}`, 'w', { podIP: ip(`192.168.7.${i}`) }));
    const c = built(scenario(config('calico-ipip'), [node('w')], pods));
    const w = c.nodes[0];
    expect(w.blocks.map(String)[0]).toBe('192.168.7.0/26');
    expect(w.blocks).toHaveLength(2);
    expect(w.tunnelIp).toBe(w.blocks[1].nth(0));
  });

  it('claims a second block when the first is full', () => {
    const pods = Array.from({ length: 70 }, (_, i) => pod(`p${i}`, 'w'));
    const c = built(scenario(config('calico-ipip'), [node('w')], pods));
    const w = c.nodes[0];
    expect(w.blocks).toHaveLength(2);
    expect(c.pods.get('default/p62')!.attachment!.ip).toBe(w.blocks[0].nth(63));
    expect(c.pods.get('default/p63')!.attachment!.ip).toBe(w.blocks[1].nth(0));
  });
});

describe('buildCluster: cilium (cluster-pool)', () => {
  it('node CIDRs 10.0.0.0/24, 10.0.1.0/24, … in blocks[0]; router and pod IPs inside, random but seeded', () => {
    const c = built(threeNodes('cilium'));
    expect(c.nodes.map((n) => n.blocks[0].toString())).toEqual(['10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24']);
    expect(c.nodes.every((n) => n.podCIDR === null)).toBe(true);
    const w1 = nodeOf(c, 'worker-1');
    expect(w1.blocks[0].contains(w1.routerIp!)).toBe(true);
    const a = c.pods.get('default/a')!.attachment!;
    expect(w1.blocks[0].contains(a.ip)).toBe(true);
    expect(a.ip).not.toBe(w1.routerIp);
    expect(a).toMatchObject({ prefix: 32, mtu: 1500, podIfindex: 6, hostIfindex: 7 });
    expect(a.endpointId).toBeGreaterThanOrEqual(1);
    expect(a.endpointId).toBeLessThanOrEqual(4095);
    expect(a.hostIfname).toMatch(/^lxc[0-9a-f]{12}$/);
    expect(c.pods.get('default/c')!.attachment).toMatchObject({ podIfindex: 8, hostIfindex: 9 });
  });
});

describe('buildCluster: weave', () => {
  it('splits 10.32.0.0/12 among peers; bridge .1 on the first, pods after it', () => {
    const c = built(threeNodes('weave'));
    expect(c.nodes.map((n) => n.blocks[0].toString())).toEqual(['10.32.0.0/14', '10.40.0.0/13', '10.36.0.0/14']);
    expect(c.nodes.map((n) => formatIpv4(n.bridgeIp!))).toEqual(['10.32.0.1', '10.40.0.0', '10.36.0.0']);
    expect(podIp(c, 'a')).toBe('10.40.0.1');
    expect(podIp(c, 'b')).toBe('10.36.0.1');
    expect(c.pods.get('default/a')!.attachment).toMatchObject({ prefix: 12, mtu: 1376, podIfindex: 8, hostIfindex: 9 });
  });
});

describe('buildCluster: aws-vpc', () => {
  it('pod IPs are free subnet addresses (not node IPs, not AWS-reserved), /32', () => {
    const c = built(threeNodes('aws-vpc', { nodeNetwork: cidr('192.168.0.0/24') }));
    const nodeIps = new Set(c.nodes.map((n) => n.ip));
    for (const p of c.pods.values()) {
      const a = p.attachment!;
      expect(cidr('192.168.0.0/24').contains(a.ip)).toBe(true);
      expect(nodeIps.has(a.ip)).toBe(false);
      expect(a.ip & 255).toBeGreaterThanOrEqual(4);
      expect(a.ip & 255).toBeLessThan(255);
      expect(a).toMatchObject({ prefix: 32, podIfindex: 2 });
    }
    expect(c.pods.get('default/a')!.attachment!.hostIfindex).toBe(3);
  });
});

describe('buildCluster: every mode', () => {
  it.each(CNI_MODES)('%s: unique pod IPs, deterministic, builds a network', (mode) => {
    const s = threeNodes(mode);
    const c1 = built(s);
    const c2 = built(threeNodes(mode));
    const ips = [...c1.pods.values()].map((p: PodRec) => p.attachment!.ip);
    expect(new Set(ips).size).toBe(ips.length);
    const strip = (c: Cluster) => JSON.stringify({ nodes: c.nodes, pods: [...c.pods.values()], ipam: c.ipam, rng: c.rngState });
    expect(strip(c1)).toBe(strip(c2));
    const net = networkOf(c1);
    const ns = net.get('node/worker-1' as never)!;
    const indexes = ns.links.map((l) => l.ifindex);
    expect(new Set(indexes).size).toBe(indexes.length);
    expect(net.get('pod/default/a' as never)!.links.find((l) => l.name === 'eth0')).toBeDefined();
  });

  it('gives every pod a 64-hex container id and distinct pids on a node', () => {
    const c = built(threeNodes('flannel'));
    const a = c.pods.get('default/a')!;
    const cc = c.pods.get('default/c')!;
    expect(a.containerId).toMatch(/^[0-9a-f]{64}$/);
    expect(cc.pid).toBeGreaterThan(a.pid + a.containers.length);
  });
});
