/**
 * kube-proxy's IPVS proxier (pkg/proxy/ipvs/proxier.go): every ClusterIP, external IP and load
 * balancer IP is bound /32 to the dummy device kube-ipvs0 (so the kernel takes them as local and
 * IPVS catches them at LOCAL_IN), one virtual server per Service port with the `rr` scheduler
 * and a real server per endpoint (Masq forwarding, weight 1), NodePort virtual servers on every
 * node address, and a small fixed iptables set that matches ipsets instead of one rule per
 * Service (KUBE-CLUSTER-IP hash:ip,port, KUBE-LOOP-BACK hash:ip,port,ip, KUBE-NODE-PORT-TCP
 * bitmap:port...).
 */
import { Cidr, formatIpv4, type Ipv4 } from '../addressing/ipv4';
import type { ServicePortView } from './endpoints';
import { ipvsBoundIps } from './kubeIpvs0';
import { MASQ_MARK } from './iptablesProxier';
import { addRule, ensureChain, type Match, type TableRules } from './rules';

export interface RealServer {
  ip: Ipv4;
  port: number;
  pod?: string;
}

export interface VirtualServer {
  proto: 'TCP' | 'UDP' | 'SCTP';
  ip: Ipv4;
  port: number;
  scheduler: 'rr';
  /** sessionAffinity ClientIP: persistence timeout (seconds). */
  persistent?: number;
  svc: string;
  reals: RealServer[];
}

export interface Ipset {
  name: string;
  type: string;
  comment: string;
  members: string[];
  /** Member keys for matching: `ip,proto:port`, `port`, `ip,proto:port,ip`, or `ip`. */
  keys: Set<string>;
  /** hash:ip,port,net: the blocks per `ip,proto:port` (a net is matched by containment, not by key). */
  nets?: Map<string, Cidr[]>;
}

export interface IpvsState {
  /** `proto|ip|port` → virtual server. */
  services: Map<string, VirtualServer>;
  ipsets: Map<string, Ipset>;
  /** Addresses on kube-ipvs0. */
  boundIps: Ipv4[];
}

export const vsKey = (proto: string, ip: Ipv4, port: number) => `${proto.toUpperCase()}|${ip}|${port}`;

function ipset(name: string, type: string, comment: string): Ipset {
  return { name, type, comment, members: [], keys: new Set() };
}

function add(set: Ipset, member: string) {
  if (set.keys.has(member)) return;
  set.keys.add(member);
  set.members.push(member);
}

/** Add `ip,proto:port,net` to a hash:ip,port,net set. */
function addNet(set: Ipset, ipPort: string, cidr: Cidr) {
  const member = `${ipPort},${cidr}`;
  if (set.keys.has(member)) return;
  add(set, member);
  const nets = (set.nets ??= new Map());
  const list = nets.get(ipPort);
  if (list) list.push(cidr);
  else nets.set(ipPort, [cidr]);
}

