/**
 * The rules kube-proxy's iptables proxier writes on one node (pkg/proxy/iptables/proxier.go
 * syncProxyRules, v1.31), rule for rule:
 *
 *   nat KUBE-SERVICES   -d CLUSTERIP -p tcp --dport P -j KUBE-SVC-X   ("ns/svc:port cluster IP")
 *                       ... external IPs, load balancer IPs → KUBE-EXT-X / KUBE-FW-X
 *                       last: -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
 *   nat KUBE-SVC-X      ! -s CLUSTER_CIDR ... -j KUBE-MARK-MASQ, then one rule per endpoint with
 *                       `-m statistic --mode random --probability 1/(n-i)` (the last has none)
 *   nat KUBE-SEP-Y      -s EP -j KUBE-MARK-MASQ (hairpin), -p tcp -m tcp -j DNAT --to-destination EP
 *   nat KUBE-EXT-X      masquerade (Cluster policy) or the Local short-circuit rules, → SVC/SVL
 *   nat KUBE-FW-X       loadBalancerSourceRanges: -s RANGE → KUBE-EXT-X per range, then a
 *                       comment-only rule; filter KUBE-PROXY-FIREWALL DROPs what was not DNATed
 *   filter KUBE-SERVICES / KUBE-EXTERNAL-SERVICES: REJECT (no endpoints) or DROP (no local ones)
 *   KUBE-MARK-MASQ, KUBE-POSTROUTING (mark 0x4000 → MASQUERADE --random-fully), KUBE-FORWARD.
 *
 * Large cluster mode (more than 1000 endpoints in all) drops the per-endpoint comments, as
 * kube-proxy does (largeClusterEndpointsThreshold). Services are written in name order (the
 * real proxier walks a Go map; kube-proxy's own tests sort the same way).
 */
import { Cidr, type Ipv4 } from '../addressing/ipv4';
import type { ServicePortView } from './endpoints';
import { fwChain, portChains, sepChain } from './hash';
import { addRule, ensureChain, kubeProxyProbability, type Match, type Rule, type TableRules } from './rules';

export const MASQ_MARK = 0x4000;
export const LARGE_CLUSTER_ENDPOINTS = 1000;

export interface ProxierContext {
  nodeName: string;
  nodeIp: Ipv4;
  /** kube-proxy clusterCIDR (kubeadm: networking.podSubnet) for the local traffic detector. */
  clusterCIDR: Cidr;
  views: ServicePortView[];
  /**
   * NodePorts on 127.0.0.0/8 are counted (v1.31+, kubeproxy_iptables_localhost_nodeports_accepted_packets_total):
   * iptables.localhostNodePorts (default true) with nodePortAddresses unset, IPv4, and the nfacct
   * counter created. Older kube-proxy writes only the plain KUBE-NODEPORTS rule.
   */
  localhostNodePortsCounter: boolean;
}

/** metrics.LocalhostNodePortAcceptedNFAcctCounter (pkg/proxy/metrics). */
export const LOCALHOST_NODEPORTS_NFACCT = 'localhost_nps_accepted_pkts';
const LOOPBACK = new Cidr(0x7f000000, 8);

/** What the packet path needs to know about a KUBE-SEP chain. */
export interface SepMeta {
  svc: string;
  endpoint: string;
  ip: Ipv4;
  port: number;
  pod?: string;
}

const host = (ip: Ipv4) => ({ cidr: Cidr.host(ip) });
const comment = (text: string): Match => ({ m: 'comment', text });
const l4 = (proto: string, dport?: number): Match => ({ m: proto as 'tcp', ...(dport !== undefined ? { dport } : {}) });

