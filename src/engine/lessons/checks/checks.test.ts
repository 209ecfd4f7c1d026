import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { engineShell } from '../../engineShell';
import { loadCluster } from '../../load';
import { Decoder } from '../decode';
import { decodeCheck } from '../checkSchema';
import type { Check, LessonContext } from '../types';
import { evaluateCheck } from './index';

const demoText = readFileSync(join(__dirname, '../../../scenarios/demo.yaml'), 'utf8');

function cluster(text: string) {
  const c = loadCluster([{ name: 's.yaml', text }]);
  if (!c.ok) throw new Error(c.errors.map((e) => e.message).join('\n'));
  return c.value;
}
const demo = cluster(demoText);
const ctxOf = (c = demo, extra: Partial<LessonContext> = {}): LessonContext => ({ cluster: c, traces: [], commands: [], answers: {}, ...extra });

/** A check written as in a lesson file (YAML flow text as JSON), decoded like one. */
function check(v: unknown): Check {
  const d = new Decoder({ file: 't', doc: 0, base: [], object: '' });
  const c = decodeCheck(d, v, ['check']);
  if (!c || !d.ok) throw new Error(d.problems.errors().map((e) => `${e.field}: ${e.message}`).join('\n'));
  return c;
}
const run = (v: unknown, ctx = ctxOf()) => evaluateCheck(check(v), ctx);

const webPods = [...demo.pods.values()].filter((p) => p.meta.labels.app === 'web');
const web0 = webPods[0];

const POLICY = `
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-deny}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Ingress]
`;

describe('cluster checks', () => {
  it('pod: node, range, status, labels; exists: false', () => {
    expect(run({ pod: { name: 'client', node: 'worker-1', ipIn: '10.244.0.0/16', status: 'Running', labels: { app: 'client' } } }).pass).toBe(true);
    const r = run({ pod: { name: 'client', node: 'worker-2', ipIn: '10.96.0.0/12' } });
    expect(r.pass).toBe(false);
    expect(r.message).toMatch(/it is on worker-1, not worker-2; its IP 10\.244\.\d+\.\d+ is not in 10\.96\.0\.0\/12/);
    expect(run({ pod: { name: 'nope', exists: false } }).pass).toBe(true);
    expect(run({ pod: { name: 'client', exists: false } }).message).toMatch(/not to exist; it does/);
  });
  it('pods: count by selector', () => {
    expect(run({ pods: { selector: { app: 'web' }, count: 3 } }).pass).toBe(true);
    expect(run({ pods: { selector: { app: 'web' }, count: { min: 4 } } }).message).toMatch(/expected at least 4 pods matching app=web; found 3/);
  });
  it('node: PodCIDR and cordon', () => {
    const n = demo.nodes.find((x) => x.meta.name === 'worker-1')!;
    expect(run({ node: { name: 'worker-1', podCIDR: n.podCIDR!.toString(), unschedulable: false } }).pass).toBe(true);
    expect(run({ node: { name: 'worker-1', unschedulable: true } }).message).toMatch(/it is schedulable/);
  });
  it('object and service: fields, endpoints', () => {
    expect(run({ object: { kind: 'Service', name: 'web', fields: { 'spec.ports.0.port': 80 } } }).pass).toBe(true);
    expect(run({ object: { kind: 'NetworkPolicy', name: 'web-deny' } }).pass).toBe(false);
    expect(run({ object: { kind: 'Deployment', name: 'web', fields: { 'spec.replicas': 3 } } }).pass).toBe(true);
    expect(run({ service: { name: 'web', type: 'ClusterIP', clusterIPIn: '10.96.0.0/12', endpoints: 3 } }).pass).toBe(true);
    expect(run({ service: { name: 'web', endpoints: 0 } }).message).toMatch(/it has 3 ready endpoints, expected 0/);
  });
  it('event and sysctl', () => {
    const full = cluster(demoText + `
---
apiVersion: v1
kind: Pod
metadata: {name: big}
spec:
  nodeSelector: {disk: ssd}
  containers: [{name: c, image: nginx}]
`);
    expect(run({ pod: { name: 'big', status: 'Pending', reason: 'Unschedulable' } }, ctxOf(full)).pass).toBe(true);
    expect(run({ event: { reason: 'FailedScheduling', kind: 'Pod', name: 'big', type: 'Warning' } }, ctxOf(full)).pass).toBe(true);
    expect(run({ event: { reason: 'FailedScheduling', name: 'client' } }, ctxOf(full)).pass).toBe(false);
    expect(run({ sysctl: { node: 'worker-1', key: 'net.bridge.bridge-nf-call-iptables', value: '1' } }).pass).toBe(true);
    const sh = engineShell(demo);
    sh.run('ssh worker-1');
    sh.run('sysctl -w net.bridge.bridge-nf-call-iptables=0');
    expect(run({ sysctl: { node: 'worker-1', key: 'net.bridge.bridge-nf-call-iptables', value: '1' } }, ctxOf(sh.cluster)).message).toMatch(/it is 0/);
  });
});