/** `nodeIp` is kube-proxy's --bind-address node IP (a source range holding it lets the node itself in). */
export function buildIpvs(views: ServicePortView[], nodeAddrs: Ipv4[], nodeIp: Ipv4 | undefined = nodeAddrs[0]): IpvsState {
  const services = new Map<string, VirtualServer>();
  const sets = {
    clusterIp: ipset('KUBE-CLUSTER-IP', 'hash:ip,port', 'Kubernetes service cluster ip + port for masquerade purpose'),
    loopBack: ipset('KUBE-LOOP-BACK', 'hash:ip,port,ip', 'Kubernetes endpoints dst ip:port, source ip for solving hairpin purpose'),
    externalIp: ipset('KUBE-EXTERNAL-IP', 'hash:ip,port', 'Kubernetes service external ip + port for masquerade and filter purpose'),
    lb: ipset('KUBE-LOAD-BALANCER', 'hash:ip,port', 'Kubernetes service lb portal'),
    npTcp: ipset('KUBE-NODE-PORT-TCP', 'bitmap:port', 'Kubernetes nodeport TCP port for masquerade purpose'),
    npUdp: ipset('KUBE-NODE-PORT-UDP', 'bitmap:port', 'Kubernetes nodeport UDP port for masquerade purpose'),
    // loadBalancerSourceRanges (pkg/proxy/ipvs/ipset.go names and comments).
    lbFw: ipset('KUBE-LOAD-BALANCER-FW', 'hash:ip,port', 'Kubernetes service load balancer ip + port for load balancer with sourceRange'),
    lbSourceIp: ipset('KUBE-LOAD-BALANCER-SOURCE-IP', 'hash:ip,port,ip', 'Kubernetes service load balancer ip + port + source IP for packet filter purpose'),
    lbSourceCidr: ipset('KUBE-LOAD-BALANCER-SOURCE-CIDR', 'hash:ip,port,net', 'Kubernetes service load balancer ip + port + source cidr for packet filter purpose'),
  };
  for (const v of views) {
    const proto = v.port.protocol;
    const p = v.proto;
    const eps = v.svc.internalTrafficPolicy === 'Local' ? v.local : v.cluster;
    const reals = eps.map((e) => ({ ip: e.ip, port: e.port, ...(e.info.pod ? { pod: `${e.info.pod.namespace}/${e.info.pod.name}` } : {}) }));
    const persistent = v.svc.sessionAffinity === 'ClientIP' ? { persistent: v.svc.sessionAffinityTimeout } : {};
    const vs = (ip: Ipv4, port: number, r: RealServer[]) => services.set(vsKey(proto, ip, port), { proto, ip, port, scheduler: 'rr', ...persistent, svc: v.name, reals: r });
    vs(v.svc.clusterIP!, v.port.port, reals);
    add(sets.clusterIp, `${formatIpv4(v.svc.clusterIP!)},${p}:${v.port.port}`);
    for (const e of v.cluster) add(sets.loopBack, `${formatIpv4(e.ip)},${p}:${e.port},${formatIpv4(e.ip)}`);
    const extReals = v.svc.externalTrafficPolicy === 'Local' && v.svc.type !== 'ClusterIP' ? reals.filter((_, i) => eps[i] && v.local.includes(eps[i])) : v.cluster.map((e) => ({ ip: e.ip, port: e.port }));
    for (const ip of v.svc.externalIPs) {
      vs(ip, v.port.port, extReals);
      add(sets.externalIp, `${formatIpv4(ip)},${p}:${v.port.port}`);
    }
    if (v.svc.loadBalancerIP !== undefined) {
      vs(v.svc.loadBalancerIP, v.port.port, extReals);
      const lbKey = `${formatIpv4(v.svc.loadBalancerIP)},${p}:${v.port.port}`;
      add(sets.lb, lbKey);
      const ranges = v.svc.loadBalancerSourceRanges;
      if (ranges.length) {
        // proxier.go syncProxyRules: the LB ip:port goes to KUBE-LOAD-BALANCER-FW, each range to
        // KUBE-LOAD-BALANCER-SOURCE-CIDR, and the LB IP itself as a source to
        // KUBE-LOAD-BALANCER-SOURCE-IP when a range holds the node IP (requests looped back locally).
        add(sets.lbFw, lbKey);
        for (const c of ranges) addNet(sets.lbSourceCidr, lbKey, c);
        if (nodeIp !== undefined && ranges.some((c) => c.contains(nodeIp))) add(sets.lbSourceIp, `${lbKey},${formatIpv4(v.svc.loadBalancerIP)}`);
      }
    }
    if (v.port.nodePort !== undefined) {
      for (const a of nodeAddrs) vs(a, v.port.nodePort, extReals);
      add(p === 'udp' ? sets.npUdp : sets.npTcp, String(v.port.nodePort));
    }
  }
  return { services, ipsets: new Map(Object.values(sets).map((s) => [s.name, s])), boundIps: ipvsBoundIps(views) };
}

const comment = (text: string): Match => ({ m: 'comment', text });
const set = (name: string, flags: string, neg = false): Match => ({ m: 'set', name, flags, ...(neg ? { neg } : {}) });

