import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { engineShell, loadCluster, trace } from '../../engine';
import { diffLayers, layersOf } from './layers';

const demo = readFileSync(new URL('../../scenarios/demo.yaml', import.meta.url), 'utf8');

function crossNodePing() {
  const r = loadCluster([{ name: 'demo.yaml', text: demo }]);
  if (!r.ok) throw new Error('demo did not load');
  const web = [...r.value.pods.values()].find((p) => p.meta.name.startsWith('web-') && p.nodeName === 'worker-2')!;
  return trace(r.value, { from: 'default/client', to: `default/${web.meta.name}`, proto: 'icmp' });
}

describe('packet layers', () => {
  it('shows Outer Ethernet, Outer IPv4, UDP and VXLAN above the inner frame on the wire', () => {
    const t = crossNodePing();
    const wire = t.hops.find((h) => h.action === 'wire')!;
    const titles = layersOf(wire.repr!).map((l) => l.title);
    expect(titles).toEqual(['Outer Ethernet', 'Outer IPv4 (VXLAN)', 'Outer UDP', 'VXLAN', 'Inner Ethernet', 'Inner IPv4', 'ICMP']);
    const vxlan = layersOf(wire.repr!).find((l) => l.title === 'VXLAN')!;
    expect(vxlan.fields).toEqual([{ name: 'VNI', value: '1' }]);
    const udp = layersOf(wire.repr!).find((l) => l.title === 'Outer UDP')!;
    expect(udp.fields.find((f) => f.name === 'dst port')?.value).toBe('8472');
  });

  it('marks the tunnel layers as added at the encap hop and removed at the decap hop', () => {
    const t = crossNodePing();
    const i = t.hops.findIndex((h) => h.action === 'encap');
    const atEncap = diffLayers(t.hops[i].repr!, t.hops[i - 1].repr);
    expect(atEncap.layers.filter((l) => l.added).map((l) => l.title)).toContain('VXLAN');
    const j = t.hops.findIndex((h) => h.action === 'decap');
    const atDecap = diffLayers(t.hops[j].repr!, t.hops[j - 1].repr);
    expect(atDecap.removed).toContain('VXLAN');
  });

  it('highlights the TTL a router decremented', () => {
    const t = crossNodePing();
    let found = false;
    for (let i = 1; i < t.hops.length; i++) {
      const d = diffLayers(t.hops[i].repr!, t.hops[i - 1].repr);
      const ttl = d.layers.find((l) => l.key === 'ip')?.fields.find((f) => f.name === 'TTL');
      if (ttl?.changed) found = true;
    }
    expect(found).toBe(true);
  });

  it('a DNS query carries its question to CoreDNS, and the answer comes back on the reply, through the DNAT', () => {
    const r = loadCluster([{ name: 'demo.yaml', text: demo }]);
    if (!r.ok) throw new Error('demo did not load');
    const out = engineShell(r.value).run('kubectl exec client -- nslookup web.default.svc.cluster.local');
    const q = out.traces!.find((t) => t.hops[0].repr?.dns?.question.name === 'web.default.svc.cluster.local.' && t.hops[0].repr.dns.question.type === 'A')!;
    expect(q.verdict).toBe('delivered');
    const sent = layersOf(q.hops[0].repr!);
    expect(sent.map((l) => l.title)).toEqual(['IPv4', 'UDP', 'DNS query']);
    expect(sent[2].fields).toEqual([
      { name: 'id', value: String(q.hops[0].repr!.dns!.id) },
      { name: 'flags', value: 'rd' },
      { name: 'question', value: 'web.default.svc.cluster.local. IN A' },
    ]);
    // Still the same question at the CoreDNS pod, after kube-proxy rewrote the destination.
    const arrived = q.hops.at(-1)!.repr!;
    expect(arrived.ip.dst).not.toBe(q.hops[0].repr!.ip.dst);
    expect(layersOf(arrived).find((l) => l.key === 'dns')?.title).toBe('DNS query');
    const answer = layersOf(q.reply!.hops.at(-1)!.repr!).find((l) => l.key === 'dns')!;
    expect(answer.title).toBe('DNS response');
    expect(answer.fields.find((f) => f.name === 'flags')?.value).toBe('qr aa rd');
    expect(answer.fields.find((f) => f.name === 'status')?.value).toBe('NOERROR');
    expect(answer.fields.find((f) => f.name === 'answer')?.value).toMatch(/^web\.default\.svc\.cluster\.local\. 30 IN A 10\.96\.\d+\.\d+$/);
  });
});
