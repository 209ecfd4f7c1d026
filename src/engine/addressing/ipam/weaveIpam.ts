/**
 * Weave Net IPAM: the allocation range (IPALLOC_RANGE, config.podCIDR; weave's default is
 * 10.32.0.0/12) is a ring of address space shared among peers. The first peer owns all of it;
 * a peer that joins asks for space and gets half of the largest free range a peer holds.
 * Each peer allocates from its own space lowest address first: the `weave` bridge address
 * (weave expose) first, then pods. The range's own network and broadcast addresses are never
 * handed out, so the first peer's bridge is 10.32.0.1 and a second peer's starts at 10.40.0.0.
 *
 * Approximation: weave's CRDT ring and the random choice of donor are replaced by a
 * deterministic rule (the earliest-split largest share gives its upper half), and space is not
 * rebalanced when a peer runs out or leaves (`weave rmpeer`).
 * Shares are stored as NodeRec.blocks[0]; the bridge address as NodeRec.bridgeIp.
 */
import { Cidr, formatIpv4, type Ipv4 } from '../ipv4';
import type { ClusterConfig, NodeRec } from '../../model/cluster';
import { ipFail, ipOk, type IpamResult, type PodIpam } from './podIpam';

export const WEAVE_NO_SPACE = 'weave IPAM: no free addresses in this peer\'s space';

interface Peer {
  name: string;
  share: Cidr;
  used: Set<Ipv4>;
  /** Lowest address that may be free. */
  cursor: Ipv4;
}

export class WeaveIpam implements PodIpam {
  private readonly peers = new Map<string, Peer>();
  /** Donor order: largest share first, earliest split first. */
  private queue: Peer[] = [];
  private head = 0;
  private sorted = true;

  constructor(private readonly config: ClusterConfig) {}

  private firstUsable(share: Cidr): Ipv4 {
    return share.network === this.config.podCIDR.network ? share.network + 1 : share.network;
  }

  private lastUsable(share: Cidr): Ipv4 {
    return share.broadcast === this.config.podCIDR.broadcast ? share.broadcast - 1 : share.broadcast;
  }

  private addPeer(name: string, share: Cidr): Peer {
    const p: Peer = { name, share, used: new Set(), cursor: this.firstUsable(share) };
    this.peers.set(name, p);
    this.queue.push(p);
    return p;
  }

  private donor(): Peer | undefined {
    if (!this.sorted) {
      // Loaded peers: largest first, node order among equals (stable sort).
      const rest = this.queue.slice(this.head).filter((p) => this.peers.get(p.name) === p);
      rest.sort((a, b) => a.share.prefix - b.share.prefix);
      this.queue = rest;
      this.head = 0;
      this.sorted = true;
    }
    while (this.head < this.queue.length && this.peers.get(this.queue[this.head].name) !== this.queue[this.head]) this.head++;
    return this.queue[this.head];
  }

  setupNode(node: NodeRec): IpamResult<void> {
    const range = this.config.podCIDR;
    let share: Cidr;
    if (this.peers.size === 0) {
      share = range;
    } else {
      const d = this.donor();
      if (!d || d.share.prefix >= 30) return ipFail(WEAVE_NO_SPACE);
      this.head++;
      // The donor keeps the lower half; the new peer takes the upper half. Both go to the back.
      const lower = new Cidr(d.share.network, d.share.prefix + 1);
      share = d.share.subnet(d.share.prefix + 1, 1);
      const moved = [...d.used].filter((ip) => !lower.contains(ip));
      if (moved.length) return ipFail(`weave IPAM: peer ${d.name} still uses ${formatIpv4(moved[0])} in the half it would donate`);
      d.share = lower;
      this.queue.push(d);
    }
    node.blocks = [share];
    const peer = this.addPeer(node.meta.name, share);
    const bridge = this.take(peer);
    if (bridge === null) return ipFail(WEAVE_NO_SPACE);
    node.bridgeIp = bridge;
    return ipOk(undefined);
  }

  /** The donor's record must show its smaller share: callers read `shareOf` after setups. */
  shareOf(name: string): Cidr | undefined {
    return this.peers.get(name)?.share;
  }

  loadNode(node: NodeRec): void {
    const share = node.blocks[0];
    if (!share) return;
    const p = this.addPeer(node.meta.name, share);
    if (node.bridgeIp !== undefined) p.used.add(node.bridgeIp);
    this.sorted = false;
  }

  dropNode(node: NodeRec): void {
    this.peers.delete(node.meta.name);
  }

  use(node: NodeRec, ip: Ipv4): void {
    this.peers.get(node.meta.name)?.used.add(ip);
  }

  private take(p: Peer): Ipv4 | null {
    const last = this.lastUsable(p.share);
    while (p.cursor <= last && p.used.has(p.cursor)) p.cursor++;
    if (p.cursor > last) return null;
    const ip = p.cursor++;
    p.used.add(ip);
    return ip;
  }

  reserve(node: NodeRec, ip: Ipv4): IpamResult<void> {
    const p = this.peers.get(node.meta.name);
    const text = formatIpv4(ip);
    if (!p || !p.share.contains(ip) || ip < this.firstUsable(p.share) || ip > this.lastUsable(p.share)) {
      return ipFail(`Invalid value: "${text}": is not in the node's range ${p?.share.toString() ?? '(none)'} (node ${node.meta.name})`);
    }
    if (p.used.has(ip)) return ipFail(`Invalid value: "${text}": address ${text} is already owned by a container`);
    p.used.add(ip);
    return ipOk(undefined);
  }

  allocate(node: NodeRec): IpamResult {
    const p = this.peers.get(node.meta.name);
    const ip = p ? this.take(p) : null;
    return ip === null ? ipFail(WEAVE_NO_SPACE) : ipOk(ip);
  }

  release(node: NodeRec, ip: Ipv4): void {
    const p = this.peers.get(node.meta.name);
    if (!p) return;
    p.used.delete(ip);
    if (ip < p.cursor) p.cursor = ip;
  }

  exportState() {
    return { lastReserved: {}, blockFree: {} };
  }
}