/** The iptables rules kube-proxy keeps in IPVS mode (proxier.go writeIptablesRules). */
export function writeIpvsIptables(nat: TableRules, filter: TableRules, clusterCIDR: Cidr, st: IpvsState): void {
  for (const c of ['KUBE-SERVICES', 'KUBE-POSTROUTING', 'KUBE-NODE-PORT', 'KUBE-LOAD-BALANCER', 'KUBE-MARK-MASQ']) ensureChain(nat, c);
  for (const c of ['KUBE-FORWARD', 'KUBE-NODE-PORT', 'KUBE-PROXY-FIREWALL', 'KUBE-SOURCE-RANGES-FIREWALL', 'KUBE-IPVS-FILTER', 'KUBE-IPVS-OUT-FILTER']) ensureChain(filter, c);
  const j = (t: TableRules, chain: string, to: string, text: string) => addRule(t, { chain, matches: [comment(text)], target: { t: 'jump', chain: to } });
  j(nat, 'PREROUTING', 'KUBE-SERVICES', 'kubernetes service portals');
  j(nat, 'OUTPUT', 'KUBE-SERVICES', 'kubernetes service portals');
  j(nat, 'POSTROUTING', 'KUBE-POSTROUTING', 'kubernetes postrouting rules');
  j(filter, 'INPUT', 'KUBE-IPVS-FILTER', 'kubernetes ipvs access filter');
  j(filter, 'INPUT', 'KUBE-PROXY-FIREWALL', 'kube-proxy firewall rules');
  j(filter, 'INPUT', 'KUBE-NODE-PORT', 'kubernetes health check rules');
  j(filter, 'FORWARD', 'KUBE-PROXY-FIREWALL', 'kube-proxy firewall rules');
  j(filter, 'FORWARD', 'KUBE-FORWARD', 'kubernetes forwarding rules');
  j(filter, 'OUTPUT', 'KUBE-IPVS-OUT-FILTER', 'kubernetes ipvs access filter');

  addRule(nat, { chain: 'KUBE-LOAD-BALANCER', matches: [], target: { t: 'jump', chain: 'KUBE-MARK-MASQ' } });
  addRule(nat, { chain: 'KUBE-MARK-MASQ', matches: [], target: { t: 'MARK', value: MASQ_MARK, mask: MASQ_MARK } });
  if (st.ipsets.get('KUBE-NODE-PORT-TCP')!.members.length) addRule(nat, { chain: 'KUBE-NODE-PORT', p: 'tcp', matches: [comment('Kubernetes nodeport TCP port for masquerade purpose'), set('KUBE-NODE-PORT-TCP', 'dst')], target: { t: 'jump', chain: 'KUBE-MARK-MASQ' } });
  if (st.ipsets.get('KUBE-NODE-PORT-UDP')!.members.length) addRule(nat, { chain: 'KUBE-NODE-PORT', p: 'udp', matches: [comment('Kubernetes nodeport UDP port for masquerade purpose'), set('KUBE-NODE-PORT-UDP', 'dst')], target: { t: 'jump', chain: 'KUBE-MARK-MASQ' } });
  addRule(nat, { chain: 'KUBE-POSTROUTING', matches: [comment('Kubernetes endpoints dst ip:port, source ip for solving hairpin purpose'), set('KUBE-LOOP-BACK', 'dst,dst,src')], target: { t: 'MASQUERADE' } });
  addRule(nat, { chain: 'KUBE-POSTROUTING', matches: [{ m: 'mark', value: MASQ_MARK, mask: MASQ_MARK, neg: true }], target: { t: 'RETURN' } });
  addRule(nat, { chain: 'KUBE-POSTROUTING', matches: [], target: { t: 'MARK', value: MASQ_MARK, mask: 0 } });
  addRule(nat, { chain: 'KUBE-POSTROUTING', matches: [comment('kubernetes service traffic requiring SNAT')], target: { t: 'MASQUERADE', randomFully: true } });
  if (st.ipsets.get('KUBE-LOAD-BALANCER')!.members.length) addRule(nat, { chain: 'KUBE-SERVICES', matches: [comment('Kubernetes service lb portal'), set('KUBE-LOAD-BALANCER', 'dst,dst')], target: { t: 'jump', chain: 'KUBE-LOAD-BALANCER' } });
  addRule(nat, { chain: 'KUBE-SERVICES', s: { cidr: clusterCIDR, neg: true }, matches: [comment('Kubernetes service cluster ip + port for masquerade purpose'), set('KUBE-CLUSTER-IP', 'dst,dst')], target: { t: 'jump', chain: 'KUBE-MARK-MASQ' } });
  if (st.ipsets.get('KUBE-EXTERNAL-IP')!.members.length) addRule(nat, { chain: 'KUBE-SERVICES', matches: [comment('Kubernetes service external ip + port for masquerade and filter purpose'), set('KUBE-EXTERNAL-IP', 'dst,dst')], target: { t: 'jump', chain: 'KUBE-MARK-MASQ' } });
  addRule(nat, { chain: 'KUBE-SERVICES', matches: [{ m: 'addrtype', dstType: 'LOCAL' }], target: { t: 'jump', chain: 'KUBE-NODE-PORT' } });
  addRule(nat, { chain: 'KUBE-SERVICES', matches: [set('KUBE-CLUSTER-IP', 'dst,dst')], target: { t: 'ACCEPT' } });

  // loadBalancerSourceRanges (ipsetWithIptablesChain's filter entries, then the chain's final DROP):
  // LB ip:port with ranges → KUBE-SOURCE-RANGES-FIREWALL, which RETURNs allowed sources and drops the rest.
  const nonEmpty = (name: string) => st.ipsets.get(name)!.members.length > 0;
  const setComment = (name: string) => comment(st.ipsets.get(name)!.comment);
  if (nonEmpty('KUBE-LOAD-BALANCER-FW')) addRule(filter, { chain: 'KUBE-PROXY-FIREWALL', matches: [setComment('KUBE-LOAD-BALANCER-FW'), set('KUBE-LOAD-BALANCER-FW', 'dst,dst')], target: { t: 'jump', chain: 'KUBE-SOURCE-RANGES-FIREWALL' } });
  for (const name of ['KUBE-LOAD-BALANCER-SOURCE-CIDR', 'KUBE-LOAD-BALANCER-SOURCE-IP']) {
    if (nonEmpty(name)) addRule(filter, { chain: 'KUBE-SOURCE-RANGES-FIREWALL', matches: [setComment(name), set(name, 'dst,dst,src')], target: { t: 'RETURN' } });
  }
  addRule(filter, { chain: 'KUBE-SOURCE-RANGES-FIREWALL', matches: [], target: { t: 'DROP' } });

  addRule(filter, { chain: 'KUBE-FORWARD', matches: [comment('kubernetes forwarding rules'), { m: 'mark', value: MASQ_MARK, mask: MASQ_MARK }], target: { t: 'ACCEPT' } });
  addRule(filter, { chain: 'KUBE-FORWARD', matches: [comment('kubernetes forwarding conntrack rule'), { m: 'conntrack', ctstate: 'RELATED,ESTABLISHED' }], target: { t: 'ACCEPT' } });
  for (const name of ['KUBE-LOAD-BALANCER', 'KUBE-CLUSTER-IP', 'KUBE-EXTERNAL-IP']) {
    addRule(filter, { chain: 'KUBE-IPVS-FILTER', matches: [set(name, 'dst,dst')], target: { t: 'RETURN' } });
  }
}

