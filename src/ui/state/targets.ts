/**
 * Trace destinations beyond pods and nodes: Services, by the address a client would use
 * (ClusterIP, else the load balancer's IP), from the engine's Service table.
 */
import { formatIpv4 } from '../../engine/addressing/ipv4';
import type { Cluster } from '../../engine/model/cluster';
import { servicesOf } from '../../engine/services/table';

export interface ServiceTarget {
  value: string;
  label: string;
  port?: number;
  proto: 'tcp' | 'udp';
}

export function serviceTargets(cluster: Cluster): ServiceTarget[] {
  let table;
  try {
    table = servicesOf(cluster);
  } catch {
    return [];
  }
  const out: ServiceTarget[] = [];
  for (const s of table.services) {
    const ip = s.clusterIP ?? s.loadBalancerIP;
    if (ip === null || ip === undefined) continue;
    const port = s.ports[0];
    out.push({
      value: formatIpv4(ip),
      label: `svc ${s.namespace}/${s.name} (${formatIpv4(ip)}${port ? `:${port.port}/${port.protocol}` : ''})`,
      ...(port ? { port: port.port } : {}),
      proto: port?.protocol === 'UDP' ? 'udp' : 'tcp',
    });
  }
  return out;
}
