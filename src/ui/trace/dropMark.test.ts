import { describe, expect, it } from 'vitest';
import { denyIngressYaml, netpolCluster } from '../../engine/policy/testkit';
import { trace } from '../../engine/trace/tracer';
import { dropMarkOf } from './dropMark';
import { flattenHops } from './playback';

const DENY = denyIngressYaml('x', 'deny-c', 'c');

describe('dropMarkOf', () => {
  it('marks the last hop of a dropped leg with the policy and the enforcement point, on every enforcing CNI', () => {
    const where: Record<string, RegExp> = { calico: /\(calico-felix in FORWARD, ingress\)$/, weave: /\(weave-npc in FORWARD, ingress\)$/, cilium: /\(eBPF cil_[a-z_]+, ingress\)$/ };
    for (const cni of ['calico', 'weave', 'cilium'] as const) {
      const r = trace(netpolCluster(cni, DENY), { from: 'x/a', to: 'x/c', proto: 'tcp', port: 80 });
      expect(r.verdict, cni).toBe('dropped');
      const hops = flattenHops(r);
      const mark = dropMarkOf(hops[hops.length - 1], r)!;
      expect(mark.policies).toEqual(['x/deny-c']);
      expect(mark.label).toMatch(/^✕ dropped by NetworkPolicy deny-c /);
      expect(mark.label, cni).toMatch(where[cni]);
      // Only where it died: the hops before carry no mark.
      expect(hops.slice(0, -1).every((h) => dropMarkOf(h, r) === undefined)).toBe(true);
    }
  });

  it('a delivered trace has no drop; another drop says its reason', () => {
    const ok = trace(netpolCluster('flannel', DENY), { from: 'x/a', to: 'x/c', proto: 'tcp', port: 80 });
    expect(flattenHops(ok).every((h) => dropMarkOf(h, ok) === undefined)).toBe(true);
    const none = trace(netpolCluster('calico'), { from: 'x/a', to: '10.99.0.1', proto: 'tcp', port: 80 });
    expect(none.verdict).toBe('unreachable');
    const hops = flattenHops(none);
    expect(dropMarkOf(hops[hops.length - 1], none)!.label).toBe(`✕ UNREACHABLE: ${none.reason}`);
  });
});
