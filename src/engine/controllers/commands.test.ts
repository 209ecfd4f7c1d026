import { asPMap } from '../util/persistent';
import { describe, expect, it } from 'vitest';
import { formatIpv4 } from '../addressing/ipv4';
import { loadCluster } from '../index';
import type { Cluster, CniMode } from '../model/cluster';
import { addNode, addPod, applyManifests, deleteNode, deletePod, movePod, scaleWorkload, setCni, setKubeProxy, setLabels } from './commands';
import type { Result } from '../model/source';

const yaml = (cni: CniMode) => `apiVersion: podpath/v1alpha1
kind: Cluster
metadata: {name: t}
spec:
  cni: ${cni}
  kubeProxy: iptables
  podCIDR: ${cni.startsWith('calico') ? '192.168.0.0/16' : cni.startsWith('cilium') ? '10.0.0.0/16' : cni === 'weave' ? '10.32.0.0/12' : '10.244.0.0/16'}
  nodeCIDRMaskSize: 24
  serviceCIDR: 10.96.0.0/12
  nodeNetwork: 172.18.0.0/24
  clusterDomain: cluster.local
  nodes:
  - {name: control-plane, role: control-plane}
  - {name: worker-1}
  - {name: worker-2}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: nginx, image: nginx:1.27}]
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: default, labels: {app: client}}
spec:
  nodeName: worker-1
  containers: [{name: c, image: busybox:1.36}]
`;

function load(cni: CniMode = 'flannel'): Cluster {
  const r = loadCluster([{ name: 't.yaml', text: yaml(cni) }]);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
}
function must<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
}
const podManifest = (name: string, nodeName?: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', labels: { run: name } },
  spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name, image: 'busybox:1.36' }] },
});
const ipOf = (c: Cluster, name: string, ns = 'default') => formatIpv4(c.pods.get(`${ns}/${name}`)!.attachment!.ip);
const node = (c: Cluster, name: string) => c.nodes.find((n) => n.meta.name === name)!;

/** Deep-freeze plain objects and arrays (Maps are checked by snapshot instead). */
function deepFreeze<T>(o: T, seen = new Set<unknown>()): T {
  if (o === null || typeof o !== 'object' || seen.has(o)) return o;
  seen.add(o);
  if (o instanceof Map) {
    for (const v of o.values()) deepFreeze(v, seen);
    return o;
  }
  for (const v of Object.values(o as object)) deepFreeze(v, seen);
  return Object.freeze(o);
}
const snapshot = (c: Cluster) =>
  JSON.stringify({ ...c, pods: [...c.pods], nodes: c.nodes, workloads: [...c.workloads], objects: [...c.objects], namespaces: [...c.namespaces] });

describe('commands never mutate their input', () => {
  it('every command leaves a deep-frozen cluster as it was', () => {
    const c = deepFreeze(load('calico-ipip'));
    const before = snapshot(c);
    const web = [...c.pods.values()].find((p) => p.meta.name.startsWith('web-'))!;
    must(addPod(c, podManifest('x')));
    must(deletePod(c, 'default', 'client'));
    must(movePod(c, 'default', web.meta.name, web.nodeName === 'worker-1' ? 'worker-2' : 'worker-1'));
    must(addNode(c, { name: 'worker-3' }));
    must(deleteNode(c, 'worker-2'));
    must(scaleWorkload(c, 'default', 'web', 5));
    must(scaleWorkload(c, 'default', 'web', 1));
    must(setLabels(c, 'pod', 'default', 'client', { a: 'b' }));
    must(setCni(c, 'flannel'));
    must(setKubeProxy(c, 'none'));
    must(applyManifests(c, [{ name: 'a.yaml', text: JSON.stringify(podManifest('y')) }]));
    expect(snapshot(c)).toBe(before);
  });
});

