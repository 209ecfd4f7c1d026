import { describe, expect, it } from 'vitest';
import { Cidr, parseIpv4 } from '../addressing/ipv4';
import type { Netns } from '../model/netns';
import { bridgeFdb, formatRoute, ipNeigh, ipRoute, linkLocal6 } from './iproute2';

const ip = (s: string) => parseIpv4(s)!;
const cidr = (s: string) => Cidr.parse(s)!;

describe('iproute2 formatting', () => {
  it('prints routes as ip route does', () => {
    expect(formatRoute({ type: 'unicast', dst: cidr('10.244.2.0/24'), via: ip('10.244.2.0'), dev: 'flannel.1', onlink: true })).toBe('10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink ');
    expect(formatRoute({ type: 'blackhole', dst: cidr('10.244.0.0/26'), proto: 'bird' })).toBe('blackhole 10.244.0.0/26 proto bird ');
    expect(formatRoute({ type: 'unicast', dst: cidr('0.0.0.0/0'), via: ip('169.254.1.1'), dev: 'eth0' })).toBe('default via 169.254.1.1 dev eth0 ');
    expect(formatRoute({ type: 'unicast', dst: cidr('10.244.1.5/32'), dev: 'cali1', scope: 'link' })).toBe('10.244.1.5 dev cali1 scope link ');
    expect(formatRoute({ type: 'unicast', dst: cidr('10.244.1.0/24'), dev: 'eth0', proto: 'kernel', scope: 'link', src: ip('10.244.1.2') }, 'busybox')).toBe('10.244.1.0/24 dev eth0 scope link  src 10.244.1.2 ');
  });

  it('derives EUI-64 link-local addresses', () => {
    expect(linkLocal6('0a:58:0a:f4:01:05')).toBe('fe80::858:aff:fef4:105');
    expect(linkLocal6('02:42:ac:11:00:02')).toBe('fe80::42:acff:fe11:2');
  });

  const ns: Netns = {
    id: 'node/n' as Netns['id'],
    kind: 'node',
    hostname: 'n',
    links: [],
    routes: [{ type: 'unicast', dst: cidr('10.0.0.0/24'), dev: 'eth0', table: '100' }],
    rules: [],
    neighbors: [{ ip: ip('10.244.2.0'), dev: 'flannel.1', mac: 'aa:bb:cc:dd:ee:ff', state: 'PERMANENT' }],
    fdb: [{ mac: 'aa:bb:cc:dd:ee:ff', dev: 'flannel.1', dst: ip('192.168.1.12'), self: true, permanent: true }],
    sysctl: {},
  };

  it('prints neighbours, fdb and other tables', () => {
    expect(ipNeigh(ns).stdout).toBe('10.244.2.0 dev flannel.1 lladdr aa:bb:cc:dd:ee:ff PERMANENT\n');
    expect(bridgeFdb(ns).stdout).toBe('aa:bb:cc:dd:ee:ff dev flannel.1 dst 192.168.1.12 self permanent\n');
    expect(ipRoute(ns).stdout).toBe('');
    expect(ipRoute(ns, { table: '100' }).stdout).toBe('10.0.0.0/24 dev eth0 \n');
    expect(ipNeigh(ns, 'eth9')).toMatchObject({ stderr: 'Cannot find device "eth9"\n', status: 1 });
  });
});
