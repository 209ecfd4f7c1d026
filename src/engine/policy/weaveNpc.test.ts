import { describe, expect, it } from 'vitest';
import { iptablesSave } from '../kubeproxy';
import { trace } from '../trace/tracer';
import { netpolCluster } from './testkit';
import { weaveShortName } from './weaveNpc';

const DENY_X_A = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-x-b, namespace: x}
spec:
  podSelector: {matchLabels: {pod: a}}
  ingress:
  - from: [{podSelector: {matchLabels: {pod: b}}}]
    ports: [{port: 80, protocol: TCP}]`;

const DENY_EGRESS = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-egress, namespace: y}
spec:
  podSelector: {}
  policyTypes: [Egress]`;

describe('weave-npc', () => {
  const c = netpolCluster('weave', `${DENY_X_A}\n---\n${DENY_EGRESS}`);

  it("weave's ipset names: shortName of the key (matches weave's `weave-;rGqyMIl1HN^cfDki~Z$3]6!N` for default)", () => {
    expect(weaveShortName('ingress-default-allow:default')).toBe(';rGqyMIl1HN^cfDki~Z$3]6!N');
    expect(weaveShortName('egress-default-allow:default')).toBe('s_+ChJId4Uy_$}G;WdH|~TK)I');
  });

  it('drops ingress in the node FORWARD chain on the bridged frame, naming WEAVE-NPC and the DROP rule', () => {
    for (const from of ['x/c', 'z/a']) {
      const r = trace(c, { from, to: 'x/a', proto: 'tcp', port: 80 });
      expect(r.verdict).toBe('dropped');
      const last = r.hops.at(-1)!;
      expect(last.netns).toBe(`node/${c.pods.get('x/a')!.nodeName}`);
      expect(last.action).toBe('netfilter');
      expect(last.detail).toMatch(/^FORWARD weave-npc: FORWARD -o weave -j WEAVE-NPC \(bridged, physdev-out vethwepl\w{7}\): WEAVE-NPC-DEFAULT, WEAVE-NPC-INGRESS: selected by x\/allow-x-b for Ingress, and no rule allows TCP\/80 from .* → DROP \(-A FORWARD -o weave -j DROP\)$/);
    }
    expect(trace(c, { from: 'x/b', to: 'x/a', proto: 'tcp', port: 80 }).verdict).toBe('delivered');
  });

  it('drops egress on the sending node at WEAVE-NPC-EGRESS (the mark rule)', () => {
    const r = trace(c, { from: 'y/a', to: 'z/b', proto: 'tcp', port: 80 });
    expect(r.verdict).toBe('dropped');
    const last = r.hops.at(-1)!;
    expect(last.netns).toBe(`node/${c.pods.get('y/a')!.nodeName}`);
    expect(last.detail).toContain('FORWARD -i weave -j WEAVE-NPC-EGRESS (bridged, physdev-in vethwepl');
    expect(last.detail).toContain('→ DROP (-A WEAVE-NPC-EGRESS -m mark ! --mark 0x40000/0x40000 -j DROP)');
    // Nothing happens in the pods' own namespaces any more.
    expect(r.hops.some((h) => h.action === 'netfilter' && h.netns.startsWith('pod/'))).toBe(false);
  });

  it('iptables-save -t filter shows the WEAVE-NPC chains and the policy rule', () => {
    const save = iptablesSave(c, 'worker-1', 'filter');
    expect(save).toContain(':WEAVE-NPC-INGRESS - [0:0]');
    expect(save).toContain(`-A FORWARD -o weave -m comment --comment "NOTE: this must go before '-j KUBE-FORWARD'" -j WEAVE-NPC`);
    expect(save).toContain('-A WEAVE-NPC-EGRESS -m mark ! --mark 0x40000/0x40000 -j DROP');
    expect(save).toContain('-A WEAVE-NPC-DEFAULT -m set --match-set weave-;rGqyMIl1HN^cfDki~Z$3]6!N dst -m comment --comment "DefaultAllow ingress isolation for namespace: default" -j ACCEPT');
    expect(save).toMatch(/-A WEAVE-NPC-INGRESS -p tcp -m set --match-set weave-\S+ src -m set --match-set weave-\S+ dst -m tcp --dport 80 -m comment --comment "pods: namespace: x, selector: pod=b -> pods: namespace: x, selector: pod=a \(ingress\)" -j ACCEPT/);
    expect(iptablesSave(netpolCluster('calico'), 'worker-1', 'filter')).not.toContain('WEAVE-NPC');
  });
});