/**
 * `ipvsadm -Ln` (ipvsadm.c list_all): services sorted by protocol, address, port
 * (ipvs_cmp_services), destinations by address then port.
 */
export function ipvsadmList(st: IpvsState): string {
  const lines = ['IP Virtual Server version 1.2.1 (size=4096)', 'Prot LocalAddress:Port Scheduler Flags', '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn'];
  const protoNum = { TCP: 6, UDP: 17, SCTP: 132 } as const;
  const vss = [...st.services.values()].sort((a, b) => protoNum[a.proto] - protoNum[b.proto] || a.ip - b.ip || a.port - b.port);
  for (const vs of vss) {
    lines.push(`${vs.proto}  ${formatIpv4(vs.ip)}:${vs.port} ${vs.scheduler}${vs.persistent ? ` persistent ${vs.persistent}` : ''}`);
    for (const r of [...vs.reals].sort((a, b) => a.ip - b.ip || a.port - b.port)) {
      // printf("  -> %-28s %-7s %-6d %-10u %-10u\n", ...)
      lines.push(`  -> ${`${formatIpv4(r.ip)}:${r.port}`.padEnd(28)} ${'Masq'.padEnd(7)} ${'1'.padEnd(6)} ${'0'.padEnd(10)} ${'0'.padEnd(10)}`);
    }
  }
  return lines.join('\n') + '\n';
}
