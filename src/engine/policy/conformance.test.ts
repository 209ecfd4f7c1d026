/**
 * Upstream's NetworkPolicy e2e cases (kubernetes/kubernetes test/e2e/network/netpol/
 * network_policy.go, "Netpol NetworkPolicy between server and client"), recreated on the
 * x/y/z × a/b/c topology: each test names the upstream `It(...)` it comes from, creates the
 * same policies, and checks the same truth table (Reachability with the same Expect calls).
 * Loopback pairs are ignored, as upstream does (ignoreLoopback = true). Upstream's
 * SetSpecIngressRules / SetSpecEgressRules also append the policyType, so an egress-only
 * upstream policy carries `policyTypes: [Egress]` here.
 */
import { describe, expect, it } from 'vitest';
import type { Cluster } from '../model/cluster';
import { applyManifests, deleteObject, setLabels } from '../controllers/commands';
import { connectivityMatrix, isAllowed } from './matrix';
import { netpolCluster, Reachability } from './testkit';
import type { ConnProtocol } from './types';

type Spec = Record<string, unknown>;
const np = (name: string, namespace: string, spec: Spec) => JSON.stringify({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec });
const yaml = (...docs: string[]) => docs.join('\n---\n');
const podLabel = (v: string) => ({ matchLabels: { pod: v } });
const nsName = (v: string) => ({ matchLabels: { 'kubernetes.io/metadata.name': v } });
const notInX = { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['x'] }] };
const tcp = (port: number | string) => ({ port, protocol: 'TCP' });

function apply(c: Cluster, ...docs: string[]): Cluster {
  const r = applyManifests(c, [{ name: 'policy.yaml', text: yaml(...docs) }]);
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
  return r.value.cluster;
}

function validate(c: Cluster, port: number, r: Reachability, proto: ConnProtocol = 'TCP') {
  const m = connectivityMatrix(c, { proto, port });
  const wrong: string[] = [];
  m.pods.forEach((from, i) =>
    m.pods.forEach((to, j) => {
      if (i === j) return;
      const want = r.expected.get(`${from}>${to}`);
      if (want !== undefined && want !== isAllowed(m, i, j)) wrong.push(`${from} -> ${to}: expected ${want ? 'allowed' : 'denied'}`);
    }),
  );
  expect(wrong).toEqual([]);
}