describe('addPod / deletePod', () => {
  it('flannel: a new pod gets the next address of its node after the last reserved one', () => {
    const c = load();
    expect(ipOf(c, 'client')).toBe('10.244.1.5');
    const c2 = must(addPod(c, podManifest('x', 'worker-1')));
    expect(ipOf(c2, 'x')).toBe('10.244.1.6');
    expect(c2.pods.get('default/x')!.attachment!.hostIfindex).toBe(9);
    expect(c.pods.has('default/x')).toBe(false);
  });

  it('flannel: a deleted IP is not reused until host-local wraps (round-robin)', () => {
    const c = must(deletePod(load(), 'default', 'client'));
    expect(c.pods.has('default/client')).toBe(false);
    const c2 = must(addPod(c, podManifest('client', 'worker-1')));
    expect(ipOf(c2, 'client')).toBe('10.244.1.6');
  });

  it('calico: a released ordinal goes to the end of the free list', () => {
    const c = load('calico-ipip');
    const block = node(c, 'worker-1').blocks[0];
    const clientIp = c.pods.get('default/client')!.attachment!.ip;
    const c1 = must(deletePod(c, 'default', 'client'));
    expect(asPMap(c1.ipam.blockFree).get(block.toString())!.at(-1)).toBe(block.offsetOf(clientIp));
    const c2 = must(addPod(c1, podManifest('again', 'worker-1')));
    expect(c2.pods.get('default/again')!.attachment!.ip).toBe(clientIp + 1);
  });

  it("refuses duplicates and unknown pods with kubectl's words", () => {
    const c = load();
    const dup = addPod(c, podManifest('client'));
    expect(dup.ok).toBe(false);
    if (!dup.ok) expect(dup.errors[0].message).toBe('Error from server (AlreadyExists): pods "client" already exists');
    const gone = deletePod(c, 'default', 'nope');
    expect(gone.ok).toBe(false);
    if (!gone.ok) expect(gone.errors[0].message).toBe('Error from server (NotFound): pods "nope" not found');
  });

  it('schedules a pod without nodeName', () => {
    const c = must(addPod(load(), podManifest('free')));
    const p = c.pods.get('default/free')!;
    expect(['worker-1', 'worker-2']).toContain(p.nodeName);
    expect(node(c, p.nodeName).podCIDR!.contains(p.attachment!.ip)).toBe(true);
  });

  it('a deleted ReplicaSet pod is replaced by its controller', () => {
    const c = load();
    const web = [...c.pods.values()].filter((p) => p.meta.name.startsWith('web-'));
    const c2 = must(deletePod(c, 'default', web[0].meta.name));
    const after = [...c2.pods.values()].filter((p) => p.meta.name.startsWith('web-'));
    expect(after).toHaveLength(3);
    expect(after.map((p) => p.meta.name)).not.toContain(web[0].meta.name);
  });
});

describe('movePod', () => {
  it.each(['flannel', 'calico-vxlan', 'cilium', 'weave', 'aws-vpc'] as CniMode[])('%s: the old IP is released, the new one is from the new node', (mode) => {
    const c = load(mode);
    const c2 = must(movePod(c, 'default', 'client', 'worker-2'));
    const p = c2.pods.get('default/client')!;
    expect(p.nodeName).toBe('worker-2');
    const n = node(c2, 'worker-2');
    const range = n.blocks[0] ?? n.podCIDR; // the IPAM range: Calico/Cilium/weave blocks, else spec.podCIDR
    if (mode !== 'aws-vpc') expect(range.contains(p.attachment!.ip)).toBe(true);
    expect(p.attachment!.ip).not.toBe(c.pods.get('default/client')!.attachment!.ip);
    expect(p.containerId).not.toBe(c.pods.get('default/client')!.containerId);
  });

  it('flannel: client moves from 10.244.1.5 to worker-2 and gets 10.244.2.4', () => {
    const c2 = must(movePod(load(), 'default', 'client', 'worker-2'));
    expect(ipOf(c2, 'client')).toMatch(/^10\.244\.2\./);
  });
});

describe('nodes', () => {
  it('addNode: next IP and PodCIDR, DaemonSet pods for it', () => {
    const c = must(addNode(load(), { name: 'worker-3' }));
    const n = node(c, 'worker-3');
    expect(formatIpv4(n.ip)).toBe('172.18.0.13');
    expect(n.podCIDR!.toString()).toBe('10.244.3.0/24');
    const ds = [...c.pods.values()].filter((p) => p.nodeName === 'worker-3').map((p) => p.meta.name.replace(/-[a-z0-9]{5}$/, ''));
    expect(ds.sort()).toEqual(['kube-flannel-ds', 'kube-proxy']);
    expect(must(addNode(c, { name: 'w4', ip: '172.18.0.40' })).nodes.at(-1)!.ip).toBe(n.ip + 27);
  });

  it('deleteNode: its pods go; ReplicaSet pods are recreated elsewhere; its range is released', () => {
    const c = load();
    const c2 = must(deleteNode(c, 'worker-1'));
    expect(c2.nodes.map((n) => n.meta.name)).toEqual(['control-plane', 'worker-2']);
    expect([...c2.pods.values()].some((p) => p.nodeName === 'worker-1')).toBe(false);
    expect(c2.pods.has('default/client')).toBe(false);
    expect([...c2.pods.values()].filter((p) => p.meta.name.startsWith('web-'))).toHaveLength(3);
    const c3 = must(addNode(c2, { name: 'worker-9' }));
    // cidrset resumes after its last allocation: 10.244.1.0/24 is free but not next.
    expect(node(c3, 'worker-9').podCIDR!.toString()).toBe('10.244.3.0/24');
  });
});

