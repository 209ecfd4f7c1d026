/**
 * WireGuard node-to-node encryption, as Calico's Felix and Cilium's agent program it:
 * a `wireguard` link with one peer per other node (endpoint = the node's InternalIP,
 * allowed IPs = that node's pod ranges) and, for Calico, the policy routing that steers
 * pod traffic into it (a rule at priority 99 and routes in table 1).
 *
 * Invariants: peers are in node order and never include the local node; public keys are
 * stable per (seed, node) and derived once per cluster; building is one pass over nodes.
 *
 * Sources:
 * - Calico: felix/config/config_params.go (WireguardListeningPort 51820, WireguardRoutingRulePriority 99,
 *   WireguardInterfaceName wireguard.cali), felix/dataplane/linux/dataplanedefs (route table index from
 *   RouteTableRanges, first = 1), felix/wireguard/wireguard.go (peer CIDRs routed `dev wireguard.cali`
 *   scope link in that table, non-WireGuard nodes get `throw`), projectcalico/felix PR #2818 (the rule reads
 *   `not from all fwmark 0x100000/0x100000 lookup 1`), felix int_dataplane.go (overhead 60 → MTU 1440).
 * - Cilium: `cilium status` prints `cilium_wg0 (Pubkey: …, Port: 51871, …)` (Documentation/security/network/
 *   encryption-wireguard.rst); pkg/mtu WireguardOverhead 80.
 */
import type { Cidr, Ipv4 } from '../addressing/ipv4';
import type { Cluster, NodeRec } from '../model/cluster';
import type { Link, Netns, Route, WireguardPeer } from '../model/netns';
import { sha256Hex } from '../util/hash';
import { addr, perCluster } from './common';

export const CALICO_WG = {
  dev: 'wireguard.cali',
  port: 51820,
  /** IPv4 WireGuard overhead Felix subtracts from the host MTU (int_dataplane.go). */
  overhead: 60,
  table: '1',
  rulePriority: 99,
  /** Felix's WireGuard mark, allocated from IptablesMarkMask 0xffff0000 after accept/pass/scratch0/scratch1. */
  fwmark: 0x100000,
} as const;

export const CILIUM_WG = {
  dev: 'cilium_wg0',
  port: 51871,
  overhead: 80,
} as const;

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 of raw bytes (no Buffer/btoa, so the engine stays browser- and node-neutral). */
export function base64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const b0 = bytes[i];
    const b1 = i + 1 < bytes.length ? bytes[i + 1] : 0;
    const b2 = i + 2 < bytes.length ? bytes[i + 2] : 0;
    const n = (b0 << 16) | (b1 << 8) | b2;
    out += B64[(n >>> 18) & 63] + B64[(n >>> 12) & 63];
    out += i + 1 < bytes.length ? B64[(n >>> 6) & 63] : '=';
    out += i + 2 < bytes.length ? B64[n & 63] : '=';
  }
  return out;
}

function hexBytes(hex: string): Uint8Array {
  const b = new Uint8Array(hex.length / 2);
  for (let i = 0; i < b.length; i++) b[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return b;
}

/** A stand-in Curve25519 public key: 32 bytes, base64 (44 characters ending in `=`), as `wg show` prints. */
export function wireguardPublicKey(seed: number, device: string, node: string): string {
  return base64(hexBytes(sha256Hex(`${seed}:wg:${device}:${node}`)));
}

const keyCache = new WeakMap<object, Map<string, string[]>>();

/** Public keys of every node (node order) for one device, computed once per cluster. */
function keysFor(cluster: Cluster, device: string): string[] {
  const byDev = perCluster(keyCache, cluster, () => new Map<string, string[]>());
  let keys = byDev.get(device);
  if (!keys) {
    keys = cluster.nodes.map((n) => wireguardPublicKey(cluster.config.seed, device, n.meta.name));
    byDev.set(device, keys);
  }
  return keys;
}

export interface WireguardDeviceOptions {
  /** `wireguard.cali` or `cilium_wg0`. */
  name: string;
  ifindex: number;
  listenPort: number;
  mtu: number;
  /** Address on the device (Calico: the node's WireGuard tunnel IP as /32); Cilium's has none. */
  address?: Ipv4;
  /** Allowed IPs of a peer node (its pod ranges); a node with none is left out of the peer list. */
  allowedIpsOf(node: NodeRec): Cidr[];
}

/**
 * The WireGuard link of `local`, with one peer per other node that has allowed IPs.
 * Cilium calls this directly; Calico goes through `addCalicoWireguard`.
 */
export function wireguardDevice(cluster: Cluster, local: NodeRec, opts: WireguardDeviceOptions): Link {
  const keys = keysFor(cluster, opts.name);
  const peers: WireguardPeer[] = [];
  const nodes = cluster.nodes;
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
    if (n === local || n.meta.name === local.meta.name) continue;
    const allowedIps = opts.allowedIpsOf(n);
    if (allowedIps.length === 0) continue;
    peers.push({ publicKey: keys[i], endpoint: { ip: n.ip, port: opts.listenPort }, allowedIps });
  }
  return {
    ifindex: opts.ifindex,
    name: opts.name,
    kind: 'wireguard',
    mtu: opts.mtu,
    // `link/none`: a WireGuard device is L3-only and has no hardware address.
    mac: '',
    operState: 'UNKNOWN',
    flags: ['POINTOPOINT', 'NOARP', 'UP', 'LOWER_UP'],
    addrs: opts.address !== undefined ? [addr(opts.address, 32)] : [],
    wireguard: { listenPort: opts.listenPort, peers },
    qdisc: 'noqueue',
    txqlen: 1000,
  };
}

/** Felix's WireGuard device MTU: host MTU minus 60 (IPv4). */
export function calicoWireguardMtu(nodeMtu: number): number {
  return nodeMtu - CALICO_WG.overhead;
}

/**
 * Adds Calico's WireGuard state to a node namespace: the `wireguard.cali` link, the rule
 * `99: not from all fwmark 0x100000/0x100000 lookup 1`, and in table 1 one
 * `<block> dev wireguard.cali scope link` route per block of every other node.
 * `blocksOf` returns a node's Calico blocks (NodeRec.blocks).
 */
export function addCalicoWireguard(
  cluster: Cluster,
  ns: Netns,
  local: NodeRec,
  opts: { ifindex: number; address?: Ipv4; blocksOf?: (n: NodeRec) => Cidr[] },
): Link {
  const blocksOf = opts.blocksOf ?? ((n: NodeRec) => n.blocks ?? []);
  const link = wireguardDevice(cluster, local, {
    name: CALICO_WG.dev,
    ifindex: opts.ifindex,
    listenPort: CALICO_WG.port,
    mtu: calicoWireguardMtu(cluster.config.nodeMtu),
    address: opts.address,
    allowedIpsOf: blocksOf,
  });
  ns.links.push(link);
  const routes: Route[] = [];
  for (const peer of link.wireguard!.peers) {
    for (const block of peer.allowedIps) {
      routes.push({ type: 'unicast', dst: block, dev: CALICO_WG.dev, scope: 'link', table: CALICO_WG.table });
    }
  }
  routes.sort((a, b) => a.dst.network - b.dst.network || a.dst.prefix - b.dst.prefix);
  ns.routes.push(...routes);
  ns.rules.push({
    priority: CALICO_WG.rulePriority,
    not: true,
    fwmark: { value: CALICO_WG.fwmark, mask: CALICO_WG.fwmark },
    table: CALICO_WG.table,
  });
  return link;
}
