import { describe, expect, it } from 'vitest';
import { networkOf } from '../engine/cni/network';
import { handCluster } from '../engine/cni/handCluster';
import { referenceCluster } from '../engine/shell/fixture';
import { loadCluster } from '../engine/load';
import { endpointsOf } from './endpoints';
import { flowIds, toFlow, type DeviceData, type FlowNode, type KubeNodeData, type PodData } from './toFlow';

const flowOf = (cluster = referenceCluster()) => toFlow(cluster, networkOf(cluster));
const byId = (nodes: FlowNode[]) => new Map(nodes.map((n) => [n.id, n]));

describe('toFlow', () => {
  it('draws the node network as a switch with its CIDR', () => {
    const seg = byId(flowOf().nodes).get('net:nodes')!;
    expect(seg.type).toBe('segment');
    expect(seg.data).toMatchObject({ kind: 'segment', cidr: '192.168.1.0/24', gateway: '192.168.1.1' });
  });

  it('draws each Kubernetes node as a box with name, role, IP and PodCIDR', () => {
    const nodes = byId(flowOf().nodes);
    const cp = nodes.get('node:control-plane')!.data as KubeNodeData;
    const w1 = nodes.get('node:worker-1')!.data as KubeNodeData;
    expect(cp).toMatchObject({ name: 'control-plane', role: 'control-plane', ip: '192.168.1.10', podCIDR: '10.244.0.0/24' });
    expect(w1).toMatchObject({ name: 'worker-1', role: 'worker', ip: '192.168.1.11', podCIDR: '10.244.1.0/24', podCount: 2 });
  });

  it('puts the node devices inside their node: cni0, flannel.1, then eth0 (under the switch)', () => {
    const { nodes } = flowOf();
    const devs = nodes.filter((n) => n.parentId === 'node:worker-1' && (n.data as DeviceData).kind === 'device' && (n.data as DeviceData).role !== 'host-end');
    expect(devs.map((n) => (n.data as DeviceData).name)).toEqual(['cni0', 'flannel.1', 'eth0']);
    const vtep = devs[1].data as DeviceData;
    expect(vtep).toMatchObject({ role: 'tunnel', linkKind: 'vxlan', detail: 'vxlan vni 1 · udp 8472' });
    expect((devs[2].data as DeviceData).detail).toBe('192.168.1.11/24');
    expect((devs[0].data as DeviceData).detail).toBe('10.244.1.1/24');
    expect(devs[0].position.x).toBeLessThan(devs[2].position.x);
  });

  it('puts pods inside their node with name and IP, and their veth host end beside them', () => {
    const { nodes, edges } = flowOf();
    const client = byId(nodes).get(flowIds.pod('default', 'client'))!;
    expect(client.parentId).toBe('node:worker-1');
    expect(client.extent).toBe('parent');
    expect(client.data as PodData).toMatchObject({ name: 'client', namespace: 'default', ip: '10.244.1.2', system: false });
    const veth = edges.find((e) => e.id === 'veth:pod:default/client')!;
    expect(veth.target).toBe('pod:default/client');
    expect(veth.source).toMatch(/^dev:worker-1:veth[0-9a-f]{8}$/);
    const hostEnd = byId(nodes).get(veth.source)!;
    expect(hostEnd.data as DeviceData).toMatchObject({ role: 'host-end', linkKind: 'veth' });
    expect(hostEnd.position.x + hostEnd.width!).toBeLessThan(client.position.x);
    // the host end is a port of cni0
    expect(edges.find((e) => e.id === `master:worker-1:${(hostEnd.data as DeviceData).name}`)?.target).toBe('dev:worker-1:cni0');
  });

  it('links every node eth0 to the node network and the VXLAN device to eth0', () => {
    const { edges } = flowOf();
    for (const n of ['control-plane', 'worker-1', 'worker-2']) {
      expect(edges).toContainEqual(expect.objectContaining({ id: `nic:${n}:eth0`, source: `dev:${n}:eth0`, target: 'net:nodes' }));
      expect(edges).toContainEqual(expect.objectContaining({ source: `dev:${n}:flannel.1`, target: `dev:${n}:eth0` }));
    }
  });

  it('emits parents before their children and every edge end exists', () => {
    const { nodes, edges } = flowOf();
    const seen = new Set<string>();
    for (const n of nodes) {
      if (n.parentId) expect(seen.has(n.parentId)).toBe(true);
      seen.add(n.id);
    }
    expect(new Set(nodes.map((n) => n.id)).size).toBe(nodes.length);
    for (const e of edges) {
      expect(seen.has(e.source)).toBe(true);
      expect(seen.has(e.target)).toBe(true);
    }
    expect(new Set(edges.map((e) => e.id)).size).toBe(edges.length);
  });

  it('keeps children inside their parent box', () => {
    const { nodes } = flowOf();
    const map = byId(nodes);
    for (const n of nodes) {
      if (!n.parentId) continue;
      const p = map.get(n.parentId)!;
      expect(n.position.x).toBeGreaterThanOrEqual(0);
      expect(n.position.y).toBeGreaterThanOrEqual(0);
      expect(n.position.x + n.width!).toBeLessThanOrEqual(p.width!);
      expect(n.position.y + n.height!).toBeLessThanOrEqual(p.height!);
    }
  });

  it('does not overlap node boxes, and the switch spans them', () => {
    const { nodes } = flowOf();
    const boxes = nodes.filter((n) => n.type === 'k8sNode');
    for (let i = 1; i < boxes.length; i++) expect(boxes[i].position.x).toBeGreaterThanOrEqual(boxes[i - 1].position.x + boxes[i - 1].width!);
    const seg = nodes.find((n) => n.type === 'segment')!;
    const last = boxes[boxes.length - 1];
    expect(seg.width).toBeGreaterThanOrEqual(last.position.x + last.width!);
  });

  it('shows hostNetwork pods with the node IP and system pods quieter', () => {
    const c = handCluster(
      'calico-ipip',
      [{ name: 'n1', ip: '192.168.1.10', extra: { blocks: [] } }],
      [
        { name: 'kube-proxy-abcde', namespace: 'kube-system', node: 'n1', hostNetwork: true, hostIfindex: 0 },
        { name: 'coredns-1', namespace: 'kube-system', node: 'n1', ip: '192.168.150.1', hostIfindex: 5 },
      ],
    );
    const { nodes } = toFlow(c, networkOf(c));
    const map = byId(nodes);
    expect(map.get('pod:kube-system/kube-proxy-abcde')!.data).toMatchObject({ hostNetwork: true, ip: '192.168.1.10', system: true });
    expect(map.get('pod:kube-system/coredns-1')!.data).toMatchObject({ hostNetwork: false, system: true });
    const hostEnds = nodes.filter((n) => (n.data as DeviceData).role === 'host-end');
    expect((hostEnds[0].data as DeviceData).name).toMatch(/^cali[0-9a-f]{11}$/);
    expect((map.get('node:n1')!.data as KubeNodeData).hostPodsTitleY).toBeGreaterThan(0);
    expect(nodes.some((n) => n.id === 'dev:n1:tunl0')).toBe(true);
  });

  it('is deterministic', () => {
    expect(JSON.stringify(flowOf())).toBe(JSON.stringify(flowOf()));
  });
});