const cases = (cni: 'calico' | 'cilium') =>
  describe(`upstream netpol e2e on ${cni}`, () => {
    const base = netpolCluster(cni);
    const make = (...docs: string[]) => apply(base, ...docs);

    it("should support a 'default-deny-ingress' policy", () => {
      validate(make(np('deny-ingress', 'x', { podSelector: {}, ingress: [] })), 80, new Reachability().expectPeer({}, { namespace: 'x' }, false));
    });
    it("should support a 'default-deny-all' policy", () => {
      const c = make(np('deny-all', 'x', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }));
      validate(c, 80, new Reachability().expectPeer({}, { namespace: 'x' }, false).expectPeer({ namespace: 'x' }, {}, false));
    });
    it('should enforce policy to allow traffic from pods within server namespace based on PodSelector', () => {
      const c = make(np('x-a-allows-x-b', 'x', { podSelector: podLabel('a'), ingress: [{ from: [{ podSelector: podLabel('b') }] }] }));
      validate(c, 80, new Reachability().expectAllIngress('x/a', false).expect('x/b', 'x/a', true));
    });
    it('should enforce policy to allow ingress traffic for a target', () => {
      const c = make(np('deny-all', 'x', { podSelector: {}, ingress: [] }), np('allow-all-to-a', 'x', { podSelector: podLabel('a'), ingress: [{ from: [{ podSelector: {}, namespaceSelector: {} }] }] }));
      validate(c, 80, new Reachability().expectAllIngress('x/a', true).expectAllIngress('x/b', false).expectAllIngress('x/c', false));
    });
    it('should enforce policy to allow ingress traffic from pods in all namespaces', () => {
      validate(make(np('allow-from-another-ns', 'x', { podSelector: podLabel('a'), ingress: [{ from: [{ namespaceSelector: { matchLabels: {} } }] }] })), 80, new Reachability());
    });
    it('should enforce policy to allow traffic only from a different namespace, based on NamespaceSelector', () => {
      const c = make(np('allow-client-a-via-ns-selector', 'x', { podSelector: podLabel('a'), ingress: [{ from: [{ namespaceSelector: nsName('y') }] }] }));
      validate(c, 80, new Reachability().expectPeer({ namespace: 'x' }, { namespace: 'x', pod: 'a' }, false).expectPeer({ namespace: 'z' }, { namespace: 'x', pod: 'a' }, false));
    });
    it('should enforce policy based on PodSelector with MatchExpressions', () => {
      const c = make(np('x-a-allows-x-b', 'x', { podSelector: podLabel('a'), ingress: [{ from: [{ podSelector: { matchExpressions: [{ key: 'pod', operator: 'In', values: ['b'] }] } }] }] }));
      validate(c, 80, new Reachability().expectAllIngress('x/a', false).expect('x/b', 'x/a', true));
    });
    it('should enforce policy based on NamespaceSelector with MatchExpressions', () => {
      const sel = { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['y'] }] };
      const c = make(np('allow-ns-y-match-selector', 'x', { podSelector: podLabel('a'), ingress: [{ from: [{ namespaceSelector: sel }] }] }));
      validate(c, 80, new Reachability().expectPeer({ namespace: 'x' }, { namespace: 'x', pod: 'a' }, false).expectPeer({ namespace: 'z' }, { namespace: 'x', pod: 'a' }, false));
    });
    it('should enforce policy based on PodSelector or NamespaceSelector', () => {
      const c = make(np('allow-ns-y-match-selector', 'x', { podSelector: podLabel('a'), ingress: [{ from: [{ namespaceSelector: notInX }, { podSelector: podLabel('b') }] }] }));
      validate(c, 80, new Reachability().expect('x/a', 'x/a', false).expect('x/c', 'x/a', false));
    });
    it('should enforce policy based on PodSelector and NamespaceSelector', () => {
      const c = make(np('allow-ns-y-podselector-and-nsselector', 'x', { podSelector: podLabel('a'), ingress: [{ from: [{ namespaceSelector: notInX, podSelector: podLabel('b') }] }] }));
      validate(c, 80, new Reachability().expectAllIngress('x/a', false).expect('y/b', 'x/a', true).expect('z/b', 'x/a', true));
    });
    it('should enforce policy based on Multiple PodSelectors and NamespaceSelectors', () => {
      const pods = { matchExpressions: [{ key: 'pod', operator: 'In', values: ['b', 'c'] }] };
      const c = make(np('allow-ns-y-z-pod-b-c', 'x', { podSelector: podLabel('a'), ingress: [{ from: [{ namespaceSelector: notInX, podSelector: pods }] }] }));
      validate(c, 80, new Reachability().expectPeer({ namespace: 'x' }, { namespace: 'x', pod: 'a' }, false).expect('y/a', 'x/a', false).expect('z/a', 'x/a', false));
    });
    it('should enforce policy based on any PodSelectors', () => {
      const c = make(np('allow-ns-x-pod-b-c', 'x', { podSelector: podLabel('a'), ingress: [{ from: [{ podSelector: podLabel('b') }, { podSelector: podLabel('c') }] }] }));
      validate(c, 80, new Reachability().expectAllIngress('x/a', false).expect('x/b', 'x/a', true).expect('x/c', 'x/a', true));
    });
    it('should enforce policy to allow traffic only from a pod in a different namespace based on PodSelector and NamespaceSelector', () => {
      const c = make(np('allow-ns-y-pod-a-via-namespace-pod-selector', 'x', { podSelector: podLabel('a'), ingress: [{ from: [{ namespaceSelector: nsName('y'), podSelector: podLabel('a') }] }] }));
      validate(c, 80, new Reachability().expectAllIngress('x/a', false).expect('y/a', 'x/a', true));
    });
    it('should enforce policy based on Ports', () => {
      const c = make(np('allow-client-a-via-ns-selector', 'x', { podSelector: podLabel('a'), ingress: [{ from: [{ namespaceSelector: nsName('y') }], ports: [tcp(81)] }] }));
      validate(c, 81, new Reachability().expectPeer({ namespace: 'x' }, { namespace: 'x', pod: 'a' }, false).expectPeer({ namespace: 'y' }, { namespace: 'x', pod: 'a' }, true).expectPeer({ namespace: 'z' }, { namespace: 'x', pod: 'a' }, false));
    });
    it('should enforce multiple, stacked policies with overlapping podSelectors', () => {
      const p81 = np('allow-client-a-via-ns-selector', 'x', { podSelector: podLabel('a'), ingress: [{ from: [{ namespaceSelector: nsName('y') }], ports: [tcp(81)] }] });
      const allow = () => new Reachability().expectPeer({ namespace: 'x' }, { namespace: 'x', pod: 'a' }, false).expectPeer({ namespace: 'y' }, { namespace: 'x', pod: 'a' }, true).expectPeer({ namespace: 'z' }, { namespace: 'x', pod: 'a' }, false);
      let c = make(p81);
      validate(c, 81, allow());
      validate(c, 80, new Reachability().expectAllIngress('x/a', false));
      c = apply(c, np('allow-client-a-via-ns-selector-80', 'x', { podSelector: podLabel('a'), ingress: [{ from: [{ namespaceSelector: nsName('y') }], ports: [tcp(80)] }] }));
      validate(c, 80, allow());
    });
    it('should support allow-all policy', () => {
      const c = make(np('allow-all', 'x', { podSelector: {}, ingress: [{}] }));
      validate(c, 80, new Reachability());
      validate(c, 81, new Reachability());
    });
    it('should allow ingress access on one named port', () => {
      const c = make(np('allow-all', 'x', { podSelector: {}, ingress: [{ ports: [{ port: 'serve-81-tcp' }] }] }));
      validate(c, 81, new Reachability());
      validate(c, 80, new Reachability().expectPeer({}, { namespace: 'x' }, false));
    });
    it('should allow ingress access from namespace on one named port', () => {
      const c = make(np('allow-client-a-via-ns-selector-80', 'x', { podSelector: podLabel('a'), ingress: [{ from: [{ namespaceSelector: nsName('y') }], ports: [tcp('serve-80-tcp')] }] }));
      validate(c, 80, new Reachability().expectPeer({ namespace: 'x' }, { namespace: 'x', pod: 'a' }, false).expectPeer({ namespace: 'z' }, { namespace: 'x', pod: 'a' }, false));
      validate(c, 81, new Reachability().expectAllIngress('x/a', false));
    });
    it('should allow egress access on one named port', () => {
      const c = make(np('allow-egress', 'x', { podSelector: {}, egress: [{ ports: [{ port: 'serve-80-tcp' }] }], policyTypes: ['Egress'] }));
      validate(c, 80, new Reachability());
      validate(c, 81, new Reachability().expectPeer({ namespace: 'x' }, {}, false));
    });
    it('should enforce updated policy', () => {
      let c = make(np('allow-all-mutate-to-deny-all', 'x', { podSelector: {}, ingress: [{}] }));
      validate(c, 81, new Reachability());
      c = apply(c, np('allow-all-mutate-to-deny-all', 'x', { podSelector: {}, ingress: [] }));
      validate(c, 81, new Reachability().expectPeer({}, { namespace: 'x' }, false));
    });
    it('should allow ingress access from updated namespace', () => {
      let c = make(np('allow-client-a-via-ns-selector', 'x', { podSelector: podLabel('a'), ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns2: 'updated' } } }] }] }));
      validate(c, 80, new Reachability().expectAllIngress('x/a', false));
      const r = setLabels(c, 'Namespace', '', 'y', { ns2: 'updated' });
      if (!r.ok) throw new Error('relabel');
      c = r.value;
      validate(c, 80, new Reachability().expectAllIngress('x/a', false).expectPeer({ namespace: 'y' }, {}, true));
    });
    it('should allow ingress access from updated pod', () => {
      let c = make(np('allow-client-a-via-pod-selector', 'x', { podSelector: podLabel('a'), ingress: [{ from: [{ podSelector: { matchLabels: { pod: 'b', pod2: 'updated' } } }] }] }));
      validate(c, 80, new Reachability().expectAllIngress('x/a', false));
      const r = setLabels(c, 'Pod', 'x', 'b', { pod: 'b', pod2: 'updated' });
      if (!r.ok) throw new Error('relabel');
      c = r.value;
      validate(c, 80, new Reachability().expectAllIngress('x/a', false).expect('x/b', 'x/a', true));
    });
    it('should deny ingress from pods on other namespaces', () => {
      const c = make(np('deny-empty-policy', 'x', { podSelector: {}, ingress: [{ from: [{ podSelector: { matchLabels: {} } }] }] }));
      validate(c, 80, new Reachability().expectPeer({ namespace: 'y' }, { namespace: 'x' }, false).expectPeer({ namespace: 'z' }, { namespace: 'x' }, false));
    });
    it('should deny ingress access to updated pod', () => {
      let c = make(np('deny-ingress-via-label-selector', 'x', { podSelector: { matchLabels: { target: 'isolated' } }, ingress: [] }));
      validate(c, 80, new Reachability());
      const r = setLabels(c, 'Pod', 'x', 'a', { pod: 'a', target: 'isolated' });
      if (!r.ok) throw new Error('relabel');
      c = r.value;
      validate(c, 80, new Reachability().expectAllIngress('x/a', false));
    });
    it('should deny egress from pods based on PodSelector', () => {
      validate(make(np('deny-egress-pod-a', 'x', { podSelector: podLabel('a'), policyTypes: ['Egress'] })), 80, new Reachability().expectAllEgress('x/a', false));
    });
    it('should deny egress from all pods in a namespace', () => {
      validate(make(np('deny-egress-ns-x', 'x', { podSelector: {}, policyTypes: ['Egress'] })), 80, new Reachability().expectPeer({ namespace: 'x' }, {}, false));
    });
    it('should work with Ingress, Egress specified together', () => {
      const c = make(np('allow-client-a-via-pod-selector', 'x', { podSelector: podLabel('a'), ingress: [{ from: [{ podSelector: podLabel('b') }] }], egress: [{ ports: [{ port: 80 }] }], policyTypes: ['Egress', 'Ingress'] }));
      validate(c, 80, new Reachability().expectAllIngress('x/a', false).expect('x/b', 'x/a', true));
      validate(c, 81, new Reachability().expectAllIngress('x/a', false).expectAllEgress('x/a', false).expect('x/b', 'x/a', true));
    });
    it('should support denying of egress traffic on the client side (even if the server explicitly allows this traffic)', () => {
      const from = [{ namespaceSelector: nsName('x'), podSelector: podLabel('a') }];
      const c = make(
        np('allow-to-ns-y-pod-a', 'x', { podSelector: podLabel('a'), egress: [{ to: [{ namespaceSelector: nsName('y'), podSelector: podLabel('a') }] }], policyTypes: ['Egress'] }),
        np('allow-from-xa-on-ya-match-selector', 'y', { podSelector: podLabel('a'), ingress: [{ from }] }),
        np('allow-from-xa-on-yb-match-selector', 'y', { podSelector: podLabel('b'), ingress: [{ from }] }),
      );
      const r = new Reachability().expectPeer({ namespace: 'x', pod: 'a' }, {}, false).expectPeer({}, { namespace: 'y', pod: 'a' }, false).expectPeer({ namespace: 'x', pod: 'a' }, { namespace: 'y', pod: 'a' }, true).expectPeer({}, { namespace: 'y', pod: 'b' }, false);
      validate(c, 80, r);
    });
    it('should enforce egress policy allowing traffic to a server in a different namespace based on PodSelector and NamespaceSelector', () => {
      const c = make(np('allow-to-ns-y-pod-a', 'x', { podSelector: podLabel('a'), egress: [{ to: [{ namespaceSelector: nsName('y'), podSelector: podLabel('a') }] }], policyTypes: ['Egress'] }));
      validate(c, 80, new Reachability().expectAllEgress('x/a', false).expect('x/a', 'y/a', true));
    });
    it('should enforce ingress policy allowing any port traffic to a server on a specific protocol', () => {
      const c = make(np('allow-ingress-by-proto', 'x', { podSelector: podLabel('a'), ingress: [{ ports: [{ protocol: 'TCP' }] }] }));
      validate(c, 80, new Reachability(), 'TCP');
      validate(c, 80, new Reachability().expectPeer({}, { namespace: 'x', pod: 'a' }, false), 'UDP');
    });
    it('should enforce multiple ingress policies with ingress allow-all policy taking precedence', () => {
      let c = make(np('allow-ingress-port-80', 'x', { podSelector: {}, ingress: [{ ports: [{ port: 80 }] }] }));
      validate(c, 81, new Reachability().expectPeer({}, { namespace: 'x' }, false));
      c = apply(c, np('allow-ingress', 'x', { podSelector: {}, ingress: [{}] }));
      validate(c, 81, new Reachability());
    });
    it('should enforce multiple egress policies with egress allow-all policy taking precedence', () => {
      let c = make(np('allow-egress-port-80', 'x', { podSelector: {}, egress: [{ ports: [{ port: 80 }] }], policyTypes: ['Egress'] }));
      validate(c, 81, new Reachability().expectPeer({ namespace: 'x' }, {}, false));
      c = apply(c, np('allow-egress', 'x', { podSelector: {}, egress: [{}], policyTypes: ['Egress'] }));
      validate(c, 81, new Reachability());
    });
    it('should stop enforcing policies after they are deleted', () => {
      let c = make(np('deny-all', 'x', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }));
      validate(c, 80, new Reachability().expectPeer({ namespace: 'x' }, {}, false).expectPeer({}, { namespace: 'x' }, false));
      const r = deleteObject(c, 'NetworkPolicy', 'x', 'deny-all');
      if (!r.ok) throw new Error('delete');
      c = r.value;
      validate(c, 80, new Reachability());
    });
    const ipOf = (c: Cluster, key: string) => {
      const ip = c.pods.get(key)!.attachment!.ip;
      return `${ip >>> 24}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}`;
    };
    it('should allow egress access to server in CIDR block', () => {
      const c = make(np('allow-client-a-via-cidr-egress-rule', 'x', { podSelector: podLabel('a'), egress: [{ to: [{ ipBlock: { cidr: `${ipOf(base, 'y/b')}/32` } }] }], policyTypes: ['Egress'] }));
      validate(c, 80, new Reachability().expectAllEgress('x/a', false).expect('x/a', 'y/b', true));
    });
    it('should enforce except clause while egress access to server in CIDR block', () => {
      const c = make(np('allow-client-a-via-cidr-egress-rule', 'x', { podSelector: podLabel('a'), egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: [`${ipOf(base, 'x/b')}/32`] } }] }], policyTypes: ['Egress'] }));
      validate(c, 80, new Reachability().expect('x/a', 'x/b', false));
    });
    it('should ensure an IP overlapping both IPBlock.CIDR and IPBlock.Except is allowed', () => {
      let c = make(np('allow-client-a-via-cidr-egress-rule', 'x', { podSelector: podLabel('a'), egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: [`${ipOf(base, 'x/b')}/32`] } }] }], policyTypes: ['Egress'] }));
      validate(c, 80, new Reachability().expect('x/a', 'x/b', false));
      c = apply(c, np('allow-client-a-via-cidr-egress-rule', 'x', { podSelector: podLabel('a'), egress: [{ to: [{ ipBlock: { cidr: `${ipOf(base, 'x/b')}/32` } }] }], policyTypes: ['Egress'] }));
      validate(c, 80, new Reachability().expectAllEgress('x/a', false).expect('x/a', 'x/b', true));
    });
    it('should enforce policies to check ingress and egress policies can be controlled independently based on PodSelector', () => {
      let c = make(np('allow-egress-for-target', 'x', { podSelector: podLabel('a'), egress: [{}], policyTypes: ['Egress'] }));
      validate(c, 80, new Reachability());
      c = apply(c, np('deny-ingress-via-label-selector', 'x', { podSelector: podLabel('a'), ingress: [] }));
      validate(c, 80, new Reachability().expectAllIngress('x/a', false));
    });
    it("should not mistakenly treat 'protocol: SCTP' as 'protocol: TCP', even if the plugin doesn't support SCTP", () => {
      const c = make(np('deny-ingress', 'x', { podSelector: {}, ingress: [] }), np('allow-only-sctp-ingress-on-port-81', 'x', { podSelector: podLabel('a'), ingress: [{ ports: [{ port: 81, protocol: 'SCTP' }] }] }));
      validate(c, 81, new Reachability().expectPeer({}, { namespace: 'x' }, false));
    });
    it('should support a port range with endPort (ingress on 80-81 allowed, 82 denied)', () => {
      // upstream "should allow ingress access from namespace on one named port" family, endPort variant
      // (test/e2e/network/netpol: "should enforce ingress policy allowing any port traffic ... endPort").
      const c = make(np('allow-range', 'x', { podSelector: {}, ingress: [{ ports: [{ port: 80, endPort: 81, protocol: 'TCP' }] }] }));
      validate(c, 81, new Reachability());
      validate(c, 82, new Reachability().expectPeer({}, { namespace: 'x' }, false));
    });
  });

cases('calico');
cases('cilium');
