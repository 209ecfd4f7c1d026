import { describe, expect, it } from 'vitest';
import { formatIpv4 } from '../addressing/ipv4';
import type { NodeRec } from '../model/cluster';
import { ciliumPlugin } from './cilium';
import { addCalicoWireguard, base64, CILIUM_WG, wireguardDevice, wireguardPublicKey } from './wireguard';
import { baseNodeNetns } from './common';
import { calicoPlugin } from './calico';
import { cidr, renderRoute, renderRule, testCluster, testConfig, testContext } from './testCluster';

describe('base64', () => {
  it('matches RFC 4648 test vectors', () => {
    const enc = (s: string) => base64(new TextEncoder().encode(s));
    expect(['', 'f', 'fo', 'foo', 'foob', 'fooba', 'foobar'].map(enc)).toEqual(['', 'Zg==', 'Zm8=', 'Zm9v', 'Zm9vYg==', 'Zm9vYmE=', 'Zm9vYmFy']);
  });
  it('makes 44-character keys, stable per (seed, device, node)', () => {
    const k = wireguardPublicKey(1, 'wireguard.cali', 'a');
    expect(k).toHaveLength(44);
    expect(k).toBe(wireguardPublicKey(1, 'wireguard.cali', 'a'));
    expect(k).not.toBe(wireguardPublicKey(2, 'wireguard.cali', 'a'));
    expect(k).not.toBe(wireguardPublicKey(1, 'cilium_wg0', 'a'));
  });
});

describe('wireguardDevice for Cilium (cilium_wg0)', () => {
  const config = testConfig('cilium', { wireguard: true });
  const cluster = testCluster(ciliumPlugin, config, [
    { name: 'a', ip: '192.168.0.11', podCIDR: '10.0.0.0/24' },
    { name: 'b', ip: '192.168.0.12', podCIDR: '10.0.1.0/24' },
    { name: 'c', ip: '192.168.0.13' },
  ]);
  const link = wireguardDevice(cluster, cluster.nodes[0], {
    name: CILIUM_WG.dev,
    ifindex: 7,
    listenPort: CILIUM_WG.port,
    mtu: 1420,
    allowedIpsOf: (n: NodeRec) => (n.podCIDR ? [n.podCIDR] : []),
  });
  it('has one peer per other node with pod ranges, endpoint = node IP:51871', () => {
    expect(link).toMatchObject({ name: 'cilium_wg0', ifindex: 7, kind: 'wireguard', mtu: 1420, addrs: [], mac: '' });
    expect(link.wireguard!.listenPort).toBe(51871);
    expect(link.wireguard!.peers.map((p) => `${formatIpv4(p.endpoint.ip)}:${p.endpoint.port} ${p.allowedIps.join(',')}`)).toEqual([
      '192.168.0.12:51871 10.0.1.0/24',
    ]);
  });
});

describe('addCalicoWireguard', () => {
  it('adds the link, the fwmark rule and table-1 routes to every other node block, sorted', () => {
    const config = testConfig('calico', { wireguard: true, nodeNetwork: cidr('10.0.0.0/24') });
    const cluster = testCluster(calicoPlugin, config, [
      { name: 'a', ip: '10.0.0.11', blocks: ['192.168.1.0/26'] },
      { name: 'b', ip: '10.0.0.12', blocks: ['192.168.9.0/26', '192.168.2.64/26'] },
      { name: 'c', ip: '10.0.0.13', blocks: [] },
    ]);
    const ctx = testContext(calicoPlugin, cluster);
    const ns = baseNodeNetns(ctx, cluster.nodes[0]);
    const link = addCalicoWireguard(cluster, ns, cluster.nodes[0], { ifindex: 3, address: cluster.nodes[0].blocks[0].network });
    expect(link.wireguard!.peers).toHaveLength(1); // c has no blocks yet: not a peer
    expect(ns.rules.map(renderRule)).toEqual(['99:\tnot from all fwmark 0x100000/0x100000 lookup 1']);
    expect(ns.routes.filter((r) => r.table === '1').map(renderRoute)).toEqual([
      '192.168.2.64/26 dev wireguard.cali table 1 scope link',
      '192.168.9.0/26 dev wireguard.cali table 1 scope link',
    ]);
  });
});
