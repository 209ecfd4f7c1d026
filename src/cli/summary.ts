/**
 * `podpath check`'s summary of a loaded cluster: its settings, the nodes with their InternalIP
 * and pod range, and pods per namespace. Pure (a string from a Cluster); tables are laid out
 * as kubectl lays out `get` (the shell's tabwriter), one pass over the pods.
 */
import { formatIpv4 } from '../engine/addressing/ipv4';
import type { Cluster } from '../engine/model/cluster';
import { GET_TABS, tabwrite } from '../engine/shell/tabwriter';

/** Node rows listed in full up to this many; beyond it the first ones and a count. */
const MAX_NODE_ROWS = 50;
const SHOWN_WHEN_TRUNCATED = 20;

export function summarize(cluster: Cluster, fileNames: string[]): string {
  const c = cluster.config;
  const podsOnNode = new Map<string, number>();
  const podsInNs = new Map<string, number>();
  for (const ns of cluster.namespaces.keys()) podsInNs.set(ns, 0);
  for (const p of cluster.pods.values()) {
    podsOnNode.set(p.nodeName, (podsOnNode.get(p.nodeName) ?? 0) + 1);
    const ns = p.meta.namespace ?? 'default';
    podsInNs.set(ns, (podsInNs.get(ns) ?? 0) + 1);
  }

  const lines: string[] = [];
  lines.push(`${fileNames.join(', ')}: valid`);
  const settings = [
    ['Cluster:', c.name],
    ['CNI:', c.cni + (c.wireguard ? ' (WireGuard)' : '')],
    ['kube-proxy:', c.kubeProxy],
    ['Pod CIDR:', c.cni === 'azure-cni' ? `none: pods take the node subnet's addresses (${c.nodeNetwork.toString()}, max pods per node pre-allocated on each NIC)` : `${c.podCIDR.toString()} (/${c.nodeCIDRMaskSize} per node)`],
    ['Service CIDR:', c.serviceCIDR.toString()],
    ['Node network:', c.nodeNetwork.toString()],
    ['Cluster domain:', c.clusterDomain],
  ];
  lines.push(tabwrite(settings.map((r) => r.join('\t')).join('\n') + '\n', { minwidth: 0, padding: 1 }).trimEnd());
  lines.push('');

  const n = cluster.nodes.length;
  lines.push(`${n} node${n === 1 ? '' : 's'}:`);
  const shown = n > MAX_NODE_ROWS ? cluster.nodes.slice(0, SHOWN_WHEN_TRUNCATED) : cluster.nodes;
  const nodeRows = ['NAME\tROLES\tINTERNAL-IP\tPOD-CIDR\tPODS'];
  for (const node of shown) {
    const range = node.podCIDR ? node.podCIDR.toString() : node.blocks.length ? node.blocks.map((b) => b.toString()).join(',') : '<none>';
    nodeRows.push([node.meta.name, node.role === 'control-plane' ? 'control-plane' : '<none>', formatIpv4(node.ip), range, String(podsOnNode.get(node.meta.name) ?? 0)].join('\t'));
  }
  lines.push(tabwrite(nodeRows.join('\n') + '\n', GET_TABS).trimEnd());
  if (shown.length < n) lines.push(`… and ${n - shown.length} more (podpath sh -f FILE -c 'kubectl get nodes -o wide')`);
  lines.push('');

  const nsCount = podsInNs.size;
  lines.push(`${cluster.pods.size} pod${cluster.pods.size === 1 ? '' : 's'} in ${nsCount} namespace${nsCount === 1 ? '' : 's'}:`);
  const nsRows = ['NAMESPACE\tPODS'];
  for (const [ns, count] of [...podsInNs].sort((a, b) => a[0].localeCompare(b[0]))) nsRows.push(`${ns}\t${count}`);
  lines.push(tabwrite(nsRows.join('\n') + '\n', GET_TABS).trimEnd());
  return lines.join('\n') + '\n';
}
