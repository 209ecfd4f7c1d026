/**
 * Calico IPAM (libcalico-go lib/ipam): the IP pool (config.podCIDR) is cut into /26 blocks
 * (IPPool blockSize default 26); a node claims a block affine to it when it needs addresses and
 * has none free, and hands out the block's ordinals from its `unallocated` list front first;
 * a released ordinal is appended to the end of that list (allocationBlock.release), so it is
 * reused only after the rest of the block.
 *
 * Block selection (ipam_block_reader_writer.go randomBlockGenerator): a random start index
 * seeded with FNV-1 32 of the hostname, then a walk through the pool's blocks, wrapping, to the
 * first unclaimed one. Approximation: Go's math/rand stream is not reproduced; the start index
 * comes from this engine's seeded PRNG fed with the same hostname hash, so the same node name
 * always lands on the same block.
 *
 * Node addresses (calico-node's tunnel-ip-allocator, node/pkg/allocateip/allocateip.go
 * assignHostTunnelAddr): with IPIP or VXLAN the node's tunnel address (tunl0 / vxlan.calico) is
 * `IPAM().AutoAssign({Num4: 1, Hostname: nodename, IntendedUse: Tunnel})`, and AutoAssign with a
 * hostname takes the first free ordinal of a block already affine to the host before it claims
 * a new one (libcalico-go lib/ipam/ipam.go autoAssign: affine blocks first; allocation_block.go
 * autoAssign: `Unallocated[0:num]`). So the tunnel address shares the block the node's pods use:
 * on a fresh node it is ordinal 0 of its first block (calico-node starts before any pod); in a
 * cluster read with recorded pod addresses it is the first address those pods left free in
 * their block (setupNode with `deferNodeAddresses`, then `nodeAddresses`), never a block of its
 * own. With WireGuard the wireguard.cali address is the next one. Plain BGP claims no block
 * before the first pod.
 *
 * Error (cni-plugin ipam_plugin.go): `failed to request 1 IPv4 addresses. IPAM allocated only 0`.
 */
import { Cidr, formatIpv4, parseIpv4, type Ipv4 } from '../ipv4';
import type { ClusterConfig, IpamState, NodeRec } from '../../model/cluster';
import { Rng } from '../../sim/rng';
import { asPMap, PMapDraft } from '../../util/persistent';
import { ipFail, ipOk, type IpamResult, type NodeSetupOptions, type PodIpam } from './podIpam';

export const CALICO_BLOCK_PREFIX = 26;

/** hash/fnv New32 (FNV-1, 32-bit): multiply, then xor. */
export function fnv1_32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h, 0x01000193) >>> 0;
    h = (h ^ (text.charCodeAt(i) & 0xff)) >>> 0;
  }
  return h >>> 0;
}

/** The Node annotations calico-node writes its addresses to (Kubernetes datastore; libcalico-go k8s conversion). */
export const IPIP_TUNNEL_ANNOTATION = 'projectcalico.org/IPv4IPIPTunnelAddr';
export const VXLAN_TUNNEL_ANNOTATION = 'projectcalico.org/IPv4VXLANTunnelAddr';
export const WIREGUARD_ANNOTATION = 'projectcalico.org/IPv4WireguardInterfaceAddr';

export const CALICO_NO_ADDRESS = 'failed to request 1 IPv4 addresses. IPAM allocated only 0';

export class CalicoIpam implements PodIpam {
  private readonly blockPrefix: number;
  private readonly numBlocks: number;
  /** Block network → owning node. */
  private readonly claimed = new Map<Ipv4, string>();
  private readonly blockFree: PMapDraft<number[]>;
  /** Blocks whose free list this allocator copied since its state was last exported (copy on first write). */
  private readonly owned = new Set<string>();

  constructor(
    private readonly config: ClusterConfig,
    state: IpamState,
    private readonly addressesFor: { tunnel: 'ipip' | 'vxlan' | false; wireguard: boolean },
  ) {
    this.blockPrefix = Math.max(CALICO_BLOCK_PREFIX, config.podCIDR.prefix);
    this.numBlocks = 2 ** (this.blockPrefix - config.podCIDR.prefix);
    this.blockFree = new PMapDraft(asPMap(state.blockFree));
  }

  private freeList(block: Cidr): number[] {
    const key = block.toString();
    let list = this.blockFree.get(key);
    if (!list || !this.owned.has(key)) {
      list = list ? list.slice() : Array.from({ length: block.size }, (_, i) => i);
      this.blockFree.set(key, list);
      this.owned.add(key);
    }
    return list;
  }

