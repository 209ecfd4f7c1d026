/**
 * The kube-proxy seam of the export: the iptables-save text kube-proxy would leave in a node's
 * namespace, for `iptables-restore` inside it. Undefined when the cluster's kube-proxy mode has
 * no iptables form (ipvs needs the ip_vs module and ipvsadm; nftables needs nft; none has no rules).
 */
import type { Cluster } from '../model/cluster';

export interface KubeProxyExport {
  /** node name → iptables-save text, when rules can be exported. */
  rules?: (node: string) => string;
  /** Why Services will not answer in the lab, when they will not. */
  missing?: string;
}

export function kubeProxyExport(cluster: Cluster): KubeProxyExport {
  const mode = cluster.config.kubeProxy;
  if (mode === 'none') return { missing: 'the cluster runs without kube-proxy (kubeProxy: none), so ClusterIPs have no rules' };
  if (mode === 'ipvs') return { missing: 'kube-proxy in ipvs mode needs the ip_vs kernel module and ipvsadm; the export writes iptables rules only' };
  if (mode === 'nftables') return { missing: 'kube-proxy in nftables mode is not exported yet (the export writes iptables-restore input only)' };
  return { missing: 'podpath does not compute kube-proxy rules yet, so ClusterIPs have no rules in the lab' };
}
