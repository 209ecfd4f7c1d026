import { describe, expect, it } from 'vitest';
import { loadCluster } from '../index';
import { applyManifests } from '../controllers/commands';
import { config, meta } from '../model/buildFixtures';
import type { ManifestRec } from '../model/cluster';
import { Rng } from '../sim/rng';
import { allocateServices, NODE_PORT_MAX, NODE_PORT_MIN } from './allocate';
import { BandAllocator, ipRangeOffset, nodePortRangeOffset } from './bandAllocator';
import { servicesOf } from './table';

const CLUSTER = `apiVersion: podpath/v1alpha1
kind: Cluster
metadata: {name: t}
spec: {cni: flannel, nodes: [{name: control-plane, role: control-plane}, {name: worker-1}]}
`;

const svc = (name: string, spec: Record<string, unknown>): ManifestRec => ({ kind: 'Service', meta: meta(name, 'default'), manifest: { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec } });
const specOf = (r: ManifestRec) => r.manifest.spec as Record<string, unknown>;

describe('Service allocation', () => {
  it('keeps kubeadm\'s kubernetes (.1) and kube-dns (.10) addresses', () => {
    const c = loadCluster([{ name: 'c.yaml', text: CLUSTER }]);
    if (!c.ok) throw new Error(JSON.stringify(c.errors));
    const t = servicesOf(c.value);
    expect(t.byName.get('default/kubernetes')?.clusterIP).toBe(0x0a600001);
    expect(t.byName.get('kube-system/kube-dns')?.clusterIP).toBe(0x0a60000a);
  });

  it('uses the upper band for random IPs and honours requested ones', () => {
    const r = allocateServices([svc('a', { ports: [{ port: 80 }] }), svc('b', { clusterIP: '10.96.0.50', ports: [{ port: 80 }] })], config('flannel'), new Rng(1));
    expect(r.errors).toEqual([]);
    const [a, b] = r.objects.map(specOf);
    expect(b.clusterIP).toBe('10.96.0.50');
    expect(b.clusterIPs).toEqual(['10.96.0.50']);
    // /12: offset min(max(16, 2^20/16), 256) = 256 → random IPs start at 10.96.1.1.
    const parts = String(a.clusterIP).split('.').map(Number);
    expect(parts[0]).toBe(10);
    expect(parts[1] * 65536 + parts[2] * 256 + parts[3] - 96 * 65536).toBeGreaterThan(256);
    expect(a.ipFamilies).toEqual(['IPv4']);
    expect(a.ipFamilyPolicy).toBe('SingleStack');
    expect(a.internalTrafficPolicy).toBe('Cluster');
    expect((a.ports as Record<string, unknown>[])[0]).toEqual({ port: 80, protocol: 'TCP', targetPort: 80 });
  });

  it('reports a clash and an address out of range in the API server\'s words', () => {
    const cfg = config('flannel');
    const taken = allocateServices([svc('dns', { clusterIP: '10.96.0.10', ports: [{ port: 53 }] })], cfg, new Rng(1), [svc('kube-dns', { clusterIP: '10.96.0.10', ports: [{ port: 53 }] })]);
    expect(taken.errors.map((e) => `${e.field}: ${e.message}`)).toEqual(['spec.clusterIPs: Invalid value: []string{"10.96.0.10"}: failed to allocate IP 10.96.0.10: provided IP is already allocated']);
    const out = allocateServices([svc('x', { clusterIP: '10.200.0.1', ports: [{ port: 80 }] })], cfg, new Rng(1));
    expect(out.errors[0].message).toBe('Invalid value: []string{"10.200.0.1"}: failed to allocate IP 10.200.0.1: provided IP is not in the valid range. The range of valid IPs is 10.96.0.0/12');
    expect(out.errors[0].object).toBe('Service/default/x');
  });

  it('allocates nodePorts in 30000-32767, honours requested ones and rejects clashes', () => {
    const cfg = config('flannel');
    const r = allocateServices([svc('n', { type: 'NodePort', ports: [{ name: 'a', port: 80 }, { name: 'b', port: 443, nodePort: 30443 }] })], cfg, new Rng(7));
    const ports = specOf(r.objects[0]).ports as { nodePort: number }[];
    expect(ports[1].nodePort).toBe(30443);
    expect(ports[0].nodePort).toBeGreaterThanOrEqual(NODE_PORT_MIN + 86);
    expect(ports[0].nodePort).toBeLessThanOrEqual(NODE_PORT_MAX);
    const clash = allocateServices([svc('m', { type: 'NodePort', ports: [{ port: 80, nodePort: 30443 }] })], cfg, new Rng(7), r.objects);
    expect(clash.errors.map((e) => `${e.field}: ${e.message}`)).toEqual(['spec.ports[0].nodePort: Invalid value: 30443: provided port is already allocated']);
    const range = allocateServices([svc('m', { type: 'NodePort', ports: [{ port: 80, nodePort: 8080 }] })], cfg, new Rng(7));
    expect(range.errors[0].message).toBe('Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767');
  });

  it('requires names on multi-port Services and rejects duplicates', () => {
    const r = allocateServices([svc('m', { ports: [{ port: 80 }, { name: 'x', port: 81 }, { name: 'x', port: 82 }] })], config('flannel'), new Rng(1));
    expect(r.errors.map((e) => `${e.field}: ${e.message}`)).toEqual(['spec.ports[0].name: Required value', 'spec.ports[2].name: Duplicate value: "x"']);
  });

  it('gives LoadBalancers a pool address, a health-check port with Local, and defaults affinity', () => {
    const r = allocateServices(
      [svc('lb', { type: 'LoadBalancer', externalTrafficPolicy: 'Local', sessionAffinity: 'ClientIP', ports: [{ port: 80 }] }), svc('lb2', { type: 'LoadBalancer', ports: [{ port: 80 }] })],
      config('flannel'),
      new Rng(3),
    );
    const [a, b] = r.objects;
    expect((a.manifest.status as { loadBalancer: unknown }).loadBalancer).toEqual({ ingress: [{ ip: '203.0.113.1', ipMode: 'VIP' }] });
    expect((b.manifest.status as { loadBalancer: unknown }).loadBalancer).toEqual({ ingress: [{ ip: '203.0.113.2', ipMode: 'VIP' }] });
    expect(specOf(a).healthCheckNodePort).toBeGreaterThanOrEqual(NODE_PORT_MIN);
    expect(specOf(b).healthCheckNodePort).toBeUndefined();
    expect(specOf(a).sessionAffinityConfig).toEqual({ clientIP: { timeoutSeconds: 10800 } });
    expect(specOf(b).allocateLoadBalancerNodePorts).toBe(true);
  });

  it('leaves headless and ExternalName Services without a clusterIP', () => {
    const r = allocateServices([svc('h', { clusterIP: 'None', selector: { a: 'b' } }), svc('e', { type: 'ExternalName', externalName: 'example.com' })], config('flannel'), new Rng(1));
    expect(r.errors).toEqual([]);
    expect(specOf(r.objects[0]).clusterIPs).toEqual(['None']);
    expect(specOf(r.objects[1]).clusterIP).toBeUndefined();
    const bad = allocateServices([svc('h', { type: 'NodePort', clusterIP: 'None', ports: [{ port: 80 }] })], config('flannel'), new Rng(1));
    expect(bad.errors[0].message).toBe('Invalid value: "None": may not be set to \'None\' for NodePort services');
  });

  it('is deterministic for a seed', () => {
    const run = () => allocateServices([svc('a', { type: 'NodePort', ports: [{ port: 80 }] })], config('flannel'), new Rng(99)).objects.map((o) => JSON.stringify(o.manifest));
    expect(run()).toEqual(run());
  });

  it('keeps clusterIP and nodePorts when kubectl apply updates a Service, and fails a clash on apply', () => {
    const c = loadCluster([{ name: 'c.yaml', text: CLUSTER }]);
    if (!c.ok) throw new Error('load');
    const yaml = (extra = '') => `apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  type: NodePort\n  selector: {app: web}\n  ports:\n  - {port: 80${extra}}\n`;
    const first = applyManifests(c.value, [{ name: 'a.yaml', text: yaml() }]);
    if (!first.ok) throw new Error(JSON.stringify(first.errors));
    const again = applyManifests(first.value.cluster, [{ name: 'a.yaml', text: yaml() }]);
    if (!again.ok) throw new Error(JSON.stringify(again.errors));
    expect(again.value.results).toEqual([{ kind: 'Service', name: 'web', namespace: 'default', action: 'unchanged' }]);
    const s1 = servicesOf(first.value.cluster).byName.get('default/web')!;
    const s2 = servicesOf(again.value.cluster).byName.get('default/web')!;
    expect(s2.clusterIP).toBe(s1.clusterIP);
    expect(s2.ports[0].nodePort).toBe(s1.ports[0].nodePort);
    const clash = applyManifests(first.value.cluster, [{ name: 'b.yaml', text: yaml(`, nodePort: ${s1.ports[0].nodePort}`).replace('name: web', 'name: web2') }]);
    expect(clash.ok).toBe(false);
    if (!clash.ok) expect(clash.errors[0]).toMatchObject({ file: 'b.yaml', line: 8, field: 'spec.ports[0].nodePort', message: `Invalid value: ${s1.ports[0].nodePort}: provided port is already allocated` });
  });
});

describe('band allocator', () => {
  it('computes the static band as calculateRangeOffset does', () => {
    expect(ipRangeOffset(2 ** 20)).toBe(256);
    expect(ipRangeOffset(2 ** 8)).toBe(16);
    expect(ipRangeOffset(16)).toBe(0);
    expect(nodePortRangeOffset(2768)).toBe(86);
  });
  it('falls back to the lower band when the upper one is full', () => {
    const a = new BandAllocator(20, 16);
    const rng = new Rng(5);
    const got = Array.from({ length: 20 }, () => a.next(rng));
    expect(got.slice(0, 4).every((o) => o >= 16)).toBe(true);
    expect(got.slice(4).every((o) => o < 16)).toBe(true);
    expect(a.next(rng)).toBe(-1);
  });
});