  /** Claim the next unclaimed block for the node, walking from its hostname-seeded start. */
  private claimBlock(node: NodeRec): Cidr | null {
    const pool = this.config.podCIDR;
    const start = new Rng(fnv1_32(node.meta.name)).int(this.numBlocks);
    for (let i = 0; i < this.numBlocks; i++) {
      const block = pool.subnet(this.blockPrefix, (start + i) % this.numBlocks);
      if (this.claimed.has(block.network)) continue;
      this.claimed.set(block.network, node.meta.name);
      node.blocks = [...node.blocks, block];
      this.freeList(block);
      return block;
    }
    return null;
  }

  setupNode(node: NodeRec, opts: NodeSetupOptions = {}): IpamResult<void> {
    return opts.deferNodeAddresses ? ipOk(undefined) : this.nodeAddresses(node);
  }

  /**
   * calico-node's addresses for the node: the tunnel's, then WireGuard's, from an affine block.
   * An address the Node already records (calico-node's annotation, in a dump) is kept when IPAM
   * can assign it (allocateip.go reconcileTunnelAddrs: a valid address is kept, AssignIP),
   * else a new one is auto-assigned.
   */
  nodeAddresses(node: NodeRec): IpamResult<void> {
    const { tunnel, wireguard } = this.addressesFor;
    if (tunnel) {
      const ip = this.recordedOrNext(node, tunnel === 'vxlan' ? VXLAN_TUNNEL_ANNOTATION : IPIP_TUNNEL_ANNOTATION);
      if (!ip.ok) return ip;
      node.tunnelIp = ip.value;
    }
    if (wireguard) {
      const ip = this.recordedOrNext(node, WIREGUARD_ANNOTATION);
      if (!ip.ok) return ip;
      node.wireguardIp = ip.value;
    }
    return ipOk(undefined);
  }

  private recordedOrNext(node: NodeRec, annotation: string): IpamResult {
    const text = node.meta.annotations?.[annotation];
    const ip = text === undefined ? null : parseIpv4(text);
    if (ip !== null && this.reserve(node, ip).ok) return ipOk(ip);
    return this.allocate(node);
  }

  loadNode(node: NodeRec): void {
    for (const b of node.blocks) this.claimed.set(b.network, node.meta.name);
  }

  dropNode(node: NodeRec): void {
    // calico-kube-controllers' node controller releases a deleted node's blocks and addresses.
    for (const b of node.blocks) {
      this.claimed.delete(b.network);
      this.blockFree.delete(b.toString());
      this.owned.delete(b.toString());
    }
  }

  use(): void {
    // In-use ordinals are exactly those missing from the free lists the cluster keeps.
  }

  private blockOf(node: NodeRec, ip: Ipv4): Cidr | undefined {
    return node.blocks.find((b) => b.contains(ip));
  }

  reserve(node: NodeRec, ip: Ipv4): IpamResult<void> {
    const pool = this.config.podCIDR;
    const text = formatIpv4(ip);
    if (!pool.contains(ip)) return ipFail(`Invalid value: "${text}": is not in the node's range (IP pool ${pool.toString()})`);
    let block = this.blockOf(node, ip);
    if (!block) {
      const b = new Cidr(ip, this.blockPrefix);
      const owner = this.claimed.get(b.network);
      if (owner !== undefined) return ipFail(`Invalid value: "${text}": is not in the node's range: block ${b.toString()} is affine to node ${owner}`);
      // AssignIP claims the block for the host when it is unclaimed.
      this.claimed.set(b.network, node.meta.name);
      node.blocks = [...node.blocks, b];
      block = b;
    }
    const free = this.freeList(block);
    const ordinal = block.offsetOf(ip);
    const at = free.indexOf(ordinal);
    if (at < 0) return ipFail(`Invalid value: "${text}": address ${text} is already in use`);
    free.splice(at, 1);
    return ipOk(undefined);
  }

  allocate(node: NodeRec): IpamResult {
    for (const block of node.blocks) {
      // No free list yet: a block affine to the node with nothing allocated from it (a recorded
      // BlockAffinity whose pods are gone): every ordinal is free.
      const list = this.blockFree.get(block.toString());
      if (!list || list.length > 0) return ipOk(block.nth(this.freeList(block).shift()!));
    }
    const block = this.claimBlock(node);
    if (!block) return ipFail(CALICO_NO_ADDRESS);
    return ipOk(block.nth(this.freeList(block).shift()!));
  }

  release(node: NodeRec, ip: Ipv4): void {
    const block = this.blockOf(node, ip);
    if (!block) return;
    const free = this.freeList(block);
    const ordinal = block.offsetOf(ip);
    if (!free.includes(ordinal)) free.push(ordinal);
  }

  exportState() {
    // The exported lists are shared with the cluster from now on: the next write copies again.
    this.owned.clear();
    return { lastReserved: {}, blockFree: this.blockFree.snapshot() };
  }
}
