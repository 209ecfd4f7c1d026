import { describe, expect, it } from 'vitest';
import { formatIpv4 } from '../addressing/ipv4';
import type { Cluster } from '../model/cluster';
import { netnsId } from '../model/ids';
import type { Netns } from '../model/netns';
import type { PacketRepr } from '../model/packet';
import { handCluster, ip4 } from './handCluster';
import { networkOf } from './network';
import { weaveArp, weaveHostIfname, weavePlugin, weaveShortId } from './weave';
import { bpfProgramsFor } from '../trace/datapath';
import { routeLine } from './testCluster';

function fixture(): Cluster {
  return handCluster(
    'weave',
    [
      { name: 'node-1', ip: '192.168.1.11', extra: { bridgeIp: ip4('10.32.0.1') } },
      { name: 'node-2', ip: '192.168.1.12', extra: { bridgeIp: ip4('10.44.0.0') } },
      { name: 'node-3', ip: '192.168.1.13', extra: { bridgeIp: ip4('10.40.0.0') } },
    ],
    [
      { name: 'a', node: 'node-1', ip: '10.32.0.2', hostIfindex: 9 },
      { name: 'b', node: 'node-1', ip: '10.32.0.3', hostIfindex: 11 },
      { name: 'c', node: 'node-2', ip: '10.44.0.7', hostIfindex: 9 },
      { name: 'd', node: 'node-3', ip: '10.40.0.1', hostIfindex: 9 },
    ],
  );
}

function packet(src: string, dst: string, dstMac?: string): PacketRepr {
  return {
    ...(dstMac ? { eth: { src: '02:00:00:00:00:01', dst: dstMac } } : {}),
    ip: { src: ip4(src), dst: ip4(dst), ttl: 64, df: true, id: 1 },
    l4: { proto: 'tcp', srcPort: 40000, dstPort: 80, flags: 'S' },
    payloadLen: 0,
    encap: [],
  };
}

describe('weave', () => {
  const c = fixture();
  const net = networkOf(c);
  const n1 = net.get(netnsId.node('node-1')) as Netns;
  const run = (nodeName: string, dev: string, p: PacketRepr) => {
    const ns = net.get(netnsId.node(nodeName)) as Netns;
    const link = ns.links.find((l) => l.name === dev)!;
    return bpfProgramsFor('weave')![link.tcIngress!]({ cluster: c, network: net, netns: ns, link, packet: p });
  };

  it('names host veths vethwepl + container id[:7]', () => {
    const a = c.pods.get('default/a')!;
    expect(a.attachment!.hostIfname).toBe(weaveHostIfname(a.containerId));
    expect(a.attachment!.hostIfname).toBe('vethwepl' + a.containerId.slice(0, 7));
    expect(a.attachment!.hostIfname).toHaveLength(15);
  });

  it('builds the weave bridge, the datapath, the vethwe pair and vxlan-6784', () => {
    const a = c.pods.get('default/a')!.attachment!;
    expect(n1.links.map((l) => `${l.ifindex}:${l.name}:${l.kind}:${l.mtu}${l.master ? ':' + l.master : ''}`)).toEqual([
      '1:lo:loopback:65536',
      '2:eth0:ether:1500',
      '3:datapath:openvswitch:1376',
      '4:weave:bridge:1376',
      '5:vethwe-datapath:veth:1376:datapath',
      '6:vethwe-bridge:veth:1376:weave',
      '7:vxlan-6784:vxlan:65535:datapath',
      `9:${a.hostIfname}:veth:1376:weave`,
      `11:${c.pods.get('default/b')!.attachment!.hostIfname}:veth:1376:weave`,
    ]);
    const weave = n1.links.find((l) => l.name === 'weave')!;
    expect(weave.addrs.map((x) => `${formatIpv4(x.ip)}/${x.prefix}`)).toEqual(['10.32.0.1/12']);
    const vx = n1.links.find((l) => l.name === 'vxlan-6784')!;
    expect(vx.vxlan).toMatchObject({ port: 6784, external: true });
    expect(n1.routes.map(routeLine)).toContain('10.32.0.0/12 dev weave proto kernel scope link src 10.32.0.1');
  });

  it('keeps a converged FDB: local pods on their ports, remote ones behind vethwe-bridge', () => {
    const a = c.pods.get('default/a')!.attachment!;
    const cc = c.pods.get('default/c')!.attachment!;
    expect(n1.fdb).toContainEqual({ mac: a.podMac, dev: a.hostIfname, master: 'weave', permanent: false });
    expect(n1.fdb).toContainEqual({ mac: cc.podMac, dev: 'vethwe-bridge', master: 'weave', permanent: false });
  });

  it('gives pods the range prefix, the bridge as gateway and the /12 connected route', () => {
    const p = net.get(netnsId.pod('default', 'c')) as Netns;
    expect(p.links[1].addrs.map((x) => `${formatIpv4(x.ip)}/${x.prefix}`)).toEqual(['10.44.0.7/12']);
    expect(p.links[1].mtu).toBe(1376);
    expect(p.routes.map(routeLine)).toEqual(['default via 10.44.0.0 dev eth0', '10.32.0.0/12 dev eth0 proto kernel scope link src 10.44.0.7']);
  });

  it('ODP sends frames for a remote pod MAC to its peer over vxlan-6784', () => {
    const cc = c.pods.get('default/c')!.attachment!;
    const v = run('node-1', 'vethwe-datapath', packet('10.32.0.2', '10.44.0.7', cc.podMac));
    expect(v).toMatchObject({ kind: 'redirect', dev: 'vxlan-6784', tunnelRemote: ip4('192.168.1.12'), tunnelVni: (weaveShortId('node-1') << 12) | weaveShortId('node-2') });
    expect(v.detail).toContain(`EthernetFlowKey{dst: ${cc.podMac}}`);
    // Without a MAC the flow is keyed on the owner of the destination IP.
    expect(run('node-1', 'vethwe-datapath', packet('10.32.0.2', '10.40.0.1'))).toMatchObject({ kind: 'redirect', tunnelRemote: ip4('192.168.1.13') });
    expect(run('node-1', 'vethwe-datapath', packet('10.32.0.2', '10.33.9.9')).kind).toBe('drop');
  });

  it('ODP outputs tunnel frames for a local pod to vethwe-datapath and drops others', () => {
    const cc = c.pods.get('default/c')!.attachment!;
    expect(run('node-2', 'vxlan-6784', packet('10.32.0.2', '10.44.0.7', cc.podMac))).toMatchObject({ kind: 'redirect', dev: 'vethwe-datapath' });
    expect(run('node-3', 'vxlan-6784', packet('10.32.0.2', '10.44.0.7', cc.podMac)).kind).toBe('drop');
  });

  it('answers ARP for any pod IP with the pod MAC', () => {
    expect(weaveArp(c, ip4('10.40.0.1'))?.mac).toBe(c.pods.get('default/d')!.attachment!.podMac);
    expect(weaveArp(c, ip4('10.40.0.9'))).toBeUndefined();
  });

  it('installs 10-weave.conflist and the weave binaries', () => {
    const conf = JSON.parse(weavePlugin.nodeFiles(net.ctx, c.nodes[0])['/etc/cni/net.d/10-weave.conflist']);
    expect(conf.plugins[0]).toEqual({ name: 'weave', type: 'weave-net', hairpinMode: true });
    expect(weavePlugin.binaries).toEqual(expect.arrayContaining(['weave-net', 'weave-ipam', 'portmap']));
    expect(weavePlugin.daemonSet).toMatchObject({ name: 'weave-net', namespace: 'kube-system', containerName: 'weave' });
  });
});
