/**
 * host-local IPAM (containernetworking/plugins plugins/ipam/host-local), as flannel's CNI plugin
 * delegates to it with `ranges: [[{subnet: <node PodCIDR>}]]`, plus kube-controller-manager's
 * range allocator that hands each node its spec.podCIDR (cidrSet.ts).
 *
 * The range: rangeStart = subnet + 1, rangeEnd = broadcast − 1, gateway = subnet + 1 (range.go
 * Canonicalize defaults); the gateway (cni0's address) is skipped, so the first pod gets `.2`.
 * Allocation is round-robin (allocator.go GetIter): the scan starts after the last reserved IP
 * (`last_reserved_ip.0` on disk; IpamState.lastReserved here) and wraps, so a released IP is
 * handed out again only once the scan comes round to it. Reserving a requested IP updates the
 * last reserved IP too (disk backend Reserve).
 *
 * Errors, word for word: allocator.go `no IP addresses available in range set: <start>-<end>`,
 * wrapped by host-local main.go as `failed to allocate for range 0: …`; `requested IP address
 * %s is not available in range set %s`; `requested ip %s is subnet's gateway`; a /31 or /32
 * (range.go Canonicalize) `invalid range set 0: Network %s too small to allocate from`.
 */
import { Cidr, formatIpv4, type Ipv4 } from '../ipv4';
import type { ClusterConfig, IpamState, NodeRec } from '../../model/cluster';
import { asPMap, PMapDraft } from '../../util/persistent';
import { CidrSet, NO_CIDRS_REMAINING, outOfRangeMessage } from './cidrSet';
import { ipFail, ipOk, type IpamResult, type PodIpam } from './podIpam';

/** The event and error kube-controller-manager's range allocator gives when the cluster CIDR is full. */
export function cidrNotAvailable(): string {
  return `CIDRNotAvailable: failed to allocate cidr from cluster cidr at idx:0: ${NO_CIDRS_REMAINING}`;
}

interface Range {
  start: Ipv4;
  end: Ipv4;
  gateway: Ipv4;
}

function rangeOf(subnet: Cidr): Range {
  return { start: subnet.network + 1, end: subnet.broadcast - 1, gateway: subnet.network + 1 };
}

const rangeSetText = (r: Range) => `${formatIpv4(r.start)}-${formatIpv4(r.end)}`;

export class HostLocalIpam implements PodIpam {
  private readonly cidrs: CidrSet;
  private readonly used = new Map<string, Set<Ipv4>>();
  private readonly lastReserved: PMapDraft<Ipv4>;

  constructor(
    private readonly config: ClusterConfig,
    state: IpamState,
  ) {
    this.cidrs = new CidrSet(config.podCIDR, config.nodeCIDRMaskSize, state.nextPodCidrIndex ?? 0);
    this.lastReserved = new PMapDraft(asPMap(state.lastReserved));
  }

  private usedOn(node: string): Set<Ipv4> {
    let s = this.used.get(node);
    if (!s) this.used.set(node, (s = new Set()));
    return s;
  }

  setupNode(node: NodeRec): IpamResult<void> {
    if (node.podCIDR) {
      // range_allocator occupyCIDRs: a recorded spec.podCIDR is kept and marked used.
      if (!this.cidrs.occupy(node.podCIDR)) {
        return ipFail(`Invalid value: "${node.podCIDR.toString()}": ${outOfRangeMessage(node.podCIDR, this.config.podCIDR)} (--node-cidr-mask-size ${this.config.nodeCIDRMaskSize})`, 'spec.podCIDR');
      }
      return ipOk(undefined);
    }
    const cidr = this.cidrs.allocateNext();
    if (!cidr) return ipFail(cidrNotAvailable(), 'spec.podCIDR');
    node.podCIDR = cidr;
    return ipOk(undefined);
  }

  /** Whether a recorded podCIDR is already held by a node set up earlier. */
  podCidrTaken(cidr: Cidr): boolean {
    return this.cidrs.isUsed(cidr);
  }

  loadNode(node: NodeRec): void {
    if (node.podCIDR) this.cidrs.occupy(node.podCIDR);
  }

  dropNode(node: NodeRec): void {
    // range_allocator ReleaseCIDR; the node's host-local state goes with the machine.
    if (node.podCIDR) this.cidrs.release(node.podCIDR);
    this.lastReserved.delete(node.meta.name);
    this.used.delete(node.meta.name);
  }

  use(node: NodeRec, ip: Ipv4): void {
    this.usedOn(node.meta.name).add(ip);
  }

  reserve(node: NodeRec, ip: Ipv4): IpamResult<void> {
    const subnet = node.podCIDR;
    if (!subnet) return ipFail(`Invalid value: "${formatIpv4(ip)}": node ${node.meta.name} has no spec.podCIDR`);
    const r = rangeOf(subnet);
    if (!subnet.contains(ip) || ip < r.start || ip > r.end) {
      return ipFail(`Invalid value: "${formatIpv4(ip)}": is not in the node's range ${subnet.toString()} (node ${node.meta.name})`);
    }
    if (ip === r.gateway) return ipFail(`Invalid value: "${formatIpv4(ip)}": requested ip ${formatIpv4(ip)} is subnet's gateway`);
    const used = this.usedOn(node.meta.name);
    if (used.has(ip)) return ipFail(`Invalid value: "${formatIpv4(ip)}": requested IP address ${formatIpv4(ip)} is not available in range set ${rangeSetText(r)}`);
    used.add(ip);
    this.lastReserved.set(node.meta.name, ip);
    return ipOk(undefined);
  }

  allocate(node: NodeRec): IpamResult {
    const subnet = node.podCIDR;
    if (!subnet) return ipFail(`failed to allocate for range 0: node ${node.meta.name} has no spec.podCIDR`);
    // range.go Canonicalize: a /31 or /32 has no host addresses (wrapped by config.go LoadIPAMConfig).
    if (subnet.prefix > 30) return ipFail(`invalid range set 0: Network ${subnet} too small to allocate from`);
    const r = rangeOf(subnet);
    const used = this.usedOn(node.meta.name);
    const last = this.lastReserved.get(node.meta.name);
    // GetIter: resume after the last reserved IP when it lies in the range, else at rangeStart.
    const resume = last !== undefined && last >= r.start && last <= r.end;
    let cur = resume ? last : r.start;
    const size = r.end - r.start + 1;
    for (let i = 0; i < size; i++) {
      if (resume || i > 0) cur = cur === r.end ? r.start : cur + 1;
      if (cur === r.gateway || used.has(cur)) continue;
      used.add(cur);
      this.lastReserved.set(node.meta.name, cur);
      return ipOk(cur);
    }
    return ipFail(`failed to allocate for range 0: no IP addresses available in range set: ${rangeSetText(r)}`);
  }

  release(node: NodeRec, ip: Ipv4): void {
    this.used.get(node.meta.name)?.delete(ip);
  }

  exportState() {
    return { lastReserved: this.lastReserved.snapshot(), blockFree: {}, nextPodCidrIndex: this.cidrs.nextCandidate };
  }
}
