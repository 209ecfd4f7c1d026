/**
 * kube-controller-manager's range allocator (pkg/controller/nodeipam/ipam/cidrset/cidr_set.go):
 * the cluster CIDR cut into subnets of --node-cidr-mask-size, a bitmap of used ones, and
 * `nextCandidate` from which AllocateNext scans (wrapping) for the first free subnet. Occupy
 * marks recorded spec.podCIDRs used. Cilium's operator hands out its cluster-pool CIDRs with
 * the same code (cilium pkg/ipam/cidrset is a copy), so Cilium uses this module too.
 */
import { Cidr } from '../ipv4';

/** cidrset.ErrCIDRRangeNoCIDRsRemaining. */
export const NO_CIDRS_REMAINING = 'CIDR allocation failed; there are no remaining CIDRs left to allocate in the accepted range';

export class CidrSet {
  readonly maxCidrs: number;
  private readonly used: Uint8Array;
  private allocated = 0;

  constructor(
    readonly cluster: Cidr,
    readonly nodeMaskSize: number,
    public nextCandidate = 0,
  ) {
    // 2^24 subnets at most: the bitmap is one byte per subnet.
    const diff = Math.max(0, Math.min(24, nodeMaskSize - cluster.prefix));
    this.maxCidrs = nodeMaskSize < cluster.prefix ? 0 : 2 ** diff;
    this.used = new Uint8Array(this.maxCidrs);
  }

  /** The subnet at an index (indexToCIDRBlock). */
  cidrAt(index: number): Cidr {
    return this.cluster.subnet(this.nodeMaskSize, index);
  }

  /** Index of a subnet, or null when it lies outside the cluster CIDR or has another size. */
  indexOf(cidr: Cidr): number | null {
    if (cidr.prefix !== this.nodeMaskSize || !this.cluster.containsSubnet(cidr)) return null;
    return (cidr.network - this.cluster.network) / 2 ** (32 - this.nodeMaskSize);
  }

  /** AllocateNext: the first free subnet from nextCandidate on, or null when none is left. */
  allocateNext(): Cidr | null {
    if (this.allocated >= this.maxCidrs) return null;
    let candidate = this.nextCandidate;
    for (let i = 0; i < this.maxCidrs; i++) {
      if (this.used[candidate] === 0) break;
      candidate = (candidate + 1) % this.maxCidrs;
    }
    this.nextCandidate = (candidate + 1) % this.maxCidrs;
    this.used[candidate] = 1;
    this.allocated++;
    return this.cidrAt(candidate);
  }

  /** Occupy: mark a recorded subnet used (succeeds when it already is). False when it is out of range. */
  occupy(cidr: Cidr): boolean {
    const i = this.indexOf(cidr);
    if (i === null) return false;
    if (this.used[i] === 0) {
      this.used[i] = 1;
      this.allocated++;
    }
    return true;
  }

  isUsed(cidr: Cidr): boolean {
    const i = this.indexOf(cidr);
    return i !== null && this.used[i] === 1;
  }

  release(cidr: Cidr): void {
    const i = this.indexOf(cidr);
    if (i !== null && this.used[i] === 1) {
      this.used[i] = 0;
      this.allocated--;
    }
  }
}

/** getBeginningAndEndIndices' error for a recorded CIDR outside the cluster CIDR. */
export function outOfRangeMessage(cidr: Cidr, cluster: Cidr): string {
  return `cidr ${cidr.toString()} is out the range of cluster cidr ${cluster.toString()}`;
}
