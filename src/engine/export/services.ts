/**
 * What the export needs from the Service table (services/table.ts): the (pod, port) pairs Services
 * send traffic to, so responders listen there, and the ClusterIP Services a teacher can try.
 */
import { formatIpv4 } from '../addressing/ipv4';
import type { Cluster } from '../model/cluster';
import { servicesOf } from '../services/table';
import type { L4Protocol } from '../services/types';

export interface ServiceTarget {
  /** `namespace/name` of the endpoint pod. */
  pod: string;
  port: number;
  protocol: L4Protocol;
}

export interface ClusterIpService {
  /** `namespace/name`. */
  name: string;
  clusterIP: string;
  port: number;
  protocol: L4Protocol;
  /** Endpoints that are ready (the ones kube-proxy sends to). */
  readyEndpoints: number;
}

export function serviceTargets(cluster: Cluster): ServiceTarget[] {
  const out: ServiceTarget[] = [];
  for (const svc of servicesOf(cluster).services) {
    if (svc.type === 'ExternalName') continue;
    for (const ep of svc.endpoints) {
      if (!ep.pod) continue;
      for (const p of ep.ports) out.push({ pod: `${ep.pod.namespace}/${ep.pod.name}`, port: p.port, protocol: p.protocol });
    }
  }
  return out;
}

export function clusterIpServices(cluster: Cluster): ClusterIpService[] {
  const out: ClusterIpService[] = [];
  for (const svc of servicesOf(cluster).services) {
    if (svc.clusterIP === null || svc.type === 'ExternalName') continue;
    const ready = svc.endpoints.filter((e) => e.ready && e.pod).length;
    for (const p of svc.ports) out.push({ name: `${svc.namespace}/${svc.name}`, clusterIP: formatIpv4(svc.clusterIP), port: p.port, protocol: p.protocol, readyEndpoints: ready });
  }
  return out;
}