describe('toFlow: pods that are not Running', () => {
  const stuck = () => {
    const r = loadCluster([
      {
        name: 's.yaml',
        text: [
          'apiVersion: v1\nkind: Node\nmetadata: {name: a}\nspec: {podCIDR: 10.244.1.0/30}',
          'apiVersion: v1\nkind: Pod\nmetadata: {name: p1}\nspec:\n  nodeName: a\n  containers: [{name: c, image: nginx}]',
          'apiVersion: v1\nkind: Pod\nmetadata: {name: db}\nspec:\n  nodeSelector: {disktype: ssd}\n  containers: [{name: c, image: nginx}]',
        ].join('\n---\n'),
      },
    ]);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    return r.value;
  };

  it('draws a ContainerCreating pod in its node with its status, no IP and no veth', () => {
    const { nodes, edges } = flowOf(stuck());
    const p1 = byId(nodes).get(flowIds.pod('default', 'p1'))!;
    expect(p1.parentId).toBe('node:a');
    expect(p1.data).toMatchObject({ ip: '', status: 'ContainerCreating' });
    expect(edges.some((e) => e.id === `veth:${p1.id}`)).toBe(false);
  });

  it('draws Pending pods (no node) in a Pending tray under the nodes, at both levels', () => {
    const c = stuck();
    const { nodes } = flowOf(c);
    const tray = byId(nodes).get(flowIds.pending())!;
    expect(tray).toMatchObject({ type: 'pending', data: { kind: 'pending', count: 1 } });
    const box = byId(nodes).get('node:a')!;
    expect(tray.position.y).toBeGreaterThan(box.position.y + (box.height ?? 0));
    const db = byId(nodes).get(flowIds.pod('default', 'db'))!;
    expect(db).toMatchObject({ parentId: 'pending', data: { status: 'Pending', node: '' } });
    // Parents before children (React Flow's sub-flow rule).
    expect(nodes.indexOf(tray)).toBeLessThan(nodes.indexOf(db));
    const overview = toFlow(c, networkOf(c), { level: 'overview' });
    expect(overview.nodes.filter((n) => n.parentId === 'pending')).toEqual([]);
    expect(byId(overview.nodes).get('pending')!.data).toMatchObject({ count: 1 });
    expect(flowOf().nodes.some((n) => n.id === 'pending')).toBe(false);
  });

  it("the trace endpoint picker says why a pod has no IP instead of 'host network'", () => {
    const labels = endpointsOf(stuck()).map((e) => e.label);
    expect(labels).toContain('default/db (no IP: Pending, no node)');
    expect(labels).toContain('default/p1 (no IP: ContainerCreating, a)');
  });
});
