/**
 * The drawing's semantics on real clusters (through the loader): semantic levels, Service
 * boxes, the Calico lesson (PodCIDR ≠ pod range), stable node positions across edits, the
 * 50-node layout, IP change detection, palette manifests and the SVG export.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commands, loadCluster, networkOf, trace, type Cluster } from '../../engine';
import { alignHops, compareSummary } from './compare';
import type { TraceHop } from '../../engine/trace/traceTypes';
import fc from 'fast-check';
import { servicesOf } from '../../engine/services/table';
import { flowIds, isSystemNamespace, toFlow, type FlowNode, type KubeNodeData, type PodData, type ServiceData } from '../toFlow';
import { flowToSvg } from './exportSvg';
import { nodeBoxAt } from './hitTest';
import { ipChanges } from './ipChanges';
import { PALETTE, freeNodeName, freePodName, podManifest } from './palette';

const demoText = readFileSync(new URL('../../scenarios/demo.yaml', import.meta.url), 'utf8');

function load(text: string): Cluster {
  const r = loadCluster([{ name: 'scenario.yaml', text }]);
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
  return r.value;
}
const must = <T,>(r: { ok: true; value: T } | { ok: false; errors: { message: string }[] }): T => {
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
  return r.value;
};
const flowOf = (c: Cluster, level: 'detail' | 'overview' = 'detail', focusService?: string) => toFlow(c, networkOf(c), { level, services: servicesOf(c), focusService: focusService ?? null });
const byId = (nodes: FlowNode[]) => new Map(nodes.map((n) => [n.id, n]));
const boxPositions = (c: Cluster) => flowOf(c).nodes.filter((n) => n.type === 'k8sNode').map((n) => `${n.id}@${n.position.x},${n.position.y}`);

describe('semantic levels', () => {
  const demo = load(demoText);

  it('folds the system pods into a count per node, keeps the ones asked for, and the box fits what is drawn', () => {
    const folded = toFlow(demo, networkOf(demo), { foldSystem: true, services: servicesOf(demo) });
    const all = flowOf(demo);
    const system = [...demo.pods.values()].filter((p) => isSystemNamespace(p.meta.namespace ?? 'default'));
    expect(system.length).toBeGreaterThan(3);
    for (const p of system) expect(byId(folded.nodes).has(flowIds.pod(p.meta.namespace!, p.meta.name))).toBe(false);
    for (const p of [...demo.pods.values()].filter((x) => !isSystemNamespace(x.meta.namespace ?? 'default'))) expect(byId(folded.nodes).has(flowIds.pod('default', p.meta.name))).toBe(true);
    const cp = byId(folded.nodes).get('node:control-plane')!;
    const cpData = cp.data as KubeNodeData;
    // The count still counts them, and says how many are folded.
    expect(cpData.podCount).toBe((byId(all.nodes).get('node:control-plane')!.data as KubeNodeData).podCount);
    expect(cpData.foldedSystem!.count).toBe(system.filter((p) => p.nodeName === 'control-plane').length);
    expect(cpData.foldedSystem!.y).toBeLessThan(cp.height!);
    // Folding makes the boxes shorter, never wider.
    expect(cp.height!).toBeLessThan(byId(all.nodes).get('node:control-plane')!.height!);
    // A kept system pod (a trace to CoreDNS) is drawn while the others stay folded.
    const dns = system.find((p) => p.meta.name.startsWith('coredns-'))!;
    const dnsId = flowIds.pod('kube-system', dns.meta.name);
    const kept = toFlow(demo, networkOf(demo), { foldSystem: true, keep: new Set([dnsId]) });
    expect(byId(kept.nodes).has(dnsId)).toBe(true);
    expect(kept.nodes.filter((n) => n.type === 'pod' && (n.data as PodData).system)).toHaveLength(1);
  });

  it('overview keeps the pods of the current trace drawn, at their detail positions', () => {
    const client = flowIds.pod('default', 'client');
    const detail = toFlow(demo, networkOf(demo), { level: 'detail', keep: new Set([client]) });
    const overview = toFlow(demo, networkOf(demo), { level: 'overview', keep: new Set([client]) });
    const pods = overview.nodes.filter((n) => n.type === 'pod');
    expect(pods.map((n) => n.id)).toEqual([client]);
    expect(pods[0].position).toEqual(byId(detail.nodes).get(client)!.position);
    expect((byId(overview.nodes).get('node:worker-1')!.data as KubeNodeData).keepsPods).toBe(true);
    expect((byId(overview.nodes).get('node:worker-2')!.data as KubeNodeData).keepsPods).toBeUndefined();
  });

  it('overview draws node boxes with pod counts and no devices or pods, at the same positions as detail', () => {
    const detail = flowOf(demo, 'detail');
    const overview = flowOf(demo, 'overview');
    expect(overview.nodes.some((n) => n.type === 'pod' || n.type === 'device')).toBe(false);
    const w1 = byId(overview.nodes).get('node:worker-1')!;
    expect(w1.data).toMatchObject({ level: 'overview', podCount: [...demo.pods.values()].filter((p) => p.nodeName === 'worker-1').length });
    for (const n of overview.nodes.filter((x) => x.type === 'k8sNode')) {
      const d = byId(detail.nodes).get(n.id)!;
      expect([n.position, n.width, n.height]).toEqual([d.position, d.width, d.height]);
    }
    // Every node box still hangs off the switch.
    expect(overview.edges.filter((e) => e.id.startsWith('nicbox:'))).toHaveLength(3);
    expect(overview.nodes.length).toBeLessThan(detail.nodes.length / 3);
  });

  it('pods carry their labels (without controller hashes) and whether they can be moved by hand', () => {
    const pods = flowOf(demo).nodes.filter((n) => n.type === 'pod').map((n) => n.data as PodData);
    const client = pods.find((p) => p.name === 'client')!;
    expect(client).toMatchObject({ labels: ['app=client'], movable: true });
    const web = pods.find((p) => p.name.startsWith('web-'))!;
    expect(web.labels).toEqual(['app=web']);
    const flannelDs = pods.find((p) => p.name.startsWith('kube-flannel-ds-'))!;
    expect(flannelDs.movable).toBe(false);
  });

  it('the node header shows kube-proxy’s mode', () => {
    expect(byId(flowOf(demo).nodes).get('node:worker-1')!.data).toMatchObject({ kubeProxy: 'iptables' });
  });
});

describe('Services', () => {
  const demo = load(demoText);

  it('draws each Service as a virtual box with its ClusterIP above the switch', () => {
    const { nodes } = flowOf(demo);
    const web = byId(nodes).get(flowIds.service('default', 'web'))!;
    const table = servicesOf(demo).byName.get('default/web')!;
    const d = web.data as ServiceData;
    expect(d).toMatchObject({ kind: 'service', type: 'ClusterIP', ports: '80/TCP', ready: 3, endpoints: 3 });
    expect(d.clusterIP).toMatch(/^10\.(9[6-9]|1[01]\d)\.\d+\.\d+$/);
    expect(table.clusterIP).not.toBeNull();
    expect(web.position.y + web.height!).toBeLessThan(0);
    expect(nodes.some((n) => n.id === flowIds.service('kube-system', 'kube-dns'))).toBe(true);
  });

  it('draws endpoint edges only for the focused Service', () => {
    expect(flowOf(demo).edges.some((e) => e.id.startsWith('ep:'))).toBe(false);
    const eps = flowOf(demo, 'detail', 'default/web').edges.filter((e) => e.id.startsWith('ep:'));
    expect(eps).toHaveLength(3);
    for (const e of eps) expect(e.target).toMatch(/^pod:default\/web-/);
  });

  it('adds the outside client and the cloud load balancer when a Service is of type LoadBalancer', () => {
    const lb = load(`${demoText}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: web-public, namespace: default}\nspec:\n  type: LoadBalancer\n  selector: {app: web}\n  ports: [{port: 80, targetPort: 80}]\n`);
    const { nodes, edges } = flowOf(lb);
    const map = byId(nodes);
    expect(map.get(flowIds.external('client'))!.data).toMatchObject({ role: 'client' });
    expect(map.get(flowIds.external('lb'))!.data).toMatchObject({ role: 'lb' });
    expect(edges.map((e) => e.id)).toEqual(expect.arrayContaining(['ext:client-lb', 'ext:lb-net']));
    expect((map.get(flowIds.service('default', 'web-public'))!.data as ServiceData).ports).toMatch(/^80:3\d{4}\/TCP$/);
    // Without external Services there is no outside world.
    expect(flowOf(demo).nodes.some((n) => n.type === 'external')).toBe(false);
  });
});

describe('the PodCIDR lesson under Calico', () => {
  it('shows spec.podCIDR and, apart, the Calico IPAM blocks the pod IPs really come from', () => {
    const calico = load(demoText.replace('cni: flannel', 'cni: calico'));
    const w1 = byId(flowOf(calico).nodes).get('node:worker-1')!.data as KubeNodeData;
    expect(w1.podCIDR).toBe(calico.nodes.find((n) => n.meta.name === 'worker-1')!.podCIDR?.toString() ?? '—');
    expect(w1.podRange?.label).toBe('Calico IPAM blocks');
    expect(w1.podRange?.cidrs).toMatch(/\/26/);
    expect(w1.podRange?.cidrs).not.toBe(w1.podCIDR);
    // Flannel uses spec.podCIDR itself: nothing to point out.
    expect((byId(flowOf(load(demoText)).nodes).get('node:worker-1')!.data as KubeNodeData).podRange).toBeUndefined();
  });
});

describe('stable positions', () => {
  const demo = load(demoText);

  it('adding, moving and deleting a pod moves no node box', () => {
    const before = boxPositions(demo);
    const added = must(commands.addPod(demo, podManifest(PALETTE[0], freePodName(demo, 'nginx'), 'worker-2')));
    expect(boxPositions(added)).toEqual(before);
    const moved = must(commands.movePod(demo, 'default', 'client', 'worker-2'));
    expect(boxPositions(moved)).toEqual(before);
    expect(boxPositions(must(commands.deletePod(demo, 'default', 'client')))).toEqual(before);
  });

  it('adding a node keeps the boxes before it where they were', () => {
    const before = boxPositions(demo);
    const more = must(commands.addNode(demo, { name: freeNodeName(demo) }));
    expect(boxPositions(more).slice(0, before.length)).toEqual(before);
  });

  it('a drop point finds the node box under it', () => {
    const flow = flowOf(demo);
    const w2 = byId(flow.nodes).get('node:worker-2')!;
    expect(nodeBoxAt(flow, { x: w2.position.x + 10, y: w2.position.y + 10 })).toBe('worker-2');
    expect(nodeBoxAt(flow, { x: -500, y: -500 })).toBeUndefined();
  });
});

describe('large clusters', () => {
  it('lays out 50 nodes and 500 pods in a grid without overlaps, pods wrapped in columns inside their node', () => {
    const nodes = Array.from({ length: 50 }, (_, i) => `  - {name: node-${String(i + 1).padStart(2, '0')}}`).join('\n');
    const text = `apiVersion: podpath/v1alpha1\nkind: Cluster\nmetadata: {name: big}\nspec:\n  cni: flannel\n  podCIDR: 10.244.0.0/16\n  nodeNetwork: 192.168.0.0/20\n  nodes:\n${nodes}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: default}\nspec:\n  replicas: 400\n  selector: {matchLabels: {app: api}}\n  template:\n    metadata: {labels: {app: api}}\n    spec:\n      containers: [{name: api, image: nginx:1.27}]\n`;
    const big = load(text);
    expect(big.pods.size).toBeGreaterThanOrEqual(500);
    const flow = flowOf(big);
    const boxes = flow.nodes.filter((n) => n.type === 'k8sNode');
    expect(boxes).toHaveLength(50);
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i];
        const b = boxes[j];
        const apart = a.position.x + a.width! <= b.position.x || b.position.x + b.width! <= a.position.x || a.position.y + a.height! <= b.position.y || b.position.y + b.height! <= a.position.y;
        expect(apart).toBe(true);
      }
    }
    // 8 boxes to a row: a roughly square grid, not one long line.
    expect(new Set(boxes.map((b) => b.position.y)).size).toBe(7);
    const map = byId(flow.nodes);
    for (const n of flow.nodes) {
      if (!n.parentId) continue;
      const p = map.get(n.parentId)!;
      expect(n.position.x + n.width!).toBeLessThanOrEqual(p.width!);
      expect(n.position.y + n.height!).toBeLessThanOrEqual(p.height!);
    }
    expect(flowOf(big, 'overview').nodes.length).toBeLessThan(60);
  });
});

describe('IP changes', () => {
  const demo = load(demoText);

  it('reports a rescheduled pod with its old and new IP, and a new pod with its IP', () => {
    const moved = must(commands.movePod(demo, 'default', 'client', 'worker-2'));
    const changes = ipChanges(demo, moved);
    const flash = changes.get(flowIds.pod('default', 'client'))!;
    expect(flash.from).toMatch(/^10\.244\.1\.\d+$/);
    expect(flash.to).toMatch(/^10\.244\.2\.\d+$/);
    expect(changes.size).toBe(1);
    const added = must(commands.addPod(demo, podManifest(PALETTE[2], 'busybox-1', 'worker-1')));
    expect(ipChanges(demo, added).get(flowIds.pod('default', 'busybox-1'))).toEqual({ from: '', to: expect.stringMatching(/^10\.244\.1\.\d+$/) });
    expect(ipChanges(null, demo).size).toBe(0);
  });
});

describe('palette and export', () => {
  const demo = load(demoText);

  it('a palette pod is a kubectl-run style manifest pinned to its node', () => {
    const m = podManifest(PALETTE.find((p) => p.id === 'http-echo')!, 'http-echo-1', 'worker-2');
    expect(m).toMatchObject({ metadata: { name: 'http-echo-1', labels: { run: 'http-echo-1', app: 'http-echo' } }, spec: { nodeName: 'worker-2' } });
    expect(freePodName(demo, 'client')).toBe('client-1');
    const c = must(commands.addPod(demo, m));
    expect(c.pods.get('default/http-echo-1')!.nodeName).toBe('worker-2');
  });

  it('exports an SVG with every node, pod and address, with text escaped', () => {
    const svg = flowToSvg(flowOf(demo));
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('worker-2');
    expect(svg).toContain('10.244.2.0/24');
    expect(svg).toContain('flannel.1');
    const tricky = must(commands.setLabels(demo, 'pod', 'default', 'client', { app: '<b>&"x"' }));
    const t = flowToSvg(flowOf(tricky));
    expect(t).toContain('app=&lt;b&gt;&amp;&quot;x&quot;');
    expect(t).not.toContain('<b>');
    expect(flowToSvg(flowOf(demo))).toBe(svg);
  });
});

describe('compare', () => {
  it('the same ping under Flannel VXLAN and Calico BGP: 50 bytes of outer headers against none', () => {
    const demo = load(demoText);
    const web2 = [...demo.pods.values()].find((p) => p.meta.name.startsWith('web-') && p.nodeName === 'worker-2')!;
    const req = { from: 'default/client', to: `default/${web2.meta.name}`, proto: 'icmp' as const };
    const flannel = compareSummary(trace(demo, req));
    expect(flannel.encap).toMatch(/^VXLAN 192\.168\.1\.11 → 192\.168\.1\.12 vni 1 :8472$/);
    // RFC 7348: outer Ethernet 14 + IPv4 20 + UDP 8 + VXLAN 8.
    expect(flannel.overhead).toBe(50);
    const calico = compareSummary(trace(must(commands.setCni(demo, 'calico')), req));
    expect(calico.encap).toBe('');
    expect(calico.overhead).toBe(0);
    expect(flannel.wireSize - calico.wireSize).toBe(50);
  });

  it('aligns the two paths hop by hop: every hop once, in order, the shared steps on one row', () => {
    const demo = load(demoText);
    const web2 = [...demo.pods.values()].find((p) => p.meta.name.startsWith('web-') && p.nodeName === 'worker-2')!;
    const req = { from: 'default/client', to: `default/${web2.meta.name}`, proto: 'icmp' as const };
    const a = trace(demo, req);
    const b = trace(must(commands.setCni(demo, 'calico')), req);
    const rows = alignHops(a.hops, b.hops);
    expect(rows.flatMap((r) => (r.left === undefined ? [] : [r.left]))).toEqual(a.hops.map((_, i) => i));
    expect(rows.flatMap((r) => (r.right === undefined ? [] : [r.right]))).toEqual(b.hops.map((_, i) => i));
    // Both start with the client's socket sending and end delivering in the web pod.
    expect(rows[0]).toMatchObject({ left: 0, right: 0, same: true });
    expect(rows[rows.length - 1]).toMatchObject({ left: a.hops.length - 1, right: b.hops.length - 1 });
    // Flannel's VXLAN encapsulation has no Calico counterpart.
    const encap = rows.find((r) => r.left !== undefined && a.hops[r.left].action === 'encap')!;
    expect(encap.right).toBeUndefined();
    // The summary's count is what is listed: the request's hops and the reply's.
    const s = compareSummary(a);
    expect(s.hops).toBe(s.requestHops + s.replyHops);
    expect(s.requestHops).toBe(a.hops.length);
  });

  it('alignHops on arbitrary paths lists every hop of both sides once, in order', () => {
    const hop = (action: string, node: string) => ({ action, node, netns: `node/${node}`, device: 'eth0', packet: {} }) as unknown as TraceHop;
    const gen = fc.array(fc.tuple(fc.constantFrom('route', 'xmit', 'encap', 'wire'), fc.constantFrom('n1', 'n2')), { maxLength: 12 });
    fc.assert(
      fc.property(gen, gen, (xa, xb) => {
        const a = xa.map(([act, n]) => hop(act, n));
        const b = xb.map(([act, n]) => hop(act, n));
        const rows = alignHops(a, b);
        expect(rows.flatMap((r) => (r.left === undefined ? [] : [r.left]))).toEqual(a.map((_, i) => i));
        expect(rows.flatMap((r) => (r.right === undefined ? [] : [r.right]))).toEqual(b.map((_, i) => i));
        for (const r of rows) if (r.left !== undefined && r.right !== undefined) expect(a[r.left].action).toBe(b[r.right].action);
      }),
    );
  });
});
