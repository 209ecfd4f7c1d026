/**
 * The contract every per-plugin IPAM module implements. An allocator is built either fresh
 * (buildCluster) or from an existing cluster (commands: `loadNode` + `use` replay what is
 * already allocated without side effects), then hands out, reserves and releases pod IPs.
 * Allocators mutate the NodeRec drafts they are given (podCIDR, blocks, tunnelIp, ...):
 * callers pass copies when the input must stay untouched.
 */
import type { Ipv4 } from '../ipv4';
import type { IpamState, NodeRec } from '../../model/cluster';

export type IpamResult<T = Ipv4> = { ok: true; value: T } | { ok: false; message: string; field?: string };

export const ipOk = <T>(value: T): IpamResult<T> => ({ ok: true, value });
export const ipFail = (message: string, field?: string): IpamResult<never> => ({ ok: false, message, ...(field ? { field } : {}) });

export interface NodeSetupOptions {
  /**
   * The node's pods come with recorded addresses (a cluster read from a dump): leave the
   * node-level addresses an IPAM hands out from the pods' own blocks (Calico's tunnel and
   * WireGuard addresses) to `nodeAddresses`, called once those pod addresses are reserved.
   */
  deferNodeAddresses?: boolean;
}

export interface PodIpam {
  /** A node joining: claim its range and node-level addresses (tunnel, router, bridge IP). */
  setupNode(node: NodeRec, opts?: NodeSetupOptions): IpamResult<void>;
  /**
   * The node-level addresses `setupNode` left with `deferNodeAddresses` (IPAMs that have
   * such addresses implement it): taken now, from what the recorded pods left free.
   */
  nodeAddresses?(node: NodeRec): IpamResult<void>;
  /** The nodes' own addresses, before their setup (an IPAM drawing pod IPs from the node network keeps off them). */
  claimNodeIps?(ips: Ipv4[]): void;
  /** A node already in the cluster: register its range and node-level addresses as used. */
  loadNode(node: NodeRec): void;
  /** A node leaving: its range goes back to the pool. */
  dropNode(node: NodeRec): void;
  /** An existing pod's address (no side effects beyond marking it used). */
  use(node: NodeRec, ip: Ipv4): void;
  /** A pod's recorded status.podIP: checked against the node's range and taken. */
  reserve(node: NodeRec, ip: Ipv4): IpamResult<void>;
  /** The next address for a pod on the node, as the real IPAM picks it. */
  allocate(node: NodeRec): IpamResult;
  /** A deleted pod's address goes back (reuse follows the IPAM's rules). */
  release(node: NodeRec, ip: Ipv4): void;
  /**
   * A node's current range when joins can shrink other nodes' ranges (weave splits a peer's
   * space): callers refresh NodeRec.blocks from it after setupNode.
   */
  shareOf?(node: string): import('../ipv4').Cidr | undefined;
  /** State to keep in the cluster for the next operation. */
  exportState(): Pick<IpamState, 'lastReserved' | 'blockFree' | 'nextPodCidrIndex'>;
}
