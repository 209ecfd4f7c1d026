import { describe, expect, it } from 'vitest';
import { cidr, ip4 } from '../cni/handCluster';
import type { Link, Netns, Route } from '../model/netns';
import { renderRoute } from './render';
import { lookupRoute, selectSource } from './routeTable';

const link = (name: string, addrs: [string, number][] = [], extra: Partial<Link> = {}): Link => ({
  ifindex: 1,
  name,
  kind: 'ether',
  mtu: 1500,
  mac: '02:00:00:00:00:01',
  operState: 'UP',
  flags: [],
  addrs: addrs.map(([ip, prefix]) => ({ ip: ip4(ip), prefix, scope: 'global' as const })),
  qdisc: 'noqueue',
  ...extra,
});

function ns(routes: Route[], extra: Partial<Netns> = {}): Netns {
  return {
    id: 'node/n' as Netns['id'],
    kind: 'node',
    hostname: 'n',
    links: [link('lo', [['127.0.0.1', 8]], { kind: 'loopback' }), link('eth0', [['192.168.1.11', 24]]), link('tun', [], { operState: 'DOWN' }), link('wg', [['10.9.0.1', 32]])],
    routes,
    rules: [],
    neighbors: [],
    fdb: [],
    sysctl: {},
    ...extra,
  };
}

const u = (dst: string, more: Partial<Route> = {}): Route => ({ type: 'unicast', dst: cidr(dst), dev: 'eth0', ...more });
const get = (n: Netns, dst: string, more = {}) => {
  const m = lookupRoute(n, { dst: ip4(dst), ...more });
  return m ? renderRoute(m.route) : undefined;
};

describe('route lookup', () => {
  it('longest prefix, then lowest metric; the local table is derived from addresses', () => {
    const n = ns([u('0.0.0.0/0', { via: ip4('192.168.1.1') }), u('10.0.0.0/8', { metric: 200 }), u('10.0.0.0/8', { metric: 100, via: ip4('192.168.1.2') }), u('10.1.0.0/16')]);
    expect(get(n, '8.8.8.8')).toBe('default via 192.168.1.1 dev eth0');
    expect(get(n, '10.2.3.4')).toBe('10.0.0.0/8 via 192.168.1.2 dev eth0 metric 100');
    expect(get(n, '10.1.3.4')).toBe('10.1.0.0/16 dev eth0');
    expect(get(n, '192.168.1.11')).toBe('local 192.168.1.11 dev eth0 table local proto kernel scope host src 192.168.1.11');
    expect(get(n, '127.0.0.9')).toBe('local 127.0.0.0/8 dev lo table local proto kernel scope host src 127.0.0.1');
  });

  it('skips routes on a DOWN device; no match is undefined', () => {
    const n = ns([u('10.0.0.0/8'), u('10.1.0.0/16', { dev: 'tun' })]);
    expect(get(n, '10.1.0.1')).toBe('10.0.0.0/8 dev eth0');
    expect(get(n, '11.0.0.1')).toBeUndefined();
  });

  it('rules: priority order, fwmark with not, iif, from; an empty table falls through', () => {
    const n = ns([u('0.0.0.0/0', { via: ip4('192.168.1.1') }), u('10.2.0.0/16', { dev: 'wg', table: '1' }), u('10.3.0.0/16', { table: '7' })], {
      rules: [
        { priority: 99, not: true, fwmark: { value: 0x100000, mask: 0x100000 }, table: '1' },
        { priority: 50, iif: 'cali1', table: '7' },
        { priority: 60, from: cidr('10.5.0.0/16'), table: '7' },
      ],
    });
    expect(get(n, '10.2.0.1')).toBe('10.2.0.0/16 dev wg table 1');
    expect(get(n, '10.2.0.1', { mark: 0x100000 })).toBe('default via 192.168.1.1 dev eth0');
    expect(get(n, '10.4.0.1')).toBe('default via 192.168.1.1 dev eth0');
    expect(lookupRoute(n, { dst: ip4('10.2.0.1') })?.rule?.priority).toBe(99);
    expect(get(n, '10.3.0.1', { iif: 'cali1' })).toBe('10.3.0.0/16 dev eth0 table 7');
    expect(get(n, '10.3.0.1', { iif: 'lo' })).toBe('default via 192.168.1.1 dev eth0');
    expect(get(n, '10.3.0.1', { src: ip4('10.5.0.9') })).toBe('10.3.0.0/16 dev eth0 table 7');
  });

  it('picks the source: route src, else the device address, else another device', () => {
    const n = ns([]);
    expect(selectSource(n, u('10.0.0.0/8', { src: ip4('1.2.3.4') }))).toBe(ip4('1.2.3.4'));
    expect(selectSource(n, u('10.0.0.0/8'))).toBe(ip4('192.168.1.11'));
    expect(selectSource(n, u('10.0.0.0/8', { dev: 'tun' }))).toBe(ip4('192.168.1.11'));
  });

  it('sees routes added to a namespace after its first lookup', () => {
    const n = ns([]);
    expect(get(n, '10.0.0.1')).toBeUndefined();
    n.routes.push(u('10.0.0.0/8'));
    expect(get(n, '10.0.0.1')).toBe('10.0.0.0/8 dev eth0');
  });
});
