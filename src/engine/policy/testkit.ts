/**
 * Test fixtures: the upstream NetworkPolicy e2e topology (test/e2e/network/netpol: namespaces
 * x, y, z, each with pods a, b, c labelled `pod: <name>`, every pod serving TCP/UDP/SCTP on 80
 * and 81 with container ports named `serve-<port>-<proto>`), on any CNI, with policies added as
 * YAML. Also a truth-table builder with upstream's Reachability helpers (Expect, ExpectPeer,
 * ExpectAllIngress, ExpectAllEgress), so each test reads like its upstream case.
 */
import { loadCluster } from '../index';
import type { Cluster, CniMode } from '../model/cluster';

export const NAMESPACES = ['x', 'y', 'z'];
export const PODS = ['a', 'b', 'c'];
export const ALL_PODS = NAMESPACES.flatMap((ns) => PODS.map((p) => `${ns}/${p}`));

function podYaml(ns: string, name: string, node: string): string {
  const ports = [80, 81].flatMap((port) => ['TCP', 'UDP', 'SCTP'].map((proto) => `        - {name: serve-${port}-${proto.toLowerCase()}, containerPort: ${port}, protocol: ${proto}}`));
  return `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: ${ns}, labels: {pod: ${name}}}
spec:
  nodeName: ${node}
  containers:
    - name: cont-80-tcp
      image: registry.k8s.io/e2e-test-images/agnhost:2.53
      ports:
${ports.join('\n')}
`;
}

export function netpolScenario(cni: CniMode = 'calico', extra = ''): string {
  const docs = [
    `apiVersion: podpath/v1alpha1
kind: Cluster
metadata: {name: netpol}
spec:
  cni: ${cni}
  podCIDR: 10.244.0.0/16
  serviceCIDR: 10.96.0.0/12
  nodeNetwork: 192.168.1.0/24
  nodes:
  - {name: control-plane, role: control-plane}
  - {name: worker-1}
  - {name: worker-2}`,
    ...NAMESPACES.map((ns) => `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${ns}}`),
    ...NAMESPACES.flatMap((ns, i) => PODS.map((p, j) => podYaml(ns, p, (i + j) % 2 === 0 ? 'worker-1' : 'worker-2'))),
  ];
  return docs.join('\n---\n') + (extra ? `\n---\n${extra}` : '');
}

export function netpolCluster(cni: CniMode = 'calico', policies = ''): Cluster {
  const r = loadCluster([{ name: 'netpol.yaml', text: netpolScenario(cni, policies) }]);
  if (!r.ok) throw new Error(r.errors.map((e) => `${e.file}:${e.line}: ${e.object ?? ''} ${e.field ?? ''} ${e.message}`).join('\n'));
  return r.value;
}

export interface PeerSpec {
  namespace?: string;
  pod?: string;
}

/** upstream's Reachability: a from × to truth table, all `defaultExpect` at first. */
export class Reachability {
  readonly expected = new Map<string, boolean>();
  constructor(readonly pods: string[] = ALL_PODS, defaultExpect = true) {
    for (const f of pods) for (const t of pods) this.expected.set(`${f}>${t}`, defaultExpect);
  }
  private matches(p: string, s: PeerSpec): boolean {
    const [ns, name] = p.split('/');
    return (s.namespace === undefined || s.namespace === ns) && (s.pod === undefined || s.pod === name);
  }
  expect(from: string, to: string, v: boolean): this {
    this.expected.set(`${from}>${to}`, v);
    return this;
  }
  expectPeer(from: PeerSpec, to: PeerSpec, v: boolean): this {
    for (const f of this.pods) for (const t of this.pods) if (this.matches(f, from) && this.matches(t, to)) this.expected.set(`${f}>${t}`, v);
    return this;
  }
  expectAllIngress(to: string, v: boolean): this {
    for (const f of this.pods) this.expected.set(`${f}>${to}`, v);
    return this;
  }
  expectAllEgress(from: string, v: boolean): this {
    for (const t of this.pods) this.expected.set(`${from}>${t}`, v);
    return this;
  }
}

/** An nginx `x/web` (worker-1), a netshoot `x/client` (worker-2) and a CiliumNetworkPolicy with L7 HTTP rules on web:80. */
export const L7_EXTRA = `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: x, labels: {app: web}}
spec:
  nodeName: worker-1
  containers:
  - {name: nginx, image: nginx:1.27.3, ports: [{containerPort: 80}]}
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: x, labels: {app: client}}
spec:
  nodeName: worker-2
  containers:
  - {name: netshoot, image: nicolaka/netshoot, command: [sleep, infinity]}
---
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: web-l7, namespace: x}
spec:
  endpointSelector: {matchLabels: {app: web}}
  ingress:
  - fromEndpoints: [{matchLabels: {app: client}}]
    toPorts:
    - ports: [{port: "80", protocol: TCP}]
      rules:
        http:
        - {method: GET, path: "/public.*"}
        - {method: GET, path: "/"}
        - {method: PUT, path: "/admin", headers: ["X-Token: s3cret"]}`;

/** A default-deny ingress policy for the pods labelled `pod: <pod>` (policyTypes Ingress, no rules). */
export function denyIngressYaml(namespace: string, name: string, pod: string): string {
  return `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: ${name}, namespace: ${namespace}}
spec:
  podSelector: {matchLabels: {pod: ${pod}}}
  policyTypes: [Ingress]`;
}