describe('trace checks', () => {
  it('verdict, crosses, avoids, encap with VNI (flannel VXLAN), wire bytes', () => {
    const other = webPods.find((p) => p.nodeName !== 'worker-1')!;
    const t = { from: 'client', to: other.meta.name, proto: 'icmp' };
    expect(run({ trace: { ...t, verdict: 'delivered', crosses: [{ node: 'worker-1' }, { node: other.nodeName, device: 'flannel.1' }], encap: { type: 'vxlan', vni: 1 }, wireBytes: 148 } }).pass).toBe(true);
    expect(run({ trace: { ...t, encap: false } }).message).toMatch(/expected no encapsulation; the packet is vxlan-encapsulated/);
    expect(run({ trace: { ...t, encap: { type: 'vxlan', vni: 2 } } }).message).toMatch(/expected vxlan with VNI 2 encapsulation; the packet was vxlan VNI 1/);
    expect(run({ trace: { ...t, avoids: { device: 'flannel.1' } } }).pass).toBe(false);
    expect(run({ trace: { ...t, wireBytes: { max: 100 } } }).message).toMatch(/largest frame on the wire to be at most 100 bytes; it was 148/);
    expect(run({ trace: { ...t, reply: { verdict: 'delivered', crosses: { node: 'worker-1' } } } }).pass).toBe(true);
  });
  it('dnat by chain (a KUBE-SVC- prefix) and to an endpoint of the Service', () => {
    const svcIp = demo.objects.get('Service/default/web')!.manifest.spec as { clusterIP: string };
    const r = run({ trace: { from: 'client', to: svcIp.clusterIP, proto: 'tcp', port: 80, dnat: { chain: 'KUBE-SVC-' } } });
    expect(r.pass).toBe(true);
    expect(run({ trace: { from: 'client', to: svcIp.clusterIP, proto: 'tcp', port: 80, dnat: { to: '10.1.2.3' } } }).message).toMatch(/expected a DNAT to 10\.1\.2\.3; the destination was translated 10\.\d+\.\d+\.\d+:80 → 10\.244\.\d+\.\d+:80 by .*KUBE-SEP-/);
  });
  it('droppedBy names the policy (calico), and `last` re-runs the learner’s last trace', () => {
    const c = cluster(demoText.replace('cni: flannel', 'cni: calico') + POLICY);
    const req = { from: 'client', to: web0.meta.name, proto: 'tcp' as const, port: 80 };
    const ctx = ctxOf(c, { traces: [req] });
    expect(run({ trace: { last: true, verdict: 'dropped', droppedBy: { policy: 'web-deny', hook: 'FORWARD' } } }, ctx).pass).toBe(true);
    expect(run({ trace: { last: true, droppedBy: { policy: 'other' } } }, ctx).message).toMatch(/the policies that decided were default\/web-deny/);
    expect(run({ trace: { last: true, verdict: 'delivered' } }, ctxOf(c)).message).toMatch(/no trace has been run yet/);
    // Flannel does not enforce: the same trace is delivered, droppedBy fails with the reason.
    const f = cluster(demoText + POLICY);
    expect(run({ trace: { last: true, droppedBy: { policy: 'web-deny' } } }, ctxOf(f, { traces: [req] })).message).toMatch(/it was delivered/);
  });
  it('droppedBy on Cilium reads the eBPF drop’s policies', () => {
    const c = cluster(demoText.replace('cni: flannel', 'cni: cilium') + POLICY);
    expect(run({ trace: { from: 'client', to: web0.meta.name, proto: 'tcp', port: 80, verdict: 'dropped', droppedBy: { policy: 'default/web-deny' } } }, ctxOf(c)).pass).toBe(true);
  });
});

