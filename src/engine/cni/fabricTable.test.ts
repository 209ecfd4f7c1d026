import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Cidr } from '../addressing/ipv4';
import type { FabricRoute } from '../model/netns';
import { FabricTable } from './fabricTable';

const route = (dst: string, node: string, kind: FabricRoute['kind'] = 'alias-range', reach: FabricRoute['reach'] = 'vpc'): FabricRoute => ({ dst: Cidr.parse(dst)!, node, dev: 'eth0', kind, reach });

describe('FabricTable', () => {
  it('picks the longest prefix, and hides cluster-only routes from VMs outside the cluster', () => {
    const t = new FabricTable([route('10.4.0.0/24', 'n1'), route('10.4.1.0/24', 'n2'), route('10.4.1.7/32', 'n3', 'secondary-ip'), route('10.244.0.0/24', 'n1', 'overlay-range', 'cluster')]);
    const at = (ip: string, from?: 'cluster' | 'vpc') => t.lookup(Cidr.parse(`${ip}/32`)!.network, from)?.node;
    expect(at('10.4.0.9')).toBe('n1');
    expect(at('10.4.1.9')).toBe('n2');
    expect(at('10.4.1.7')).toBe('n3');
    expect(at('10.4.2.1')).toBeUndefined();
    expect(at('10.244.0.5', 'cluster')).toBe('n1');
    expect(at('10.244.0.5', 'vpc')).toBeUndefined();
  });

  it('agrees with a linear longest-prefix scan', () => {
    const arb = fc.array(fc.record({ net: fc.integer({ min: 0, max: 0xffff }), len: fc.integer({ min: 16, max: 32 }) }), { maxLength: 30 });
    fc.assert(
      fc.property(arb, fc.integer({ min: 0, max: 0xffff }), (specs, probe) => {
        const routes = specs.map((s, i) => ({ dst: new Cidr((10 << 24) | (s.net << 8), s.len), node: `n${i}`, dev: 'eth0', kind: 'alias-range' as const, reach: 'vpc' as const }));
        const ip = ((10 << 24) | (probe << 8) | (probe & 0xff)) >>> 0;
        let best: FabricRoute | undefined;
        for (const r of routes) if (r.dst.contains(ip) && (!best || r.dst.prefix > best.dst.prefix)) best = r;
        const got = new FabricTable(routes).lookup(ip);
        expect(got?.dst.toString()).toBe(best?.dst.toString());
      }),
    );
  });
});
