/**
 * A node's netfilter state as kube-proxy (in the cluster's mode), kubelet and the CNI leave it:
 * the mangle/nat/filter tables, the ipsets, IPVS virtual servers, and what each KUBE-SEP chain
 * stands for. Built once per (cluster, node) and cached; the packet path and every listing
 * command (iptables-save, iptables -L, ipvsadm) read the same object.
 */
import type { Cidr, Ipv4 } from '../addressing/ipv4';
import { masqueradeRules, type MasqueradeRules } from '../cni/masquerade';
import { networkOf } from '../cni/network';
import type { Cluster, KubeProxyMode, NodeRec } from '../model/cluster';
import { netnsId } from '../model/ids';
import { servicesOf } from '../services/table';
import { writeIptablesJumps, writeKubeletBase, writeKubeletJumps } from './base';
import { servicePorts, type ServicePortView } from './endpoints';
import { writeIptablesProxier, type SepMeta } from './iptablesProxier';
import { buildIpvs, writeIpvsIptables, type IpvsState } from './ipvs';
import { indexTable } from './evaluate';
import { addRule, emptyTable, ensureChain, type Rule, type Table, type TableRules } from './rules';

export interface NodeRuleset {
  mode: KubeProxyMode;
  node: NodeRec;
  tables: Record<'mangle' | 'nat' | 'filter', TableRules>;
  seps: Map<string, SepMeta>;
  /** KUBE-SVC/SVL chains of ClientIP-affinity Services (their endpoint choice keys on the client IP). */
  affinity: Set<string>;
  ipvs?: IpvsState;
  /** hash:net sets by name (Calico's pools). */
  netSets: Map<string, Cidr[]>;
  masq: MasqueradeRules;
  views: ServicePortView[];
}

const cache = new WeakMap<Cluster, Map<string, NodeRuleset>>();

/** Is a release version (`v1.31.0`, ClusterConfig.kubernetesVersion) at least major.minor? */
function versionAtLeast(version: string, major: number, minor: number): boolean {
  const m = /^v(\d+)\.(\d+)\./.exec(version);
  return !!m && (Number(m[1]) > major || (Number(m[1]) === major && Number(m[2]) >= minor));
}

export function rulesetOf(cluster: Cluster, nodeName: string): NodeRuleset | undefined {
  let perNode = cache.get(cluster);
  if (!perNode) {
    perNode = new Map();
    cache.set(cluster, perNode);
  }
  let rs = perNode.get(nodeName);
  if (!rs) {
    const node = cluster.nodes.find((n) => n.meta.name === nodeName);
    if (!node) return undefined;
    rs = buildRuleset(cluster, node);
    perNode.set(nodeName, rs);
  }
  return rs;
}

/** The Service ports as a node's kube-proxy sees them (shared by every mode). */
export function viewsOf(cluster: Cluster, nodeName: string): ServicePortView[] {
  return servicePorts(servicesOf(cluster).services, nodeName);
}

/** Global addresses on the node's devices, kube-ipvs0 excepted (where IPVS binds NodePorts). */
function nodeAddresses(cluster: Cluster, node: NodeRec): Ipv4[] {
  const ns = networkOf(cluster).get(netnsId.node(node.meta.name));
  if (!ns) return [node.ip];
  const out: Ipv4[] = [];
  for (const l of ns.links) {
    if (l.name === 'kube-ipvs0' || l.kind === 'loopback') continue;
    for (const a of l.addrs) if (a.scope === 'global' && !out.includes(a.ip)) out.push(a.ip);
  }
  return out;
}

function buildRuleset(cluster: Cluster, node: NodeRec): NodeRuleset {
  const mode = cluster.config.kubeProxy;
  const mangle = emptyTable('mangle');
  const nat = emptyTable('nat');
  const filter = emptyTable('filter');
  const seps = new Map<string, SepMeta>();
  const affinity = new Set<string>();
  const views = mode === 'none' ? [] : viewsOf(cluster, node.meta.name);
  writeKubeletBase(mangle, nat, filter, mode);
  let ipvs: IpvsState | undefined;
  const clusterCIDR = cluster.config.podCIDR;
  if (mode === 'iptables') {
    writeIptablesJumps(nat, filter);
    const localhostNodePortsCounter = versionAtLeast(cluster.config.kubernetesVersion, 1, 31);
    writeIptablesProxier({ nodeName: node.meta.name, nodeIp: node.ip, clusterCIDR, views, localhostNodePortsCounter }, nat, filter, seps, affinity);
  } else if (mode === 'ipvs') {
    ipvs = buildIpvs(views, nodeAddresses(cluster, node), node.ip);
    writeIpvsIptables(nat, filter, clusterCIDR, ipvs);
  }
  writeKubeletJumps(filter);
  const masq = masqueradeRules(cluster, node);
  for (const r of masq.nat) addRule(nat, r);
  for (const r of masq.filter) addRule(filter, r);
  if (cluster.config.cni.startsWith('calico')) ensureChain(nat, 'cali-fip-snat');
  for (const t of [mangle, nat, filter]) indexTable(t);
  return { mode, node, tables: { mangle, nat, filter }, seps, affinity, ...(ipvs ? { ipvs } : {}), netSets: masq.ipsets, masq, views };
}

export function tableOf(rs: NodeRuleset, table: Table): TableRules | undefined {
  return table === 'raw' ? undefined : rs.tables[table];
}

export type { Rule };