export function writeIptablesProxier(ctx: ProxierContext, nat: TableRules, filter: TableRules, seps: Map<string, SepMeta>, affinity: Set<string> = new Set()): void {
  for (const c of ['KUBE-SERVICES', 'KUBE-EXTERNAL-SERVICES', 'KUBE-FORWARD', 'KUBE-NODEPORTS', 'KUBE-PROXY-FIREWALL']) ensureChain(filter, c);
  for (const c of ['KUBE-SERVICES', 'KUBE-NODEPORTS', 'KUBE-POSTROUTING', 'KUBE-MARK-MASQ']) ensureChain(nat, c);

  addRule(nat, { chain: 'KUBE-POSTROUTING', matches: [{ m: 'mark', value: MASQ_MARK, mask: MASQ_MARK, neg: true }], target: { t: 'RETURN' } });
  addRule(nat, { chain: 'KUBE-POSTROUTING', matches: [], target: { t: 'MARK', value: MASQ_MARK, mask: 0 } });
  addRule(nat, { chain: 'KUBE-POSTROUTING', matches: [comment('kubernetes service traffic requiring SNAT')], target: { t: 'MASQUERADE', randomFully: true } });
  addRule(nat, { chain: 'KUBE-MARK-MASQ', matches: [], target: { t: 'MARK', value: MASQ_MARK, mask: MASQ_MARK } });

  const totalEndpoints = ctx.views.reduce((n, v) => n + v.all.length, 0);
  const large = totalEndpoints > LARGE_CLUSTER_ENDPOINTS;
  const maybeComment = (text: string): Match[] => (large ? [] : [comment(text)]);

  for (const v of ctx.views) writeServicePort(ctx, v, nat, filter, seps, maybeComment, affinity);

  // The tail call to KUBE-NODEPORTS (nodePortAddresses unset; localhostNodePorts=true, so no `! -d 127.0.0.0/8`).
  addRule(nat, {
    chain: 'KUBE-SERVICES',
    matches: [comment('kubernetes service nodeports; NOTE: this must be the last rule in this chain'), { m: 'addrtype', dstType: 'LOCAL' }],
    target: { t: 'jump', chain: 'KUBE-NODEPORTS' },
  });

  addRule(filter, { chain: 'KUBE-FORWARD', matches: [{ m: 'conntrack', ctstate: 'INVALID' }], target: { t: 'DROP' } });
  addRule(filter, { chain: 'KUBE-FORWARD', matches: [comment('kubernetes forwarding rules'), { m: 'mark', value: MASQ_MARK, mask: MASQ_MARK }], target: { t: 'ACCEPT' } });
  addRule(filter, { chain: 'KUBE-FORWARD', matches: [comment('kubernetes forwarding conntrack rule'), { m: 'conntrack', ctstate: 'RELATED,ESTABLISHED' }], target: { t: 'ACCEPT' } });
}

