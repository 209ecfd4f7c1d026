import { describe, expect, it } from 'vitest';
import type { Cluster } from '../model/cluster';
import { netnsId } from '../model/ids';
import type { Netns } from '../model/netns';
import { sha1Hex } from '../util/hash';
import { AWS_POD_GATEWAY, awsHostIfname, awsVpcPlugin } from './awsVpc';
import { handCluster, ip4 } from './handCluster';
import { networkOf, NODE_SEGMENT } from './network';
import { routeLine } from './testCluster';

function fixture(): Cluster {
  return handCluster(
    'aws-vpc',
    [
      { name: 'ip-192-168-1-11', ip: '192.168.1.11' },
      { name: 'ip-192-168-1-12', ip: '192.168.1.12' },
      { name: 'ip-192-168-1-13', ip: '192.168.1.13' },
    ],
    [
      { name: 'web-1', node: 'ip-192-168-1-11', ip: '192.168.1.74', hostIfindex: 3 },
      { name: 'web-2', node: 'ip-192-168-1-11', ip: '192.168.1.201', hostIfindex: 4 },
      { name: 'api', node: 'ip-192-168-1-12', ip: '192.168.1.35', hostIfindex: 3 },
      { name: 'db', node: 'ip-192-168-1-13', ip: '192.168.1.150', hostIfindex: 3 },
      { name: 'kube-proxy-x', namespace: 'kube-system', node: 'ip-192-168-1-13', hostNetwork: true, hostIfindex: 0 },
    ],
  );
}

describe('aws-vpc', () => {
  const c = fixture();
  const net = networkOf(c);
  const n1 = net.get(netnsId.node('ip-192-168-1-11')) as Netns;

  it('names host veths eni + sha1("<ns>.<name>")[:11]', () => {
    expect(awsHostIfname('default', 'web-1')).toBe('eni' + sha1Hex('default.web-1').slice(0, 11));
    expect(awsHostIfname('default', 'web-1')).toHaveLength(14);
    expect(c.pods.get('default/web-1')!.attachment!.hostIfname).toBe(awsHostIfname('default', 'web-1'));
  });

  it('lists local pod IPs as eth0 secondary IPs and routes them to their veths', () => {
    const w1 = c.pods.get('default/web-1')!.attachment!;
    const w2 = c.pods.get('default/web-2')!.attachment!;
    expect(n1.links.map((l) => `${l.ifindex}:${l.name}`)).toEqual(['1:lo', '2:eth0', `3:${w1.hostIfname}`, `4:${w2.hostIfname}`]);
    expect(n1.links[1].secondaryIps).toEqual([ip4('192.168.1.74'), ip4('192.168.1.201')]);
    expect(n1.routes.map(routeLine)).toEqual([
      'default via 192.168.1.1 dev eth0 proto static',
      '192.168.1.0/24 dev eth0 proto kernel scope link src 192.168.1.11',
      `192.168.1.74 dev ${w1.hostIfname} scope link`,
      `192.168.1.201 dev ${w2.hostIfname} scope link`,
    ]);
    expect(n1.rules.map((r) => `${r.priority}: ${r.to ? `to ${r.to}` : `fwmark 0x${r.fwmark!.value.toString(16)}`} lookup ${r.table}`)).toEqual([
      '512: to 192.168.1.74/32 lookup main',
      '512: to 192.168.1.201/32 lookup main',
      '1024: fwmark 0x80 lookup main',
    ]);
    expect(n1.links.some((l) => l.kind === 'vxlan' || l.kind === 'bridge')).toBe(false);
  });

  it('gives the pod a /32, the 169.254.1.1 gateway and a permanent ARP entry for it', () => {
    const p = net.get(netnsId.pod('default', 'web-1')) as Netns;
    const a = c.pods.get('default/web-1')!.attachment!;
    expect(p.links[1].addrs).toEqual([{ ip: ip4('192.168.1.74'), prefix: 32, scope: 'global' }]);
    expect(p.routes.map(routeLine)).toEqual(['default via 169.254.1.1 dev eth0', '169.254.1.1 dev eth0 scope link']);
    expect(p.neighbors).toEqual([{ ip: AWS_POD_GATEWAY, dev: 'eth0', mac: a.hostMac, state: 'PERMANENT' }]);
  });

  it('lets the VPC fabric answer for a pod IP with its node ENI', () => {
    expect(net.segments[0].fabric).toBe('vpc');
    const hit = net.arpOnSegment(NODE_SEGMENT, ip4('192.168.1.35'));
    expect(hit?.netns).toBe(netnsId.node('ip-192-168-1-12'));
    expect(hit?.dev).toBe('eth0');
  });

  it('installs the real conflist and binaries', () => {
    const files = awsVpcPlugin.nodeFiles(net.ctx, c.nodes[0]);
    const conf = JSON.parse(files['/etc/cni/net.d/10-aws.conflist']);
    expect(conf.plugins.map((p: { type: string }) => p.type)).toEqual(['aws-cni', 'egress-cni', 'portmap']);
    expect(conf.plugins[0].vethPrefix).toBe('eni');
    expect(awsVpcPlugin.binaries).toEqual(expect.arrayContaining(['aws-cni', 'egress-cni', 'portmap', 'loopback']));
    expect(awsVpcPlugin.daemonSet).toMatchObject({ name: 'aws-node', namespace: 'kube-system', containerName: 'aws-node' });
  });
});
