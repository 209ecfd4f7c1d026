import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadCluster } from '../../../engine/load';
import { trace } from '../../../engine/trace/tracer';
import { formatIpv4, type Cluster } from '../../../engine';
import { servicesOf } from '../../../engine/services/table';
import { selectionChoices, subjectsOf, traceChoices } from './suggest';
import { evaluateCheck, type Check } from '../../../engine/lessons/index';
import type { TraceRequest } from '../../../engine';

const demoText = readFileSync(new URL('../../../scenarios/demo.yaml', import.meta.url), 'utf8');
function demo(extra = ''): Cluster {
  const r = loadCluster([{ name: 'demo.yaml', text: demoText + extra }]);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
}
const podOn = (c: Cluster, node: string) => [...c.pods.values()].find((p) => p.meta.name.startsWith('web-') && p.nodeName === node)!;

describe('checks filled from the trace', () => {
  it('a cross-node trace on flannel offers delivered, the nodes it crossed and VXLAN VNI 1', () => {
    const c = demo();
    const web2 = podOn(c, 'worker-2');
    const t = trace(c, { from: 'client', to: web2.meta.name, proto: 'icmp' });
    const choices = traceChoices(t);
    const byId = new Map(choices.map((x) => [x.id, x]));
    expect(byId.get('verdict-delivered')!.check).toEqual({ trace: { last: true, verdict: 'delivered' } });
    expect(byId.get('crosses-worker-1')).toBeDefined();
    expect(byId.get('crosses-worker-2')!.check).toEqual({ trace: { last: true, crosses: { node: 'worker-2' } } });
    // Flannel's VXLAN device flannel.1 uses VNI 1 (flannel backend/vxlan: VNI defaults to 1).
    expect(byId.get('encap')!.check).toEqual({ trace: { last: true, encap: { type: 'vxlan', vni: 1 } } });
    expect(byId.get('encap')!.label).toBe('The last trace was encapsulated VXLAN VNI 1');
  });

  it('a trace to the Service ClusterIP offers the DNAT to the endpoint it chose', () => {
    const c = demo();
    const svc = servicesOf(c).services.find((x) => x.name === 'web')!;
    const t = trace(c, { from: 'client', to: formatIpv4(svc.clusterIP!), proto: 'tcp', port: 80 });
    const dnat = traceChoices(t).find((x) => x.id === 'dnat');
    expect(dnat).toBeDefined();
    const to = (dnat!.check as { trace: { dnat: { to: string } } }).trace.dnat.to;
    const endpoints = [...c.pods.values()].filter((p) => p.meta.name.startsWith('web-')).map((p) => `${formatIpv4(p.attachment!.ip)}:80`);
    expect(endpoints).toContain(to);
    expect(to).toBe(`${t.hops[t.hops.length - 1].packet.dst}:80`);
  });
});

describe('checks filled from the selection', () => {
  it('a pod: its node, its node PodCIDR, its status', () => {
    const c = demo();
    const ch = selectionChoices(c, 'default/client');
    expect(ch.map((x) => x.check)).toEqual([
      { pod: { name: 'client', node: 'worker-1' } },
      { pod: { name: 'client', ipIn: c.nodes.find((n) => n.meta.name === 'worker-1')!.podCIDR!.toString() } },
      { pod: { name: 'client', status: 'Running' } },
    ]);
  });

  it('a Pending pod names its reason', () => {
    const c = demo(`---
apiVersion: v1
kind: Pod
metadata: {name: picky, namespace: default}
spec:
  nodeSelector: {disktype: ssd}
  containers: [{name: c, image: busybox}]
`);
    const status = selectionChoices(c, 'default/picky').find((x) => x.id === 'pod-status')!;
    expect(status.check).toEqual({ pod: { name: 'picky', status: 'Pending', reason: 'Unschedulable' } });
    expect(status.label).toBe('Pod picky is Pending (Unschedulable)');
  });

  it('a Service: its ready endpoints; an unknown selection: nothing', () => {
    const c = demo();
    expect(selectionChoices(c, 'svc/default/web')).toEqual([{ id: 'svc-endpoints', label: 'Service web has 3 endpoints', check: { service: { name: 'web', endpoints: 3 } } }]);
    expect(selectionChoices(c, 'svc/default/nope')).toEqual([]);
    expect(selectionChoices(c, null)).toEqual([]);
  });
});

describe('every suggestion passes on the state it was made from (the engine evaluates it)', () => {
  const calicoDeny = `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-deny, namespace: default}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Ingress]
`;
  it('trace checks on the demo and on Calico with a deny policy, selection checks on every subject', () => {
    const clusters = [demo(), demo(calicoDeny), (() => {
      const r = loadCluster([{ name: 'demo.yaml', text: demoText.replace('cni: flannel', 'cni: calico') + calicoDeny }]);
      if (!r.ok) throw new Error(JSON.stringify(r.errors));
      return r.value;
    })()];
    let policyDrops = 0;
    for (const c of clusters) {
      const svc = servicesOf(c).services.find((x) => x.name === 'web')!;
      const webs = [...c.pods.values()].filter((p) => p.meta.name.startsWith('web-')).map((p) => `default/${p.meta.name}`);
      const requests: TraceRequest[] = [
        ...webs.map((to) => ({ from: 'default/client', to, proto: 'tcp' as const, port: 80 })),
        { from: 'default/client', to: formatIpv4(svc.clusterIP!), proto: 'tcp', port: 80 },
        { from: 'default/client', to: 'node/worker-2', proto: 'icmp' },
      ];
      for (const req of requests) {
        const ctx = { cluster: c, traces: [req], commands: [], answers: {} };
        for (const choice of traceChoices(trace(c, req))) {
          if (choice.id.startsWith('dropped-by')) policyDrops++;
          const r = evaluateCheck(choice.check as Check, ctx);
          expect(`${choice.label}: ${r.pass ? "pass" : r.message}`).toBe(`${choice.label}: pass`);
        }
      }
      for (const s of subjectsOf(c)) {
        for (const choice of selectionChoices(c, s.id)) {
          const r = evaluateCheck(choice.check as Check, { cluster: c, traces: [], commands: [], answers: {} });
          expect(`${choice.label}: ${r.pass ? "pass" : r.message}`).toBe(`${choice.label}: pass`);
        }
      }
    }
    // Calico enforces the deny: the trace to a web pod was dropped by web-deny, and that was offered.
    expect(policyDrops).toBeGreaterThan(0);
  });
});