function writeServicePort(ctx: ProxierContext, v: ServicePortView, nat: TableRules, filter: TableRules, seps: Map<string, SepMeta>, maybeComment: (t: string) => Match[], affinityChains: Set<string>): void {
  const { svc, port, proto, name } = v;
  const clusterIP = svc.clusterIP!;
  const internalLocal = svc.internalTrafficPolicy === 'Local';
  const externalLocal = svc.externalTrafficPolicy === 'Local' && svc.type !== 'ClusterIP';
  const externallyAccessible = port.nodePort !== undefined || svc.externalIPs.length > 0 || svc.loadBalancerIP !== undefined;
  const hasEndpoints = v.cluster.length > 0;
  const { svc: svcC, svl: svlC, ext: extC } = portChains(name, proto);
  const usesCluster = v.cluster.length > 0 && (!internalLocal || (externallyAccessible && !externalLocal));
  const usesLocal = v.local.length > 0 && (internalLocal || externalLocal);
  const internalChain = internalLocal ? svlC : svcC;
  const hasInternal = hasEndpoints && (!internalLocal || v.local.length > 0);
  const externalPolicyChain = externalLocal ? svlC : svcC;
  const hasExternal = hasEndpoints && (!externalLocal || v.local.length > 0);
  const usesExt = hasEndpoints && externallyAccessible;
  const sourceRanges = svc.loadBalancerSourceRanges;
  // proxier.go: usesFWChain := hasEndpoints && len(LoadBalancerVIPs) > 0 && len(LoadBalancerSourceRanges) > 0
  const usesFW = hasEndpoints && svc.loadBalancerIP !== undefined && sourceRanges.length > 0;
  const fwC = fwChain(name, proto);
  const dstSel = (ip: Ipv4, p: number): Pick<Rule, 'd' | 'p' | 'matches'> & { matches: Match[] } => ({ d: host(ip), p: proto, matches: [l4(proto, p)] });

  let filterTarget: Rule['target'] | undefined;
  let filterComment = '';
  let extFilterTarget: Rule['target'] | undefined;
  let extFilterComment = '';
  if (!hasEndpoints) {
    filterTarget = extFilterTarget = { t: 'REJECT', with: 'icmp-port-unreachable' };
    filterComment = extFilterComment = `${name} has no endpoints`;
  } else {
    if (!hasInternal) {
      filterTarget = { t: 'DROP' };
      filterComment = `${name} has no local endpoints`;
    }
    if (!hasExternal) {
      extFilterTarget = { t: 'DROP' };
      extFilterComment = `${name} has no local endpoints`;
    }
  }

  if (hasInternal) {
    addRule(nat, { chain: 'KUBE-SERVICES', d: host(clusterIP), p: proto, matches: [comment(`${name} cluster IP`), l4(proto, port.port)], target: { t: 'jump', chain: internalChain } });
  } else {
    addRule(filter, { chain: 'KUBE-SERVICES', d: host(clusterIP), p: proto, matches: [comment(filterComment), l4(proto, port.port)], target: filterTarget! });
  }
  for (const ip of svc.externalIPs) {
    if (hasEndpoints) addRule(nat, { chain: 'KUBE-SERVICES', ...dstSel(ip, port.port), matches: [comment(`${name} external IP`), l4(proto, port.port)], target: { t: 'jump', chain: extC } });
    if (!hasExternal) addRule(filter, { chain: 'KUBE-EXTERNAL-SERVICES', ...dstSel(ip, port.port), matches: [comment(extFilterComment), l4(proto, port.port)], target: extFilterTarget! });
  }
  if (svc.loadBalancerIP !== undefined) {
    const lb = svc.loadBalancerIP;
    // loadBalancerTrafficChain: KUBE-FW-X when the Service has source ranges, else KUBE-EXT-X.
    if (hasEndpoints) addRule(nat, { chain: 'KUBE-SERVICES', ...dstSel(lb, port.port), matches: [comment(`${name} loadbalancer IP`), l4(proto, port.port)], target: { t: 'jump', chain: usesFW ? fwC : extC } });
    // What KUBE-FW-X did not send on (no DNAT happened) is dropped here, in filter FORWARD/INPUT/OUTPUT.
    if (usesFW) addRule(filter, { chain: 'KUBE-PROXY-FIREWALL', ...dstSel(lb, port.port), matches: [comment(`${name} traffic not accepted by ${fwC}`), l4(proto, port.port)], target: { t: 'DROP' } });
    if (!hasExternal) addRule(filter, { chain: 'KUBE-EXTERNAL-SERVICES', ...dstSel(lb, port.port), matches: [comment(extFilterComment), l4(proto, port.port)], target: extFilterTarget! });
  }
  if (port.nodePort !== undefined) {
    // proxier.go "Capture nodeports": first the loopback rule that counts localhost NodePort
    // packets (route_localnet=1 lets them be DNATed), then the rule for every other address.
    if (hasEndpoints && ctx.localhostNodePortsCounter) {
      addRule(nat, { chain: 'KUBE-NODEPORTS', d: { cidr: LOOPBACK }, p: proto, matches: [comment(name), l4(proto, port.nodePort), { m: 'nfacct', name: LOCALHOST_NODEPORTS_NFACCT }], target: { t: 'jump', chain: extC } });
    }
    if (hasEndpoints) addRule(nat, { chain: 'KUBE-NODEPORTS', p: proto, matches: [comment(name), l4(proto, port.nodePort)], target: { t: 'jump', chain: extC } });
    if (!hasExternal) {
      addRule(filter, { chain: 'KUBE-EXTERNAL-SERVICES', p: proto, matches: [comment(extFilterComment), { m: 'addrtype', dstType: 'LOCAL' }, l4(proto, port.nodePort)], target: extFilterTarget! });
    }
  }
  if (svc.healthCheckNodePort !== undefined && port === svc.ports[0]) {
    addRule(filter, { chain: 'KUBE-NODEPORTS', p: 'tcp', matches: [comment(`${name} health check node port`), l4('tcp', svc.healthCheckNodePort)], target: { t: 'ACCEPT' } });
  }

  if (hasInternal) {
    // Off-cluster sources reaching a ClusterIP are masqueraded (the local detector: ! -s clusterCIDR).
    addRule(nat, { chain: internalChain, s: { cidr: ctx.clusterCIDR, neg: true }, d: host(clusterIP), p: proto, matches: [comment(`${name} cluster IP`), l4(proto, port.port)], target: { t: 'jump', chain: 'KUBE-MARK-MASQ' } });
  }
  if (usesExt) {
    ensureChain(nat, extC);
    if (!externalLocal) {
      addRule(nat, { chain: extC, matches: [comment(`masquerade traffic for ${name} external destinations`)], target: { t: 'jump', chain: 'KUBE-MARK-MASQ' } });
    } else {
      addRule(nat, { chain: extC, s: { cidr: ctx.clusterCIDR }, matches: [comment(`pod traffic for ${name} external destinations`)], target: { t: 'jump', chain: svcC } });
      addRule(nat, { chain: extC, matches: [comment(`masquerade LOCAL traffic for ${name} external destinations`), { m: 'addrtype', srcType: 'LOCAL' }], target: { t: 'jump', chain: 'KUBE-MARK-MASQ' } });
      addRule(nat, { chain: extC, matches: [comment(`route LOCAL traffic for ${name} external destinations`), { m: 'addrtype', srcType: 'LOCAL' }], target: { t: 'jump', chain: svcC } });
    }
    if (hasExternal) addRule(nat, { chain: extC, matches: [], target: { t: 'jump', chain: externalPolicyChain } });
  }
  if (usesFW) {
    // proxier.go: one `-s RANGE -j KUBE-EXT-X` per source range; when a range holds this node's IP,
    // also `-s LBIP` per load balancer IP (a VIP-like LB looped back locally arrives with the VIP
    // as its source); then a rule with no target, only a comment, so the packet falls through
    // un-DNATed to KUBE-PROXY-FIREWALL's DROP.
    ensureChain(nat, fwC);
    const fwComment = comment(`${name} loadbalancer IP`);
    for (const cidr of sourceRanges) addRule(nat, { chain: fwC, s: { cidr }, matches: [fwComment], target: { t: 'jump', chain: extC } });
    if (sourceRanges.some((c) => c.contains(ctx.nodeIp))) addRule(nat, { chain: fwC, s: host(svc.loadBalancerIP!), matches: [fwComment], target: { t: 'jump', chain: extC } });
    addRule(nat, { chain: fwC, matches: [comment(`other traffic to ${name} will be dropped by KUBE-PROXY-FIREWALL`)], target: { t: 'none' } });
  }

  const affinity = svc.sessionAffinity === 'ClientIP';
  const sepNames = new Map<string, string>();
  const sepName = (text: string) => {
    let n = sepNames.get(text);
    if (!n) sepNames.set(text, (n = sepChain(name, proto, text)));
    return n;
  };
  const writeToEndpoints = (chain: string, eps: typeof v.cluster) => {
    ensureChain(nat, chain);
    if (affinity) affinityChains.add(chain);
    if (affinity) {
      for (const ep of eps) {
        const sep = sepName(ep.text);
        addRule(nat, { chain, matches: [...maybeComment(`${name} -> ${ep.text}`), { m: 'recent', op: 'rcheck', name: sep, seconds: svc.sessionAffinityTimeout, reap: true }], target: { t: 'jump', chain: sep } });
      }
    }
    eps.forEach((ep, i) => {
      const sep = sepName(ep.text);
      const stat: Match[] = i < eps.length - 1 ? [{ m: 'statistic', probability: kubeProxyProbability(eps.length - i) }] : [];
      addRule(nat, { chain, matches: [...maybeComment(`${name} -> ${ep.text}`), ...stat], target: { t: 'jump', chain: sep } });
    });
  };
  if (usesCluster) writeToEndpoints(svcC, v.cluster);
  if (usesLocal) writeToEndpoints(svlC, v.local);

  const reachable = new Map<string, (typeof v.cluster)[number]>();
  if (usesCluster) for (const e of v.cluster) reachable.set(e.text, e);
  if (usesLocal) for (const e of v.local) reachable.set(e.text, e);
  for (const ep of reachable.values()) {
    const sep = sepName(ep.text);
    ensureChain(nat, sep);
    addRule(nat, { chain: sep, s: host(ep.ip), matches: maybeComment(name), target: { t: 'jump', chain: 'KUBE-MARK-MASQ' } });
    const set: Match[] = affinity ? [{ m: 'recent', op: 'set', name: sep }] : [];
    addRule(nat, { chain: sep, p: proto, matches: [...maybeComment(name), ...set, l4(proto)], target: { t: 'DNAT', ip: ep.ip, port: ep.port } });
    const pod = ep.info.pod ? `${ep.info.pod.namespace}/${ep.info.pod.name}` : undefined;
    seps.set(sep, { svc: name, endpoint: ep.text, ip: ep.ip, port: ep.port, ...(pod ? { pod } : {}) });
  }
}
