import { describe, expect, it } from 'vitest';
import { cordonNode, drainNode, UNSCHEDULABLE_TAINT } from './nodes';
import { currentRs, expectEndpointsFollow, load, must, podsOf } from './testCluster';

describe('cordon / uncordon', () => {
  it('sets spec.unschedulable and the taint the node lifecycle controller adds, and the kubelet records it', () => {
    const c = load();
    const cordoned = must(cordonNode(c, 'worker-1', true));
    const n = cordoned.nodes.find((x) => x.meta.name === 'worker-1')!;
    expect(n.unschedulable).toBe(true);
    expect(n.taints).toEqual([UNSCHEDULABLE_TAINT]);
    expect(cordoned.events?.at(-1)).toMatchObject({ reason: 'NodeNotSchedulable', message: 'Node worker-1 status is now: NodeNotSchedulable', source: { component: 'kubelet', host: 'worker-1' } });
    // Pods stay where they are.
    expect([...cordoned.pods.values()].filter((p) => p.nodeName === 'worker-1').length).toBe([...c.pods.values()].filter((p) => p.nodeName === 'worker-1').length);
    expect(must(cordonNode(cordoned, 'worker-1', true))).toBe(cordoned);
    const back = must(cordonNode(cordoned, 'worker-1', false));
    const m = back.nodes.find((x) => x.meta.name === 'worker-1')!;
    expect(m.unschedulable).toBeUndefined();
    expect(m.taints).toBeUndefined();
    expect(back.events?.at(-1)?.reason).toBe('NodeSchedulable');
  });

  it('refuses an unknown node', () => {
    const r = cordonNode(load(), 'nope', true);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0].message).toBe('Error from server (NotFound): nodes "nope" not found');
  });
});

describe('drain', () => {
  it("refuses DaemonSet pods and bare pods with kubectl's words, naming every pod", () => {
    const c = load();
    const r = drainNode(c, 'worker-1', {});
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const messages = r.errors.map((e) => e.message);
    // One error per filter message, in the order the listed pods (namespace, name) first meet them.
    expect(messages).toEqual([
      'cannot delete cannot delete Pods that declare no controller (use --force to override): default/client',
      expect.stringMatching(/^cannot delete DaemonSet-managed Pods \(use --ignore-daemonsets to ignore\): kube-flannel\/kube-flannel-ds-\w{5}, kube-system\/kube-proxy-\w{5}$/),
    ]);
  });

  it('with --ignore-daemonsets --force: evicts the rest, keeps DaemonSet pods, replaces ReplicaSet pods on other nodes', () => {
    const c = load();
    const rs = currentRs(c);
    const onNode = (x: typeof c, node: string) => [...x.pods.values()].filter((p) => p.nodeName === node).map((p) => `${p.meta.namespace}/${p.meta.name}`);
    const before = onNode(c, 'worker-1');
    const webBefore = before.filter((k) => k.startsWith(`default/${rs}-`));
    expect(webBefore.length).toBeGreaterThan(0);
    const d = must(drainNode(c, 'worker-1', { ignoreDaemonSets: true, force: true }));
    expect(d.cordoned).toBe(true);
    expect(d.evicted).toEqual(before.filter((k) => !/kube-(flannel|proxy)/.test(k)).sort());
    expect(d.ignoredDaemonSetPods.length).toBe(2);
    expect(d.warnings).toEqual(['deleting Pods that declare no controller: default/client', expect.stringMatching(/^ignoring DaemonSet-managed Pods: kube-flannel\/kube-flannel-ds-\w{5}, kube-system\/kube-proxy-\w{5}$/)]);
    const after = onNode(d.cluster, 'worker-1');
    expect(after.every((k) => /kube-(flannel|proxy)/.test(k))).toBe(true);
    expect(podsOf(d.cluster, rs).length).toBe(3);
    expect(d.cluster.pods.has('default/client')).toBe(false);
    for (const k of webBefore) expect(d.cluster.pods.has(k)).toBe(false);
    const reasons = (d.cluster.events ?? []).map((e) => e.reason);
    expect(reasons).toContain('Killing');
    expect(reasons).toContain('SuccessfulCreate');
    expectEndpointsFollow(d.cluster);
  });
});
