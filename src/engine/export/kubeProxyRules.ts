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
  /** Rules left out: they match ipsets (`-m set --match-set`), whose contents Felix keeps at run time. */
  dropped: string[];
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
  return { rules: (node) => withoutIpsets(iptablesSave(cluster, node)) };
}

/**
 * iptables rules that match an ipset cannot be restored unless the set exists, and the sets
 * (Calico's cali40masq-ipam-pools, policy selector sets) are filled by Felix at run time. They
 * concern traffic leaving the cluster (NAT outgoing) and NetworkPolicy, so they are left out and
 * listed in the script.
 */
export function withoutIpsets(save: string): NodeRules {
  const dropped: string[] = [];
  const kept = save.split('\n').filter((line) => {
    if (line.startsWith('-A ') && / --match-set /.test(line)) {
      dropped.push(line);
      return false;
    }
    return true;
  });
  return { text: kept.join('\n'), dropped };
}
