/**
 * What a trace can start from and go to, in the engine's TraceRequest syntax
 * (`namespace/pod`, `node/NAME`), and a sensible first pick: a standalone pod to a pod on
 * another node, so the first trace crosses the node network.
 */
import { formatIpv4 } from '../engine/addressing/ipv4';
import { CLIENT_IP } from '../engine/external/addresses';
import type { Cluster, PodRec } from '../engine/model/cluster';
import { isNameTarget } from './state/targets';
import { perCluster } from './state/perCluster';
import { isSystemNamespace } from './toFlow';

export interface Endpoint {
  value: string;
  label: string;
  group: 'Pods' | 'System pods' | 'Nodes' | 'Outside';
}

const podValue = (p: PodRec) => `${p.meta.namespace ?? 'default'}/${p.meta.name}`;

/** Per cluster: a 10,000-pod list takes tens of ms to build; the engine worker builds it for a big load (state/offThread.ts). */
const endpoints = perCluster(buildEndpoints);

export function endpointsOf(cluster: Cluster): Endpoint[] {
  return endpoints.of(cluster);
}

/** Remember the list built elsewhere (the engine worker) from this very cluster. */
export const seedEndpoints = endpoints.seed;

function buildEndpoints(cluster: Cluster): Endpoint[] {
  const pods: Endpoint[] = [];
  const system: Endpoint[] = [];
  for (const p of cluster.pods.values()) {
    // A pod without an address says why (Pending, ContainerCreating, OutOfpods): a trace from it is refused with that reason.
    const ip = p.attachment ? formatIpv4(p.attachment.ip) : p.hostNetwork && p.phase !== 'Failed' ? 'host network' : `no IP: ${p.status?.display ?? p.phase}`;
    const e: Endpoint = { value: podValue(p), label: `${podValue(p)} (${ip}, ${p.nodeName || 'no node'})`, group: 'Pods' };
    if (isSystemNamespace(p.meta.namespace ?? 'default')) system.push({ ...e, group: 'System pods' });
    else pods.push(e);
  }
  const nodes: Endpoint[] = cluster.nodes.map((n) => ({ value: `node/${n.meta.name}`, label: `node/${n.meta.name} (${formatIpv4(n.ip)})`, group: 'Nodes' }));
  // The client outside the cluster (the engine's `external`): where NodePort, LoadBalancer and Ingress traffic starts.
  const outside: Endpoint = { value: 'external', label: `the outside client (${formatIpv4(CLIENT_IP)})`, group: 'Outside' };
  return [...pods, ...system, ...nodes, outside];
}

export function endpointExists(cluster: Cluster, value: string): boolean {
  if (!value) return false;
  if (value === 'external' || /^\d+\.\d+\.\d+\.\d+$/.test(value) || isNameTarget(value)) return true;
  if (value.startsWith('node/')) return cluster.nodes.some((n) => n.meta.name === value.slice(5));
  return cluster.pods.has(value);
}

export function defaultEndpoints(cluster: Cluster): { from: string; to: string } {
  const candidates = [...cluster.pods.values()].filter((p) => p.attachment && !p.hostNetwork && !isSystemNamespace(p.meta.namespace ?? 'default'));
  const from = candidates.find((p) => !p.meta.ownerReferences?.length) ?? candidates[0];
  const nodeTo = cluster.nodes.find((n) => n.meta.name !== from?.nodeName) ?? cluster.nodes[0];
  if (!from) {
    return { from: cluster.nodes[0] ? `node/${cluster.nodes[0].meta.name}` : '', to: nodeTo ? `node/${nodeTo.meta.name}` : '' };
  }
  const to = candidates.find((p) => p !== from && p.nodeName !== from.nodeName) ?? candidates.find((p) => p !== from);
  return { from: podValue(from), to: to ? podValue(to) : nodeTo ? `node/${nodeTo.meta.name}` : '' };
}
