/**
 * InternalIPs of nodes on the node network: an address the scenario gives is kept; the others
 * are handed out in node order from `.10` of the node network, skipping taken ones (`.1` is the
 * gateway, as cni/common.ts baseNodeNetns routes through it; `.2`–`.9` are left for the
 * infrastructure a lab network has there).
 */
import { Cidr, formatIpv4, type Ipv4 } from '../ipv4';

export const FIRST_NODE_HOST = 10;

export type NodeIpResult = { ok: true; ip: Ipv4 } | { ok: false; message: string };

export class NodeIpAllocator {
  /** Offset in the node network of the next address to try. */
  private cursor: number;

  constructor(
    readonly network: Cidr,
    /** Addresses already in use on the node network (node IPs, VPC pod IPs). */
    readonly taken: Set<Ipv4>,
    /** Offset of the first address handed out (Azure: .4, the first its subnets leave to VMs). */
    readonly firstHost: number = FIRST_NODE_HOST,
  ) {
    this.cursor = firstHost;
  }

  /** A recorded address: must lie in the node network, not be its gateway, network or broadcast, and be free. */
  keep(ip: Ipv4): NodeIpResult {
    const net = this.network;
    if (!net.contains(ip) || ip === net.network || ip === net.broadcast) {
      return { ok: false, message: `${formatIpv4(ip)} is not in the node network ${net.toString()}` };
    }
    if (net.offsetOf(ip) === 1) return { ok: false, message: `${formatIpv4(ip)} is the node network's gateway` };
    if (this.taken.has(ip)) return { ok: false, message: `${formatIpv4(ip)} is already in use on the node network` };
    this.taken.add(ip);
    return { ok: true, ip };
  }

  /**
   * The next free address from `.10` on, the broadcast address excluded (the cursor only moves
   * forward, so a build is linear; offsets, so a block at the top of the address space never wraps).
   */
  next(hold = 0): NodeIpResult {
    const last = this.network.size - 2;
    const skipTaken = () => {
      while (this.cursor <= last && this.taken.has(this.network.nth(this.cursor))) this.cursor++;
    };
    skipTaken();
    if (this.cursor > last) {
      return { ok: false, message: `no free address left in the node network ${this.network.toString()} (nodes are numbered from .${this.firstHost})` };
    }
    const ip = this.network.nth(this.cursor++);
    this.taken.add(ip);
    // `hold` addresses after it stay for the node's NIC (azure-cni's secondary IPs): the next node comes after them.
    for (let i = 0; i < hold; i++) {
      skipTaken();
      if (this.cursor > last) break;
      this.cursor++;
    }
    return { ok: true, ip };
  }
}
