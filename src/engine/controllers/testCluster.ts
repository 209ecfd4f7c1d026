/**
 * The small cluster the controller tests share (three nodes, Deployment web ×3 behind Service
 * web, a bare pod client), and the check every controller test makes after each operation: the
 * Service's endpoints are exactly the ready pods its selector matches that have an address.
 */
import { expect } from 'vitest';
import { formatIpv4 } from '../addressing/ipv4';
import { loadCluster } from '../load';
import type { Cluster, CniMode } from '../model/cluster';
import { readSelector, selectorMatches } from '../model/labelSelector';
import type { Result } from '../model/source';
import { servicesOf } from '../services/table';

export const yaml = (cni: CniMode = 'flannel') => `apiVersion: podpath/v1alpha1
kind: Cluster
metadata: {name: t}
spec:
  cni: ${cni}
  kubeProxy: ${cni === 'gke-dataplane-v2' ? 'none' : 'iptables'}
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
      containers: [{name: nginx, image: nginx:1.27, ports: [{containerPort: 80}]}]
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: default, labels: {app: client}}
spec:
  nodeName: worker-1
  containers: [{name: c, image: busybox:1.36}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 80}]
`;

export function must<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
}

export function load(cni: CniMode = 'flannel', text = yaml(cni)): Cluster {
  return must(loadCluster([{ name: 't.yaml', text }]));
}

/** `namespace/name` of the pods of a ReplicaSet (by controller reference). */
export function podsOf(c: Cluster, rs: string, ns = 'default'): string[] {
  return [...c.pods.values()].filter((p) => (p.meta.namespace ?? 'default') === ns && p.meta.ownerReferences?.some((o) => o.controller && o.name === rs)).map((p) => p.meta.name);
}

/** The Deployment's current ReplicaSet name. */
export const currentRs = (c: Cluster, name = 'web', ns = 'default') => `${name}-${c.workloads.get(`Deployment/${ns}/${name}`)!.templateHash}`;

/** Every selector Service's endpoints are exactly its ready selected pods with an address (EndpointSlices follow every change). */
export function expectEndpointsFollow(c: Cluster): void {
  for (const svc of servicesOf(c).services) {
    if (!svc.selector || svc.namespace === 'kube-system') continue;
    const sel = readSelector({ matchLabels: svc.selector });
    const want = [...c.pods.values()]
      .filter((p) => (p.meta.namespace ?? 'default') === svc.namespace && selectorMatches(sel, p.meta.labels) && p.ready && (p.hostNetwork || p.attachment))
      .map((p) => formatIpv4(p.hostNetwork ? c.nodes.find((n) => n.meta.name === p.nodeName)!.ip : p.attachment!.ip))
      .sort();
    const got = svc.endpoints.filter((e) => e.ready).map((e) => formatIpv4(e.ip)).sort();
    expect(got, `endpoints of ${svc.namespace}/${svc.name}`).toEqual(want);
  }
}
