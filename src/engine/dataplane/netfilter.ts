/**
 * The netfilter seam: the forwarder calls the hooks at the five points the kernel does
 * (PREROUTING after a packet arrives, INPUT before local delivery, FORWARD before a routed
 * packet leaves, OUTPUT for locally generated packets, POSTROUTING just before transmit), and,
 * when `net.bridge.bridge-nf-call-iptables=1` (br_netfilter), on frames a bridge forwards
 * between its ports (`bridged: true`: PREROUTING on entry, FORWARD and POSTROUTING on exit).
 * This module is only the seam: the providers (kube-proxy, NetworkPolicy, the cloud load
 * balancers) live above the dataplane and are composed where a trace assembles its
 * `ForwardEnv` (trace/datapath.ts), so nothing here imports them.
 *
 * A hook may accept (the default), drop, or rewrite the packet (DNAT/SNAT); a rewrite is
 * recorded as a `netfilter` hop and the packet continues (a PREROUTING/OUTPUT DNAT is seen
 * by the route lookup that follows, as in the kernel). `state` lives for one trace (request
 * and reply legs) so a NAT hook can record a conntrack entry and undo it on the reply.
 */
import type { Cluster } from '../model/cluster';
import type { Link, Netns, Network } from '../model/netns';
import type { PacketRepr } from '../model/packet';

export type NfHookPoint = 'PREROUTING' | 'INPUT' | 'FORWARD' | 'OUTPUT' | 'POSTROUTING';

export interface NfContext {
  cluster: Cluster;
  network: Network;
  netns: Netns;
  hook: NfHookPoint;
  inDev?: Link;
  outDev?: Link;
  packet: PacketRepr;
  leg: 'request' | 'reply';
  /** The frame is being bridged (br_netfilter calls the IPv4 hooks from the bridge path). */
  bridged?: boolean;
  /** Per-trace scratch space shared by both legs (conntrack). */
  state: Map<string, unknown>;
}

export type NfVerdict =
  | { kind: 'accept' }
  /** `policies`: the NetworkPolicies (`namespace/name`) behind a policy drop; `chains`: the chains walked. */
  | { kind: 'drop'; detail: string; policies?: string[]; chains?: string[] }
  /** Continue with a rewritten packet (DNAT, SNAT, MASQUERADE); `detail` names the rule, iptables-save style; `chains` the chains walked. */
  | { kind: 'rewrite'; packet: PacketRepr; detail: string; chains?: string[]; policies?: string[] };

export interface NetfilterHook {
  /** `kube-proxy/iptables`, `network-policy`, ... shown in hop details. */
  name: string;
  hooks: NfHookPoint[];
  run(ctx: NfContext): NfVerdict;
}

/** Builds a cluster's hooks (kube-proxy mode, policies); trace/datapath.ts lists them in order. */
export type NetfilterProvider = (cluster: Cluster) => NetfilterHook[];

/** The hooks of `providers` for one cluster; at each hook point they run in this order. */
export function netfilterHooks(providers: readonly NetfilterProvider[], cluster: Cluster): NetfilterHook[] {
  return providers.flatMap((p) => p(cluster));
}