describe('policy, dns, command and combinators', () => {
  it('policy: the matrix cell, Flannel allowing everything', () => {
    const c = cluster(demoText.replace('cni: flannel', 'cni: calico') + POLICY);
    expect(run({ policy: { from: 'client', to: web0.meta.name, port: 80, allowed: false } }, ctxOf(c)).pass).toBe(true);
    expect(run({ policy: { from: web0.meta.name, to: 'client', port: 80, allowed: true } }, ctxOf(c)).pass).toBe(true);
    const f = run({ policy: { from: 'client', to: web0.meta.name, port: 80, allowed: false } }, ctxOf(cluster(demoText + POLICY)));
    expect(f.message).toMatch(/it is allowed: not enforced: the policies alone would deny it/);
    // A node reaches the pods on it whatever the policies say (own node: always allowed).
    const own = c.pods.get(`default/${web0.meta.name}`)!.nodeName;
    expect(run({ policy: { from: `node/${own}`, to: web0.meta.name, port: 80, allowed: true } }, ctxOf(c)).message).toMatch(/own node: always allowed/);
  });
  it('dns: the pod resolver with its search path; a default-deny egress makes it time out', () => {
    expect(run({ dns: { from: 'client', name: 'web', answerIncludes: (demo.objects.get('Service/default/web')!.manifest.spec as { clusterIP: string }).clusterIP } }).pass).toBe(true);
    expect(run({ dns: { from: 'client', name: 'web.nowhere', rcode: 'NXDOMAIN' } }).pass).toBe(true);
    const deny = cluster(demoText.replace('cni: flannel', 'cni: calico') + `
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-egress}
spec:
  podSelector: {}
  policyTypes: [Egress]
`);
    expect(run({ dns: { from: 'client', name: 'web', rcode: 'NOERROR' } }, ctxOf(deny)).message).toMatch(/expected NOERROR; the resolver got timeout/);
  });
  it('command: ERE, status, place, count', () => {
    const commands = [
      { line: 'kubectl get pods -o wide', status: 0, place: 'host' },
      { line: 'curl -m 2 web', status: 28, place: 'pod default/client' },
    ];
    const ctx = ctxOf(demo, { commands });
    expect(run({ command: { matches: 'get pods? .*-o wide', status: 0 } }, ctx).pass).toBe(true);
    expect(run({ command: { matches: '^curl', place: 'pod client' } }, ctx).pass).toBe(true);
    expect(run({ command: { matches: '^curl', status: 0 } }, ctx).message).toMatch(/the closest was "curl -m 2 web" \(exit 28, in pod default\/client\)/);
    expect(run({ command: { matches: 'kubectl', count: 2 } }, ctx).pass).toBe(false);
  });
  it('all / any / not keep their children', () => {
    const r = run({ all: [{ pod: { name: 'client' } }, { not: { pod: { name: 'client' } } }] });
    expect(r.pass).toBe(false);
    expect(r.children?.map((c) => c.pass)).toEqual([true, false]);
    expect(run({ any: [{ pod: { name: 'nope' } }, { pod: { name: 'client' } }] }).pass).toBe(true);
  });
});
