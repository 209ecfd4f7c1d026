/**
 * The netfilter seam: the forwarder calls the hooks at the five points the kernel does
 * (PREROUTING after a packet arrives, INPUT before local delivery, FORWARD before a routed
 * packet leaves, OUTPUT for locally generated packets, POSTROUTING just before transmit).
 * No rules are modelled yet: kube-proxy (iptables/IPVS/nftables Services) and NetworkPolicy
 * arrive later as providers in `NETFILTER_PROVIDERS`, without touching the hop loop.
 *
 * A hook may accept (the default), drop, or rewrite the packet (DNAT/SNAT); a rewrite is
 * recorded as a `netfilter` hop and the packet continues (a PREROUTING/OUTPUT DNAT is seen
 * by the route lookup that follows, as in the kernel). `state` lives for one trace (request
 * and reply legs) so a NAT hook can record a conntrack entry and undo it on the reply.
 */
import type { Cluster } from '../model/cluster';
import type { Link, Netns, Network } from '../model/netns';
import type { PacketRepr } from '../model/packet';
import { networkPolicyProvider } from '../policy/hooks';

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
  /** Per-trace scratch space shared by both legs (conntrack). */
  state: Map<string, unknown>;
}

export type NfVerdict =
  | { kind: 'accept' }
  | { kind: 'drop'; detail: string }
  /** Continue with a rewritten packet (DNAT, SNAT, MASQUERADE); `detail` names the rule, iptables-save style. */
  | { kind: 'rewrite'; packet: PacketRepr; detail: string };

export interface NetfilterHook {
  /** `kube-proxy/iptables`, `network-policy`, ... shown in hop details. */
  name: string;
  hooks: NfHookPoint[];
  run(ctx: NfContext): NfVerdict;
}

/** Builds a cluster's hooks (kube-proxy mode, policies). Later issues append providers here. */
export type NetfilterProvider = (cluster: Cluster) => NetfilterHook[];

export const NETFILTER_PROVIDERS: readonly NetfilterProvider[] = [networkPolicyProvider];

export function netfilterHooksFor(cluster: Cluster): NetfilterHook[] {
  return NETFILTER_PROVIDERS.flatMap((p) => p(cluster));
}
