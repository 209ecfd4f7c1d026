/**
 * Properties of NetworkPolicy semantics over random policies on the x/y/z × a/b/c topology:
 * no policies → everything allowed; adding an allow rule never removes a connection; adding a
 * policy that selects a pod never adds a connection to it; the matrix agrees with real traces
 * (calico iptables and cilium eBPF enforcement). Plus the classic mistakes, reproduced.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Cluster } from '../model/cluster';
import { applyManifests } from '../controllers/commands';
import { trace } from '../trace/tracer';
import { evaluateConnection } from './evaluate';
import { explainConnection } from './explain';
import { connectivityMatrix, isAllowed, type Matrix } from './matrix';
import { policyIndexOf } from './policyIndex';
import { netpolCluster } from './testkit';

const apply = (c: Cluster, docs: object[]): Cluster => {
  if (!docs.length) return c;
  const r = applyManifests(c, [{ name: 'p.yaml', text: docs.map((d) => JSON.stringify(d)).join('\n---\n') }]);
  if (!r.ok) throw new Error(r.errors.map((e) => `${e.field}: ${e.message}`).join('\n'));
  return r.value.cluster;
};

const ns = fc.constantFrom('x', 'y', 'z');
const podSel = fc.oneof(fc.constant({}), fc.constantFrom('a', 'b', 'c').map((p) => ({ matchLabels: { pod: p } })), fc.constant({ matchExpressions: [{ key: 'pod', operator: 'NotIn', values: ['a'] }] }));
const nsSel = fc.constantFrom('x', 'y', 'z').map((n) => ({ matchLabels: { 'kubernetes.io/metadata.name': n } }));
const peer = fc.oneof(podSel.map((s) => ({ podSelector: s })), nsSel.map((s) => ({ namespaceSelector: s })), fc.tuple(podSel, nsSel).map(([p, n]) => ({ podSelector: p, namespaceSelector: n })));
const ports = fc.oneof(fc.constant(undefined), fc.constant([{ port: 80 }]), fc.constant([{ port: 81 }]), fc.constant([{ port: 'serve-80-tcp' }]), fc.constant([{ port: 80, endPort: 81 }]));
const rule = fc.tuple(fc.option(fc.array(peer, { maxLength: 2 }), { nil: undefined }), ports).map(([peers, p]) => ({ ...(peers ? { peers } : {}), ...(p ? { ports: p } : {}) }));
const policy = fc.record({ ns, podSelector: podSel, ingress: fc.option(fc.array(rule, { maxLength: 2 }), { nil: undefined }), egress: fc.option(fc.array(rule, { maxLength: 2 }), { nil: undefined }) });
type P = { ns: string; podSelector: object; ingress?: { peers?: object[]; ports?: object[] }[]; egress?: { peers?: object[]; ports?: object[] }[] };

function manifest(p: P, i: number): object {
  const types: string[] = [];
  const spec: Record<string, unknown> = { podSelector: p.podSelector };
  if (p.ingress) {
    types.push('Ingress');
    spec.ingress = p.ingress.map((r) => ({ ...(r.peers ? { from: r.peers } : {}), ...(r.ports ? { ports: r.ports } : {}) }));
  }
  if (p.egress) {
    types.push('Egress');
    spec.egress = p.egress.map((r) => ({ ...(r.peers ? { to: r.peers } : {}), ...(r.ports ? { ports: r.ports } : {}) }));
  }
  if (!types.length) types.push('Ingress');
  spec.policyTypes = types;
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: `p${i}`, namespace: p.ns }, spec };
}

const base = netpolCluster('calico');
const mat = (c: Cluster, port = 80) => connectivityMatrix(c, { proto: 'TCP', port });
const count = (m: Matrix) => m.allowed.reduce((a, b) => a + b, 0);
const RUNS = { numRuns: 60, seed: 20240501 };

describe('NetworkPolicy properties', () => {
  it('with no policies everything is allowed', () => {
    const m = mat(base);
    expect(count(m)).toBe(m.pods.length ** 2);
  });

  it('the matrix agrees with evaluateConnection on every pair', () => {
    fc.assert(
      fc.property(fc.array(policy, { maxLength: 4 }), (ps) => {
        const c = apply(base, ps.map((p, i) => manifest(p as P, i)));
        const m = mat(c);
        const idx = policyIndexOf(c);
        m.pods.forEach((f, i) =>
          m.pods.forEach((t, j) => {
            const want = i === j || evaluateConnection(idx, idx.podEndpoint(c.pods.get(f)!), idx.podEndpoint(c.pods.get(t)!), 'TCP', 80).allowed;
            expect(isAllowed(m, i, j)).toBe(want);
          }),
        );
      }),
      RUNS,
    );
  });

  it('adding an allow rule never removes a connection', () => {
    fc.assert(
      fc.property(fc.array(policy, { minLength: 1, maxLength: 4 }), rule, fc.boolean(), (ps, extra, toIngress) => {
        const before = mat(apply(base, ps.map((p, i) => manifest(p as P, i))));
        const widened = ps.map((p, i) => (i === 0 ? { ...p, ...(toIngress ? { ingress: [...(p.ingress ?? []), extra] } : { egress: [...(p.egress ?? []), extra] }) } : p));
        // Widening must not change which directions the policy isolates.
        if (toIngress ? !ps[0].ingress : !ps[0].egress) return;
        const after = mat(apply(base, widened.map((p, i) => manifest(p as P, i))));
        for (let k = 0; k < before.allowed.length; k++) if (before.allowed[k]) expect(after.allowed[k]).toBe(1);
      }),
      RUNS,
    );
  });

  it('adding a policy that selects a pod never adds a connection to it', () => {
    // A pod no policy selected accepts everything; once one selects it, it can only lose peers.
    fc.assert(
      fc.property(fc.array(policy, { maxLength: 3 }), policy, (ps, extra) => {
        const c1 = apply(base, ps.map((p, i) => manifest(p as P, i)));
        const c2 = apply(base, [...ps, extra].map((p, i) => manifest(p as P, i)));
        const before = mat(c1);
        const after = mat(c2);
        const idx1 = policyIndexOf(c1);
        const idx2 = policyIndexOf(c2);
        const n = before.pods.length;
        before.pods.forEach((t, j) => {
          const pod1 = c1.pods.get(t)!;
          const newlyIn = !idx1.selecting(pod1, 'Ingress').length && idx2.selecting(c2.pods.get(t)!, 'Ingress').length > 0;
          if (!newlyIn) return;
          for (let i = 0; i < n; i++) if (!idx1.selecting(c1.pods.get(before.pods[i])!, 'Egress').length) expect(after.allowed[i * n + j] <= before.allowed[i * n + j]).toBe(true);
        });
        before.pods.forEach((f, i) => {
          const newlyOut = !idx1.selecting(c1.pods.get(f)!, 'Egress').length && idx2.selecting(c2.pods.get(f)!, 'Egress').length > 0;
          if (!newlyOut) return;
          for (let j = 0; j < n; j++) if (!idx1.selecting(c1.pods.get(before.pods[j])!, 'Ingress').length) expect(after.allowed[i * n + j] <= before.allowed[i * n + j]).toBe(true);
        });
      }),
      RUNS,
    );
  });

  for (const cni of ['calico', 'cilium', 'weave'] as const) {
    it(`the matrix agrees with traces (${cni})`, () => {
      const c0 = netpolCluster(cni);
      fc.assert(
        fc.property(fc.array(policy, { minLength: 1, maxLength: 3 }), (ps) => {
          const c = apply(c0, ps.map((p, i) => manifest(p as P, i)));
          const m = mat(c);
          m.pods.forEach((f, i) =>
            m.pods.forEach((t, j) => {
              if (i === j || !/^[xyz]\//.test(f) || !/^[xyz]\//.test(t)) return;
              const r = trace(c, { from: f, to: t, proto: 'tcp', port: 80 });
              expect(`${f}>${t} ${r.verdict}`).toBe(`${f}>${t} ${isAllowed(m, i, j) ? 'delivered' : 'dropped'}`);
              if (r.verdict === 'delivered') expect(r.reply?.verdict).toBe('delivered');
            }),
          );
        }),
        { numRuns: 6, seed: 7 },
      );
    });
  }
});

const denyEgress = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'default-deny-egress', namespace: 'x' }, spec: { podSelector: {}, policyTypes: ['Egress'] } };

describe('classic mistakes', () => {
  it('default-deny egress without a DNS rule drops DNS to 10.96.0.10:53, naming the policy', () => {
    const c = apply(netpolCluster('calico'), [denyEgress]);
    const r = trace(c, { from: 'x/a', to: '10.96.0.10', proto: 'udp', port: 53 });
    expect(r.verdict).toBe('dropped');
    expect(r.reason).toContain('selected by x/default-deny-egress for Egress, and no rule allows UDP/53 to');
    expect(r.hops[r.hops.length - 1].detail).toContain('cali-fw-');
  });

  it('a namespaceSelector-only rule opens the pod to every pod of that namespace', () => {
    const c = apply(netpolCluster('calico'), [
      { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'from-y', namespace: 'x' }, spec: { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'y' } } }] }] } },
    ]);
    for (const p of ['y/a', 'y/b', 'y/c']) expect(trace(c, { from: p, to: 'x/a', proto: 'tcp', port: 80 }).verdict).toBe('delivered');
    expect(trace(c, { from: 'z/a', to: 'x/a', proto: 'tcp', port: 80 }).verdict).toBe('dropped');
  });

  it('a dropped packet names the policy and direction; an allowed one names the rule', () => {
    const c = apply(netpolCluster('calico'), [
      { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny-all', namespace: 'x' }, spec: { podSelector: {} } },
      { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'allow-b', namespace: 'x' }, spec: { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{ from: [{ podSelector: { matchLabels: { pod: 'b' } } }], ports: [{ port: 80 }] }] } },
    ]);
    const denied = trace(c, { from: 'y/b', to: 'x/a', proto: 'tcp', port: 80 });
    expect(denied.reason).toContain('selected by x/allow-b, x/deny-all for Ingress, and no rule allows TCP/80 from y/b');
    const allowed = trace(c, { from: 'x/b', to: 'x/a', proto: 'tcp', port: 80 });
    expect(allowed.verdict).toBe('delivered');
    expect(allowed.hops.some((h) => h.action === 'netfilter' && h.detail.includes('allowed by x/allow-b ingress rule 1'))).toBe(true);
  });

  it('the same cluster on flannel ignores the policies and says so', () => {
    const c = apply(netpolCluster('flannel'), [{ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny-all', namespace: 'x' }, spec: { podSelector: {} } }]);
    const r = trace(c, { from: 'y/a', to: 'x/a', proto: 'tcp', port: 80 });
    expect(r.verdict).toBe('delivered');
    expect(r.hops.some((h) => h.detail.includes('NOT ENFORCED') && h.detail.includes('flannel does not implement NetworkPolicy'))).toBe(true);
    const e = explainConnection(c, 'y/a', 'x/a', 'TCP', 80);
    expect(typeof e !== 'string' && e.allowed && !e.allowedByPolicy).toBe(true);
    expect(mat(c).notEnforced).toContain('flannel');
  });

  it('node-to-local-pod traffic passes a default deny (kubelet probes keep working)', () => {
    const c = apply(netpolCluster('calico'), [{ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny-all', namespace: 'x' }, spec: { podSelector: {} } }]);
    const pod = c.pods.get('x/a')!;
    expect(trace(c, { from: `node/${pod.nodeName}`, to: 'x/a', proto: 'tcp', port: 80 }).verdict).toBe('delivered');
  });

  it('aws-vpc enforces only with the network policy controller enabled', () => {
    const deny = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny-all', namespace: 'x' }, spec: { podSelector: {} } };
    const off = apply(netpolCluster('aws-vpc'), [deny]);
    expect(trace(off, { from: 'y/a', to: 'x/a', proto: 'tcp', port: 80 }).verdict).toBe('delivered');
    const on = apply(off, [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'amazon-vpc-cni', namespace: 'kube-system' }, data: { 'enable-network-policy-controller': 'true' } }]);
    const r = trace(on, { from: 'y/a', to: 'x/a', proto: 'tcp', port: 80 });
    expect(r.verdict).toBe('dropped');
    expect(r.reason).toContain('aws-network-policy-agent');
  });
});
