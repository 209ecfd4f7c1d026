/**
 * The cloud load balancers' packet handling, as a netfilter provider (it runs only in
 * external namespaces):
 * - request, in an LB's namespace at PREROUTING: a packet to a listener (LB IP, protocol,
 *   port) is DNATed to a target node's NodePort (cloudLb.ts chooses the node); the client
 *   address is kept. A packet to a port without a listener is dropped (cloud LBs forward only
 *   their listeners). The flow is remembered for the reply.
 * - reply, in the gateway router at PREROUTING: the target's answer (from NODE:nodePort to the
 *   client) is given the LB's address back. Cloud networks return a target's replies through the
 *   load balancer's flow state (AWS Hyperplane, GCP Maglev/Andromeda) whatever the node's routes
 *   say; the node network's gateway is where this simulation applies that state, so the node's
 *   plain default route (via the gateway) is all the return path needs.
 */
import { formatIpv4, type Ipv4 } from '../addressing/ipv4';
import type { NetfilterHook, NfContext, NfVerdict } from '../dataplane/netfilter';
import type { Cluster } from '../model/cluster';
import type { PacketRepr } from '../model/packet';
import { chooseTarget, lbByNetns, type CloudLb } from './cloudLb';
import { GATEWAY_NETNS } from './world';

export const CLOUD_LB_HOOK = 'cloud-lb';
const FLOWS = 'cloud-lb-flows';

export interface LbFlow {
  lb: CloudLb;
  proto: 'tcp' | 'udp';
  client: { ip: Ipv4; port: number };
  frontend: { ip: Ipv4; port: number };
  target: { node: string; ip: Ipv4; port: number };
}

/** The flows the load balancers forwarded during one trace (request and reply legs share `state`). */
export function lbFlows(state: Map<string, unknown>): LbFlow[] {
  let list = state.get(FLOWS) as LbFlow[] | undefined;
  if (!list) state.set(FLOWS, (list = []));
  return list;
}

const ipPort = (ip: Ipv4, port: number) => `${formatIpv4(ip)}:${port}`;

function ports(p: PacketRepr): { sport: number; dport: number } | undefined {
  return p.l4.proto === 'icmp' ? undefined : { sport: p.l4.srcPort, dport: p.l4.dstPort };
}

function atLoadBalancer(ctx: NfContext, lb: CloudLb): NfVerdict {
  const p = ctx.packet;
  if (p.ip.dst !== lb.ip) return { kind: 'accept' };
  const pp = ports(p);
  const proto = p.l4.proto;
  const listener = pp && proto !== 'icmp' ? lb.listeners.find((l) => l.proto === proto && l.port === pp.dport) : undefined;
  const svc = `${lb.service.namespace}/${lb.service.name}`;
  if (!listener || !pp || proto === 'icmp') {
    const what = pp ? `${proto.toUpperCase()} port ${pp.dport}` : proto.toUpperCase();
    const have = lb.listeners.map((l) => `${l.proto.toUpperCase()}:${l.port}`).join(', ') || 'none';
    return { kind: 'drop', detail: `load balancer ${lb.name} (${svc}) has no listener for ${what} (listeners: ${have}): dropped` };
  }
  const flowKey = `${proto}/${formatIpv4(p.ip.src)}:${pp.sport}>${formatIpv4(p.ip.dst)}:${pp.dport}`;
  const choice = chooseTarget(ctx.cluster, lb, flowKey);
  if (!choice) return { kind: 'drop', detail: `load balancer ${lb.name} (${svc}) has no target nodes (every node is excluded from external load balancers): dropped` };
  const node = choice.target.node;
  const refused = outsideSourceRanges(lb, p.ip.src, node.meta.name, listener.nodePort);
  if (refused) return { kind: 'drop', detail: refused };
  const flows = lbFlows(ctx.state);
  flows.push({ lb, proto, client: { ip: p.ip.src, port: pp.sport }, frontend: { ip: lb.ip, port: pp.dport }, target: { node: node.meta.name, ip: node.ip, port: listener.nodePort } });
  const policy = lb.service.externalTrafficPolicy;
  const healthy = choice.failOpen
    ? `no target passes the health check (${choice.among.length} of ${lb.targets.length} fail), so the LB fails open to all of them`
    : `${choice.among.length} of ${lb.targets.length} targets healthy (${choice.target.health})`;
  const packet: PacketRepr = { ...p, ip: { ...p.ip, dst: node.ip }, l4: { ...p.l4, dstPort: listener.nodePort } as PacketRepr['l4'] };
  return {
    kind: 'rewrite',
    packet,
    detail: `load balancer ${lb.name} (${svc}, externalTrafficPolicy ${policy}): listener ${proto.toUpperCase()}:${listener.port} → target ${node.meta.name} NodePort ${ipPort(node.ip, listener.nodePort)}, chosen by flow hash among ${healthy}; client address ${formatIpv4(p.ip.src)} kept`,
  };
}

/**
 * The targets' security group (client IP preserved, so it sees the client) admits the NodePort
 * only from the Service's source ranges: a client outside them is dropped before the node.
 */
function outsideSourceRanges(lb: CloudLb, client: Ipv4, node: string, nodePort: number): string | undefined {
  const sr = lb.sourceRanges;
  if (!sr || sr.ranges.some((c) => c.contains(client))) return undefined;
  const field = sr.from === 'spec' ? 'loadBalancerSourceRanges' : 'annotation service.beta.kubernetes.io/load-balancer-source-ranges';
  return `load balancer ${lb.name} (${lb.service.namespace}/${lb.service.name}): client ${formatIpv4(client)} is outside the Service's ${field} (${sr.ranges.map(String).join(', ')}); the cloud provider admits NodePort ${nodePort} on the targets' security group only from those ranges, so target ${node} never receives the packet: dropped`;
}

function atGateway(ctx: NfContext): NfVerdict {
  const p = ctx.packet;
  const pp = ports(p);
  if (!pp) return { kind: 'accept' };
  const flow = lbFlows(ctx.state).find((f) => f.proto === p.l4.proto && f.target.ip === p.ip.src && f.target.port === pp.sport && f.client.ip === p.ip.dst && f.client.port === pp.dport);
  if (!flow) return { kind: 'accept' };
  const packet: PacketRepr = { ...p, ip: { ...p.ip, src: flow.frontend.ip }, l4: { ...p.l4, srcPort: flow.frontend.port } as PacketRepr['l4'] };
  return {
    kind: 'rewrite',
    packet,
    detail: `reply of load balancer ${flow.lb.name}'s flow ${ipPort(flow.client.ip, flow.client.port)} → ${ipPort(flow.frontend.ip, flow.frontend.port)}: the cloud network returns it through the LB, source ${ipPort(p.ip.src, pp.sport)} → ${ipPort(flow.frontend.ip, flow.frontend.port)}`,
  };
}

export function cloudLbHooks(_cluster: Cluster): NetfilterHook[] {
  return [
    {
      name: CLOUD_LB_HOOK,
      hooks: ['PREROUTING'],
      run(ctx) {
        if (ctx.netns.kind !== 'external' || ctx.packet.encap.length) return { kind: 'accept' };
        if (ctx.leg === 'request') {
          const lb = lbByNetns(ctx.cluster, ctx.netns.id);
          return lb ? atLoadBalancer(ctx, lb) : { kind: 'accept' };
        }
        return ctx.netns.id === GATEWAY_NETNS ? atGateway(ctx) : { kind: 'accept' };
      },
    },
  ];
}
