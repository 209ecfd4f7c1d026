/**
 * Chains every kubeadm node has before any Service: kubelet's (KUBE-IPTABLES-HINT in mangle,
 * KUBE-KUBELET-CANARY in mangle/nat/filter, KUBE-FIREWALL's "block incoming localnet
 * connections" rule; pkg/kubelet/kubelet_network_linux.go) and kube-proxy's jump rules from the
 * built-in chains (proxier.go iptablesJumpChains). kube-proxy *prepends* each jump in list
 * order, so they end up reversed, above kubelet's `-j KUBE-FIREWALL` that was there first.
 */
import { Cidr } from '../addressing/ipv4';
import type { KubeProxyMode } from '../model/cluster';
import { addRule, ensureChain, type Match, type TableRules } from './rules';

const LOOPBACK = new Cidr(0x7f000000, 8);
const comment = (text: string): Match => ({ m: 'comment', text });
const ctNew: Match = { m: 'conntrack', ctstate: 'NEW' };

export function writeKubeletBase(mangle: TableRules, nat: TableRules, filter: TableRules, mode: KubeProxyMode): void {
  ensureChain(mangle, 'KUBE-IPTABLES-HINT');
  for (const t of [mangle, nat, filter]) ensureChain(t, 'KUBE-KUBELET-CANARY');
  if (mode !== 'none' && mode !== 'nftables') for (const t of [mangle, nat, filter]) ensureChain(t, 'KUBE-PROXY-CANARY');
  ensureChain(filter, 'KUBE-FIREWALL');
  addRule(filter, {
    chain: 'KUBE-FIREWALL',
    s: { cidr: LOOPBACK, neg: true },
    d: { cidr: LOOPBACK },
    matches: [comment('block incoming localnet connections'), { m: 'conntrack', ctstate: 'RELATED,ESTABLISHED,DNAT', neg: true }],
    target: { t: 'DROP' },
  });
}

/** The jump rules into kube-proxy's chains, in the order they end up in (iptables mode). */
export function writeIptablesJumps(nat: TableRules, filter: TableRules): void {
  const j = (t: TableRules, chain: string, to: string, matches: Match[]) => addRule(t, { chain, matches, target: { t: 'jump', chain: to } });
  j(filter, 'INPUT', 'KUBE-PROXY-FIREWALL', [ctNew, comment('kubernetes load balancer firewall')]);
  j(filter, 'INPUT', 'KUBE-NODEPORTS', [comment('kubernetes health check service ports')]);
  j(filter, 'INPUT', 'KUBE-EXTERNAL-SERVICES', [ctNew, comment('kubernetes externally-visible service portals')]);
  j(filter, 'FORWARD', 'KUBE-PROXY-FIREWALL', [ctNew, comment('kubernetes load balancer firewall')]);
  j(filter, 'FORWARD', 'KUBE-FORWARD', [comment('kubernetes forwarding rules')]);
  j(filter, 'FORWARD', 'KUBE-SERVICES', [ctNew, comment('kubernetes service portals')]);
  j(filter, 'FORWARD', 'KUBE-EXTERNAL-SERVICES', [ctNew, comment('kubernetes externally-visible service portals')]);
  j(filter, 'OUTPUT', 'KUBE-PROXY-FIREWALL', [ctNew, comment('kubernetes load balancer firewall')]);
  j(filter, 'OUTPUT', 'KUBE-SERVICES', [ctNew, comment('kubernetes service portals')]);
  j(nat, 'PREROUTING', 'KUBE-SERVICES', [comment('kubernetes service portals')]);
  j(nat, 'OUTPUT', 'KUBE-SERVICES', [comment('kubernetes service portals')]);
  j(nat, 'POSTROUTING', 'KUBE-POSTROUTING', [comment('kubernetes postrouting rules')]);
}

/** kubelet's `-j KUBE-FIREWALL` in INPUT and OUTPUT (after kube-proxy's prepended jumps). */
export function writeKubeletJumps(filter: TableRules): void {
  addRule(filter, { chain: 'INPUT', matches: [], target: { t: 'jump', chain: 'KUBE-FIREWALL' } });
  addRule(filter, { chain: 'OUTPUT', matches: [], target: { t: 'jump', chain: 'KUBE-FIREWALL' } });
}
