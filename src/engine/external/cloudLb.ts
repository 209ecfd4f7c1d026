/**
 * The simulated cloud load balancer of each LoadBalancer Service, as the service controller
 * programs it (k8s.io/cloud-provider controllers/service; AWS NLB with instance targets):
 * - its name is cloudprovider.DefaultLoadBalancerName: "a" + the Service UID without dashes,
 *   cut to 32 characters (AWS's limit);
 * - one listener per Service port (protocol + port) forwarding to that port's nodePort on the
 *   target nodes; the client address is kept (NLB client IP preservation);
 * - targets: every node except those labelled node.kubernetes.io/exclude-from-external-load-balancers
 *   (kubeadm labels control-plane nodes so), in node order;
 * - health: with externalTrafficPolicy Cluster every target is healthy (kube-proxy's /healthz on
 *   10256 answers 200); with Local the LB probes healthCheckNodePort, where kube-proxy answers 200
 *   only on nodes with a ready local endpoint and 503 elsewhere (pkg/proxy/healthcheck). When no
 *   target is healthy the LB "fails open" and uses them all, as AWS NLB documents.
 * - client ranges: the AWS provider turns loadBalancerSourceRanges (or the older annotation
 *   service.beta.kubernetes.io/load-balancer-source-ranges; default 0.0.0.0/0) into the target
 *   instances' security-group ingress rules for the NodePorts (aws_loadbalancer.go updateInstanceSecurityGroupsForNLB
 *   with client IP preservation), so a client outside them never reaches a node;
 * - node choice: a flow hash (the 5-tuple with the cluster seed, like NLB's flow hash and GCP's
 *   Maglev) indexes the healthy targets in node order: deterministic per connection, spread evenly
 *   over many.
 */
import { formatIpv4, type Cidr, type Ipv4 } from '../addressing/ipv4';
import type { Cluster, NodeRec } from '../model/cluster';
import { netnsId, type NetnsId } from '../model/ids';
import { cloudSourceRanges } from '../services/sourceRanges';
import { servicesOf } from '../services/table';
import type { ServiceInfo } from '../services/types';
import { fnv32a } from '../util/hash';

export const EXCLUDE_LB_LABEL = 'node.kubernetes.io/exclude-from-external-load-balancers';

export interface LbListener {
  proto: 'tcp' | 'udp';
  port: number;
  nodePort: number;
}

export interface LbTarget {
  node: NodeRec;
  healthy: boolean;
  /** Why the health check passes or fails (shown in the trace). */
  health: string;
}

export interface CloudLb {
  /** cloudprovider.DefaultLoadBalancerName. */
  name: string;
  netns: NetnsId;
  ip: Ipv4;
  service: ServiceInfo;
  listeners: LbListener[];
  targets: LbTarget[];
  /** Client ranges the targets' security group admits; undefined: anyone (0.0.0.0/0). */
  sourceRanges?: { ranges: Cidr[]; from: 'spec' | 'annotation' };
}

export function defaultLoadBalancerName(uid: string): string {
  return `a${uid}`.replace(/-/g, '').slice(0, 32);
}

export const lbNetnsId = (svc: { namespace: string; name: string }): NetnsId => netnsId.external(`lb/${svc.namespace}/${svc.name}`);

function excluded(node: NodeRec): boolean {
  return node.role === 'control-plane' || EXCLUDE_LB_LABEL in node.meta.labels;
}

function targetsOf(cluster: Cluster, svc: ServiceInfo): LbTarget[] {
  const local = svc.externalTrafficPolicy === 'Local';
  const readyOn = new Map<string, number>();
  for (const e of svc.endpoints) if (e.ready && e.nodeName) readyOn.set(e.nodeName, (readyOn.get(e.nodeName) ?? 0) + 1);
  const nodes = cluster.nodes.filter((n) => !excluded(n));
  return nodes.map((node) => {
    if (!local) return { node, healthy: true, health: `kube-proxy /healthz on ${formatIpv4(node.ip)}:10256 answers 200` };
    const n = readyOn.get(node.meta.name) ?? 0;
    const hc = `${formatIpv4(node.ip)}:${svc.healthCheckNodePort ?? '?'}`;
    return n > 0
      ? { node, healthy: true, health: `health check ${hc} answers 200 ("localEndpoints": ${n})` }
      : { node, healthy: false, health: `health check ${hc} answers 503 ("localEndpoints": 0)` };
  });
}

const cache = new WeakMap<Cluster, CloudLb[]>();

/** The cloud load balancers of the cluster's LoadBalancer Services that have an address. */
export function cloudLoadBalancers(cluster: Cluster): CloudLb[] {
  let lbs = cache.get(cluster);
  if (!lbs) {
    lbs = [];
    for (const svc of servicesOf(cluster).services) {
      if (svc.type !== 'LoadBalancer' || svc.loadBalancerIP === undefined) continue;
      const listeners: LbListener[] = [];
      for (const p of svc.ports) {
        if (p.nodePort === undefined || p.protocol === 'SCTP') continue;
        listeners.push({ proto: p.protocol === 'UDP' ? 'udp' : 'tcp', port: p.port, nodePort: p.nodePort });
      }
      const sourceRanges = cloudSourceRanges(svc.manifest);
      lbs.push({ name: defaultLoadBalancerName(svc.uid), netns: lbNetnsId(svc), ip: svc.loadBalancerIP, service: svc, listeners, targets: targetsOf(cluster, svc), ...(sourceRanges ? { sourceRanges } : {}) });
    }
    cache.set(cluster, lbs);
  }
  return lbs;
}

export function lbByNetns(cluster: Cluster, id: string): CloudLb | undefined {
  return cloudLoadBalancers(cluster).find((lb) => lb.netns === id);
}

export interface TargetChoice {
  target: LbTarget;
  /** Targets the choice was made among. */
  among: LbTarget[];
  failOpen: boolean;
}

/** The node a new flow goes to: a hash of the flow over the healthy targets (all of them when none is healthy). */
export function chooseTarget(cluster: Cluster, lb: CloudLb, flowKey: string): TargetChoice | undefined {
  if (!lb.targets.length) return undefined;
  const healthy = lb.targets.filter((t) => t.healthy);
  const failOpen = healthy.length === 0;
  const among = failOpen ? lb.targets : healthy;
  const i = fnv32a(`${cluster.config.seed}/cloud-lb/${lb.name}/${flowKey}`) % among.length;
  return { target: among[i], among, failOpen };
}
