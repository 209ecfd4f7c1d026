/**
 * Trace destinations beyond pods and nodes, from the engine's Service table and the world
 * outside the cluster: each Service by every address a client would use (its ClusterIP, its
 * load balancer's IP, a node's NodePort), Services by DNS name (resolved by the source pod's
 * own resolver when traced), and hosts outside the cluster.
 */
import { formatIpv4 } from '../../engine/addressing/ipv4';
import { CLIENT_IP } from '../../engine/external/addresses';
import type { Cluster } from '../../engine/model/cluster';
import type { ServiceTable } from '../../engine/services/types';
import { builtInDrawing, drawingEngine, loadDrawing } from '../drawing';
import { perCluster } from './perCluster';

export type TargetProto = 'icmp' | 'tcp' | 'udp';

export interface ServiceTarget {
  /** Unique option key (the same address can serve several ports). */
  key: string;
  /** The TraceRequest destination: an IPv4 address or a DNS name. */
  to: string;
  label: string;
  port?: number;
  proto: TargetProto;
  group: 'Services' | 'Names' | 'Outside';
}

/** A public address the simulated Internet answers on (dns/upstream.ts gives example.com this one). */
const EXAMPLE_COM = '93.184.216.34';

const target = (to: string, label: string, proto: TargetProto, port: number | undefined, group: ServiceTarget['group']): ServiceTarget => ({
  key: `${to}|${proto}|${port ?? ''}`,
  to,
  label,
  proto,
  ...(port !== undefined ? { port } : {}),
  group,
});

/** Per cluster (the Service table behind them walks every pod); the engine worker builds them for a big load (offThread.ts seedTargets). Built only once the drawing engine is here. */
const built = perCluster((cluster) => serviceTargetsOf(cluster, drawingEngine()!.servicesOfCluster(cluster)));

/** A cluster's targets: the build's for the demo; none until the drawing engine is here (ui/drawing.ts: it is fetched then). */
export function serviceTargets(cluster: Cluster): ServiceTarget[] {
  const demo = builtInDrawing(cluster);
  if (demo) return demo.targets;
  if (!built.has(cluster) && !drawingEngine()) {
    loadDrawing().catch(() => undefined);
    return [];
  }
  return built.of(cluster);
}

/** Remember the targets built elsewhere (the engine worker) from this very cluster. */
export const seedTargets = built.seed;

/** The targets of a cluster with its Service table (none when the table could not be built). */
export function serviceTargetsOf(cluster: Cluster, table: ServiceTable | null): ServiceTarget[] {
  if (!table) return [];
  const out: ServiceTarget[] = [];
  const names: ServiceTarget[] = [];
  const nodeIp = (cluster.nodes.find((n) => !n.meta.labels?.['node-role.kubernetes.io/control-plane']) ?? cluster.nodes[0])?.ip;
  for (const s of table.services) {
    const port = s.ports[0];
    const proto: TargetProto = port?.protocol === 'UDP' ? 'udp' : 'tcp';
    const id = `svc ${s.namespace}/${s.name}`;
    const at = (ip: number, p?: number) => `${formatIpv4(ip)}${p !== undefined ? `:${p}/${port!.protocol}` : ''}`;
    if (s.clusterIP !== null && s.clusterIP !== undefined) out.push(target(formatIpv4(s.clusterIP), `${id} (${at(s.clusterIP, port?.port)})`, proto, port?.port, 'Services'));
    if (s.loadBalancerIP !== undefined) out.push(target(formatIpv4(s.loadBalancerIP), `${id} LoadBalancer (${at(s.loadBalancerIP, port?.port)})`, proto, port?.port, 'Services'));
    if (port?.nodePort !== undefined && nodeIp !== undefined) out.push(target(formatIpv4(nodeIp), `${id} NodePort (${at(nodeIp, port.nodePort)})`, proto, port.nodePort, 'Services'));
    // Every Service has a name: A for a ClusterIP, the ready pods' A records when headless, a CNAME for ExternalName.
    const fqdn = `${s.name}.${s.namespace}.svc.${cluster.config.clusterDomain}`;
    names.push(target(fqdn, `${fqdn}${port ? ` (:${port.port}/${port.protocol})` : ''}`, proto, port?.port, 'Names'));
  }
  const outside = [
    target(formatIpv4(CLIENT_IP), `the outside client (${formatIpv4(CLIENT_IP)})`, 'icmp', undefined, 'Outside'),
    target(EXAMPLE_COM, `example.com on the Internet (${EXAMPLE_COM}:80/TCP)`, 'tcp', 80, 'Outside'),
  ];
  return [...out, ...names, ...outside];
}

/** A destination that is a DNS name (not a pod, a node or an address): the source pod's resolver turns it into an address. */
export function isNameTarget(to: string): boolean {
  return /[a-z]/i.test(to) && !to.includes('/') && !/^\d+\.\d+\.\d+\.\d+$/.test(to);
}
