/**
 * The kube-proxy seam of the export: the iptables-save text podpath's kube-proxy leaves in a node's
 * namespace (kubeproxy/index.ts iptablesSave), for `iptables-restore` inside it. Only the iptables
 * mode is exported: ipvs needs the ip_vs module and ipvsadm, nftables needs nft, none has no rules.
 */
import type { Cluster } from '../model/cluster';
import { iptablesSave } from '../kubeproxy/index';

export interface NodeRules {
  /** iptables-restore input. */
  text: string;
  /** Rules left out, each group with why: what they refer to does not exist in the lab. */
  dropped: { why: string; lines: string[] }[];
}

export interface KubeProxyExport {
  /** node name → iptables-save text, when rules can be exported. */
  rules?: (node: string) => NodeRules;
  /** Why Services will not answer in the lab, when they will not. */
  missing?: string;
}

export function kubeProxyExport(cluster: Cluster): KubeProxyExport {
  const mode = cluster.config.kubeProxy;
  if (mode === 'none') return { missing: 'the cluster runs without kube-proxy (kubeProxy: none), so ClusterIPs have no rules' };
  if (mode === 'ipvs') return { missing: 'kube-proxy in ipvs mode needs the ip_vs kernel module and ipvsadm; the export writes iptables rules only' };
  if (mode === 'nftables') return { missing: 'kube-proxy in nftables mode is not exported (the export writes iptables-restore input only)' };
  return { rules: (node) => restorable(iptablesSave(cluster, node)) };
}

/** Rules iptables-restore refuses in a fresh namespace, and why they are left out. */
const NEEDS_RUNTIME_OBJECTS: { test: RegExp; why: string }[] = [
  {
    // The sets (Calico's cali40masq-ipam-pools, policy selector sets) are filled by Felix at run
    // time; they concern traffic leaving the cluster (NAT outgoing) and NetworkPolicy.
    test: / --match-set /,
    why: 'they match ipsets, which need the ipset tool and the\nmembers Felix fills in at run time (NAT of traffic leaving the cluster, NetworkPolicy selectors)',
  },
  {
    // xt_nfacct refuses a rule whose accounting object does not exist (ENOENT); kube-proxy creates
    // it over netlink, and when it cannot, writes the NodePort rules without it, as here.
    test: / -m nfacct /,
    why: 'they count into the nfacct object localhost_nps_accepted_pkts, which kube-proxy creates\nover netlink and the lab has no tool for; the NodePort rule after each one still matches 127.0.0.1',
  },
];

/** The iptables-save text without the rules that need objects only a running node has. */
export function restorable(save: string): NodeRules {
  const dropped = NEEDS_RUNTIME_OBJECTS.map((n) => ({ why: n.why, lines: [] as string[] }));
  const kept = save.split('\n').filter((line) => {
    if (!line.startsWith('-A ')) return true;
    const i = NEEDS_RUNTIME_OBJECTS.findIndex((n) => n.test.test(line));
    if (i < 0) return true;
    dropped[i].lines.push(line);
    return false;
  });
  return { text: kept.join('\n'), dropped: dropped.filter((d) => d.lines.length) };
}
