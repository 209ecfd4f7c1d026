import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Cidr, formatIpv4, MAX_IPV4 } from './ipv4';
import { NodeIpAllocator } from './ipam/nodeIps';

describe('Cidr arithmetic never wraps past 255.255.255.255', () => {
  it('nth and subnet refuse offsets outside the address space or the block', () => {
    const top = Cidr.parse('255.255.255.248/29')!;
    expect(formatIpv4(top.nth(7))).toBe('255.255.255.255');
    expect(() => top.nth(8)).toThrow(RangeError);
    expect(() => Cidr.parse('0.0.0.0/29')!.nth(-1)).toThrow(RangeError);
    expect(top.has(7)).toBe(true);
    expect(top.has(8)).toBe(false);
    expect(top.subnet(30, 1).toString()).toBe('255.255.255.252/30');
    expect(() => top.subnet(30, 2)).toThrow(RangeError);
  });

  it('every address nth gives lies in the 32-bit space, and inside the block for offsets below its size', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_IPV4 }), fc.integer({ min: 0, max: 32 }), fc.nat(), (ip, prefix, i) => {
        const c = new Cidr(ip, prefix);
        const off = i % c.size;
        expect(c.contains(c.nth(off))).toBe(true);
        expect(c.nth(off)).toBeLessThanOrEqual(MAX_IPV4);
      }),
      { seed: 7, numRuns: 300 },
    );
  });
});

describe('NodeIpAllocator', () => {
  it('reports exhaustion instead of handing out 0.0.0.x at the top of the address space', () => {
    const a = new NodeIpAllocator(Cidr.parse('255.255.255.248/29')!, new Set());
    expect(a.next()).toEqual({ ok: false, message: 'no free address left in the node network 255.255.255.248/29 (nodes are numbered from .10)' });
    const b = new NodeIpAllocator(Cidr.parse('255.255.255.240/28')!, new Set());
    const got = [b.next(), b.next(), b.next(), b.next(), b.next(), b.next()];
    expect(got.filter((r) => r.ok).map((r) => (r.ok ? formatIpv4(r.ip) : ''))).toEqual(['255.255.255.250', '255.255.255.251', '255.255.255.252', '255.255.255.253', '255.255.255.254']);
    expect(got[5].ok).toBe(false);
    expect(b.keep(Cidr.parse('255.255.255.241/32')!.network)).toEqual({ ok: false, message: '255.255.255.241 is the node network\'s gateway' });
  });
});
