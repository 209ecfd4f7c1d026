import { describe, expect, it } from 'vitest';
import { cidr, handCluster } from '../cni/handCluster';
import { word } from './bash';
import { fdbCommand, neighborCommand, protoWord, routeCommand } from './iproute2';
import { labNames } from './names';
import { sysctlDevice, sysctlPath } from './sysctlPath';

describe('sysctl paths', () => {
  it('keeps dotted device names whole', () => {
    expect(sysctlPath('net.ipv4.conf.flannel.1.rp_filter', ['lo', 'eth0', 'flannel.1'])).toBe('net/ipv4/conf/flannel.1/rp_filter');
    expect(sysctlPath('net.ipv4.conf.all.rp_filter', ['eth0'])).toBe('net/ipv4/conf/all/rp_filter');
    expect(sysctlPath('net.bridge.bridge-nf-call-iptables', ['eth0'])).toBe('net/bridge/bridge-nf-call-iptables');
    expect(sysctlDevice('net.ipv4.neigh.cali1.proxy_delay', ['cali1'])).toBe('cali1');
    expect(sysctlDevice('net.ipv4.ip_forward', ['cali1'])).toBeUndefined();
  });
});

describe('iproute2 commands', () => {
  it('writes routes as ip route replace, numbers for protocols iproute2 may not name', () => {
    expect(routeCommand('"$P"', { type: 'blackhole', dst: cidr('10.244.0.0/26'), proto: 'bird' })).toBe('ip -n "$P" route replace blackhole 10.244.0.0/26 proto "$PROTO_BIRD"');
    expect(routeCommand('"$P"', { type: 'unicast', dst: cidr('0.0.0.0/0'), via: 0xa9fe0101, dev: 'eth0' })).toBe('ip -n "$P" route replace default via 169.254.1.1 dev eth0');
    expect(routeCommand('"$P"', { type: 'unicast', dst: cidr('10.0.0.0/24'), via: 1, dev: 'eth1', table: '2', proto: '80', onlink: true })).toBe(
      'ip -n "$P" route replace 10.0.0.0/24 via 0.0.0.1 dev eth1 table 2 proto 80 onlink',
    );
    expect(protoWord('dhcp')).toBe('16');
    expect(protoWord('static')).toBe('static');
  });

  it('skips learned neighbours and the bridge\'s own FDB entries', () => {
    expect(neighborCommand('N', { ip: 1, dev: 'eth0', mac: 'aa:bb:cc:dd:ee:ff', state: 'REACHABLE' })).toBeUndefined();
    expect(neighborCommand('N', { ip: 1, dev: 'flannel.1', mac: 'aa:bb:cc:dd:ee:ff', state: 'PERMANENT' })).toBe('ip -n N neigh replace 0.0.0.1 lladdr aa:bb:cc:dd:ee:ff dev flannel.1 nud permanent');
    expect(fdbCommand('N', { mac: 'aa:bb:cc:dd:ee:ff', dev: 'cni0', master: 'cni0', permanent: true })).toBeUndefined();
    expect(fdbCommand('N', { mac: 'aa:bb:cc:dd:ee:ff', dev: 'flannel.1', dst: 2, self: true, permanent: true })).toBe('bridge -n N fdb replace aa:bb:cc:dd:ee:ff dev flannel.1 dst 0.0.0.2 self permanent');
  });

  it('quotes only what needs it', () => {
    expect(word('flannel.1')).toBe('flannel.1');
    expect(word("it's")).toBe(`'it'\\''s'`);
  });
});

describe('lab names', () => {
  it('names namespaces after nodes and pods, and never lets two share one', () => {
    const c = handCluster(
      'flannel',
      [
        { name: 'net', ip: '192.168.1.10', podCIDR: '10.244.0.0/24' },
        { name: 'b', ip: '192.168.1.11', podCIDR: '10.244.1.0/24' },
      ],
      [
        { name: 'b', node: 'net', hostIfindex: 5 },
        { name: 'dns', namespace: 'kube-system', node: 'b', hostIfindex: 5 },
      ],
    );
    const names = labNames(c);
    expect([...names.netns.values()]).toEqual(['net-2', 'b', 'b-2', 'kube-system.dns']);
    expect(names.cable.get('net')).toBe('net');
  });
});