describe('workloads and labels', () => {
  it('scaleWorkload up and down', () => {
    const c = load();
    const up = must(scaleWorkload(c, 'default', 'web', 5));
    expect([...up.pods.values()].filter((p) => p.meta.name.startsWith('web-'))).toHaveLength(5);
    expect(up.workloads.get('Deployment/default/web')!.replicas).toBe(5);
    const down = must(scaleWorkload(up, 'default', 'web', 1));
    expect([...down.pods.values()].filter((p) => p.meta.name.startsWith('web-'))).toHaveLength(1);
    expect(scaleWorkload(c, 'default', 'nope', 1).ok).toBe(false);
  });

  it('setLabels replaces the labels of a pod and a node', () => {
    const c = must(setLabels(load(), 'Pod', 'default', 'client', { tier: 'x' }));
    expect(c.pods.get('default/client')!.meta.labels).toEqual({ tier: 'x' });
    const c2 = must(setLabels(c, 'node', '', 'worker-1', { zone: 'a' }));
    expect(node(c2, 'worker-1').meta.labels).toEqual({ zone: 'a' });
  });
});

describe('setCni / setKubeProxy', () => {
  it('re-addresses the same pods under the new plugin and swaps the CNI DaemonSet', () => {
    const c = load('flannel');
    const c2 = must(setCni(c, 'calico-ipip'));
    expect(c2.config.cni).toBe('calico-ipip');
    expect(c2.nodes.every((n) => n.podCIDR?.toString() === node(c, n.meta.name).podCIDR?.toString() && n.blocks.length === 1 && n.tunnelIp === n.blocks[0].network)).toBe(true);
    const client = c2.pods.get('default/client')!;
    expect(client.attachment!.hostIfname).toMatch(/^cali/);
    expect(node(c2, 'worker-1').blocks[0].contains(client.attachment!.ip)).toBe(true);
    const names = [...c2.pods.values()].map((p) => p.meta.name);
    expect(names.some((n) => n.startsWith('kube-flannel-ds-'))).toBe(false);
    expect(names.filter((n) => n.startsWith('calico-node-'))).toHaveLength(3);
    expect(c2.workloads.has('DaemonSet/calico-system/calico-node')).toBe(true);
    expect(client.containerId).toBe(c.pods.get('default/client')!.containerId);
  });

  it('kube-proxy none removes the kube-proxy DaemonSet and its pods', () => {
    const c = must(setKubeProxy(load(), 'none'));
    expect(c.config.kubeProxy).toBe('none');
    expect([...c.pods.values()].some((p) => p.meta.name.startsWith('kube-proxy-'))).toBe(false);
    const back = must(setKubeProxy(c, 'ipvs'));
    expect([...back.pods.values()].filter((p) => p.meta.name.startsWith('kube-proxy-'))).toHaveLength(3);
  });
});

describe('applyManifests', () => {
  it('reports created, unchanged and configured like kubectl apply', () => {
    const c = load();
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } };
    const text = [JSON.stringify(podManifest('z', 'worker-2')), JSON.stringify(svc)].join('\n---\n');
    const r1 = must(applyManifests(c, [{ name: 'a.yaml', text }]));
    expect(r1.results.map((r) => `${r.kind}/${r.name} ${r.action}`)).toEqual(['Pod/z created', 'Service/web created']);
    expect(ipOf(r1.cluster, 'z')).toBe('10.244.2.4');
    const r2 = must(applyManifests(r1.cluster, [{ name: 'a.yaml', text }]));
    expect(r2.results.map((r) => r.action)).toEqual(['unchanged', 'unchanged']);
    const relabeled = { ...podManifest('z', 'worker-2'), metadata: { name: 'z', namespace: 'default', labels: { run: 'zz' } } };
    const r3 = must(applyManifests(r2.cluster, [{ name: 'a.yaml', text: JSON.stringify(relabeled) }]));
    expect(r3.results).toEqual([{ kind: 'Pod', name: 'z', namespace: 'default', action: 'configured' }]);
  });
});
